"""Server-rendered inline SVG: the trend of one indicator over dates, with its target band."""

from __future__ import annotations

import datetime as dt
from html import escape

from canbo.indicators.engine import Result
from canbo.indicators.models import IndicatorTarget, TargetKind

W, H, LEFT, RIGHT, TOP, BOTTOM = 720, 240, 48, 44, 16, 40


def trend_svg(points: list[tuple[dt.date, Result]], target: IndicatorTarget | None = None) -> str:
    """A line chart of the shares (0–100%); dates with no value leave a gap and say so."""
    n = len(points)
    if not n:
        return ""
    values = [float(r.fraction) * 100 if r.fraction is not None else None for _, r in points]
    top = max(
        [v for v in values if v is not None] + [float(target.high or target.low or 0) * 100 if target else 0]
    )
    top = max(10.0, min(100.0, (int(top / 10) + 1) * 10))

    def x(i: int) -> float:
        return LEFT + (W - LEFT - RIGHT) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: float) -> float:
        return TOP + (H - TOP - BOTTOM) * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
        'role="img" aria-label="Diễn biến chỉ tiêu theo thời gian" class="trend">'
    ]
    for k in range(0, 6):
        v = top * k / 5
        parts.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#dde3ea"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{v:g}%</text>'
        )
    if target is not None and target.kind in (
        TargetKind.MIN,
        TargetKind.RANGE,
        TargetKind.MAX,
        TargetKind.ALL,
    ):
        low = (
            float(target.low) * 100
            if target.low is not None
            else (100.0 if target.kind == TargetKind.ALL else 0.0)
        )
        high = float(target.high) * 100 if target.high is not None else top
        low, high = min(low, top), min(high, top)
        parts.append(
            f'<rect x="{LEFT}" y="{y(high):.1f}" width="{W - LEFT - RIGHT}" '
            f'height="{max(1.0, y(low) - y(high)):.1f}" fill="#e8f5e9" stroke="#7cb342" '
            f'stroke-dasharray="4 3"><title>Mục tiêu: {escape(target.text)}</title></rect>'
        )
    segment: list[str] = []
    for i, val in enumerate(values):
        if val is None:
            if len(segment) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="#1565c0" stroke-width="2" points="{" ".join(segment)}"/>'
                )
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(val):.1f}")
    if len(segment) > 1:
        parts.append(
            f'<polyline fill="none" stroke="#1565c0" stroke-width="2" points="{" ".join(segment)}"/>'
        )
    for i, ((day, res), point) in enumerate(zip(points, values, strict=True)):
        label = f"{day:%d/%m/%Y}"
        parts.append(
            f'<text x="{x(i):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" font-size="11">{label}</text>'
        )
        if point is None:
            parts.append(
                f'<text x="{x(i):.1f}" y="{y(0) - 6:.1f}" text-anchor="middle" font-size="11" fill="#888">'
                f"{'không có' if res.status == 'absent' else '—'}</text>"
            )
            continue
        tip = f"{label}: {res.percent()} ({res.numerator}/{res.population})"
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(point):.1f}" r="4" fill="#1565c0">'
            f"<title>{escape(tip)}</title></circle>"
            f'<text x="{x(i):.1f}" y="{y(point) - 8:.1f}" text-anchor="middle" font-size="11">'
            f"{escape(res.percent())}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
