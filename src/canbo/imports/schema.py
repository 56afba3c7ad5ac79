"""The sheets an import understands: their kinds, fields, Vietnamese headers and accepted values.

This is the one description of the template: ``workbooks.build_template`` writes it, the mapping
guesser matches headers against its labels and synonyms, the validator parses each cell with
its ``parser``, and docs/huong-dan/nhap-du-lieu.md describes it column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PID = "personal_id"


@dataclass(frozen=True)
class FieldSpec:
    """One column of a sheet kind.

    ``parser`` names the function of ``parsers.py`` that reads the cell (``text``, ``date``,
    ``end_date``, ``partial_date``, ``sex``, ``unit``…); ``required`` means a row without a value
    is an error (for the person sheet: only when the person is new); ``synonyms`` are other
    headers provinces use for the column.
    """

    name: str
    label: str
    parser: str = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    accepted: str = ""
    example: str = ""


@dataclass(frozen=True)
class SheetSpec:
    """One sheet kind: the model it fills, its columns, and the natural key of its rows."""

    kind: str
    title: str
    model_label: str
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    sensitive: bool = False
    description: str = ""
    by_name: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({f.name: f for f in self.fields})


_PID_FIELD = FieldSpec(
    PID,
    "Số định danh cá nhân",
    "personal_id",
    required=True,
    synonyms=(
        "Số CCCD",
        "CCCD",
        "Số căn cước công dân",
        "Số căn cước",
        "Căn cước công dân",
        "Số định danh",
        "Mã định danh",
        "Mã định danh cá nhân",
        "Số CMND/CCCD",
        "CMND/CCCD",
        "Số ĐDCN",
    ),
    accepted="12 chữ số; ô dạng số cũng được (số 0 ở đầu bị Excel bỏ đi sẽ được thêm lại).",
    example="010180012345",
)

YES_NO = "“Có”, “x”, “1” là có; “Không”, “0” hoặc để trống là không."
DATE_ANY = "Ngày của Excel, “dd/mm/yyyy”, “mm/yyyy” hoặc “yyyy”."

PERSON = SheetSpec(
    kind="can_bo",
    title="Cán bộ",
    model_label="people.Person",
    synonyms=("Danh sách", "Trích ngang", "Danh sách trích ngang", "Cán bộ, công chức", "CBCC", "Hồ sơ"),
    description="Mỗi dòng một người. Người đã có (cùng số định danh) được cập nhật các cột có trong tệp.",
    fields=(
        _PID_FIELD,
        FieldSpec(
            "full_name",
            "Họ và tên",
            required=True,
            synonyms=("Họ tên", "Họ và tên khai sinh", "Họ và tên đệm và tên", "Họ, tên", "Tên cán bộ"),
            accepted="Họ, tên đệm và tên như giấy khai sinh.",
            example="Nguyễn Thị Hoa",
        ),
        FieldSpec("other_names", "Tên gọi khác", synonyms=("Bí danh",), example=""),
        FieldSpec(
            "sex",
            "Giới tính",
            "sex",
            required=True,
            synonyms=("Nam/Nữ", "Nam, nữ", "Phái"),
            accepted="“Nam” hoặc “Nữ” (chữ hoa, chữ thường, có dấu hay không dấu đều được).",
            example="Nữ",
        ),
        FieldSpec(
            "birth_date",
            "Ngày sinh",
            "partial_date",
            required=True,
            synonyms=(
                "Ngày tháng năm sinh",
                "Ngày, tháng, năm sinh",
                "Sinh ngày",
                "Năm sinh",
                "Ngày/tháng/năm sinh",
            ),
            accepted=DATE_ANY + " Ngày sinh chỉ có tháng/năm hoặc năm được giữ nguyên như vậy.",
            example="17/05/1980",
        ),
        FieldSpec(
            "ethnicity",
            "Dân tộc",
            "ethnicity",
            required=True,
            accepted="Tên dân tộc (Kinh, Tày, Thái, Mông…) hoặc mã 2 chữ số (01 = Kinh).",
            example="Kinh",
        ),
        FieldSpec(
            "religion",
            "Tôn giáo",
            "religion",
            accepted="Tên tôn giáo hoặc mã (00 = Không). Để trống khi thêm người mới: ghi là “Không”.",
            example="Không",
        ),
        FieldSpec(
            "category",
            "Đối tượng",
            "category",
            required=True,
            synonyms=("Loại cán bộ", "Đối tượng quản lý", "CB/CC/VC", "Phân loại"),
            accepted=(
                "Cán bộ; Công chức; Viên chức; Đại biểu dân cử; Người hoạt động không chuyên trách; Khác."
            ),
            example="Công chức",
        ),
        FieldSpec(
            "managing_unit",
            "Đơn vị quản lý hồ sơ",
            "unit",
            required=True,
            synonyms=(
                "Đơn vị",
                "Đơn vị công tác",
                "Cơ quan, đơn vị",
                "Cơ quan đơn vị",
                "Cơ quan công tác",
                "Mã đơn vị",
                "Đơn vị quản lý",
            ),
            accepted=(
                "Mã đơn vị hoặc tên đơn vị (không phân biệt dấu, hoa "
                "thường). Phải thuộc phạm vi bạn được giao."
            ),
            example="A1",
        ),
        FieldSpec(
            "identity_issue_date",
            "Ngày cấp căn cước",
            "date",
            synonyms=("Ngày cấp CCCD", "Ngày cấp CMND", "Ngày cấp thẻ căn cước"),
            accepted=DATE_ANY,
            example="15/03/2021",
        ),
        FieldSpec(
            "social_insurance_number",
            "Số sổ BHXH",
            synonyms=("Số BHXH", "Mã số BHXH", "Số sổ bảo hiểm xã hội", "Mã số bảo hiểm xã hội"),
            accepted="Đúng 10 chữ số.",
            example="0123456789",
        ),
        FieldSpec("dossier_number", "Số hiệu hồ sơ", synonyms=("Số hồ sơ", "Mã hồ sơ"), example="LC-000123"),
        FieldSpec("national_db_id", "Mã hồ sơ CSDL quốc gia", synonyms=("Mã CSDL quốc gia",)),
        FieldSpec("birth_place_text", "Nơi sinh", example="Xã Bảo Hà, huyện Bảo Yên, tỉnh Lào Cai"),
        FieldSpec(
            "home_town_text",
            "Quê quán",
            synonyms=("Nguyên quán",),
            example="Xã Võ Lao, huyện Văn Bàn, tỉnh Lào Cai",
        ),
        FieldSpec("residence_text", "Nơi thường trú", synonyms=("Địa chỉ thường trú", "Hộ khẩu thường trú")),
        FieldSpec("current_address", "Nơi ở hiện nay", synonyms=("Chỗ ở hiện nay", "Địa chỉ")),
        FieldSpec("social_origin", "Thành phần gia đình xuất thân", synonyms=("Thành phần xuất thân",)),
        FieldSpec("occupation_before", "Nghề nghiệp khi được tuyển dụng"),
        FieldSpec(
            "general_education",
            "Giáo dục phổ thông",
            "general_education",
            synonyms=("Trình độ giáo dục phổ thông", "Trình độ văn hóa", "Văn hóa", "GDPT"),
            accepted="Dạng “12/12” hoặc “10/10”.",
            example="12/12",
        ),
        FieldSpec(
            "recruitment_date", "Ngày tuyển dụng", "date", synonyms=("Ngày vào cơ quan",), accepted=DATE_ANY
        ),
        FieldSpec("recruiting_agency", "Cơ quan tuyển dụng"),
        FieldSpec("revolution_date", "Ngày tham gia cách mạng", "date", accepted=DATE_ANY),
        FieldSpec("job_position", "Vị trí việc làm", synonyms=("VTVL",)),
        FieldSpec(
            "grade_name",
            "Ngạch, chức danh nghề nghiệp",
            synonyms=("Ngạch", "Ngạch công chức", "Chức danh nghề nghiệp"),
        ),
        FieldSpec("grade_code", "Mã ngạch", synonyms=("Mã ngạch, chức danh nghề nghiệp",), example="01.003"),
        FieldSpec("salary_step", "Bậc lương", "integer", accepted="Số nguyên, từ 1 đến 12.", example="3"),
        FieldSpec(
            "salary_coefficient",
            "Hệ số lương",
            "decimal",
            accepted="Số thập phân, dấu phẩy hoặc chấm; từ 1,00 đến 11,00.",
            example="3,00",
        ),
        FieldSpec(
            "position_allowance",
            "Phụ cấp chức vụ",
            "decimal",
            synonyms=("Hệ số phụ cấp chức vụ",),
            accepted="Hệ số, từ 0,10 đến 1,30 (0 hoặc để trống: không có).",
            example="0,3",
        ),
        FieldSpec("enlistment_date", "Ngày nhập ngũ", "date", accepted=DATE_ANY),
        FieldSpec("discharge_date", "Ngày xuất ngũ", "date", accepted=DATE_ANY),
        FieldSpec("military_rank", "Quân hàm cao nhất"),
        FieldSpec("honorary_title", "Danh hiệu được phong tặng"),
        FieldSpec("strengths", "Sở trường công tác"),
        FieldSpec("policy_status", "Thương binh, gia đình chính sách", synonyms=("Gia đình chính sách",)),
        FieldSpec("left_service_date", "Ngày thôi công tác", "date", accepted=DATE_ANY),
        FieldSpec("left_service_reason", "Lý do thôi công tác"),
    ),
)

QUALIFICATION = SheetSpec(
    kind="trinh_do",
    title="Trình độ",
    model_label="people.Qualification",
    synonyms=("Trình độ đào tạo", "Văn bằng", "Bằng cấp", "Đào tạo"),
    key=("kind", "level", "obtained_date"),
    description="Mỗi dòng một văn bằng, chứng chỉ.",
    fields=(
        _PID_FIELD,
        FieldSpec(
            "kind",
            "Loại trình độ",
            "qualification_kind",
            synonyms=("Loại", "Loại văn bằng", "Loại đào tạo"),
            accepted=(
                "Chuyên môn; Lý luận chính trị (LLCT); Quản lý nhà nước (QLNN); Ngoại ngữ; Tin học; "
                "Tiếng dân tộc thiểu số; Quốc phòng – an ninh; Bồi dưỡng khác. Để trống khi trình độ "
                "chỉ thuộc một loại (ví dụ “Thạc sĩ”, “B1”)."
            ),
            example="Chuyên môn",
        ),
        FieldSpec(
            "level",
            "Trình độ",
            "level",
            required=True,
            synonyms=("Trình độ đào tạo", "Bậc", "Văn bằng", "Trình độ chuyên môn"),
            accepted=(
                "Tên hoặc chữ viết tắt: TS, ThS, ĐH, CN, CĐ, TC, “Cao cấp”, "
                "“Trung cấp”, B1, B2, “Bậc 3”… (xem bảng)."
            ),
            example="Thạc sĩ",
        ),
        FieldSpec("original_name", "Tên văn bằng, chứng chỉ", synonyms=("Tên văn bằng", "Tên bằng")),
        FieldSpec(
            "field_of_study",
            "Chuyên ngành",
            synonyms=("Ngành", "Chuyên ngành đào tạo", "Ngành học"),
            example="Luật",
        ),
        FieldSpec(
            "language",
            "Ngôn ngữ",
            synonyms=("Ngoại ngữ", "Tiếng"),
            accepted="Bắt buộc với Ngoại ngữ, Tiếng dân tộc.",
            example="Tiếng Anh",
        ),
        FieldSpec(
            "institution",
            "Cơ sở đào tạo",
            synonyms=("Trường", "Nơi đào tạo", "Tên trường"),
            example="Trường Đại học Luật Hà Nội",
        ),
        FieldSpec(
            "mode",
            "Hình thức đào tạo",
            "study_mode",
            synonyms=("Hình thức", "Loại hình đào tạo", "Hệ đào tạo"),
            accepted="Chính quy; Tại chức; Vừa làm vừa học; Từ xa; Liên thông; Bồi dưỡng ngắn hạn.",
            example="Chính quy",
        ),
        FieldSpec(
            "start_date", "Bắt đầu học", "date", synonyms=("Từ ngày", "Thời gian bắt đầu"), accepted=DATE_ANY
        ),
        FieldSpec(
            "obtained_date",
            "Ngày cấp bằng",
            "date",
            required=True,
            synonyms=(
                "Năm tốt nghiệp",
                "Ngày cấp",
                "Năm cấp bằng",
                "Thời gian tốt nghiệp",
                "Ngày tốt nghiệp",
            ),
            accepted=DATE_ANY + " Chỉ có năm: ghi nhận là ngày 01/01 năm đó.",
            example="06/2012",
        ),
    ),
)

TENURE = SheetSpec(
    kind="chuc_vu",
    title="Chức vụ",
    model_label="careers.Tenure",
    synonyms=("Quá trình giữ chức vụ", "Chức vụ, chức danh", "Quá trình chức vụ", "Bổ nhiệm"),
    key=("unit", "title", "start_date"),
    description="Mỗi dòng một lần giữ chức vụ. Đơn vị phải thuộc phạm vi bạn được giao.",
    fields=(
        _PID_FIELD,
        FieldSpec(
            "unit",
            "Đơn vị",
            "unit",
            required=True,
            synonyms=("Đơn vị công tác", "Cơ quan, đơn vị", "Mã đơn vị", "Nơi công tác"),
            accepted="Mã hoặc tên đơn vị; phải thuộc phạm vi bạn được giao.",
            example="A1",
        ),
        FieldSpec(
            "title",
            "Chức danh",
            "title",
            required=True,
            synonyms=("Chức vụ", "Mã chức danh", "Chức danh, chức vụ"),
            accepted="Mã hoặc tên chức danh trong danh mục.",
            example="Trưởng phòng",
        ),
        FieldSpec(
            "kind",
            "Hình thức",
            "tenure_kind",
            required=True,
            synonyms=("Hình thức bổ nhiệm", "Hình thức giữ chức vụ"),
            accepted=(
                "Bầu; Bổ nhiệm; Điều động; Luân chuyển; Biệt phái; Kiêm nhiệm; Tuyển "
                "dụng, tiếp nhận; Chỉ định; Sắp xếp tổ chức bộ máy."
            ),
            example="Bổ nhiệm",
        ),
        FieldSpec(
            "is_primary",
            "Chức vụ chính",
            "boolean_default_true",
            accepted="“Có” (mặc định) hoặc “Không” (kiêm nhiệm).",
            example="Có",
        ),
        FieldSpec(
            "start_date",
            "Từ ngày",
            "date",
            required=True,
            synonyms=("Ngày bắt đầu", "Từ", "Ngày bổ nhiệm"),
            accepted=DATE_ANY,
            example="01/08/2020",
        ),
        FieldSpec(
            "end_date",
            "Đến hết ngày",
            "end_date",
            synonyms=("Đến ngày", "Đến", "Ngày kết thúc"),
            accepted=DATE_ANY
            + " Chỉ có tháng/năm hoặc năm: hiểu là ngày cuối tháng/năm đó. Để trống nếu đang giữ.",
        ),
        FieldSpec("end_reason", "Lý do kết thúc"),
        FieldSpec(
            "decision_number", "Số quyết định", synonyms=("Số QĐ", "Quyết định số"), example="125/QĐ-UBND"
        ),
        FieldSpec(
            "decision_date", "Ngày quyết định", "date", synonyms=("Ngày QĐ", "Ngày ký"), accepted=DATE_ANY
        ),
        FieldSpec(
            "decision_body", "Cơ quan quyết định", synonyms=("Cơ quan ra quyết định", "Cấp quyết định")
        ),
    ),
)

MEMBERSHIP = SheetSpec(
    kind="cap_uy_hdnd",
    title="Cấp ủy, HĐND",
    model_label="careers.BodyMembership",
    synonyms=("Cấp ủy", "HĐND", "Cấp ủy, HĐND, đoàn thể", "Tham gia cấp ủy"),
    key=("body", "kind", "start_date"),
    description="Mỗi dòng một lần tham gia cấp ủy, Ban Thường vụ, HĐND hoặc tổ chức chính trị – xã hội.",
    fields=(
        _PID_FIELD,
        FieldSpec(
            "body",
            "Cơ quan",
            "unit",
            required=True,
            synonyms=("Mã cơ quan", "Cấp ủy, HĐND"),
            accepted="Mã hoặc tên đơn vị (cấp ủy, HĐND…).",
            example="P",
        ),
        FieldSpec(
            "kind",
            "Loại",
            "body_kind",
            required=True,
            synonyms=("Loại cơ quan",),
            accepted=(
                "Cấp ủy; Ban Thường vụ (BTV); Hội đồng nhân dân (HĐND); "
                "Tổ chức chính trị – xã hội (Đoàn thể)."
            ),
            example="Cấp ủy",
        ),
        FieldSpec("role", "Chức vụ trong cơ quan", synonyms=("Chức vụ",), example="Ủy viên"),
        FieldSpec(
            "term",
            "Nhiệm kỳ",
            "term",
            accepted="Dạng 2020–2025 (dấu gạch nối nào cũng được).",
            example="2020–2025",
        ),
        FieldSpec(
            "start_date", "Từ ngày", "date", required=True, synonyms=("Ngày bắt đầu", "Từ"), accepted=DATE_ANY
        ),
        FieldSpec(
            "end_date",
            "Đến hết ngày",
            "end_date",
            synonyms=("Đến ngày", "Đến", "Ngày kết thúc"),
            accepted=DATE_ANY,
        ),
        FieldSpec("decision_number", "Số quyết định / biên bản", synonyms=("Số quyết định", "Số QĐ")),
    ),
)

FAMILY = SheetSpec(
    kind="gia_dinh",
    title="Gia đình",
    model_label="people.FamilyRelation",
    synonyms=("Quan hệ gia đình", "Thân nhân"),
    key=("relation", "full_name"),
    sensitive=True,
    description="Mỗi dòng một người thân. Cần quyền xem dữ liệu nhạy cảm trên đơn vị của người đó.",
    fields=(
        _PID_FIELD,
        FieldSpec(
            "relation",
            "Quan hệ",
            "relation",
            required=True,
            synonyms=("Mối quan hệ", "Quan hệ với bản thân"),
            accepted=(
                "Bố; Mẹ; Vợ; Chồng; Con; Anh; Chị; Em; Bố vợ; Bố chồng; Mẹ "
                "vợ; Mẹ chồng; Anh, chị, em vợ/chồng; Khác."
            ),
            example="Mẹ",
        ),
        FieldSpec(
            "spouse_side",
            "Bên vợ/chồng",
            "boolean",
            accepted=YES_NO + " Bố vợ, mẹ chồng… tự hiểu là bên vợ/chồng.",
        ),
        FieldSpec("full_name", "Họ và tên", required=True, synonyms=("Họ tên",), example="Lê Thị Mai"),
        FieldSpec(
            "birth_year",
            "Năm sinh",
            "year",
            synonyms=("Ngày sinh", "Ngày tháng năm sinh"),
            accepted="Năm (hoặc ngày sinh; chỉ giữ năm).",
            example="1952",
        ),
        FieldSpec(
            "details",
            "Quê quán, nghề nghiệp, nơi ở",
            synonyms=(
                "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở",
                "Nghề nghiệp",
                "Ghi chú",
            ),
        ),
        FieldSpec("deceased", "Đã mất", "boolean", synonyms=("Đã chết",), accepted=YES_NO),
    ),
)

AWARD = SheetSpec(
    kind="khen_thuong",
    title="Khen thưởng",
    model_label="assessment.Award",
    synonyms=("Khen thưởng", "Thi đua khen thưởng"),
    key=("form", "year", "decision_number"),
    fields=(
        _PID_FIELD,
        FieldSpec(
            "form",
            "Hình thức khen thưởng",
            required=True,
            synonyms=("Hình thức", "Danh hiệu, hình thức khen thưởng"),
            example="Bằng khen của Chủ tịch UBND tỉnh",
        ),
        FieldSpec(
            "year",
            "Năm",
            "year",
            required=True,
            synonyms=("Năm khen thưởng",),
            accepted="Năm (hoặc một ngày; chỉ giữ năm).",
            example="2022",
        ),
        FieldSpec("decision_number", "Số quyết định", synonyms=("Số QĐ",)),
        FieldSpec("decision_date", "Ngày quyết định", "date", synonyms=("Ngày QĐ",), accepted=DATE_ANY),
        FieldSpec("issuing_body", "Cấp quyết định", synonyms=("Cơ quan quyết định", "Cấp khen")),
        FieldSpec("achievement", "Thành tích", synonyms=("Lý do", "Nội dung")),
    ),
)

DISCIPLINE = SheetSpec(
    kind="ky_luat",
    title="Kỷ luật",
    model_label="assessment.Discipline",
    synonyms=("Kỷ luật",),
    key=("system", "form", "decision_number", "decision_date"),
    fields=(
        _PID_FIELD,
        FieldSpec(
            "system",
            "Loại kỷ luật",
            "discipline_system",
            required=True,
            accepted="Đảng; Chính quyền; Đoàn thể.",
            example="Chính quyền",
        ),
        FieldSpec(
            "form",
            "Hình thức kỷ luật",
            "discipline_form",
            required=True,
            synonyms=("Hình thức",),
            accepted=(
                "Khiển trách; Cảnh cáo; Hạ bậc lương; Giáng chức; Cách "
                "chức; Bãi nhiệm; Buộc thôi việc; Khai trừ."
            ),
            example="Khiển trách",
        ),
        FieldSpec("decision_number", "Số quyết định", required=True, synonyms=("Số QĐ",)),
        FieldSpec(
            "decision_date",
            "Ngày quyết định",
            "date",
            required=True,
            synonyms=("Ngày QĐ",),
            accepted=DATE_ANY,
        ),
        FieldSpec("effective_date", "Ngày có hiệu lực", "date", accepted=DATE_ANY),
        FieldSpec("announced_date", "Ngày công bố", "date", accepted=DATE_ANY),
        FieldSpec("issuing_body", "Cơ quan quyết định", required=True, synonyms=("Cấp quyết định",)),
        FieldSpec("violation", "Nội dung vi phạm", required=True, synonyms=("Lý do", "Hành vi vi phạm")),
        FieldSpec(
            "duty_related",
            "Vi phạm khi thực thi nhiệm vụ",
            "boolean_default_true",
            accepted="“Có” (mặc định) hoặc “Không”.",
        ),
    ),
)

RATING = SheetSpec(
    kind="danh_gia",
    title="Đánh giá",
    model_label="assessment.Rating",
    synonyms=("Đánh giá, xếp loại", "Xếp loại", "Đánh giá xếp loại chất lượng"),
    key=("system", "period", "year", "quarter"),
    fields=(
        _PID_FIELD,
        FieldSpec(
            "system",
            "Hệ thống",
            "discipline_system",
            required=True,
            synonyms=("Bên đánh giá",),
            accepted="Đảng; Chính quyền; Đoàn thể.",
            example="Chính quyền",
        ),
        FieldSpec(
            "period",
            "Kỳ đánh giá",
            "rating_period",
            accepted="Năm (mặc định); 6 tháng; Quý; Nhiệm kỳ.",
            example="Năm",
        ),
        FieldSpec("year", "Năm", "year", required=True, synonyms=("Năm đánh giá",), example="2024"),
        FieldSpec(
            "quarter",
            "Quý / nửa năm",
            "integer",
            synonyms=("Quý",),
            accepted="1–4, chỉ khi kỳ là Quý hoặc 6 tháng.",
        ),
        FieldSpec(
            "level",
            "Mức xếp loại",
            "rating_level",
            required=True,
            synonyms=("Xếp loại", "Kết quả xếp loại", "Mức độ", "Kết quả đánh giá"),
            accepted=(
                "Hoàn thành xuất sắc nhiệm vụ (HTXSNV); Hoàn thành tốt nhiệm vụ (HTTNV); Hoàn "
                "thành nhiệm vụ (HTNV); Không hoàn thành nhiệm vụ (KHTNV)."
            ),
            example="Hoàn thành tốt nhiệm vụ",
        ),
        FieldSpec("score", "Điểm", "decimal", synonyms=("Điểm đánh giá",), accepted="0–100."),
        FieldSpec(
            "decision_date",
            "Ngày quyết định xếp loại",
            "date",
            synonyms=("Ngày quyết định",),
            accepted=DATE_ANY,
        ),
        FieldSpec("rated_by", "Cấp đánh giá", synonyms=("Cấp có thẩm quyền",)),
    ),
)

SERVICE_EVENT = SheetSpec(
    kind="cong_tac",
    title="Tuyển dụng, nghỉ hưu",
    model_label="people.ServiceEvent",
    synonyms=(
        "Tuyển dụng",
        "Tình trạng công tác",
        "Quá trình tuyển dụng",
        "Nghỉ hưu, thôi việc",
        "Biến động",
        "Biến động nhân sự",
    ),
    key=("kind", "event_date"),
    description=(
        "Mỗi dòng một sự kiện: tuyển dụng, chuyển đến tỉnh, chuyển khỏi tỉnh, nghỉ hưu, thôi việc, "
        "từ trần. Các sự kiện này quyết định ai đang công tác tại một ngày."
    ),
    fields=(
        _PID_FIELD,
        FieldSpec(
            "kind",
            "Sự kiện",
            "service_event_kind",
            required=True,
            synonyms=("Loại sự kiện", "Hình thức", "Loại biến động", "Biến động"),
            accepted=(
                "Tuyển dụng; Chuyển đến tỉnh (Chuyển đến); Chuyển khỏi tỉnh (Chuyển đi); Nghỉ hưu; "
                "Thôi việc (cả buộc thôi việc); Từ trần."
            ),
            example="Tuyển dụng",
        ),
        FieldSpec(
            "event_date",
            "Ngày hiệu lực",
            "date",
            required=True,
            synonyms=("Ngày", "Ngày tuyển dụng", "Ngày nghỉ hưu", "Từ ngày", "Thời điểm"),
            accepted=DATE_ANY + " Không trước ngày sinh; không ở tương lai, trừ nghỉ hưu.",
            example="01/09/2003",
        ),
        FieldSpec(
            "decision_number", "Số quyết định", synonyms=("Quyết định", "Số QĐ"), example="125/QĐ-UBND"
        ),
        FieldSpec("decision_date", "Ngày quyết định", "date", synonyms=("Ngày QĐ",), accepted=DATE_ANY),
        FieldSpec(
            "issuing_body",
            "Cơ quan quyết định",
            synonyms=("Cơ quan tuyển dụng", "Cơ quan ban hành", "Cấp quyết định"),
        ),
        FieldSpec("details", "Lý do, ghi chú", synonyms=("Lý do", "Ghi chú", "Nơi đến", "Nơi chuyển đến")),
    ),
)

# -- sheets added by issue 14 (Party membership … confidence votes) ---------------------------

PARTY = SheetSpec(
    kind="dang_tich",
    title="Đảng tịch",
    model_label="people.PartyMembership",
    synonyms=("Đảng viên", "Ngày vào Đảng", "Thông tin đảng viên"),
    key=("admission_date",),
    description="Mỗi dòng một lần vào Đảng (người được kết nạp lại có hai dòng).",
    fields=(
        _PID_FIELD,
        FieldSpec(
            "admission_date",
            "Ngày vào Đảng",
            "date",
            required=True,
            synonyms=("Ngày kết nạp", "Ngày vào Đảng Cộng sản Việt Nam", "Ngày kết nạp Đảng"),
            accepted=DATE_ANY,
            example="19/05/2008",
        ),
        FieldSpec(
            "official_date",
            "Ngày chính thức",
            "date",
            synonyms=("Ngày vào Đảng chính thức", "Ngày công nhận đảng viên chính thức"),
            accepted=DATE_ANY,
            example="19/05/2009",
        ),
        FieldSpec("card_number", "Số thẻ đảng viên", synonyms=("Số thẻ Đảng", "Số thẻ")),
        FieldSpec("party_cell", "Chi bộ sinh hoạt", synonyms=("Chi bộ", "Nơi sinh hoạt đảng")),
        FieldSpec(
            "left_date",
            "Ngày ra khỏi Đảng",
            "date",
            synonyms=("Ngày ra Đảng",),
            accepted=DATE_ANY + " Để trống nếu vẫn là đảng viên.",
        ),
        FieldSpec("left_reason", "Lý do ra khỏi Đảng", synonyms=("Lý do ra Đảng",)),
    ),
)

POLITICAL = SheetSpec(
    kind="tieu_chuan_chinh_tri",
    title="Tiêu chuẩn chính trị",
    model_label="assessment.PoliticalConclusion",
    synonyms=("Kết luận tiêu chuẩn chính trị", "Kết luận chính trị", "Bảo vệ chính trị nội bộ"),
    key=("conclusion_date", "issuing_body"),
    sensitive=True,
    description=(
        "Mỗi dòng một kết luận về tiêu chuẩn chính trị. Cần quyền xem dữ liệu nhạy cảm trên đơn vị "
        "của người đó."
    ),
    fields=(
        _PID_FIELD,
        FieldSpec(
            "conclusion_date",
            "Ngày kết luận",
            "date",
            required=True,
            synonyms=("Ngày", "Ngày ban hành kết luận"),
            accepted=DATE_ANY,
            example="15/03/2024",
        ),
        FieldSpec(
            "issuing_body",
            "Cơ quan kết luận",
            required=True,
            synonyms=("Cơ quan", "Cấp kết luận"),
            example="Ban Tổ chức Tỉnh ủy",
        ),
        FieldSpec(
            "meets_standard",
            "Đủ tiêu chuẩn chính trị",
            "meets_standard",
            required=True,
            synonyms=("Kết luận", "Đủ tiêu chuẩn"),
            accepted="“Có”, “Đủ tiêu chuẩn” hoặc “Không”, “Chưa đủ tiêu chuẩn”; phải ghi rõ.",
            example="Có",
        ),
        FieldSpec("ceiling", "Mức trần", synonyms=("Mức trần (nếu có)",)),
        FieldSpec("content", "Nội dung kết luận", synonyms=("Nội dung",)),
    ),
)

HEALTH = SheetSpec(
    kind="suc_khoe",
    title="Sức khỏe",
    model_label="people.HealthRecord",
    synonyms=("Sức khoẻ", "Khám sức khỏe", "Tình trạng sức khỏe"),
    key=("check_date",),
    description="Mỗi dòng một lần khám sức khỏe.",
    fields=(
        _PID_FIELD,
        FieldSpec(
            "check_date",
            "Ngày khám",
            "date",
            required=True,
            synonyms=("Ngày khám sức khỏe", "Năm khám"),
            accepted=DATE_ANY,
            example="10/04/2025",
        ),
        FieldSpec(
            "status",
            "Tình trạng sức khỏe",
            "health_status",
            required=True,
            synonyms=("Sức khỏe", "Sức khoẻ", "Tình trạng", "Phân loại sức khỏe"),
            accepted="Tốt; Khá; Trung bình; Yếu.",
            example="Tốt",
        ),
        FieldSpec(
            "height_cm",
            "Chiều cao (cm)",
            "integer",
            synonyms=("Chiều cao",),
            accepted="Số nguyên, tính bằng xentimét (100–230).",
            example="158",
        ),
        FieldSpec(
            "weight_kg",
            "Cân nặng (kg)",
            "integer",
            synonyms=("Cân nặng",),
            accepted="Số nguyên, tính bằng kilôgam (30–250).",
            example="52",
        ),
        FieldSpec("blood_group", "Nhóm máu", "blood_group", accepted="A; B; AB; O.", example="O"),
        FieldSpec("notes", "Ghi chú"),
    ),
)

WORK_HISTORY = SheetSpec(
    kind="qua_trinh_cong_tac",
    title="Quá trình công tác",
    model_label="people.WorkHistory",
    synonyms=("Tóm tắt quá trình công tác", "Quá trình công tác (hồ sơ gốc)"),
    key=("start_date", "description"),
    description=(
        "Mỗi dòng một giai đoạn của “Tóm tắt quá trình công tác” như ghi trong hồ sơ gốc (mẫu 2C). "
        "Khác sheet Chức vụ: không cần đơn vị, chức danh trong danh mục."
    ),
    fields=(
        _PID_FIELD,
        FieldSpec(
            "start_date",
            "Từ tháng, năm",
            "partial_date",
            required=True,
            synonyms=("Từ", "Từ ngày", "Từ tháng năm", "Thời gian bắt đầu"),
            accepted=DATE_ANY + " Được giữ nguyên như đã ghi (“09/2003” vẫn là tháng 9/2003).",
            example="09/2003",
        ),
        FieldSpec(
            "end_date",
            "Đến tháng, năm",
            "partial_date",
            synonyms=("Đến", "Đến ngày", "Đến tháng năm", "Thời gian kết thúc"),
            accepted=DATE_ANY + " Để trống nếu đến nay.",
            example="12/2010",
        ),
        FieldSpec(
            "description",
            "Chức danh, chức vụ, đơn vị công tác",
            required=True,
            synonyms=(
                "Nội dung",
                "Quá trình công tác",
                "Chức danh, chức vụ, đơn vị công tác (đảng, chính quyền, đoàn thể)",
                "Công việc",
            ),
            example="Chuyên viên Phòng Nội vụ huyện Văn Bàn",
        ),
    ),
)

PERSONAL_HISTORY = SheetSpec(
    kind="lich_su_ban_than",
    title="Lịch sử bản thân",
    model_label="people.PersonalHistory",
    synonyms=("Đặc điểm lịch sử bản thân", "Đặc điểm lịch sử"),
    key=("kind", "period", "description"),
    sensitive=True,
    description=(
        "Mỗi dòng một nội dung của “Đặc điểm lịch sử bản thân” (mẫu 2C). Cần quyền xem dữ liệu nhạy "
        "cảm trên đơn vị của người đó."
    ),
    fields=(
        _PID_FIELD,
        FieldSpec(
            "kind",
            "Nội dung",
            "personal_history_kind",
            required=True,
            synonyms=("Loại", "Loại nội dung"),
            accepted=(
                "Bị bắt, bị tù; Làm việc trong chế độ cũ; Tham gia hoặc có quan hệ với tổ chức nước "
                "ngoài; Thân nhân ở nước ngoài; Khác."
            ),
            example="Thân nhân ở nước ngoài",
        ),
        FieldSpec("period", "Thời gian", synonyms=("Thời gian (từ … đến …)",), example="Từ 2015"),
        FieldSpec(
            "description",
            "Chi tiết",
            required=True,
            synonyms=("Nội dung chi tiết", "Diễn giải"),
            example="Em gái lao động tại Hàn Quốc",
        ),
    ),
)

ASSETS = SheetSpec(
    kind="ke_khai_tai_san",
    title="Kê khai tài sản",
    model_label="people.AssetDeclaration",
    synonyms=("Kê khai tài sản, thu nhập", "Tài sản, thu nhập", "Kê khai tài sản thu nhập"),
    key=("kind", "year"),
    sensitive=True,
    description=(
        "Mỗi dòng một lần kê khai tài sản, thu nhập. Cần quyền xem dữ liệu nhạy cảm trên đơn vị của người đó."
    ),
    fields=(
        _PID_FIELD,
        FieldSpec(
            "kind",
            "Loại kê khai",
            "asset_declaration_kind",
            required=True,
            synonyms=("Hình thức kê khai", "Loại"),
            accepted="Lần đầu; Hằng năm; Bổ sung; Phục vụ công tác cán bộ.",
            example="Hằng năm",
        ),
        FieldSpec(
            "year",
            "Năm kê khai",
            "year",
            required=True,
            synonyms=("Năm",),
            accepted="Năm (hoặc một ngày; chỉ giữ năm). Không sau năm nay.",
            example="2025",
        ),
        FieldSpec(
            "declared_date",
            "Ngày kê khai",
            "date",
            required=True,
            synonyms=("Ngày nộp bản kê khai",),
            accepted=DATE_ANY,
            example="15/12/2025",
        ),
        FieldSpec("receiving_body", "Cơ quan tiếp nhận", synonyms=("Nơi nộp",)),
        FieldSpec("summary", "Tóm tắt", synonyms=("Ghi chú", "Tóm tắt nội dung")),
    ),
)

CONFIDENCE = SheetSpec(
    kind="tin_nhiem",
    title="Lấy phiếu tín nhiệm",
    model_label="assessment.ConfidenceVote",
    synonyms=("Tín nhiệm", "Phiếu tín nhiệm", "Kết quả lấy phiếu tín nhiệm"),
    key=("vote_date", "position"),
    description="Mỗi dòng một lần lấy phiếu tín nhiệm người đó, với đủ các số phiếu.",
    fields=(
        _PID_FIELD,
        FieldSpec(
            "vote_date",
            "Ngày lấy phiếu",
            "date",
            required=True,
            synonyms=("Ngày", "Ngày hội nghị"),
            accepted=DATE_ANY,
            example="20/11/2023",
        ),
        FieldSpec(
            "body_kind",
            "Cơ quan lấy phiếu",
            "vote_body",
            synonyms=("Cơ quan", "Cơ quan tổ chức lấy phiếu"),
            accepted=(
                "Cấp ủy; Hội đồng nhân dân (HĐND); Khác. Để trống: suy ra từ tên hội nghị, kỳ họp "
                "(có “Hội đồng nhân dân” hoặc “HĐND” là Hội đồng nhân dân; có “Ban Chấp hành”, "
                "“cấp ủy”, “đảng ủy”, “đảng bộ” là cấp ủy; còn lại là khác)."
            ),
            example="Hội đồng nhân dân",
        ),
        FieldSpec(
            "body",
            "Hội nghị / kỳ họp",
            required=True,
            synonyms=("Hội nghị", "Kỳ họp", "Hội nghị, kỳ họp"),
            example="Kỳ họp thứ 15 HĐND tỉnh",
        ),
        FieldSpec(
            "position",
            "Chức vụ được lấy phiếu",
            required=True,
            synonyms=("Chức vụ",),
            example="Phó Chủ tịch UBND tỉnh",
        ),
        FieldSpec("convened", "Số được triệu tập", "integer", required=True, synonyms=("Triệu tập",)),
        FieldSpec("present", "Số có mặt", "integer", required=True, synonyms=("Có mặt",)),
        FieldSpec("ballots", "Số phiếu phát ra", "integer", required=True, synonyms=("Phiếu phát ra",)),
        FieldSpec("high", "Tín nhiệm cao", "integer", required=True, synonyms=("Số phiếu tín nhiệm cao",)),
        FieldSpec("medium", "Tín nhiệm", "integer", required=True, synonyms=("Số phiếu tín nhiệm",)),
        FieldSpec("low", "Tín nhiệm thấp", "integer", required=True, synonyms=("Số phiếu tín nhiệm thấp",)),
    ),
)

# -- the salary history (issue 17, SALARY.md S-1 to S-3) --------------------------------------

SALARY = SheetSpec(
    kind="luong",
    title="Diễn biến lương",
    model_label="salary.SalaryRow",
    synonyms=("Quá trình lương", "Diễn biến quá trình lương", "Lương", "Nâng lương"),
    key=("from_date",),
    description=(
        "Mỗi dòng một lần thay đổi ngạch, bậc, hệ số lương, hưởng từ “Ngày hưởng” đến ngày hưởng của "
        "dòng sau. Bậc và hệ số được đối chiếu với bảng lương của ngạch; hai dòng của một người không "
        "được cùng ngày hưởng. Hệ số lương hiện tại của hồ sơ lấy theo dòng đang hưởng hôm nay."
    ),
    fields=(
        _PID_FIELD,
        FieldSpec(
            "grade",
            "Mã ngạch",
            "grade",
            required=True,
            synonyms=("Ngạch", "Mã ngạch, chức danh nghề nghiệp", "Ngạch, chức danh nghề nghiệp"),
            accepted="Mã hoặc tên ngạch, chức danh nghề nghiệp trong danh mục (trang Bảng lương).",
            example="01.003",
        ),
        FieldSpec(
            "step",
            "Bậc",
            "integer",
            required=True,
            synonyms=("Bậc lương",),
            accepted="Bậc có trong loại của ngạch.",
            example="3",
        ),
        FieldSpec(
            "coefficient",
            "Hệ số lương",
            "decimal",
            required=True,
            synonyms=("Hệ số",),
            accepted="Đúng hệ số của bậc trong bảng lương; dấu phẩy hoặc chấm.",
            example="3,00",
        ),
        FieldSpec(
            "beyond_frame_percent",
            "Phụ cấp thâm niên vượt khung (%)",
            "integer",
            synonyms=("Vượt khung (%)", "% vượt khung", "Thâm niên vượt khung"),
            accepted="Số phần trăm; chỉ ở bậc cuối của ngạch.",
        ),
        FieldSpec(
            "position_allowance",
            "Hệ số phụ cấp chức vụ",
            "decimal",
            synonyms=("Phụ cấp chức vụ",),
        ),
        FieldSpec("other_allowance", "Phụ cấp khác"),
        FieldSpec(
            "from_date",
            "Ngày hưởng",
            "date",
            required=True,
            synonyms=("Từ ngày", "Ngày hưởng lương", "Thời gian hưởng"),
            accepted=DATE_ANY,
            example="01/09/2021",
        ),
        FieldSpec(
            "step_since",
            "Mốc tính nâng bậc",
            "date",
            synonyms=("Mốc nâng bậc", "Mốc tính nâng lương"),
            accepted=DATE_ANY + " Để trống: bằng ngày hưởng.",
        ),
        FieldSpec("decision_number", "Số quyết định", synonyms=("Số QĐ", "Quyết định")),
        FieldSpec("decision_date", "Ngày quyết định", "date", synonyms=("Ngày QĐ",), accepted=DATE_ANY),
    ),
)

SECTION_SHEETS_14 = (PARTY, POLITICAL, HEALTH, WORK_HISTORY, PERSONAL_HISTORY, ASSETS, CONFIDENCE)

SHEETS: dict[str, SheetSpec] = {
    s.kind: s for s in (PERSON, QUALIFICATION, TENURE, MEMBERSHIP, FAMILY, AWARD, DISCIPLINE, RATING)
}
SHEETS.update((s.kind, s) for s in SECTION_SHEETS_14)
# Service events (who is in service on a date), a separate entry so that other sheets merge easily.
SHEETS[SERVICE_EVENT.kind] = SERVICE_EVENT
SHEETS[SALARY.kind] = SALARY
SECTION_KINDS = tuple(k for k in SHEETS if k != "can_bo")

# Limits on what a file may hold (documented in docs/huong-dan/nhap-du-lieu.md).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 20 * 1024 * 1024  # the ratio limit applies to members larger than this
MAX_ZIP_MEMBERS = 500
MAX_SHEETS = 30
MAX_ROWS_PER_SHEET = 300_000
MAX_ROWS_TOTAL = 1_000_000
MAX_COLUMNS = 200
# Cells of one sheet's grid, from A1 to its farthest cell: the reader (calamine) holds the whole
# grid in memory, about 32 bytes a cell (reader.scan_sheet refuses a larger sheet first).
MAX_SHEET_CELLS = 12_000_000
MAX_CELL_CHARS = 2_000
HEADER_SCAN_ROWS = 10
