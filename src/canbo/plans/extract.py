"""A draft plan read from a document's text: header guesses, sections, tasks, units, deadlines.

Pure Python except ``read_docx`` (python-docx). The draft is a suggestion the officer reviews
and corrects before anything is saved (issue 6); every guess that could not be confirmed is
flagged on the task rather than silently filled in.

How the text is read (Vietnamese administrative documents, seeds 001, 002, 004):

- paragraphs: one per line; a line starting with a lower-case letter continues the previous one
  (page breaks inside paragraphs); footnote lines (starting with ¹²³…) and markdown marks are
  dropped; reading stops at "Nơi nhận";
- sections: "Phần thứ …" (its title may be on the next line), Roman numerals ("II." / "II-"),
  numbered headings ("1.", "2.1-") that do not end a sentence;
- task sections: a Roman section whose title speaks of tasks ("nhiệm vụ"), of assignment ("phân
  công") or is "Tổ chức thực hiện"; goals, grounds, purposes and general solutions are not tasks;
- tasks: each lettered ("a)"), parenthesised ("(1)") or numbered item that is a sentence, each
  bullet; an item ending with ":" introduces the bullets after it (its lead, partners and deadline
  pass to them); a numbered heading with only paragraphs under it is one task;
- lead and partners: "X chủ trì, phối hợp với Y, Z …", "Giao X chủ trì …", a sentence whose
  subject is a body ("Ban Tuyên giáo Tỉnh ủy, Báo … tuyên truyền …"), a heading naming the body
  ("1. Sở Nội vụ");
- deadlines: parentheses that hold a deadline, a trailing "Hoàn thành …" sentence, "trong/vào quý
  …" and "định kỳ …" phrases, a leading "Hằng năm,"; parsed by ``deadlines.parse_deadline``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from canbo.core.text import fold
from canbo.plans.deadlines import fold_keep as _fold_keep
from canbo.plans.deadlines import parse_deadline

FLAG_NO_LEAD = "Chưa xác định đơn vị chủ trì"
FLAG_LEAD_UNMATCHED = "Đơn vị chủ trì không có trong danh mục"
FLAG_COORD_UNMATCHED = "Có đơn vị phối hợp không có trong danh mục"
FLAG_DEADLINE_UNPARSED = "Chưa đọc được thời hạn"
FLAG_DEADLINE_PARTIAL = "Có phần thời hạn chưa đọc được"
FLAG_NO_DEADLINE = "Chưa đọc được thời hạn (văn bản không ghi hoặc hệ thống chưa nhận ra)"


MAX_DOCX_UNPACKED = 50 * 1024 * 1024


class ExtractError(Exception):
    """The file cannot be read as a plan (wrong type, damaged, empty); message in Vietnamese."""


@dataclass
class DraftUnit:
    """A body named in the text and, when found in the catalogue, the unit it is."""

    name: str
    unit_id: int | None = None
    generic: bool = False
    # A generic name ("UBND các xã, phường", "các sở, ban, ngành"): the catalogue units it names,
    # each of which reports on the task.
    unit_ids: list[int] = field(default_factory=list)


@dataclass
class DraftSection:
    number: str
    title: str
    level: int


@dataclass
class DraftTask:
    number: str
    section: str
    content: str
    lead: DraftUnit | None = None
    coordinating: list[DraftUnit] = field(default_factory=list)
    deadline_text: str = ""
    schedule: dict[str, Any] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


@dataclass
class Draft:
    header: dict[str, Any]
    sections: list[DraftSection]
    tasks: list[DraftTask]

    def to_dict(self) -> dict[str, Any]:
        return {
            "header": self.header,
            "sections": [asdict(s) for s in self.sections],
            "tasks": [asdict(t) for t in self.tasks],
        }


# ---------------------------------------------------------------- reading files


def read_docx(path: Path | str | IO[bytes]) -> str:
    """The text of a .docx, one paragraph a line (tables' cells too, row by row)."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    source = str(path) if isinstance(path, Path) else path
    try:
        # A small file may unpack to gigabytes (a zip bomb): refuse before python-docx reads it.
        with zipfile.ZipFile(source) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED:
                raise ExtractError("Tệp .docx quá lớn khi giải nén; hãy dán nội dung văn bản.")
        if not isinstance(source, str):
            source.seek(0)
        document = docx.Document(source)
    except (PackageNotFoundError, XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExtractError("Không đọc được tệp .docx (tệp hỏng hoặc không phải Word).") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend(" | ".join(c.text for c in row.cells) for row in table.rows)
    return "\n".join(lines)


def read_text_file(path: Path | str) -> str:
    """The text of a .txt (UTF-8) or .docx file; ExtractError with a Vietnamese message otherwise."""
    p = Path(path)
    if not p.is_file():
        raise ExtractError(f"Không tìm thấy tệp “{p}”.")
    suffix = p.suffix.lower()
    if suffix == ".docx":
        text = read_docx(p)
    elif suffix in (".txt", ".md"):
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ExtractError("Tệp văn bản phải ở bảng mã UTF-8.") from exc
    else:
        raise ExtractError("Chỉ nhận tệp .txt (UTF-8) hoặc .docx.")
    if not text.strip():
        raise ExtractError("Tệp không có nội dung.")
    return text


# ---------------------------------------------------------------- units


BODY_PREFIXES = (
    "sở ",
    "phòng ",
    "huyện ",
    "ban ",
    "ủy ban ",
    "uỷ ban ",
    "ubnd ",
    "văn phòng ",
    "trường ",
    "đài ",
    "báo ",
    "công an ",
    "bộ chỉ huy ",
    "hội ",
    "liên đoàn ",
    "tỉnh đoàn ",
    "thanh tra ",
    "các ",
    "đảng ủy ",
    "đảng uỷ ",
    "đảng đoàn ",
    "huyện ủy ",
    "huyện uỷ ",
    "tỉnh ủy ",
    "tỉnh uỷ ",
    "thường trực ",
    "mặt trận ",
    "kho bạc ",
    "cục ",
    "chi cục ",
    "tòa án ",
    "viện kiểm sát ",
)
# Words that begin like a body but are not one ("Ban hành …", "Báo cáo …", "Trường hợp …").
NOT_BODY = (
    "ban hành",
    "phòng ngừa",
    "phòng, chống",
    "phòng chống",
    "huyện ủy viên",
    "báo cáo",
    "trường hợp",
    "hội nghị",
    "các nhiệm vụ",
    "các nội dung",
    "các giải pháp",
)

# Words that end a body's name in "X, Y và Z <verb> …": the first verb after the subject.
# Only verbs that do not occur in lower case inside units' names ("Ban quản lý dự án", "Hội đồng
# thẩm định", "Ủy ban bầu cử" keep theirs); a name found in the catalogue wins anyway.
VERBS = (
    " làm tốt",
    " làm ",
    " nghiên cứu",
    " tham mưu",
    " hướng dẫn",
    " xây dựng",
    " triển khai",
    " thực hiện",
    " tổ chức thực hiện",
    " tổ chức nghiên cứu",
    " rà soát",
    " theo dõi",
    " kiểm tra",
    " đôn đốc",
    " trình ",
    " ban hành",
    " sửa đổi",
    " đề xuất",
    " tăng cường",
    " chỉ đạo",
    " có trách nhiệm",
    " chịu trách nhiệm",
    " chủ động",
    " tuyên truyền",
    " tiếp tục",
    " thống nhất",
    " quán triệt",
    " cụ thể hóa",
    " theo chức năng",
    " phối hợp",
    " chủ trì",
    " bảo đảm",
    " đảm bảo",
    " báo cáo",
    " tổng hợp",
    " bố trí",
    " cân đối",
    " phân bổ",
    " cấp kinh phí",
    " giám sát",
    " tiếp nhận",
    " nắm ",
    " đánh giá",
    " sơ kết",
    " tổng kết",
    " hoàn thành",
    " hoàn thiện",
    " ký ",
    " gửi ",
    " lựa chọn",
    " giới thiệu",
    " tập trung",
    " thường xuyên",
    " căn cứ",
    " phổ biến",
    " cập nhật",
    " nâng cao",
    " ưu tiên",
    " thẩm tra",
    " công bố",
    ":",
    "(",
    ".",
    ";",
)

ABBREVIATIONS = (
    ("ubnd", "uy ban nhan dan"),
    ("uBMTTQ", "uy ban mat tran to quoc"),
    ("hdnd", "hoi dong nhan dan"),
)


def _norm_unit(name: str) -> str:
    key = fold(name)
    for short, full in ABBREVIATIONS:
        key = re.sub(rf"\b{short.lower()}\b", full, key)
    return " ".join(key.strip(" ,.;:").split())


# "Sở Nội vụ tỉnh Lào Cai" is "Sở Nội vụ" in a plan of that province, and "Ủy ban nhân dân tỉnh
# Lào Cai" is "UBND tỉnh": the province's name is dropped ("tỉnh ủy" is a body, not a suffix).
_PROVINCE_SUFFIX = re.compile(r"^(?P<body>.+?)\s+(?P<tinh>tinh|thanh pho)\s+(?!uy\b)(?P<name>[a-z][a-z ]*)$")


class Catalogue:
    """Unit names in force, folded, to match names written in a plan (shallowest unit wins).

    A name also answers without its province suffix ("Sở Nội vụ" for "Sở Nội vụ tỉnh Lào Cai"),
    unless a unit bears that shorter name itself. ``expand`` gives the units a generic name lists.
    """

    def __init__(self, units: Iterable[tuple[int, str, int]] = ()) -> None:
        self._by_name: dict[str, tuple[int, int]] = {}
        self._short: dict[str, tuple[int, int]] = {}
        self._all: list[tuple[str, int, int]] = []
        self._provinces: set[str] = set()  # "lao cai": the names a suffix may carry
        for unit_id, name, depth in units:
            key = _norm_unit(name)
            self._all.append((key, unit_id, depth))
            if key not in self._by_name or depth < self._by_name[key][1]:
                self._by_name[key] = (unit_id, depth)
            if m := _PROVINCE_SUFFIX.match(key):
                self._provinces.add(m["name"])
                for short in (m["body"], f"{m['body']} {m['tinh']}"):
                    if short not in self._short or depth < self._short[short][1]:
                        self._short[short] = (unit_id, depth)

    def __bool__(self) -> bool:
        return bool(self._by_name)

    def match(self, name: str) -> int | None:
        key = _norm_unit(name)
        hit = self._by_name.get(key) or self._short.get(key)
        if hit is None and (m := _PROVINCE_SUFFIX.match(key)) and m["name"] in self._provinces:
            hit = self._by_name.get(m["body"]) or self._short.get(m["body"])
        return hit[0] if hit else None

    def longest_prefix(self, text: str) -> tuple[str, str] | None:
        """The longest start of ``text`` (in its own words) that is a unit's name, and the rest."""
        words = text.split()
        for n in range(min(len(words), 14), 0, -1):
            candidate = " ".join(words[:n]).strip(" ,;:.")
            if len(candidate.split()) >= 2 and self.match(candidate) is not None:
                return candidate, " ".join(words[n:])
        return None

    def expand(self, name: str) -> list[int]:
        """The units a generic name lists, each kind by the words that begin its units' names:
        "UBND các xã, phường" → every "Ủy ban nhân dân xã …" and "Ủy ban nhân dân phường …";
        "các huyện ủy, thị ủy" → every "Huyện ủy …", "Thị ủy …"; "các sở, ban, ngành" → every
        "Sở …" and the boards ("Ban …") at the departments' depth, People's Council boards
        excepted ("ngành" names no unit). Empty when it names no unit, or only "the relevant"
        ones ("các sở, ngành liên quan"): those the officer picks."""
        key = _norm_unit(name)
        m = re.match(r"^(?P<pre>.*?)\bcac\s+(?P<kinds>.+)$", key)
        if not m or re.search(r"\blien quan\b|\bco lien quan\b", key):
            return []
        pre = m["pre"].strip()
        pieces = [
            re.sub(r"^cac\s+", "", p.strip())
            for p in re.split(r"[,;]|\bva\b", m["kinds"])
            if p.strip() and len(p.split()) <= 3
        ]
        dept_depth = min((d for k, _i, d in self._all if k.startswith("so ")), default=None)
        found: dict[int, int] = {}
        for key_, unit_id, depth in self._all:
            for piece in pieces:
                if not key_.startswith(f"{pre} {piece} ".lstrip()):
                    continue
                council_board = "hoi dong nhan dan" in key_
                if piece == "ban" and (dept_depth is None or depth > dept_depth or council_board):
                    continue
                found[unit_id] = depth
        return sorted(found, key=lambda i: (found[i], i))


def _is_body(text: str) -> bool:
    """Whether ``text`` starts with a body's name (case as written: "Sở Nội vụ", not "Sơ kết")."""
    low = unicodedata.normalize("NFC", text).strip().lower() + " "
    return low.startswith(BODY_PREFIXES) and not low.startswith(NOT_BODY)


_TO_CHUC = re.compile(r"(?<![Bb]an)(?<![Cc]ác)(?<!,)(?<!và) tổ chức(?= )")


def _cut_at_verb(text: str, catalogue: Catalogue | None = None) -> str:
    """The body's name at the start of ``text``: up to the first verb, or the longest start that
    is a unit of the catalogue when that reaches further ("Ban Tổ chức Tỉnh ủy" holds no verb,
    "Sở Tài chính bảo đảm kinh phí" stops at "bảo đảm")."""
    # "cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy" is a body's name, not a verb.
    masked = text.replace("chuyên trách tham mưu", "chuyên trách tham_mưu") + " "
    cut = len(text)
    for verb in VERBS:
        # a verb is a whole word, written in lower case ("Ủy ban Kiểm tra" is a name)
        for m in re.finditer(re.escape(verb), masked):
            i = m.start()
            if verb[-1] in " :(.;" or not masked[m.end() : m.end() + 1].isalpha():
                cut = min(cut, i)
                break
    # "tổ chức" is a verb ("Các sở, ban, ngành tổ chức tập huấn") except inside "Ban tổ chức …",
    # "các tổ chức chính trị – xã hội" and a list item (", tổ chức đảng"), which documents also
    # write in lower case.
    if to_chuc := _TO_CHUC.search(masked):
        cut = min(cut, to_chuc.start())
    name = text[:cut].strip(" ,;:.")
    if catalogue:
        found = catalogue.longest_prefix(text)
        if found:
            longest, rest = found
            if len(longest) > len(name):
                name = longest  # a unit's own name may hold a verb ("Ban quản lý dự án …")
            elif rest[:1].islower() and not re.match(r"(?:và|với|cùng)\b", rest):
                # The name is followed by a word in lower case that continues no list of bodies:
                # a verb the list does not know ("Ban Tổ chức Tỉnh ủy thẩm định …").
                name = longest
    return name


_AND_BODY = re.compile(
    r"\s+và\s+(?=(?:Sở|Phòng|Ban|Ủy|Uỷ|UBND|Văn|Trường|Đài|Báo|Công an|Hội|Thanh tra|Tỉnh|Huyện|các|Các"
    r"|Mặt trận)\b)"
)


def _split_bodies(text: str) -> list[str]:
    """ "Sở Nội vụ, Ban Tuyên giáo Tỉnh ủy và các sở, ngành" → names (keeps "và" inside names)."""
    pieces: list[str] = []
    for raw in text.split(","):
        chunk = raw.strip()
        if not chunk:
            continue
        sub = _AND_BODY.split(chunk)
        for i, s in enumerate(sub):
            s = s.strip()
            if not s:
                continue
            # "các sở, ngành, địa phương": lower-case pieces continue the list item before them.
            if i == 0 and pieces and s[:1].islower() and not s.lower().startswith("các "):
                pieces[-1] = f"{pieces[-1]}, {s}"
            else:
                pieces.append(s)
    return pieces


def is_generic(name: str) -> bool:
    """ "các sở, ngành", "UBND các xã, phường": a kind of units, not one unit."""
    return bool(re.match(r"^(?:\S+\s+){0,4}?cac\s", fold(name)))


def _unit(name: str, catalogue: Catalogue) -> DraftUnit:
    name = name.strip(" ,;:.")
    generic = is_generic(name)
    unit_id = catalogue.match(name)
    ids = catalogue.expand(name) if generic and unit_id is None else []
    return DraftUnit(name=name, unit_id=unit_id, generic=generic, unit_ids=ids)


def detect_parties(text: str, catalogue: Catalogue) -> tuple[DraftUnit | None, list[DraftUnit]]:
    """The lead body and the coordinating bodies named at the start of ``text`` (or none)."""
    body = re.sub(r"^(?:Giao|Đồng thời,?)\s+", "", text.strip())
    folded = _fold_keep(body)
    lead: DraftUnit | None = None
    coords: list[DraftUnit] = []
    m = re.search(r"\bchu tri\b", folded)
    if m and m.start() < 150:
        before = body[: m.start()].strip(" ,")
        if before and _is_body(before):
            lead = _unit(before, catalogue)
        elif before:
            m = None
        if m:
            after = folded[m.end() :]
            p = re.match(r"\s*,?\s*(?:va\s*)?phoi hop voi\s*", after)
            if p:
                start = m.end() + p.end()
                coords = [_unit(n, catalogue) for n in _split_bodies(_cut_at_verb(body[start:], catalogue))]
            return lead, [c for c in coords if c.name]
    if _is_body(body):
        names = _split_bodies(_cut_at_verb(body, catalogue))
        if names:
            if is_generic(names[0]):
                return _unit(", ".join(names), catalogue), []
            lead = _unit(names[0], catalogue)
            coords = [_unit(n, catalogue) for n in names[1:]]
    return lead, coords


# ---------------------------------------------------------------- deadlines in text

_DEADLINE_WORDS = re.compile(
    r"thuc hien|xong|hoan thanh|\bquy\s*(?:[ivx]+|\d)\b|\bq\d|\bnam\s*(?:19|20)\d{2}"
    r"|thuong xuyen|hang nam|sau khi|dinh ky|thang\s*\d"
    # "(khi có điều kiện)", "(chậm nhất …)": deadline words the parser may not read, kept and flagged.
    r"|^\s*(?:khi|truoc|cham nhat|thoi han|han chot)\b"
)
_INLINE = re.compile(
    r"(?:trong|vao|truoc)\s*(?:quy|thang)\s*[ivx\d]+\s*[/\-.]?\s*(?:nam\s*)?(?:19|20)\d{2}"
    r"|dinh\s*ky\s*(?:quy\s*[ivx]+\s*)?(?:\d{1,2}\s*thang|hang\s*nam)(?:\s*,\s*(?:hang\s*)?nam)?"
    r"|nhiem vu thuong xuyen|thuc hien thuong xuyen"
    # Anywhere in the task's sentence: "báo cáo kết quả trước ngày 15/12/2027", "trong năm 2027",
    # "bảo đảm kinh phí thực hiện hằng năm", "rà soát vào năm thứ 3 nhiệm kỳ".
    r"|\b(?:truoc|den het|den|cham nhat|han chot|xong truoc|hoan thanh truoc)\s*ngay"
    r"\s*\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*(?:19|20)\d{2}"
    r"|\b(?:truoc|den|cham nhat)\s*ngay\s*\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*(?:19|20)\d{2}"
    r"|\b(?:trong|vao|den het|truoc)\s*nam\s*(?:19|20)\d{2}\b(?!\s*[-–])"
    r"|\bnam\s*thu\s*(?:\d+|nhat|hai|ba|tu|nam)\s*(?:cua\s*)?nhiem\s*ky\b"
    r"|\b(?:hang|moi)\s*(?:nam|quy|thang)\b(?:\s*(?:tu|ke tu)\s*(?:nam\s*)?(?:19|20)\d{2})?"
)
_TRAILING = re.compile(r"(?:^|(?<=[.;:\n])\s?)(?:hoan thanh|thoi gian hoan thanh|xong)\b[^.;\n]*")
_LEADING = re.compile(r"^(hang nam|hang quy|dinh ky[^,]*),")


def find_deadlines(text: str) -> list[str]:
    """Deadline phrases of a task, in the document's words, in reading order."""
    folded = _fold_keep(text)
    spans: list[tuple[int, int]] = [
        (m.start(1), m.end(1))
        for m in re.finditer(r"\(([^()]*)\)", text)
        if _DEADLINE_WORDS.search(folded[m.start(1) : m.end(1)])
    ]
    if not spans:
        candidates = [(m2.start(), m2.end()) for m2 in _TRAILING.finditer(folded)]
        if m3 := _LEADING.match(folded):
            candidates.append((m3.start(1), m3.end(1)))
        candidates += [(m4.start(), m4.end()) for m4 in _INLINE.finditer(folded)]
        for s, e in candidates:
            # Words found in running text count only when they read as a deadline.
            if any(s < e2 and s2 < e for s2, e2 in spans) or parse_deadline(text[s:e]).flagged:
                continue
            spans.append((s, e))
    spans.sort()
    out: list[str] = []
    for s, e in spans:
        words = text[s:e].strip(" *.;,")
        if fold(words) not in (fold(w) for w in out):  # "hằng năm" said twice is one deadline
            out.append(words)
    return out


# ---------------------------------------------------------------- structure

_ROMAN = re.compile(r"^(?P<n>(?:X{0,3})(?:IX|IV|V?I{0,3}))\s*[.\-–]\s+(?P<t>.+)$")
_NUM = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})*)\s*[.\-–)]\s*(?P<t>\S.*)$")
_PAREN = re.compile(r"^\((?P<n>\d{1,2})\)\s*(?P<t>.+)$")
_LETTER = re.compile(r"^(?P<n>[a-zđ])\)\s*(?P<t>.+)$")
_BULLET = re.compile(r"^[-–•+*]\s+(?P<t>.+)$")
_PART = re.compile(r"^phan thu (?P<n>nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)\b\s*(?P<t>.*)$")
_FOOTNOTE = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]")
_CLOSING = ("ubnd tinh de nghi", "uy ban nhan dan tinh de nghi", "trong qua trinh thuc hien", "t/m ")
_TASK_SECTION = ("nhiem vu", "phan cong")
# Headings and paragraphs that state aims, not tasks ("Mục tiêu", "Mục đích, yêu cầu").
_GOAL = ("muc tieu", "muc dich", "quan diem")


