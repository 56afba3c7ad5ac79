from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "canbo.assessment"
    label = "assessment"
    verbose_name = "Đánh giá, khen thưởng, kỷ luật"
