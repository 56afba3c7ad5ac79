from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "canbo.planning"
    label = "planning"
    verbose_name = "Quy hoạch cán bộ"

    def ready(self) -> None:
        from canbo.people.panels import MAIN, Panel, register_panel

        # The planning entries of the person (read by the ``planning_panel`` template tag).
        register_panel(
            Panel(key="planning", templates={MAIN: "planning/_person_page_panel.html"}, position=20)
        )
