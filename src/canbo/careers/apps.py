from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "canbo.careers"
    label = "careers"
    verbose_name = "Quá trình công tác"

    def ready(self) -> None:
        from canbo.careers.panels import PANEL
        from canbo.careers.sections import SECTIONS
        from canbo.people.panels import register_panel
        from canbo.people.sections import register_sections

        register_sections(*SECTIONS)
        register_panel(PANEL)
