from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IndicatorsConfig(AppConfig):
    name = "canbo.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu"

    def ready(self) -> None:
        from canbo.core.services import add_change_listener
        from canbo.indicators.snapshots import invalidate

        # Every audited write drops, in its transaction, the snapshots it may alter.
        add_change_listener(invalidate)
        # A data migration writes without the change log: after any migrate, none is kept.
        post_migrate.connect(_drop_snapshots, sender=self)


def _drop_snapshots(using: str = "default", **kwargs: Any) -> None:
    from canbo.indicators.models import IndicatorSnapshot

    IndicatorSnapshot.objects.using(using).all().delete()
