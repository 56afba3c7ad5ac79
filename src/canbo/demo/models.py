"""The marker of the demo data set: what was generated, with which parameters, and when."""

from __future__ import annotations

from django.db import models


class DemoDataset(models.Model):
    """One row per database: the parameters of the synthetic province now loaded.

    ``seed_demo`` compares its parameters with this row: the same size, seed and horizon with
    ``complete`` set means the data is already there (a quick no-op); anything else means the
    previous demo data is wiped and rebuilt. ``complete`` stays False while a build runs, so an
    interrupted build is rebuilt next time.
    """

    size = models.PositiveIntegerField("số người")
    seed = models.BigIntegerField("hạt giống ngẫu nhiên")
    horizon = models.DateField("dữ liệu tính đến ngày")
    generator_version = models.PositiveSmallIntegerField("phiên bản trình tạo")
    root_code = models.CharField("mã đơn vị gốc", max_length=40)
    complete = models.BooleanField("đã tạo xong", default=False)
    counts = models.JSONField("số lượng bản ghi", default=dict)
    started = models.DateTimeField("bắt đầu lúc", auto_now_add=True)
    finished = models.DateTimeField("xong lúc", null=True, blank=True)
    seconds = models.FloatField("thời gian tạo (giây)", null=True, blank=True)

    class Meta:
        verbose_name = "dữ liệu tỉnh mẫu"
        verbose_name_plural = "dữ liệu tỉnh mẫu"

    def __str__(self) -> str:
        return f"Tỉnh mẫu: {self.size} người, hạt giống {self.seed}, đến ngày {self.horizon:%d/%m/%Y}"
