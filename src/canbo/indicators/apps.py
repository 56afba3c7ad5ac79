from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "canbo.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu"
