from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "canbo.reports"
    label = "reports"
    verbose_name = "Báo cáo, văn bản và đồng bộ CSDL quốc gia"

    def ready(self) -> None:
        # `./canbo documents statistics`: the report is a subcommand of documents' command.
        from canbo.reports import statistics_cli

        statistics_cli.register()
