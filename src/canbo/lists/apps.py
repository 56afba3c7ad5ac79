from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "canbo.lists"
    label = "lists"
    verbose_name = "Danh sách"
