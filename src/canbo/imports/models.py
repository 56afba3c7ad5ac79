"""Spreadsheet import: the uploaded file and its run, and reusable column mappings (C5).

The engine (``engine.py``) reads, maps, validates and writes; these two models only remember
what was uploaded, how its columns were mapped and what came out, so that the officer can leave
the page and come back, and so that a province can reuse the mapping of its own sheets.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedMapping(models.Model):
    """A reusable column mapping for a province's own sheets.

    ``mapping`` is ``{sheet_kind: {header_text: field_name}}``; headers are matched again with
    accents, case and punctuation ignored, so a mapping saved from one file fits the next one.
    """

    name = models.CharField("tên cách ghép cột", max_length=100, unique=True)
    mapping = models.JSONField("ghép cột")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField("ngày tạo", auto_now_add=True)

    class Meta:
        verbose_name = "cách ghép cột đã lưu"
        verbose_name_plural = "cách ghép cột đã lưu"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """One uploaded file and its run: status, mapping, progress and result.

    The file itself lives on disk under ``MEDIA_ROOT/imports/``; ``result`` is
    ``ImportResult.as_dict()`` once the run has finished. ``file_purged`` is when the file was
    deleted under the retention policy (``retention.py``); the row and its result stay.

    A run is a background task (``jobs.run_import_job``, ``task_id``) executed by the worker
    (``manage.py db_worker``); the task writes its progress here (``progress_*``), which the
    progress page reads, with ``worker`` (host and process id) and ``heartbeat`` so that a run
    whose worker died is noticed (``jobs.mark_interrupted``; docs/architecture.md, "Background
    work").
    """

    class Phase(models.TextChoices):
        QUEUED = "queued", "Đang chờ xử lý nền"
        CHECKING = "checking", "Đang đọc và kiểm tra tệp"
        WRITING = "writing", "Đang ghi vào hồ sơ"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Đã tải lên"
        MAPPING = "mapping", "Chờ ghép cột"
        RUNNING = "running", "Đang kiểm tra và ghi"
        FAILED = "failed", "Có lỗi, chưa ghi gì"
        DONE = "done", "Đã nhập xong"
        REFUSED = "refused", "Tệp bị từ chối"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhập", on_delete=models.CASCADE, related_name="+"
    )
    original_name = models.CharField("tên tệp gốc", max_length=255)
    stored_path = models.CharField("tệp lưu trữ", max_length=500)
    sha256 = models.CharField("mã kiểm tra SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.UPLOADED)
    mapping = models.JSONField("ghép cột", default=dict, blank=True)
    dry_run = models.BooleanField("chỉ kiểm tra, không ghi", default=False)
    progress_done = models.PositiveIntegerField("đã xử lý", default=0)
    progress_total = models.PositiveIntegerField("tổng số", default=0)
    progress_label = models.CharField("đang làm", max_length=200, blank=True)
    progress_phase = models.CharField("giai đoạn", max_length=10, choices=Phase.choices, blank=True)
    task_id = models.CharField("mã tác vụ nền", max_length=64, blank=True)
    worker = models.CharField("tiến trình xử lý", max_length=200, blank=True)
    heartbeat = models.DateTimeField("lần báo tiến độ gần nhất", null=True, blank=True)
    result = models.JSONField("kết quả", default=dict, blank=True)
    created = models.DateTimeField("ngày tải lên", auto_now_add=True)
    finished = models.DateTimeField("ngày xong", null=True, blank=True)
    file_purged = models.DateTimeField("ngày xóa tệp", null=True, blank=True)

    class Meta:
        verbose_name = "lần nhập dữ liệu"
        verbose_name_plural = "các lần nhập dữ liệu"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
