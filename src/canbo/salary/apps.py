from django.apps import AppConfig


class SalaryConfig(AppConfig):
    name = "canbo.salary"
    label = "salary"
    verbose_name = "Tiền lương"

    def ready(self) -> None:
        from canbo.people.sections import register_sections
        from canbo.rules import selectors as rules
        from canbo.salary.agenda import salary_calendar
        from canbo.salary.facts import retirement_notice_facts
        from canbo.salary.sections import SECTIONS

        register_sections(*SECTIONS)
        # What the rules read of salary (H-9: the notices issued).
        rules.retirement_notice_facts.register(retirement_notice_facts)
        # The career calendar's salary lines (the next raise, the retirement notice's status).
        rules.salary_calendar.register(salary_calendar)
