"""Rating a year's performance (RULES.md §13 validator 8).

The Party side reads its score bands from E-3 and its quota from E-5; the state side from E-8
and E-9, or E-12 (the old regime) on dates before them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from canbo.rules.engine.checks.base import Check, Results, rule
from canbo.rules.engine.facts import PARTY, RATING_LABELS, RATING_ORDER
from canbo.rules.engine.rulebook import Rulebook, RuleVersion
from canbo.rules.engine.verdict import CANNOT, FAIL, PASS, FactUsed, Verdict, missing_version, result


@dataclass(frozen=True)
class RatingInput:
    """A proposed rating: side (dang / chinh_quyen), date of the rating decision, score, level."""

    system: str
    rating_date: dt.date
    proposed_level: str
    score: float | None = None
    is_leader: bool = False
    # The E-4 / E-8 grounds the dossier cannot hold (``DECLARED_GROUNDS``), declared by the
    # officer: True one is established, False none, None not yet said.
    kht_trigger: bool | None = None
    duty_discipline_in_year: bool | None = None  # D-11, and E-4 / E-8's discipline ground
    low_vote_over_half: bool | None = None  # V-10, and E-4's vote ground
    exceeded_share: float | None = None  # share of tasks exceeded (HTXS condition, E-3)
    unit_htxs: int | None = None  # HTXS in the agency or duty group, this one included
    unit_htt: int | None = None
    person_id: int | None = None
    person_name: str = ""
    # E-4: units led by this head rated in the same campaign: (rated KHT, rated); None unknown.
    units_led_kht: tuple[int, int] | None = None


@dataclass(frozen=True)
class RatingCase:
    book: Rulebook
    rating: RatingInput

    @property
    def day(self) -> dt.date:
        return self.rating.rating_date

    @property
    def party(self) -> bool:
        return self.rating.system == PARTY

    @cached_property
    def band_rule(self) -> str:
        """The rule of the score bands: E-3 (Party); E-8, or E-12 before E-8 (state)."""
        if self.party:
            return "E-3"
        return "E-8" if self.book.find("E-8", self.day) else "E-12"

    @cached_property
    def quota_rule(self) -> str:
        """The rule of the HTXS quota: E-5 (Party); E-9, or E-12 before E-9 (state)."""
        if self.party:
            return "E-5"
        return "E-9" if self.book.find("E-9", self.day) else "E-12"

    @cached_property
    def band(self) -> RuleVersion | None:
        return self.book.find(self.band_rule, self.day)

    @cached_property
    def score_level(self) -> str | None:
        """The level the score reaches in the bands; None without bands or score."""
        if self.band is None or self.rating.score is None:
            return None
        p, score = self.band.params, self.rating.score
        if score >= p["htxs_min"]:
            return "htxs"
        if score >= p["htt_min"]:
            return "htt"
        return "ht" if score >= p["ht_min"] else "kht"

    @property
    def grounds(self) -> list[tuple[str, bool | None, str]]:
        """The grounds for "không hoàn thành nhiệm vụ" whatever the score: (rule, declared value,
        what it says). E-4 (Party) or E-8 (state), D-11, and V-10 for a leader."""
        r = self.rating
        units_over = (
            self.party
            and r.is_leader
            and r.units_led_kht is not None
            and r.units_led_kht[0] * 2 > r.units_led_kht[1]
        )
        out = [
            (
                "E-4" if self.party else "E-8",
                True if units_over else r.kht_trigger,
                "có căn cứ đương nhiên không hoàn thành nhiệm vụ",
            ),
            (
                "D-11",
                r.duty_discipline_in_year,
                "bị kỷ luật từ khiển trách trở lên do vi phạm khi thực thi nhiệm vụ trong năm",
            ),
        ]
        if r.is_leader:
            out.append(("V-10", r.low_vote_over_half, "tín nhiệm thấp trên 50% trong năm"))
        return out

    @cached_property
    def triggered(self) -> bool:
        """A ground is established and its rule is in force on the rating date."""
        return any(value and self.book.find(rid, self.day) is not None for rid, value, _ in self.grounds)

    @property
    def level(self) -> str | None:
        """The highest level the case allows: "kht" when a trigger holds, else the score's."""
        return "kht" if self.triggered else self.score_level


@rule("E-3", "E-8", "E-12")
def rule_band_score(ctx: RatingCase) -> Results:
    """E-3 (Party), E-8 or E-12 (state): the level the score (out of 100) reaches in the bands
    ``htxs_min`` / ``htt_min`` / ``ht_min``; cannot decide without bands or a score."""
    band = ctx.band
    if band is None:
        return [missing_version(ctx.band_rule, "Khung điểm xếp loại", ctx.day, CANNOT)]
    score, level = ctx.rating.score, ctx.score_level
    if score is None or level is None:
        return [result(band, CANNOT, "Chưa có điểm đánh giá (thang 100).")]
    p = band.params
    return [
        result(
            band,
            PASS,
            f"{score:g} điểm: khung {RATING_LABELS[level]}.",
            [FactUsed("Điểm", f"{score:g}", ctx.day)],
            f"{p['htxs_min']} / {p['htt_min']} / {p['ht_min']}",
        )
    ]


