"""Word → PDF through LibreOffice headless (Debian's ``libreoffice-writer-nogui``).

LibreOffice is started on demand, once per call, with a profile directory of its own
(``-env:UserInstallation``): two conversions at the same time would otherwise share, and lock,
the user's profile. A call converts one file or many (a batch converts its résumés in chunks, one
start for each chunk). Fonts: Times New Roman is not free; fontconfig maps it to Liberation Serif
(``fonts-liberation2``), metric-compatible, so the layout is the same, and LibreOffice embeds the
subset it uses in the PDF (checked in the tests with ``pdffonts``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from canbo.core.errors import DomainError

TIMEOUT_SECONDS = int(os.environ.get("CANBO_PDF_TIMEOUT", "180"))
MISSING = (
    "Máy chủ chưa cài LibreOffice nên chưa tạo được PDF. Quản trị viên chạy “./canbo serve” "
    "(tự cài gói libreoffice-writer-nogui) hoặc cài gói đó bằng apt; trong lúc chờ, hãy tải bản Word."
)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def to_pdf_many(docx_files: dict[str, bytes], *, timeout: int = TIMEOUT_SECONDS) -> dict[str, bytes]:
    """Convert {name: .docx bytes} to {name: .pdf bytes} with one LibreOffice start.

    Names must be plain file stems (no directory). Raises DomainError with a Vietnamese message
    when LibreOffice is missing, fails or takes longer than ``timeout`` seconds.
    """
    exe = soffice()
    if exe is None:
        raise DomainError(MISSING)
    if not docx_files:
        return {}
    with tempfile.TemporaryDirectory(prefix="canbo-pdf-") as tmp:
        work = Path(tmp)
        src, out, profile = work / "in", work / "out", work / "profile"
        src.mkdir()
        out.mkdir()
        inputs = []
        for name, data in docx_files.items():
            path = src / f"{Path(name).name}.docx"
            path.write_bytes(data)
            inputs.append(str(path))
        cmd = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            *inputs,
        ]
        try:
            proc = subprocess.run(  # noqa: S603 -- fixed argv, no shell; the paths are our own temporary files
                cmd,
                capture_output=True,
                timeout=timeout,
                env={**os.environ, "HOME": str(work)},
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise DomainError(
                f"LibreOffice không chuyển xong sang PDF trong {timeout} giây; hãy thử lại hoặc tải bản Word."
            ) from exc
        except OSError as exc:
            raise DomainError(MISSING) from exc
        result: dict[str, bytes] = {}
        for name in docx_files:
            pdf = out / f"{Path(name).name}.pdf"
            if not pdf.is_file():
                detail = proc.stderr.decode("utf-8", "replace").strip()[:300]
                raise DomainError(
                    "LibreOffice không chuyển được tài liệu sang PDF"
                    + (f" ({detail})" if detail else "")
                    + "; hãy tải bản Word."
                )
            result[name] = pdf.read_bytes()
        return result


def to_pdf(docx_bytes: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    return to_pdf_many({"tai-lieu": docx_bytes}, timeout=timeout)["tai-lieu"]
