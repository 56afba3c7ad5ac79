from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "canbo.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu"

    def ready(self) -> None:
        from canbo.core.services import add_change_listener
        from canbo.indicators.snapshots import invalidate

        # Every audited write drops, in its transaction, the snapshots it may alter.
        add_change_listener(invalidate)
