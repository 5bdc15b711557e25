"""Server-rendered SVG charts of survey series (they read without scripts; a table beside each
carries the same numbers): lines over time for published sentiment scores, and points with
their 95 % intervals for our own waves."""

from __future__ import annotations

from datetime import date
from typing import Any

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 30, 6, 8, 22


def _day(text: str) -> int:
    return date.fromisoformat(text[:10]).toordinal()


def _frame(first: str, last: str) -> tuple[int, int, list[dict[str, Any]]]:
    start, end = _day(first), max(_day(last), _day(first) + 1)
    years = range(date.fromordinal(start).year + 1, date.fromordinal(end).year + 1)
    plot_w = WIDTH - LEFT - RIGHT
    ticks = [
        {
            "x": round(LEFT + plot_w * (date(y, 1, 1).toordinal() - start) / (end - start), 1),
            "label": str(y),
        }
        for y in years
    ]
    return start, end, ticks


def _y(value: float, top: float = 100.0) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    return round(TOP + plot_h * (1 - value / top), 1)


def _x(day: int, start: int, end: int) -> float:
    plot_w = WIDTH - LEFT - RIGHT
    return round(LEFT + plot_w * (day - start) / (end - start), 1)


def grid() -> list[dict[str, Any]]:
    return [{"y": _y(v), "label": str(v)} for v in (0, 25, 50, 75, 100)]


def lines(
    place: dict[str, Any], measures: tuple[str, ...], first: str, last: str
) -> dict[str, Any]:
    """One small multiple: a polyline per measure on the 0-100 scale."""
    start, end, ticks = _frame(first, last)
    out = []
    for measure in measures:
        points = " ".join(
            f"{_x(_day(p['start']), start, end)},{_y(p['value'])}" for p in place[measure]
        )
        out.append({"measure": measure, "points": points})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": out,
        "ticks": ticks,
        "grid": grid(),
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
    }


def intervals(points: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Waves as points with whiskers (share and its interval, in per cent), evenly spaced."""
    shown = [p for p in points if p.get("share") is not None]
    if not shown:
        return None
    plot_w = WIDTH - LEFT - RIGHT
    step = plot_w / max(len(points), 1)
    marks = []
    for i, p in enumerate(points):
        x = round(LEFT + step * (i + 0.5), 1)
        mark: dict[str, Any] = {"x": x, "label": p["label"]}
        if p.get("share") is not None:
            mark.update(y=_y(100 * p["share"]), low=_y(100 * p["low"]), high=_y(100 * p["high"]))
        marks.append(mark)
    path = " ".join(f"{m['x']},{m['y']}" for m in marks if "y" in m)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "marks": marks,
        "path": path,
        "grid": grid(),
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
    }
