from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "canbo.documents"
    label = "documents"
    verbose_name = "Tài liệu, biểu mẫu"

    def ready(self) -> None:
        from canbo.core import docforms
        from canbo.documents import services

        docforms.register_forms(*services.resume_forms())
        docforms.render.register(services.render_form)
