from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "canbo.documents"
    label = "documents"
    verbose_name = "Tài liệu, biểu mẫu"
