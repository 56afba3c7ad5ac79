from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "canbo.people"
    label = "people"
    verbose_name = "Hồ sơ cán bộ"
