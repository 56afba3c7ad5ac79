"""The import's background task: the worker (``manage.py db_worker``) runs it.

``jobs.start`` enqueues it with the job's id; its body is ``jobs.execute``, which calls the import
service (``engine.run_import``) and writes the job's progress and outcome on the job row. See
docs/architecture.md, "Background work", whose example this is.
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    """Run the RUNNING import job ``job_id``; returns its final status."""
    from canbo.imports import jobs

    return jobs.execute(job_id)
