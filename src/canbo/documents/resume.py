"""The 2C résumé's data: a person's dossier as of a date, as the template's fields (DOCUMENTS.md §2–4).

The form's text lives in the Word templates (``documents/data/*.docx``, or an uploaded version);
this module only computes the values of the fields they may use, listed in ``FIELDS`` and
``TABLES`` (the upload check refuses any other name). Every value is what the dossier held on
the day:

- posts, memberships, salary rows, qualifications, Party membership, awards, discipline, health,
  work history and family members that began after the day are left out; a post held on the day
  and ended later is written as held;
- a value CanBo keeps no history of (addresses, strengths, honorary title, the managing unit, a
  family member's occupation…) is today's value; when the day is not today, the document says so
  (``gia_tri_hien_tai``);
- sensitive items (personal history, family, assets) are read through the user's grants; a
  user without the sensitive grant gets a document saying which items were withheld.

Empty items follow the form's convention (DOCUMENTS.md §1): "—", "Không" for religion; the birth
name in capitals (RULES.md N-7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from canbo.accounts.selectors import sees_sensitive_of
from canbo.assessment.models import Award, Discipline, DisciplineForm
from canbo.careers.models import BodyKind, BodyMembership, Tenure
from canbo.core.dates import format_date, format_partial_date, today
from canbo.org.models import Unit
from canbo.org.selectors import area_label, unit_label, unit_label_on
from canbo.people.choices import Category, PersonalHistoryKind, QualificationKind, Relation
from canbo.people.models import (
    AssetDeclaration,
    FamilyRelation,
    HealthRecord,
    PartyMembership,
    Person,
    PersonalHistory,
    Qualification,
    WorkHistory,
)
from canbo.salary.models import SalaryRow

EMPTY = "—"

# Every field a résumé template may use, with what it holds (shown on the template page).
FIELDS: dict[str, str] = {
    "co_quan_quan_ly": "Cơ quan, đơn vị có thẩm quyền quản lý",
    "co_quan_su_dung": "Cơ quan, đơn vị sử dụng (đơn vị của chức vụ chính tại ngày lập)",
    "tinh": "Tỉnh (đơn vị gốc của cây đơn vị)",
    "so_hieu": "Số hiệu hồ sơ",
    "anh": "Ô ảnh 4 × 6",
    "ho_ten_khai_sinh": "1) Họ và tên khai sinh, chữ in hoa",
    "ho_ten": "Họ và tên (như thường viết)",
    "ten_goi_khac": "2) Tên gọi khác",
    "ngay_sinh": "3) Ngày sinh (như đã khai: ngày, tháng/năm hoặc năm)",
    "gioi_tinh": "3) Giới tính",
    "noi_sinh": "4) Nơi sinh",
    "que_quan": "5) Quê quán",
    "dan_toc": "6) Dân tộc",
    "ton_giao": "7) Tôn giáo (“Không” khi không theo tôn giáo nào)",
    "thuong_tru": "8) Nơi đăng ký thường trú",
    "noi_o": "9) Nơi ở hiện nay",
    "nghe_nghiep_tuyen_dung": "10) Nghề nghiệp khi được tuyển dụng",
    "ngay_tuyen_dung": "11) Ngày tuyển dụng",
    "co_quan_tuyen_dung": "11) Cơ quan tuyển dụng",
    "chuc_vu": "12) Chức vụ, chức danh chính tại ngày lập",
    "chuc_vu_kiem_nhiem": "12) Chức vụ kiêm nhiệm tại ngày lập",
    "cap_uy": "12) Cấp ủy, HĐND, đoàn thể tại ngày lập",
    "cap_uy_hien_tai": "Cấp ủy hiện tại (2C/TCTW-98)",
    "cap_uy_kiem": "Cấp ủy kiêm (2C/TCTW-98)",
    "cong_viec_chinh": "13) Công việc chính được giao (vị trí việc làm)",
    "ngach": "14) Ngạch / chức danh nghề nghiệp",
    "ma_ngach": "14) Mã ngạch",
    "bac_luong": "14) Bậc lương",
    "he_so": "14) Hệ số lương",
    "ngay_huong": "14) Ngày hưởng",
    "phu_cap_chuc_vu": "14) Phụ cấp chức vụ",
    "phu_cap_khac": "14) Phụ cấp khác",
    "giao_duc_pho_thong": "15.1) Giáo dục phổ thông",
    "chuyen_mon": "15.2) Trình độ chuyên môn cao nhất",
    "ly_luan_chinh_tri": "15.3) Lý luận chính trị",
    "quan_ly_nha_nuoc": "15.4) Quản lý nhà nước",
    "ngoai_ngu": "15.5) Ngoại ngữ",
    "tin_hoc": "15.6) Tin học",
    "ngay_vao_dang": "16) Ngày vào Đảng",
    "ngay_chinh_thuc": "16) Ngày chính thức",
    "ngay_tham_gia_to_chuc": "17) Ngày tham gia tổ chức chính trị – xã hội",
    "ngay_nhap_ngu": "18) Ngày nhập ngũ",
    "ngay_xuat_ngu": "18) Ngày xuất ngũ",
    "quan_ham": "18) Quân hàm cao nhất",
    "danh_hieu": "19) Danh hiệu được phong tặng cao nhất",
    "so_truong": "20) Sở trường công tác",
    "khen_thuong": "21) Khen thưởng",
    "ky_luat": "22) Kỷ luật (hình thức cao nhất, năm)",
    "suc_khoe": "23) Tình trạng sức khỏe",
    "chieu_cao": "23) Chiều cao",
    "can_nang": "23) Cân nặng",
    "nhom_mau": "23) Nhóm máu",
    "thuong_binh": "24) Thương binh, gia đình chính sách",
    "so_dinh_danh": "25) Số định danh cá nhân",
    "ngay_cap": "25) Ngày cấp",
    "so_bhxh": "26) Số sổ BHXH",
    "lich_su_a": "29a) Bị bắt, bị tù; làm việc trong chế độ cũ",
    "lich_su_b": "29b) Quan hệ với tổ chức ở nước ngoài",
    "lich_su_c": "29c) Thân nhân ở nước ngoài",
    "gia_dinh_ghi_chu": "30) Ghi chú khi không có dòng nào (— hoặc lý do không in)",
    "thanh_phan_xuat_than": "Thành phần gia đình xuất thân",
    "ngay_tham_gia_cach_mang": "Ngày tham gia cách mạng",
    "ngay_vao_co_quan": "Ngày vào cơ quan hiện đang công tác",
    "cong_viec_lau_nhat": "Công việc làm lâu nhất",
    "kinh_te_gia_dinh": "Hoàn cảnh kinh tế gia đình (kê khai tài sản)",
    "nhan_xet": "32) Nhận xét, đánh giá (để trống cho cơ quan ghi)",
    "noi_lap": "Nơi lập (tỉnh)",
    "ngay_lap_ngay": "Ngày lập: ngày",
    "ngay_lap_thang": "Ngày lập: tháng",
    "ngay_lap_nam": "Ngày lập: năm",
    "ngay_xem": "Ngày của dữ liệu (dd/mm/yyyy)",
    "gia_tri_hien_tai": "Các mục ghi theo hồ sơ hiện nay (không có lịch sử)",
    "muc_khong_in": "Các mục không in vì thiếu quyền xem thông tin nhạy cảm",
}

# Lists a template repeats a table row over ({%tr for r in … %}), with the fields of each row.
TABLES: dict[str, tuple[str, ...]] = {
    "dao_tao": ("truong", "nganh", "thoi_gian", "hinh_thuc", "van_bang"),
    "cong_tac": ("thoi_gian", "noi_dung"),
    "gia_dinh": ("quan_he", "ho_ten", "nam_sinh", "thong_tin"),
    "gia_dinh_vo_chong": ("quan_he", "ho_ten", "nam_sinh", "thong_tin"),
    "luong": ("thang_nam", "ma_ngach_bac", "he_so"),
}

# What the officer is told is missing, and which dossier page fills it (section slug, or "" for
# the person form; None: CanBo keeps no field for it yet).
_FILL: dict[str, str | None] = {
    "ngày sinh đầy đủ": "",
    "nơi sinh": "",
    "quê quán": "",
    "nơi thường trú": "",
    "nơi ở hiện nay": "",
    "ngày tuyển dụng": "tuyen-dung-nghi-huu",
    "ngạch, bậc, hệ số lương": "dien-bien-luong",
    "giáo dục phổ thông": "",
    "trình độ chuyên môn": "trinh-do",
    "tình trạng sức khỏe": "suc-khoe",
    "nhóm máu": "suc-khoe",
    "chiều cao, cân nặng": "suc-khoe",
    "quá trình công tác": "qua-trinh-cong-tac",
    "quan hệ gia đình": "gia-dinh",
    "ảnh 4 × 6": "tai-lieu",
    "ngày cấp căn cước": "",
    "số sổ BHXH": "",
}


@dataclass(frozen=True)
class Missing:
    """An item the dossier lacks on the day, and where to fill it (None: no field in CanBo)."""

    label: str
    url: str | None


@dataclass
class ResumeData:
    context: dict[str, Any]
    missing: list[Missing] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    today_values: list[str] = field(default_factory=list)


def default_form(person: Person) -> str:
    """The form a person's résumé is printed in unless chosen: HS02-VC for public employees."""
    return "vc" if person.category == Category.PUBLIC_EMPLOYEE else "bnv"


