from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "canbo.people"
    label = "people"
    verbose_name = "Hồ sơ cán bộ"

    def ready(self) -> None:
        from canbo.org import hooks as org
        from canbo.people.sections import PEOPLE_SECTIONS, register_sections
        from canbo.people.selectors import staff_counts_on

        register_sections(*PEOPLE_SECTIONS)
        org.staff_counts_on.register(staff_counts_on)
