from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "canbo.cases"
    label = "cases"
    verbose_name = "Hồ sơ bổ nhiệm"
    default_auto_field = "django.db.models.BigAutoField"
