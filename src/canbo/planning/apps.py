from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "canbo.planning"
    label = "planning"
    verbose_name = "Quy hoạch cán bộ"

    def ready(self) -> None:
        from canbo.campaigns import votes
        from canbo.people.panels import MAIN, Panel, register_panel
        from canbo.planning import consequences, facts
        from canbo.planning.selectors import entries_of
        from canbo.rules import selectors as rules

        # The planning entries of the person, read once by the page (which has checked his
        # dossier is within the user's grants).
        register_panel(
            Panel(
                key="planning",
                templates={MAIN: "planning/_person_page_panel.html"},
                data=entries_of,
                position=20,
            )
        )
        # What the rules read of planning (P-rules, P-2 counts).
        rules.planning_facts.register(facts.planning_facts)
        rules.planning_counts.register(facts.planning_counts)
        # The votes worklist shows the planning entries a V-4 / V-5 result takes a person out of.
        votes.planning_entries.register(consequences.open_entries_by_person)
