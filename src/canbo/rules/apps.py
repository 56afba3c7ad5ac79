from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "canbo.rules"
    label = "rules"
    verbose_name = "Quy định"

    def ready(self) -> None:
        from canbo.people.panels import MAIN, Panel, register_panel
        from canbo.rules.selectors import person_calendar

        # The career calendar (retirement, the next salary step) on the person page.
        register_panel(
            Panel(
                key="rules",
                templates={MAIN: "rules/_person_page_panel.html"},
                data=person_calendar,
                position=10,
            )
        )