def _trigger(ctx: RatingCase, rule_id: str, value: bool | None, text: str) -> Results:
    """A ground for "không hoàn thành nhiệm vụ": established → the rating is KHT (a fail when a
    higher level is proposed); unknown → cannot decide; silent when the rule is not in force."""
    ver = ctx.book.find(rule_id, ctx.day)
    if ver is None:
        return []
    if value is None:
        return [result(ver, CANNOT, f"Chưa xác định có hay không: {text}.")]
    if value:
        proposed_above_kht = RATING_ORDER.get(ctx.rating.proposed_level, 0) > 0
        return [
            result(
                ver,
                FAIL if proposed_above_kht else PASS,
                f"Có căn cứ: {text} → không hoàn thành nhiệm vụ.",
                [FactUsed("Căn cứ", text)],
            )
        ]
    return [result(ver, PASS, f"Không {text}.")]


def _ground(ctx: RatingCase, rule_id: str) -> Results:
    for rid, value, text in ctx.grounds:
        if rid == rule_id:
            return _trigger(ctx, rid, value, text)
    return []


# The E-4 / E-8 grounds no record of the dossier holds: the officer declares them together
# (``RatingInput.kht_trigger``). Leaders have more (E-4 is the Party's list for leaders).
DECLARED_GROUNDS = {
    ("E-4", False): ("suy thoái về tư tưởng chính trị, đạo đức, lối sống đã được kết luận",),
    ("E-4", True): (
        "lĩnh vực phụ trách hoàn thành dưới 70% nhiệm vụ kế hoạch",
        "không đạt chỉ tiêu kinh tế – xã hội chủ yếu được giao phụ trách",
        "suy thoái về tư tưởng chính trị, đạo đức, lối sống đã được kết luận",
    ),
    ("E-8", False): (
        "suy thoái về tư tưởng chính trị, đạo đức, lối sống đã được kết luận",
        "vi phạm quy định những điều đảng viên không được làm hoặc trách nhiệm nêu gương",
    ),
    ("E-8", True): (
        "suy thoái về tư tưởng chính trị, đạo đức, lối sống đã được kết luận",
        "vi phạm quy định những điều đảng viên không được làm hoặc trách nhiệm nêu gương",
        "đơn vị trực tiếp phụ trách để xảy ra tham nhũng, lãng phí và đã bị xử lý",
    ),
}


UNITS_GROUND = "trên 50% cơ quan, đơn vị thuộc quyền phụ trách xếp loại không hoàn thành nhiệm vụ"


@rule("E-4", "E-8")
def rule_e4_e8(ctx: RatingCase) -> Results:
    """E-4 (Party) or E-8 (state): the automatic "không hoàn thành nhiệm vụ" grounds. Those the
    dossier holds are read from it: a duty-related discipline of the year (both), for a leader on
    the Party side "low" above half in a vote of the year and more than half of the units he heads
    rated KHT; the rest (``DECLARED_GROUNDS``) are declared. A ground established → KHT (a fail
    when a higher level is proposed); nothing established and a fact unknown → cannot decide,
    naming the missing facts; all known and none established → pass."""
    rid = "E-4" if ctx.party else "E-8"
    ver = ctx.book.find(rid, ctx.day)
    if ver is None:
        return []
    r = ctx.rating
    leader = r.is_leader
    known: list[tuple[str, bool | None]] = [
        (
            "bị kỷ luật từ khiển trách trở lên do vi phạm khi thực thi nhiệm vụ trong năm",
            r.duty_discipline_in_year,
        )
    ]
    facts = [FactUsed("Kỷ luật trong năm (hồ sơ)", _yes_no(r.duty_discipline_in_year))]
    if ctx.party and leader:
        known.append(("tín nhiệm thấp trên 50% trong lần lấy phiếu của năm", r.low_vote_over_half))
        facts.append(FactUsed("Tín nhiệm thấp trên 50% trong năm (hồ sơ)", _yes_no(r.low_vote_over_half)))
        if r.units_led_kht is not None:
            kht, rated = r.units_led_kht
            over = rated > 0 and kht * 2 > rated
            known.append((UNITS_GROUND, over))
            facts.append(FactUsed("Đơn vị phụ trách xếp loại không hoàn thành", f"{kht}/{rated}"))
    declared = DECLARED_GROUNDS[(rid, leader)]
    if ctx.party and leader and r.units_led_kht is None:  # no collective rating read: declared
        declared = (*declared, UNITS_GROUND)
    facts.append(FactUsed("Căn cứ khác (khai báo)", _yes_no(r.kht_trigger)))
    established = [text for text, value in known if value]
    if r.kht_trigger:
        established.append("có căn cứ khác đã khai báo (" + "; ".join(declared) + ")")
    if established:
        proposed_above_kht = RATING_ORDER.get(r.proposed_level, 0) > 0
        return [
            result(
                ver,
                FAIL if proposed_above_kht else PASS,
                "Có căn cứ: " + "; ".join(established) + " → không hoàn thành nhiệm vụ.",
                facts,
            )
        ]
    missing = [text for text, value in known if value is None]
    if r.kht_trigger is None:
        missing.extend(declared)
    if missing:
        return [result(ver, CANNOT, "Cần xác định: " + "; ".join(missing) + ".", facts)]
    return [result(ver, PASS, "Không có căn cứ đương nhiên không hoàn thành nhiệm vụ.", facts)]


