"""The before/after chart of a measure as server-rendered SVG (it reads without scripts; the
table beside it carries the same numbers)."""

from __future__ import annotations

from typing import Any

from commonbeat.engagement.priorities.measure import Series

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 28


def _nice_top(value: int) -> int:
    if value <= 5:
        return 5
    step = int(10 ** (len(str(value)) - 1))
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return int(factor * step)
    return int(10 * step)


def svg(series: Series) -> dict[str, Any] | None:
    """Return the shapes of the chart: bars per month, the action line, the axis labels."""
    if not series.months:
        return None
    top = _nice_top(max(series.counts) if series.counts else 0)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / len(series.months)
    bars = []
    action_x = None
    for i, (month, count) in enumerate(zip(series.months, series.counts, strict=True)):
        height = plot_h * count / top
        x = LEFT + i * step
        phase = "before"
        if series.action_month:
            if month == series.action_month:
                phase, action_x = "during", round(x + step / 2, 1)
            elif month > series.action_month:
                phase = "after"
        bars.append(
            {
                "x": round(x + step * 0.1, 1),
                "y": round(TOP + plot_h - height, 1),
                "w": round(max(step * 0.8, 1), 1),
                "h": round(height, 1),
                "month": month,
                "count": count,
                "phase": phase,
            }
        )
    # A label every year (January), or the first month when the series is short.
    ticks = [
        {"x": round(LEFT + i * step + step / 2, 1), "label": m}
        for i, m in enumerate(series.months)
        if m.endswith("-01") or (i == 0 and len(series.months) < 12)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "action_x": action_x,
        "top": top,
        "axis": {"x0": LEFT, "x1": WIDTH - RIGHT, "y": TOP + plot_h, "top_y": TOP},
        "ticks": ticks,
        "plot_bottom": TOP + plot_h,
    }
