from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "canbo.careers"
    label = "careers"
    verbose_name = "Quá trình công tác"

    def ready(self) -> None:
        from canbo.careers import api, units
        from canbo.careers.panels import PANEL
        from canbo.careers.sections import SECTIONS
        from canbo.org import hooks as org
        from canbo.people import panels
        from canbo.people.sections import register_sections

        register_sections(*SECTIONS)
        panels.register_panel(PANEL)
        panels.with_posts_on_date.register(api.with_posts_on_date)
        panels.posts_on_date.register(api.posts_on_date)
        # The people at a unit, for the organisation's pages and restructuring.
        org.unit_people_on.register(units.unit_people_on)
        org.tenures_in_subtree_on.register(units.tenures_in_subtree_on)
        org.running_people.register(units.running_people)
        org.close_tenures.register(units.close_tenures)
        org.carry_memberships.register(units.carry_memberships)
