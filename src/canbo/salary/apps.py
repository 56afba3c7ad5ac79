from django.apps import AppConfig


class SalaryConfig(AppConfig):
    name = "canbo.salary"
    label = "salary"
    verbose_name = "Tiền lương"
