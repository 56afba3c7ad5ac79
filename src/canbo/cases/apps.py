from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "canbo.cases"
    label = "cases"
    verbose_name = "Hồ sơ bổ nhiệm"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from canbo.cases.documents import FORMS
        from canbo.core.docforms import register_forms

        # The minutes and the proposal are templates kept by the documents app (core.docforms).
        register_forms(*FORMS)
