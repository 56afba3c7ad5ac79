from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "canbo.people"
    label = "people"
    verbose_name = "Hồ sơ cán bộ"

    def ready(self) -> None:
        from canbo.core.kept_state import add_derived_table
        from canbo.org import hooks as org
        from canbo.people import name_words
        from canbo.people.sections import PEOPLE_SECTIONS, register_sections
        from canbo.people.selectors import staff_counts_on

        register_sections(*PEOPLE_SECTIONS)
        org.staff_counts_on.register(staff_counts_on)
        # the name-word table follows the person rows (triggers): kept name searches read it
        add_derived_table(name_words.TABLE, "people_person", name_words.COLUMNS)
        # and the service gaps follow a person's service events (``service_history.refresh``)
        from canbo.people.models import ServiceEvent, ServiceGap

        add_derived_table(
            ServiceGap._meta.db_table, ServiceEvent._meta.db_table, ("kind", "event_date", "person_id")
        )