def _is_goal(text: str) -> bool:
    return fold(text).lstrip("*-–• ").startswith(_GOAL)


def _clean_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    paragraphs: list[str] = []
    for raw in text.splitlines():
        line = raw.replace("\t", " ").replace("\u00a0", " ")
        line = re.sub(r"^\s*#+\s*", "", line)
        line = (
            line.replace("**", "").replace("*", "")
            if not re.match(r"^\s*\*\s", line)
            else "- " + line.strip()[1:].replace("*", "")
        )
        line = re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?=\s|$|[,.;])", "", line) if not _FOOTNOTE.match(line.strip()) else line
        line = " ".join(line.split())
        if not line or set(line) <= set("-_*=. "):
            continue
        if _FOOTNOTE.match(line):
            continue
        if paragraphs and line[:1].islower() and not _LETTER.match(line):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
            continue
        paragraphs.append(line)
    return paragraphs


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", ";", ":", "./.", ")"))


HEADER_KINDS = (
    ("ke hoach", "ke_hoach"),
    ("de an", "de_an"),
    ("nghi quyet", "nghi_quyet"),
    ("chuong trinh", "chuong_trinh"),
    ("chi thi", "chi_thi"),
    ("ket luan", "ket_luan"),
)


def _header(paragraphs: list[str]) -> dict[str, Any]:
    """Guesses at the plan's kind, number, date, issuer and title from its first lines."""
    header: dict[str, Any] = {"kind": "", "number": "", "issued_on": None, "issuer_name": "", "title": ""}
    head = paragraphs[:15]
    for i, line in enumerate(head):
        f = fold(line)
        if not header["number"] and (m := re.match(r"^so[:\s]+(\S+/\S+)", f)):
            header["number"] = line.split(None, 1)[1].strip(" :") if " " in line else m[1]
        if header["issued_on"] is None and (
            m := re.search(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*((?:19|20)\d{2})", f)
        ):
            with contextlib.suppress(ValueError):
                header["issued_on"] = dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        if not header["kind"]:
            for word, kind in HEADER_KINDS:
                if f == word or (f.startswith(word) and line.split()[0].isupper()):
                    header["kind"] = kind
                    rest = [
                        p
                        for p in head[i + 1 : i + 4]
                        if not _ROMAN.match(p) and not fold(p).startswith("phan thu")
                    ]
                    title_bits = [line] if len(f) > len(word) + 3 else [line.title()[:1] + line[1:].lower()]
                    for p in rest:
                        if (
                            len(p) > 600
                            or fold(p).startswith(("thuc hien", "can cu", "trong nhung"))
                            or (p.isupper() and title_bits[1:])
                        ):
                            break
                        title_bits.append(p)
                        if len(" ".join(title_bits)) > 80:
                            break
                    header["title"] = " ".join(title_bits)[:500]
                    break
        if (
            not header["issuer_name"]
            and len(line) < 80
            and (fold(line).startswith(("tinh uy", "uy ban nhan dan", "ban thuong vu", "ubnd")))
        ):
            header["issuer_name"] = line.strip(" *")
        # "NGHỊ QUYẾT / CỦA BAN THƯỜNG VỤ TỈNH ỦY" (seed 004): the issuer follows "của".
        # The line may run on into the title ("của Ban Thường vụ Tỉnh ủy về …"): keep the body only.
        if not header["issuer_name"] and header["kind"]:
            for body in ("ban thuong vu tinh uy", "tinh uy", "uy ban nhan dan tinh", "ubnd tinh"):
                if f.startswith(f"cua {body}") and f[len(body) + 4 : len(body) + 5] in ("", " ", ","):
                    header["issuer_name"] = " ".join(line.split()[1 : 1 + len(body.split())]).strip(" *,")
                    break
    header.update(_period_guess(header["title"], header["issued_on"]))
    return header


def _period_guess(title: str, issued_on: str | None) -> dict[str, str | None]:
    """The span a title states: "giai đoạn 2020 - 2025", "đến năm 2025" (whole years, starting on
    the issue date when it falls in the first year); the officer checks it on the review page."""
    f = fold(title)
    m = re.search(r"giai doan\s*((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})", f)
    if m and int(m[1]) <= int(m[2]):
        start = issued_on if issued_on and issued_on[:4] == m[1] else f"{m[1]}-01-01"
        return {"period_start": start, "period_end": f"{m[2]}-12-31"}
    if m := re.search(r"den nam\s*((?:19|20)\d{2})", f):
        return {"period_start": None, "period_end": f"{m[1]}-12-31"}
    return {"period_start": None, "period_end": None}


@dataclass
class _Ctx:
    lead: DraftUnit | None = None
    coords: list[DraftUnit] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)
    number: str = ""


