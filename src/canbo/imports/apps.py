from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "canbo.imports"
    label = "imports"
    verbose_name = "Nhập dữ liệu"
