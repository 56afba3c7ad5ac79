from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "canbo.assessment"
    label = "assessment"
    verbose_name = "Đánh giá, khen thưởng, kỷ luật"

    def ready(self) -> None:
        from canbo.assessment.sections import SECTIONS
        from canbo.people.sections import register_sections

        register_sections(*SECTIONS)
