from django.apps import AppConfig


class SalaryConfig(AppConfig):
    name = "canbo.salary"
    label = "salary"
    verbose_name = "Tiền lương"

    def ready(self) -> None:
        from canbo.people.sections import register_sections
        from canbo.salary.sections import SECTIONS

        register_sections(*SECTIONS)
