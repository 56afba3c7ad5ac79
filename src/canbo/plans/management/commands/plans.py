"""``./canbo plans extract FILE.txt|FILE.docx [--json] [--don-vi CODE]`` and
``./canbo plans seed_demo``.

``extract`` prints the draft a plan's text gives (sections, tasks, lead and coordinating units,
deadline words and parsed schedule); it writes nothing. Exit status 2 for a file that cannot be
read. ``seed_demo`` fills the demo province's plan 18-ĐA/TU from seed 002 (idempotent).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandParser
from django.db import DatabaseError

from canbo.core.commands import VietnameseCommand
from canbo.core.dates import today
from canbo.core.errors import DomainError
from canbo.org.models import Unit
from canbo.plans.deadlines import Schedule, describe
from canbo.plans.extract import Catalogue, ExtractError, extract_plan, read_text_file
from canbo.plans.models import PlanKind
from canbo.plans.selectors import unit_catalogue


class Command(VietnameseCommand):
    help = "Kế hoạch, nhiệm vụ: trích nhiệm vụ từ văn bản (extract), nạp dữ liệu mẫu (seed_demo)."

    def usage(self, message: str) -> str:
        """argparse's refusals, said in Vietnamese (argparse's own words kept for the rest)."""
        if "required: action" in message or "invalid choice" in message:
            return (
                "Cần lệnh con: ./canbo plans extract TỆP.txt|TỆP.docx [--json] hoặc ./canbo plans seed_demo"
            )
        if "required: file" in message:
            return "Thiếu tệp: ./canbo plans extract TỆP.txt|TỆP.docx [--json] [--don-vi MÃ]"
        return super().usage(message)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        ex = sub.add_parser("extract", help="In bản nháp nhiệm vụ trích từ tệp .txt hoặc .docx.")
        ex.add_argument("file", help="Tệp .txt (UTF-8) hoặc .docx của kế hoạch.")
        ex.add_argument("--json", action="store_true", help="In dạng JSON.")
        ex.add_argument(
            "--don-vi",
            dest="unit_code",
            help="Mã đơn vị gốc: chỉ so khớp tên với các đơn vị thuộc cây này (mặc định: mọi đơn vị).",
        )
        sub.add_parser("seed_demo", help="Nạp nhiệm vụ mẫu của Đề án 18-ĐA/TU cho tỉnh mẫu (mã LC).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "extract":
            self.extract(options)
        else:
            from canbo.plans.demo import seed_demo

            try:
                summary = seed_demo()
            except DomainError as exc:
                self.fail(str(exc))
            self.stdout.write(summary)

    def extract(self, options: dict[str, Any]) -> None:
        try:
            text = read_text_file(options["file"])
        except ExtractError as exc:
            self.fail(str(exc))
            return
        issued = extract_plan(text).header.get("issued_on")
        also_on = dt.date.fromisoformat(issued) if issued else None
        catalogue = Catalogue()
        try:
            if options.get("unit_code"):
                root = Unit.objects.filter(code=options["unit_code"]).first()
                if root is None:
                    self.fail(f"Không có đơn vị mã “{options['unit_code']}”.")
                catalogue = unit_catalogue(root, today(), also_on=also_on)
            else:
                catalogue = unit_catalogue(None, today(), also_on=also_on)
        except DatabaseError:
            # No database yet (a fresh checkout): names are then kept as text, unmatched.
            self.stderr.write("Chưa có cơ sở dữ liệu: tên đơn vị chưa được so khớp với danh mục.")
        draft = extract_plan(text, catalogue)
        if options["json"]:
            self.stdout.write(json.dumps(draft.to_dict(), ensure_ascii=False, indent=2))
            return
        h = draft.header
        kind = PlanKind(h["kind"]).label if h["kind"] else "Văn bản"
        self.stdout.write(f"{kind} {h['number'] or '(không ghi số)'}: {h['title'][:100]}")
        self.stdout.write(f"{len(draft.sections)} mục, {len(draft.tasks)} nhiệm vụ")
        for t in draft.tasks:
            lead = t.lead.name if t.lead else "(chưa rõ chủ trì)"
            self.stdout.write(f"\n[{t.number}] {t.content.splitlines()[0][:110]}")
            self.stdout.write(f"    Chủ trì: {lead}")
            if t.coordinating:
                self.stdout.write(f"    Phối hợp: {'; '.join(c.name for c in t.coordinating)}")
            if t.deadline_text:
                self.stdout.write(
                    f"    Thời hạn: {t.deadline_text} → {describe(Schedule.from_dict(t.schedule))}"
                )
            for flag in t.flags:
                self.stdout.write(f"    ! {flag}")
