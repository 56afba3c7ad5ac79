"""Background tasks of the documents app (django-tasks; the worker runs them)."""

from __future__ import annotations

from django_tasks import task

from canbo.core.context import bind_context


@task()
def make_batch(batch_id: int) -> int:
    """Make the ZIP of a batch of résumés (``services.batch_run``); returns how many were done."""
    from canbo.documents.services import batch_run

    with bind_context(source="command"):
        batch = batch_run(batch_id)
    return batch.done
