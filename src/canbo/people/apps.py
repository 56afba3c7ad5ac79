from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "canbo.people"
    label = "people"
    verbose_name = "Hồ sơ cán bộ"

    def ready(self) -> None:
        from canbo.people.sections import PEOPLE_SECTIONS, register_sections

        register_sections(*PEOPLE_SECTIONS)
