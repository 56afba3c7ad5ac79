from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "canbo.plans"
    label = "plans"
    verbose_name = "Kế hoạch"