def extract_plan(text: str, catalogue: Catalogue | None = None) -> Draft:
    """The draft plan read from ``text`` (see the module docstring).

    A text with no task section at all (an excerpt pasted without its "II. NHIỆM VỤ …" heading)
    is read again as if it were all tasks.
    """
    draft = _extract(text, catalogue or Catalogue(), everything=False)
    if not draft.tasks:
        draft = _extract(text, catalogue or Catalogue(), everything=True)
    return draft


def _extract(text: str, catalogue: Catalogue, *, everything: bool) -> Draft:
    paragraphs = _clean_lines(text)
    header = _header(paragraphs)
    sections: list[DraftSection] = []
    tasks: list[DraftTask] = []

    in_tasks = everything
    part = roman = ""
    heading_label = ""  # the current section's label, e.g. "II.1"
    heading_title = ""
    heading_ctx = _Ctx()  # what a heading naming a body passes to its tasks
    intro_ctx: _Ctx | None = None  # what an item ending with ":" passes to its bullets
    current: dict[str, Any] | None = None  # the task being built
    group_body_allowed = False
    bullet_n = 0
    goal = False  # inside a "Mục tiêu" heading or paragraph: not tasks

    def flush() -> None:
        nonlocal current
        if current is None:
            return
        tasks.append(_finish(current, catalogue))
        current = None

    def start(number: str, content: str, ctx: _Ctx, lead_source: str | None = None) -> None:
        nonlocal current
        flush()
        current = {
            "number": number,
            "section": f"{heading_label} {heading_title}".strip(),
            "content": content,
            "lead_source": content if lead_source is None else lead_source,
            "ctx": ctx,
        }

    def section_label() -> str:
        return ".".join(x for x in (part, roman) if x)

    i = 0
    while i < len(paragraphs):
        line = paragraphs[i]
        f = fold(line)
        i += 1
        if f.startswith("noi nhan"):
            break
        if m := _PART.match(f):
            flush()
            title = line[len(m.group(0)) - len(m["t"]) :].strip() if m["t"] else ""
            if not title and i < len(paragraphs):
                title = paragraphs[i]
                i += 1
            part, roman = m["n"], ""
            sections.append(DraftSection(number=" ".join(line.split()[:3]), title=title, level=0))
            in_tasks, goal = everything and not _is_goal(title), False
            heading_label, heading_title = "", title
            continue
        if (m := _ROMAN.match(line)) and m["n"] and line.split()[0].rstrip(".-–") == m["n"]:
            flush()
            roman = m["n"]
            title = m["t"].strip()
            ft = fold(title)
            in_tasks = (
                (everything and not _is_goal(title))
                or any(w in ft for w in _TASK_SECTION)
                or ft.startswith("to chuc thuc hien")
            )
            sections.append(DraftSection(number=m["n"], title=title, level=1))
            heading_label, heading_title = roman, title
            heading_ctx, intro_ctx, group_body_allowed, bullet_n = _Ctx(), None, False, 0
            goal = False
            continue
        if not in_tasks:
            if (m := _NUM.match(line)) and not _ends_sentence(m["t"]) and len(m["t"]) < 250:
                sections.append(
                    DraftSection(
                        number=f"{roman}.{m['n']}" if roman else m["n"],
                        title=m["t"],
                        level=2 + m["n"].count("."),
                    )
                )
            continue
        if any(f.startswith(c) for c in _CLOSING):
            flush()
            in_tasks = False
            continue
        if (m := _NUM.match(line)) and not _ends_sentence(m["t"]) and len(m["t"]) < 250:
            # A numbered heading: a section; if it names a body, that body leads its tasks.
            flush()
            heading_label = f"{roman}.{m['n']}" if roman else m["n"]
            heading_title = m["t"]
            sections.append(
                DraftSection(number=heading_label, title=heading_title, level=2 + m["n"].count("."))
            )
            # A heading naming bodies ("1. Sở Nội vụ", "5. Các Sở, ban ngành tỉnh và …") names them all.
            lead = _unit(m["t"], catalogue) if _is_body(m["t"]) else None
            heading_ctx = _Ctx(lead=lead, deadlines=find_deadlines(m["t"]))
            intro_ctx, group_body_allowed, bullet_n = None, True, 0
            goal = _is_goal(m["t"])  # "1. Mục tiêu": what follows states aims, not tasks
            continue
        item = _NUM.match(line) or _PAREN.match(line) or _LETTER.match(line)
        if (item and _is_goal(item["t"])) or (not item and _is_goal(line)):
            flush()  # "a) Mục tiêu: …", "Mục tiêu: …" and the bullets under it are not tasks
            goal, intro_ctx, group_body_allowed = True, None, False
            continue
        if item:
            goal = False
        if goal:
            continue
        if item:
            text_ = item["t"]
            number = (
                _join(heading_label, item["n"])
                if _LETTER.match(line) or _PAREN.match(line)
                else (f"{roman}.{item['n']}" if roman else item["n"])
            )
            if text_.rstrip().endswith(":"):
                flush()
                intro_ctx = _intro(text_, heading_ctx, catalogue, number)
                bullet_n = 0
                group_body_allowed = False
                continue
            intro_ctx, group_body_allowed = None, False
            start(number, text_, heading_ctx)
            continue
        if b := _BULLET.match(line):
            bullet_n += 1
            ctx = intro_ctx or heading_ctx
            start(_join((intro_ctx.number if intro_ctx else "") or heading_label, str(bullet_n)), b["t"], ctx)
            continue
        # A plain paragraph.
        if line.rstrip().endswith(":"):
            flush()
            intro_ctx = _intro(line, heading_ctx, catalogue, heading_label)
            bullet_n = 0
            group_body_allowed = False
            continue
        if current is not None:
            current["content"] += "\n" + line
            continue
        if group_body_allowed:
            content = line if heading_ctx.lead else f"{heading_title}\n{line}"
            start(heading_label, content, heading_ctx, lead_source=line)
            continue
        if everything and not heading_label:
            continue  # a title or preamble line of an excerpt, not a task
        start(heading_label or section_label(), line, heading_ctx)
    flush()
    return Draft(header=header, sections=sections, tasks=tasks)


