from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "canbo.careers"
    label = "careers"
    verbose_name = "Quá trình công tác"
