"""``./canbo rules load | retirement | check``: the rulebook from the command line.

- ``load``: load ``rules/data/rules.toml`` and ``holidays.toml`` into the database (idempotent).
- ``retirement --sex nam|nu --born DD/MM/YYYY|MM/YYYY|YYYY``: prints
  ``{"retirement_date": "YYYY-MM-DD", "retirement_age": {"years": Y, "months": M}}``.
- ``check --person ID --purpose P --title CODE --at YYYY-MM-DD``: prints the verdict as JSON.
- ``ballot --convened N --present P [--ballots B] [--seats S] --votes "A=12,B=9,C=3" [--at D] --json``:
  validator 3 on one meeting (quorum, shares over convened, selected, next round, rules) as JSON.

Bad arguments print a Vietnamese message on stderr and exit with status 2.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandParser

from canbo.core.commands import VietnameseCommand
from canbo.core.context import bind_context
from canbo.core.errors import DomainError
from canbo.org.models import Title
from canbo.people.models import Person
from canbo.rules import cli, selectors, services
from canbo.rules.engine.calculators import retirement

USAGE = (
    "Cách dùng:\n"
    "  ./canbo rules load\n"
    "  ./canbo rules retirement --sex nam|nu --born DD/MM/YYYY|MM/YYYY|YYYY\n"
    "  ./canbo rules check --person ID --purpose appointment|planning|reappointment|rotation|committee "
    "--title MÃ_CHỨC_DANH --at YYYY-MM-DD [--user TÊN_ĐĂNG_NHẬP] [--planned co|khong] "
    "[--pending co|khong]\n"
    '  ./canbo rules ballot --convened N --present P [--ballots B] [--seats S] --votes "A=12,B=9" '
    "[--at YYYY-MM-DD] [--json]"
)


class Command(VietnameseCommand):
    help = "Quy định: nạp dữ liệu quy định, tính ngày nghỉ hưu, kiểm tra điều kiện (kết quả JSON)."

    def usage(self, message: str) -> str:
        if "unrecognized arguments" in message:
            return "Tham số không nhận ra: " + message.split(":", 1)[1].strip() + "\n" + USAGE
        if (
            "invalid choice" in message
            or "required: action" in message
            or "arguments are required" in message
        ):
            return "Thiếu hoặc sai lệnh con (load, retirement, check, ballot).\n" + USAGE
        if "expected one argument" in message:
            return (
                "Tham số thiếu giá trị: "
                + message.split(":", 1)[0].replace("argument", "").strip()
                + "\n"
                + USAGE
            )
        return "Tham số không hợp lệ.\n" + USAGE

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        sub.add_parser("load", help="Nạp quy định và lịch ngày nghỉ (chạy lại không tạo trùng).")
        retire = sub.add_parser("retirement", help="Ngày nghỉ hưu theo giới tính và ngày sinh.")
        retire.add_argument("--sex", help="nam hoặc nu")
        retire.add_argument("--born", help="DD/MM/YYYY, MM/YYYY hoặc YYYY")
        chk = sub.add_parser("check", help="Kiểm tra điều kiện của một người (JSON).")
        chk.add_argument("--person", help="Mã hồ sơ (số)")
        chk.add_argument("--purpose", help="appointment, planning, reappointment, rotation, committee")
        chk.add_argument("--title", help="Mã chức danh")
        chk.add_argument("--at", help="Ngày xét, YYYY-MM-DD")
        chk.add_argument("--user", help="Xét với quyền của tài khoản này (mặc định: hệ thống)")
        chk.add_argument(
            "--planned",
            help="Không còn dùng: tình trạng quy hoạch được đọc từ danh sách quy hoạch trong hồ sơ",
        )
        chk.add_argument("--pending", help="Đang bị xem xét kỷ luật, điều tra: co|khong")
        chk.add_argument("--rotation-months", help="Thời gian luân chuyển dự kiến (tháng)")
        chk.add_argument("--congress-level", help="Cấp đại hội (K-4): co_so, tren_co_so, xa, tinh, hdnd_ubnd")
        bal = sub.add_parser("ballot", help="Kiểm phiếu một bước của quy trình bổ nhiệm (JSON).")
        bal.add_argument("--convened", help="Số được triệu tập")
        bal.add_argument("--present", help="Số có mặt")
        bal.add_argument("--ballots", help="Số phiếu phát ra (mặc định: số có mặt)")
        bal.add_argument("--seats", help="Số chức danh cần chọn (mặc định 1)")
        bal.add_argument("--votes", help='Số phiếu của từng người: "A=12,B=9,C=3"')
        bal.add_argument("--at", help="Ngày họp, YYYY-MM-DD (mặc định: hôm nay)")
        bal.add_argument("--json", action="store_true", help="In kết quả dạng JSON (mặc định)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        try:
            if action == "load":
                self.run_load()
            elif action == "retirement":
                self.run_retirement(options)
            elif action == "check":
                self.run_check(options)
            elif action == "ballot":
                self.run_ballot(options)
            else:
                self.fail("Thiếu lệnh con (load, retirement, check, ballot).\n" + USAGE)
        except DomainError as exc:
            self.fail(exc.message)

    def run_load(self) -> None:
        with bind_context(source="command"):
            report = services.rules_load(acting_user=None)
        self.stdout.write(
            f"Quy định: thêm {report.created_versions} phiên bản, "
            f"cập nhật văn bản mô tả {len(report.updated_texts)}, giữ nguyên {report.unchanged_versions}. "
            f"Điều chỉnh ngày nghỉ: thêm {report.created_holidays}, giữ nguyên {report.unchanged_holidays}"
            + (
                f", bỏ {report.removed_holidays} ngày lễ nay được tính tự động."
                if report.removed_holidays
                else "."
            )
        )
        if report.updated_texts:
            self.stdout.write("Đã cập nhật văn bản mô tả: " + ", ".join(report.updated_texts))
        if report.differing:
            self.stderr.write(
                "Dữ liệu trong tệp khác phiên bản đã nạp (không ghi đè; hãy thêm phiên bản mới): "
                + ", ".join(report.differing)
            )

    def run_retirement(self, options: dict[str, Any]) -> None:
        birth = cli.birth_from(options.get("sex"), options.get("born"))
        ret = retirement(selectors.rulebook(), birth)
        years, months = ret.age or (0, 0)
        out = {"retirement_date": ret.date.isoformat(), "retirement_age": {"years": years, "months": months}}
        self.stdout.write(json.dumps(out))

    def run_check(self, options: dict[str, Any]) -> None:
        pid = cli.parse_int(options.get("person"), "Mã hồ sơ (--person)", minimum=1)
        purpose = cli.parse_purpose(options.get("purpose"))
        code = (options.get("title") or "").strip()
        if not code:
            raise DomainError("Thiếu mã chức danh (--title).")
        day = cli.parse_iso_date(options.get("at"), "Ngày xét (--at)")
        declared = cli.declared_from(
            {
                "quy_hoach": options.get("planned"),
                "dang_xem_xet_ky_luat": options.get("pending"),
                "thoi_gian_luan_chuyen": options.get("rotation_months"),
                "cap_dai_hoi": options.get("congress_level"),
            }
        )
        user: Any = cli.SystemUser()
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise DomainError(f"Không có tài khoản “{options['user']}”.")
        person = Person.objects.restrict(user).select_related("managing_unit").filter(pk=pid).first()
        if person is None:
            raise DomainError(f"Không tìm thấy hồ sơ số {pid} (hoặc tài khoản không có quyền xem).")
        title = Title.objects.filter(code=code).first()
        if title is None:
            raise DomainError(f"Không có chức danh mã “{code}”.")
        v = selectors.verdict(user, person, purpose, title, day, declared)
        self.stdout.write(json.dumps(v.to_dict(), ensure_ascii=False, indent=2))

    def run_ballot(self, options: dict[str, Any]) -> None:
        from canbo.core.dates import today
        from canbo.rules.engine.checks.ballot import (
            BallotInput,
            BallotInputError,
            ballot_summary,
            parse_votes,
        )

        convened = cli.parse_int(options.get("convened"), "Số được triệu tập (--convened)", minimum=1)
        present = cli.parse_int(options.get("present"), "Số có mặt (--present)")
        raw_ballots = options.get("ballots")
        ballots = (
            present if raw_ballots is None else cli.parse_int(raw_ballots, "Số phiếu phát ra (--ballots)")
        )
        raw_seats = options.get("seats")
        seats = 1 if raw_seats is None else cli.parse_int(raw_seats, "Số chức danh (--seats)", minimum=1)
        day = (
            today() if options.get("at") is None else cli.parse_iso_date(options.get("at"), "Ngày họp (--at)")
        )
        try:
            ballot = BallotInput(
                day, convened, present, ballots, parse_votes(options.get("votes") or ""), seats
            )
            ballot.validate()
        except BallotInputError as exc:
            raise DomainError(str(exc)) from exc
        out = ballot_summary(selectors.rulebook(), ballot)
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