def _join(*labels: str) -> str:
    return ".".join(x for x in labels if x)


def _intro(text: str, heading: _Ctx, catalogue: Catalogue, number: str) -> _Ctx:
    lead, coords = detect_parties(text, catalogue)
    ctx = _Ctx(
        lead=lead or heading.lead,
        coords=coords if lead else heading.coords,
        deadlines=find_deadlines(text) or heading.deadlines,
    )
    ctx.number = number
    return ctx


def _finish(raw: dict[str, Any], catalogue: Catalogue) -> DraftTask:
    ctx: _Ctx = raw["ctx"]
    content: str = raw["content"].strip()
    lead, coords = detect_parties(raw["lead_source"], catalogue)
    if lead is None:
        lead, coords = ctx.lead, coords or list(ctx.coords)
    deadlines = find_deadlines(content) or list(ctx.deadlines)
    deadline_text = "; ".join(deadlines)
    schedule = parse_deadline(deadline_text)
    flags: list[str] = []
    if lead is None:
        flags.append(FLAG_NO_LEAD)
    elif catalogue and lead.unit_id is None and not lead.generic:
        flags.append(FLAG_LEAD_UNMATCHED)
    if catalogue and any(c.unit_id is None and not c.generic for c in coords):
        flags.append(FLAG_COORD_UNMATCHED)
    if deadline_text and schedule.flagged:
        flags.append(FLAG_DEADLINE_UNPARSED)
    elif not deadline_text:
        flags.append(FLAG_NO_DEADLINE)  # the officer sets it or confirms there is none
    if schedule.incomplete:
        flags.append(FLAG_DEADLINE_PARTIAL)
    task = DraftTask(
        number=raw["number"],
        section=raw["section"],
        content=content,
        lead=lead,
        coordinating=coords,
        deadline_text=deadline_text,
        schedule=schedule.to_dict() if deadline_text else {},
        flags=flags,
    )
    return task
