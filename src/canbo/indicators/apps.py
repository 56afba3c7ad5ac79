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
    from django.db import connections

    from canbo.indicators.models import IndicatorSnapshot

    # `migrate <other app>` on a new database sends post_migrate for every app, before this
    # app's tables exist: there is nothing to drop then.
    if IndicatorSnapshot._meta.db_table not in connections[using].introspection.table_names():
        return
    IndicatorSnapshot.objects.using(using).all().delete()
