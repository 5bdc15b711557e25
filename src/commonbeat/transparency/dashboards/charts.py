"""Server-rendered SVG charts for dashboard figures: axes with nice ticks, honest marks.

A chart is drawn from the same rows as its table. Counts get whole-number ticks (no "0.5
crimes"); a value the table marks unreliable (a rate on a small denominator) is drawn hatched
and outlined, with a legend entry saying why, so the picture never claims more than the table.
The SVG is sized for a phone (360 units wide) and scales up; pages need no script to show it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from commonbeat.transparency.dashboards.figures import SMALL_COUNT, Column, Figure, display

WIDTH = 360
LABEL_WIDTH = 120  # left margin of horizontal bar charts, where the row labels go
AXIS_HEIGHT = 24
BAR = 14  # height of one bar
GAP = 8  # between groups of bars
LINE_HEIGHT = 220
LINE_LEFT = 44
SERIES = 7  # colour classes series-0 … series-6 in site.css (Okabe-Ito)
LONGEST_LABEL = 20  # characters; longer labels are cut, the full label is in the <title>


@dataclass
class Tick:
    value: float
    position: float
    text: str


@dataclass
class Chart:
    figure: str
    type: str
    label: str
    width: int
    height: int
    ticks: list[Tick]
    series: list[dict[str, Any]]
    rows: list[dict[str, Any]] = field(default_factory=list)  # bar charts: one group a row
    lines: list[dict[str, Any]] = field(default_factory=list)  # line charts: one per series
    x_labels: list[dict[str, Any]] = field(default_factory=list)
    unreliable: bool = False
    plot: dict[str, float] = field(default_factory=dict)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def hatch(self) -> str:
        return f"hatch-{self.figure}"

    @property
    def legend(self) -> list[dict[str, str]]:
        entries = [{"css": s["css"], "text": s["label"]} for s in self.series]
        if self.unreliable:
            entries.append(
                {
                    "css": "legend-unreliable",
                    "text": _("hatched: unreliable, the rate rests on fewer than %(count)s records")
                    % {"count": SMALL_COUNT},
                }
            )
        return entries


def nice_step(span: float, whole: bool, target: int = 5) -> float:
    """Return a step of 1, 2 or 5 times a power of ten giving about `target` ticks over `span`.

    For counts (`whole`) the step is at least 1, so every tick is a whole number.
    """
    if span <= 0:
        return 1.0
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, float(round(step)))
    return float(step)


def ticks_for(maximum: float, whole: bool) -> list[float]:
    """Return tick values from 0 to at least `maximum` in nice steps."""
    step = nice_step(maximum, whole)
    count = max(1, math.ceil(maximum / step - 1e-9)) if maximum > 0 else 1
    if whole:
        return [float(int(step) * i) for i in range(count + 1)]
    return [round(step * i, 10) for i in range(count + 1)]


def _axis_text(value: float, kind: str, whole: bool) -> str:
    if whole:
        text = number_format(int(value), 0, force_grouping=True)
    else:
        places = 0 if float(value).is_integer() else len(f"{value:.10g}".split(".")[-1])
        text = number_format(value, min(places, 2), force_grouping=True)
    if kind == "rate":
        return f"{text} %"
    if kind == "seconds":
        return _("%(value)s min") % {"value": text}
    return text


def _chart_value(column: Column, value: Any) -> float | None:
    if value is None:
        return None
    if column.kind == "rate":
        return float(value) * 100
    if column.kind == "seconds":
        return float(value) / 60  # an axis in minutes is easier to read than in seconds
    return float(value)


def _short(text: str) -> str:
    return text if len(text) <= LONGEST_LABEL else text[: LONGEST_LABEL - 1] + "…"


def build(figure: Figure) -> Chart | None:
    """Return the figure's chart, or None when it has none or nothing to draw."""
    if not figure.chart or not figure.rows:
        return None
    by_key = {c.key: c for c in figure.columns}
    columns = [by_key[key] for key in figure.chart["values"]]
    kind = columns[0].kind
    whole = kind == "count"
    values = [[_chart_value(c, row.get(c.key)) for c in columns] for row in figure.rows]
    weak = [set(figure.unreliable(row)) for row in figure.rows]
    found = [v for row in values for v in row if v is not None]
    if not found:
        return None
    maximum = max(found)
    if kind == "rate":
        maximum = min(100.0, maximum) if maximum > 0 else 100.0
    tick_values = ticks_for(maximum, whole)
    top = tick_values[-1] or 1.0
    series = [
        {"label": str(c.label), "css": f"series-{index % SERIES}"}
        for index, c in enumerate(columns)
    ]
    label = _("Chart: %(title)s. The same figures are in the table “%(title)s” below.") % {
        "title": figure.title
    }
    chart = Chart(figure.id, figure.chart.get("type", "bar"), label, WIDTH, 0, [], series)
    if chart.type == "line":
        _line(chart, figure, columns, values, weak, tick_values, top, kind, whole)
    else:
        _bars(chart, figure, columns, values, weak, tick_values, top, kind, whole)
    return chart