def _month(day: dt.date | None) -> str:
    return f"{day.month:02d}/{day.year}" if day else ""


def _span(start: str, end: str) -> str:
    return f"{start} – {end}" if start else end


def _coef(value: Any) -> str:
    return EMPTY if value is None else f"{value:.2f}".replace(".", ",")


def _or_empty(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    return text or EMPTY


def _highest(quals: list[Qualification], kind: str) -> Qualification | None:
    found = [q for q in quals if q.kind == kind]
    return max(found, key=lambda q: (q.level_rank, q.obtained_date)) if found else None


def _qual_text(q: Qualification | None) -> str:
    if q is None:
        return EMPTY
    text = q.level_display
    if q.field_of_study:
        text += f", {q.field_of_study}"
    if q.language:
        text = f"{q.language}: {text}"
    return text


def _in_force(qs: QuerySet, day: dt.date) -> list[Any]:
    return [r for r in qs if r.start_date <= day and (r.end_date is None or r.end_date >= day)]


def resume_data(user: Any, person: Person, day: dt.date) -> ResumeData:
    """The template fields of ``person``'s résumé as of ``day``, read through ``user``'s grants.

    The caller has found ``person`` through ``people.selectors.person_get(user, …)``.
    """
    past = day != today()
    sensitive_ok = sees_sensitive_of(user, person)
    today_values: list[str] = []
    missing: list[str] = []
    withheld: list[str] = []

    def undated(label: str, value: Any) -> str:
        """A value CanBo keeps no history of: today's, and said so on a past day."""
        text = _or_empty(value)
        if past and text != EMPTY:
            today_values.append(label)
        return text

    def lack(label: str, value: str) -> str:
        if value in ("", EMPTY):
            missing.append(label)
            return EMPTY
        return value

    def mine(model: Any) -> QuerySet:
        return model.objects.restrict(user).filter(person=person)

    tenures = list(mine(Tenure).select_related("unit", "title").order_by("start_date", "id"))
    on_day = _in_force(tenures, day)  # type: ignore[arg-type]
    on_day.sort(key=lambda t: (not t.is_primary, -(t.title.rank or 0)))
    primary = next((t for t in on_day if t.is_primary), None)
    concurrent = [t for t in on_day if t is not primary]
    memberships = _in_force(mine(BodyMembership).select_related("body").order_by("start_date"), day)
    all_memberships = [m for m in mine(BodyMembership).select_related("body") if m.start_date <= day]
    committee = [m for m in memberships if m.kind in (BodyKind.PARTY_COMMITTEE, BodyKind.STANDING_COMMITTEE)]
    quals = [q for q in mine(Qualification) if q.obtained_date <= day]
    salary = [r for r in mine(SalaryRow).select_related("grade").order_by("from_date") if r.from_date <= day]
    party = [m for m in mine(PartyMembership).order_by("admission_date") if m.admission_date <= day]
    awards = [
        a for a in mine(Award).order_by("year", "id") if (a.decision_date or dt.date(a.year, 1, 1)) <= day
    ]
    disciplines = [d for d in mine(Discipline).order_by("decision_date") if d.decision_date <= day]
    health = next((h for h in mine(HealthRecord).order_by("-check_date") if h.check_date <= day), None)
    work = [w for w in mine(WorkHistory).order_by("start_date") if w.start_date <= day]

    def post_text(t: Tenure) -> str:
        return f"{t.title.name}, {unit_label_on(t.unit, day)}"

    managing = person.managing_unit
    using = unit_label_on(primary.unit, day) if primary else undated("cơ quan sử dụng", unit_label(managing))
    # The managing unit's parent and the tree's root (the province), by materialized path.
    above = {u.path: u for u in Unit.objects.filter(path__in=[managing.path[:-4], managing.path[:4]])}
    parent = above.get(managing.path[:-4]) if managing.depth > 1 else None
    root = above.get(managing.path[:4], managing)
    row = salary[-1] if salary else None
    ctx: dict[str, Any] = {
        "co_quan_quan_ly": undated("cơ quan quản lý", unit_label(parent) if parent else unit_label(managing)),
        "co_quan_su_dung": using,
        "tinh": root.name,
        "so_hieu": _or_empty(person.dossier_number),
        "anh": "Ảnh màu\n(4 × 6 cm)",
        "ho_ten_khai_sinh": person.full_name.upper(),
        "ho_ten": person.full_name,
        "ten_goi_khac": _or_empty(person.other_names),
        "ngay_sinh": format_partial_date(person.birth_date, person.birth_precision),
        "gioi_tinh": person.get_sex_display(),
        "noi_sinh": lack("nơi sinh", person.birth_place_text or area_label(person.birth_place) or ""),
        "que_quan": lack("quê quán", person.home_town_text or area_label(person.home_town) or ""),
        "dan_toc": _or_empty(person.ethnicity),
        "ton_giao": str(person.religion) if person.religion_id else "Không",
        "thuong_tru": lack(
            "nơi thường trú",
            undated("nơi thường trú", person.residence_text or area_label(person.residence) or ""),
        ),
        "noi_o": lack("nơi ở hiện nay", undated("nơi ở hiện nay", person.current_address)),
        "nghe_nghiep_tuyen_dung": _or_empty(person.occupation_before),
        "ngay_tuyen_dung": EMPTY,
        "co_quan_tuyen_dung": _or_empty(person.recruiting_agency),
        "chuc_vu": post_text(primary) if primary else EMPTY,
        "chuc_vu_kiem_nhiem": "; ".join(post_text(t) for t in concurrent) or EMPTY,
        "cap_uy": "; ".join(
            f"{m.get_kind_display()}: {m.role + ' ' if m.role else ''}{unit_label_on(m.body, day)}".strip()
            for m in memberships
        )
        or EMPTY,
        "cap_uy_hien_tai": "; ".join(unit_label_on(m.body, day) for m in committee[:1]) or EMPTY,
        "cap_uy_kiem": "; ".join(unit_label_on(m.body, day) for m in committee[1:]) or EMPTY,
        "cong_viec_chinh": undated("công việc chính được giao", person.job_position),
        "giao_duc_pho_thong": lack(
            "giáo dục phổ thông", undated("giáo dục phổ thông", person.general_education)
        ),
        "chuyen_mon": lack(
            "trình độ chuyên môn", _qual_text(_highest(quals, QualificationKind.PROFESSIONAL))
        ),
        "ly_luan_chinh_tri": _qual_text(_highest(quals, QualificationKind.POLITICAL_THEORY)),
        "quan_ly_nha_nuoc": _qual_text(_highest(quals, QualificationKind.STATE_MANAGEMENT)),
        "ngoai_ngu": _qual_text(_highest(quals, QualificationKind.FOREIGN_LANGUAGE)),
        "tin_hoc": _qual_text(_highest(quals, QualificationKind.IT)),
        "ngay_vao_dang": format_date(party[-1].admission_date) if party else EMPTY,
        "ngay_chinh_thuc": (
            format_date(party[-1].official_date)
            if party and party[-1].official_date and party[-1].official_date <= day
            else ("dự bị" if party else EMPTY)
        ),
        "ngay_tham_gia_to_chuc": "; ".join(
            f"{format_date(m.start_date)}, {unit_label_on(m.body, day)}"
            for m in all_memberships
            if m.kind == BodyKind.MASS_ORGANISATION
        )
        or EMPTY,
        "ngay_nhap_ngu": format_date(person.enlistment_date)
        if person.enlistment_date and person.enlistment_date <= day
        else EMPTY,
        "ngay_xuat_ngu": format_date(person.discharge_date)
        if person.discharge_date and person.discharge_date <= day
        else EMPTY,
        "quan_ham": _or_empty(person.military_rank) if person.enlistment_date else EMPTY,
        "danh_hieu": undated("danh hiệu", person.honorary_title),
        "so_truong": undated("sở trường công tác", person.strengths),
        "khen_thuong": "; ".join(f"{a.form} ({a.year})" for a in awards) or EMPTY,
        "ky_luat": _discipline(disciplines),
        "suc_khoe": lack("tình trạng sức khỏe", health.get_status_display() if health else ""),
        "chieu_cao": f"{health.height_cm} cm" if health and health.height_cm else EMPTY,
        "can_nang": f"{health.weight_kg} kg" if health and health.weight_kg else EMPTY,
        "nhom_mau": lack("nhóm máu", health.blood_group if health else ""),
        "thuong_binh": undated("thương binh, gia đình chính sách", person.policy_status),
        "so_dinh_danh": person.personal_id,
        # A card issued after the day was not the one held then: its date is not printed.
        "ngay_cap": lack(
            "ngày cấp căn cước",
            format_date(person.identity_issue_date)
            if person.identity_issue_date and person.identity_issue_date <= day
            else "",
        ),
        "so_bhxh": undated("số sổ BHXH", lack("số sổ BHXH", person.social_insurance_number)),
        "thanh_phan_xuat_than": _or_empty(person.social_origin),
        "ngay_tham_gia_cach_mang": format_date(person.revolution_date)
        if person.revolution_date and person.revolution_date <= day
        else EMPTY,
        "ngay_vao_co_quan": format_date(primary.start_date) if primary else EMPTY,
        "cong_viec_lau_nhat": _longest(tenures, day),
        "nhan_xet": "",
        "noi_lap": root.name.replace("Tỉnh ủy ", "").replace("UBND tỉnh ", "") if root else "",
        "ngay_lap_ngay": f"{day.day:02d}",
        "ngay_lap_thang": f"{day.month:02d}",
        "ngay_lap_nam": str(day.year),
        "ngay_xem": format_date(day),
    }
    # 11) The first recruitment on file by the day (derived field, dated).
    if person.recruitment_date and person.recruitment_date <= day:
        ctx["ngay_tuyen_dung"] = format_date(person.recruitment_date)
    else:
        missing.append("ngày tuyển dụng")
    if person.birth_precision != "d":
        missing.append("ngày sinh đầy đủ")
    # 14) The salary row in force on the day; without rows, today's stored values, said so.
    if row is not None:
        ctx |= {
            "ngach": row.grade.name,
            "ma_ngach": row.grade.code,
            "bac_luong": str(row.step),
            "he_so": _coef(row.coefficient),
            "ngay_huong": format_date(row.from_date),
            "phu_cap_chuc_vu": _coef(row.position_allowance) if row.position_allowance else EMPTY,
            "phu_cap_khac": _or_empty(row.other_allowance),
        }
    else:
        ctx |= {
            "ngach": undated("ngạch, bậc, hệ số lương", person.grade_name),
            "ma_ngach": _or_empty(person.grade_code),
            "bac_luong": _or_empty(person.salary_step),
            "he_so": _coef(person.salary_coefficient),
            "ngay_huong": EMPTY,
            "phu_cap_chuc_vu": _coef(person.position_allowance) if person.position_allowance else EMPTY,
            "phu_cap_khac": EMPTY,
        }
        if not person.grade_name:
            missing.append("ngạch, bậc, hệ số lương")
    if health and (not health.height_cm or not health.weight_kg):
        missing.append("chiều cao, cân nặng")
    ctx["dao_tao"] = [
        {
            "truong": _or_empty(q.institution),
            "nganh": _or_empty(q.field_of_study or q.language or q.get_kind_display()),
            "thoi_gian": _span(_month(q.start_date), _month(q.obtained_date)),
            "hinh_thuc": _or_empty(q.get_mode_display() if q.mode else ""),
            "van_bang": q.original_name or q.level_display,
        }
        for q in sorted(quals, key=lambda q: q.obtained_date)
    ]
    ctx["cong_tac"] = _work_rows(work, tenures, day)
    if not ctx["cong_tac"]:
        missing.append("quá trình công tác")
    ctx["luong"] = [
        {
            "thang_nam": _month(r.from_date),
            "ma_ngach_bac": f"{r.grade.code} / bậc {r.step}",
            "he_so": _coef(r.coefficient),
        }
        for r in salary
    ]
    # 29, 30 and the family's economic situation: sensitive.
    if sensitive_ok:
        history = list(mine(PersonalHistory))
        ctx["lich_su_a"] = _history(history, (PersonalHistoryKind.ARREST, PersonalHistoryKind.OLD_REGIME))
        ctx["lich_su_b"] = _history(history, (PersonalHistoryKind.FOREIGN_ORG,))
        ctx["lich_su_c"] = _history(
            history, (PersonalHistoryKind.RELATIVES_ABROAD, PersonalHistoryKind.OTHER)
        )
        if past and history:
            today_values.append("đặc điểm lịch sử bản thân")
        family = [f for f in mine(FamilyRelation) if f.birth_year is None or f.birth_year <= day.year]
        ctx["gia_dinh"] = [_family_row(f) for f in family if not f.spouse_side]
        ctx["gia_dinh_vo_chong"] = [_family_row(f) for f in family if f.spouse_side]
        ctx["gia_dinh_ghi_chu"] = EMPTY
        if not family:
            missing.append("quan hệ gia đình")
        elif past:
            today_values.append("thông tin về người thân")
        assets = [a for a in mine(AssetDeclaration).order_by("-declared_date") if a.declared_date <= day]
        last = assets[0] if assets else None
        ctx["kinh_te_gia_dinh"] = (
            f"Kê khai {last.get_kind_display().lower()} năm {last.year}: {last.summary or EMPTY}"
            if last
            else EMPTY
        )
    else:
        note = "Không in: người in không được giao quyền xem thông tin nhạy cảm."
        withheld = ["29) đặc điểm lịch sử bản thân", "30) quan hệ gia đình", "hoàn cảnh kinh tế gia đình"]
        ctx |= {
            "lich_su_a": note,
            "lich_su_b": note,
            "lich_su_c": note,
            "gia_dinh": [],
            "gia_dinh_vo_chong": [],
            "gia_dinh_ghi_chu": note,
            "kinh_te_gia_dinh": note,
        }
    photo = _photo(user, person, day)
    if photo is None:
        missing.append("ảnh 4 × 6")
    else:
        ctx["anh"] = photo
    ctx["gia_tri_hien_tai"] = ", ".join(dict.fromkeys(today_values))
    ctx["muc_khong_in"] = ", ".join(withheld)
    return ResumeData(
        context=ctx,
        missing=[Missing(label, _fill_url(person, label)) for label in dict.fromkeys(missing)],
        withheld=withheld,
        today_values=list(dict.fromkeys(today_values)),
    )


def _fill_url(person: Person, label: str) -> str | None:
    slug = _FILL.get(label)
    if slug is None:
        return None
    if slug == "":
        return reverse("people:edit", args=[person.pk])
    return reverse("people:section_add", args=[person.pk, slug])


@dataclass(frozen=True)
class Photo:
    """The person's portrait (a JPEG or PNG attachment on disk); the renderer puts it in the
    template's ``anh`` field as a 3 × 4 cm picture."""

    path: str


def _photo(user: Any, person: Person, day: dt.date) -> Photo | None:
    from canbo.people.choices import AttachmentKind
    from canbo.people.models import Attachment
    from canbo.people.services import storage_path

    found = (
        Attachment.objects.restrict(user)
        .filter(person=person, kind=AttachmentKind.PHOTO, created__date__lte=day)
        .exclude(content_type="application/pdf")
        .order_by("-created")
        .first()
    )
    if found is None:
        return None
    path = storage_path(found.storage_name)
    return Photo(str(path)) if path.is_file() else None


def _discipline(rows: list[Discipline]) -> str:
    if not rows:
        return "Không"
    order = {value: rank for rank, value in enumerate(DisciplineForm.values)}
    worst = max(rows, key=lambda d: (order.get(d.form, -1), d.decision_date))
    return f"{worst.get_form_display()} ({worst.decision_date.year}, {worst.get_system_display().lower()})"


def _longest(tenures: list[Tenure], day: dt.date) -> str:
    """The post held longest by the day (2C/TCTW-98's "công việc làm lâu nhất")."""
    best, best_days = None, -1
    for t in tenures:
        if t.start_date > day:
            continue
        end = min(t.end_date, day) if t.end_date else day
        days = (end - t.start_date).days
        if days > best_days:
            best, best_days = t, days
    if best is None:
        return EMPTY
    return f"{best.title.name}, {unit_label_on(best.unit, min(best.end_date or day, day))}"


def _work_rows(work: list[WorkHistory], tenures: list[Tenure], day: dt.date) -> list[dict[str, str]]:
    """28) The original dossier's lines, then the posts CanBo records after them, as of the day."""
    rows: list[tuple[dt.date, dict[str, str]]] = []
    for w in work:
        end = (
            "nay"
            if w.end_date is None or w.end_date > day
            else format_partial_date(w.end_date, w.end_precision)
        )
        rows.append(
            (
                w.start_date,
                {
                    "thoi_gian": _span(format_partial_date(w.start_date, w.start_precision), end),
                    "noi_dung": w.description,
                },
            )
        )
    after = max((w.start_date for w in work), default=None)
    for t in tenures:
        if t.start_date > day or (after is not None and t.start_date <= after):
            continue
        end = "nay" if t.end_date is None or t.end_date >= day else _month(t.end_date)
        kind = "" if t.is_primary else " (kiêm nhiệm)"
        seen = min(t.end_date, day) if t.end_date else day
        rows.append(
            (
                t.start_date,
                {
                    "thoi_gian": _span(_month(t.start_date), end),
                    "noi_dung": f"{t.title.name}{kind}, {unit_label_on(t.unit, seen)}",
                },
            )
        )
    rows.sort(key=lambda r: r[0])
    return [r for _start, r in rows]


def _history(rows: list[PersonalHistory], kinds: tuple[str, ...]) -> str:
    found = [r for r in rows if r.kind in kinds]
    if not found:
        return "Không"
    return "; ".join(f"{r.period + ': ' if r.period else ''}{r.description}" for r in found)


def _family_row(f: FamilyRelation) -> dict[str, str]:
    relation = f.get_relation_display()
    if f.relation == Relation.OTHER:
        relation = "Khác"
    return {
        "quan_he": relation,
        "ho_ten": f.full_name,
        "nam_sinh": str(f.birth_year) if f.birth_year else EMPTY,
        "thong_tin": (f.details or EMPTY) + (" (đã mất)" if f.deceased else ""),
    }


def sample_context() -> dict[str, Any]:
    """A context with every field and long tables, for checking an uploaded template: a template
    that renders it to an absurd size is refused."""
    ctx: dict[str, Any] = {name: "Nguyễn Văn Mẫu – giá trị thử" for name in FIELDS}
    for name, cols in TABLES.items():
        ctx[name] = [{c: f"{c} dòng {i}" for c in cols} for i in range(40)]
    return ctx