def _yes_no(value: bool | None) -> str:
    return "chưa xác định" if value is None else ("có" if value else "không")


@rule("D-11")
def rule_d11(ctx: RatingCase) -> Results:
    """D-11: a duty-related discipline of reprimand or heavier in the year → KHT (declared)."""
    return _ground(ctx, "D-11")


@rule("V-10")
def rule_v10_rating(ctx: RatingCase) -> Results:
    """V-10: for a leader, "low" confidence above half in a vote of the year → KHT (declared);
    silent for others."""
    return _ground(ctx, "V-10")


@rule("E-3", "E-8", "E-12")
def rule_proposed_level(ctx: RatingCase) -> Results:
    """E-3 / E-8 / E-12: the proposed level is not above the level the score and the KHT grounds
    allow; silent when neither is known."""
    level, band = ctx.level, ctx.band
    if level is None or band is None:
        return []
    proposed = ctx.rating.proposed_level
    ok = RATING_ORDER[proposed] <= RATING_ORDER[level]
    return [
        result(
            band,
            PASS if ok else FAIL,
            f"Mức đề nghị {RATING_LABELS[proposed]} "
            f"{'không vượt' if ok else 'cao hơn'} mức được xét theo điểm và điều kiện "
            f"({RATING_LABELS[level]}).",
            [FactUsed("Mức đề nghị", RATING_LABELS[proposed])],
        )
    ]


@rule("E-3")
def rule_e3_exceeded(ctx: RatingCase) -> Results:
    """E-3: "hoàn thành xuất sắc" on the Party side needs at least ``htxs_exceeded_share`` of
    tasks exceeded; only for that proposed level."""
    band = ctx.band
    if ctx.rating.proposed_level != "htxs" or band is None or band.rule_id != "E-3":
        return []
    need = float(band.params["htxs_exceeded_share"])
    share = ctx.rating.exceeded_share
    if share is None:
        return [result(band, CANNOT, f"Chưa có tỷ lệ nhiệm vụ vượt mức (cần ≥ {need:.0%} cho mức xuất sắc).")]
    ok = share >= need
    return [
        result(
            band,
            PASS if ok else FAIL,
            f"Vượt mức {share:.0%} nhiệm vụ, {'đủ' if ok else 'chưa đủ'} {need:.0%}.",
            threshold=f"≥ {need:.0%}",
        )
    ]


@rule("E-5", "E-9", "E-12")
def rule_htxs_quota(ctx: RatingCase) -> Results:
    """E-5 (Party), E-9 or E-12 (state): the unit's "hoàn thành xuất sắc" count, this one
    included, is at most ``htxs_share_of_htt`` of its "hoàn thành tốt" count; only for that
    proposed level."""
    if ctx.rating.proposed_level != "htxs":
        return []
    quota = ctx.book.find(ctx.quota_rule, ctx.day)
    if quota is None:
        return [missing_version(ctx.quota_rule, "Tỷ lệ hoàn thành xuất sắc", ctx.day)]
    share = float(quota.params.get("htxs_share_of_htt", quota.params.get("htxs_share", 0.2)))
    htxs, htt = ctx.rating.unit_htxs, ctx.rating.unit_htt
    if htxs is None or htt is None:
        return [
            result(
                quota,
                CANNOT,
                "Chưa có số lượng xếp loại xuất sắc và tốt của cơ quan, nhóm để tính tỷ lệ.",
                threshold=f"≤ {share:.0%} số HTT",
            )
        ]
    limit = share * htt
    ok = htxs <= limit
    return [
        result(
            quota,
            PASS if ok else FAIL,
            f"{htxs} xuất sắc so với {htt} tốt: "
            f"{'trong' if ok else 'vượt'} giới hạn {share:.0%} ({limit:g}).",
            [FactUsed("Số HTXS (kể cả người này)", str(htxs)), FactUsed("Số HTT", str(htt))],
            f"≤ {share:.0%} × HTT",
        )
    ]


RATING = Check[RatingCase](
    (
        rule_band_score,
        rule_e4_e8,
        rule_d11,
        rule_v10_rating,
        rule_proposed_level,
        rule_e3_exceeded,
        rule_htxs_quota,
    )
)


def check_rating(book: Rulebook, r: RatingInput) -> Verdict:
    v = Verdict(
        "rating",
        "Xếp loại chất lượng",
        r.rating_date,
        "Ngày quyết định xếp loại",
        r.person_id,
        r.person_name,
        "",
        "",
    )
    v.results.extend(RATING.results(RatingCase(book, r)))
    return v
