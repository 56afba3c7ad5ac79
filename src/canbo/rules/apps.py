from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "canbo.rules"
    label = "rules"
    verbose_name = "Quy định"