def _bars(
    chart: Chart,
    figure: Figure,
    columns: list[Column],
    values: list[list[float | None]],
    weak: list[set[str]],
    tick_values: list[float],
    top: float,
    kind: str,
    whole: bool,
) -> None:
    """Horizontal bars (labels on the left): long category names fit a phone's width."""
    left, right = LABEL_WIDTH, WIDTH - 12
    plot = right - left
    group = BAR * len(columns) + GAP
    y = AXIS_HEIGHT
    for row, row_values, row_weak in zip(figure.rows, values, weak, strict=True):
        name = figure.row_label(row)
        bars = []
        for index, (column, value) in enumerate(zip(columns, row_values, strict=True)):
            unreliable = column.key in row_weak
            chart.unreliable = chart.unreliable or unreliable
            length = 0.0 if value is None else plot * min(value, top) / top
            bars.append(
                {
                    "x": left,
                    "y": y + index * BAR,
                    "width": round(length, 2),
                    "height": BAR - 2,
                    "css": chart.series[index]["css"],
                    "unreliable": unreliable,
                    "missing": value is None,
                    "title": f"{name}, {column.label}: "
                    + (_display(column, figure, row) if value is not None else "—")
                    + (" (" + _("unreliable") + ")" if unreliable else ""),
                }
            )
        chart.rows.append(
            {"label": _short(name), "full": name, "y": y + (group - GAP) / 2 + 4, "bars": bars}
        )
        y += group
    chart.height = int(y + 4)
    chart.plot = {"left": left, "right": right, "top": AXIS_HEIGHT - 4, "bottom": y - GAP + 2}
    chart.ticks = [
        Tick(v, round(left + plot * v / top, 2), _axis_text(v, kind, whole)) for v in tick_values
    ]


def _line(
    chart: Chart,
    figure: Figure,
    columns: list[Column],
    values: list[list[float | None]],
    weak: list[set[str]],
    tick_values: list[float],
    top: float,
    kind: str,
    whole: bool,
) -> None:
    """A line per series over months; an unreliable point is a hollow, outlined marker."""
    left, right, upper, lower = LINE_LEFT, WIDTH - 10, 10, LINE_HEIGHT - 30
    count = len(figure.rows)

    def x_of(index: int) -> float:
        return left + (right - left) * (index / (count - 1) if count > 1 else 0.5)

    def y_of(value: float) -> float:
        return lower - (lower - upper) * min(value, top) / top

    for index, column in enumerate(columns):
        points = []
        segments: list[list[str]] = [[]]
        for row_index, (row, row_values, row_weak) in enumerate(
            zip(figure.rows, values, weak, strict=True)
        ):
            value = row_values[index]
            if value is None:
                segments.append([])  # a gap in the data is a gap in the line
                continue
            x, y = round(x_of(row_index), 2), round(y_of(value), 2)
            segments[-1].append(f"{x},{y}")
            unreliable = column.key in row_weak
            chart.unreliable = chart.unreliable or unreliable
            points.append(
                {
                    "x": x,
                    "y": y,
                    "unreliable": unreliable,
                    "title": f"{figure.row_label(row)}, {column.label}: "
                    + _display(column, figure, row)
                    + (" (" + _("unreliable") + ")" if unreliable else ""),
                }
            )
        chart.lines.append(
            {
                "css": chart.series[index]["css"],
                "segments": [" ".join(s) for s in segments if s],
                "points": points,
            }
        )
    # Label at most about six months along the axis so that they do not overlap on a phone.
    every = max(1, math.ceil(count / 6))
    chart.x_labels = [
        {"x": round(x_of(i), 2), "text": figure.row_label(row)}
        for i, row in enumerate(figure.rows)
        if i % every == 0
    ]
    chart.height = LINE_HEIGHT
    chart.plot = {"left": left, "right": right, "top": upper, "bottom": lower}
    chart.ticks = [Tick(v, round(y_of(v), 2), _axis_text(v, kind, whole)) for v in tick_values]


def _display(column: Column, figure: Figure, row: dict[str, Any]) -> str:
    return display(column.kind, row.get(column.key))
