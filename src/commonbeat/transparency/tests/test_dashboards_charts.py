"""Dashboard charts are honest: whole-number ticks for counts, unreliable values marked."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from commonbeat.releases.cache import Release
from commonbeat.transparency.dashboards import charts
from commonbeat.transparency.dashboards.figures import Column, Figure

AGENCY = "riverton-pd"


def figure(rows: list[dict[str, object]], chart: dict[str, object]) -> Figure:
    return Figure(
        id="test-figure",
        title="Searches by race",
        description="",
        columns=[
            Column("race", "Race", "dimension"),
            Column("searches", "Searches"),
            Column("hits", "Hits"),
            Column("hit_rate", "Hit rate", "rate", "searches"),
        ],
        rows=rows,
        quality={},
        chart=chart,
    )


@pytest.mark.parametrize("maximum", [0.0, 1, 2, 3, 4, 7, 9, 13, 48, 101, 439, 1234, 98765])
def test_count_axes_have_whole_number_ticks_in_nice_steps(maximum: float) -> None:
    ticks = charts.ticks_for(maximum, whole=True)
    assert all(t == int(t) for t in ticks)
    assert ticks[0] == 0 and ticks[-1] >= maximum
    steps = {ticks[i + 1] - ticks[i] for i in range(len(ticks) - 1)}
    assert len(steps) == 1
    step = int(steps.pop())
    assert int(str(step)[0]) in (1, 2, 5) and set(str(step)[1:]) <= {"0"}


def test_a_chart_of_small_counts_never_has_a_fractional_tick() -> None:
    rows = [{"race": "black", "searches": 3, "hits": 1, "hit_rate": 1 / 3}]
    chart = charts.build(figure(rows, {"type": "bar", "values": ["searches", "hits"]}))
    assert chart is not None
    assert [t.text for t in chart.ticks] == ["0", "1", "2", "3"]


def test_rate_axes_may_have_fractional_ticks() -> None:
    assert charts.ticks_for(0.8, whole=False) == [0.0, 0.2, 0.4, 0.6, 0.8]


def test_an_unreliable_rate_is_hatched_on_the_chart_with_a_legend() -> None:
    rows = [
        {"race": "black", "searches": 4, "hits": 3, "hit_rate": 0.75},  # 3 of 4: unreliable
        {"race": "white", "searches": 200, "hits": 50, "hit_rate": 0.25},
    ]
    chart = charts.build(figure(rows, {"type": "bar", "values": ["hit_rate"]}))
    assert chart is not None and chart.unreliable
    weak, sound = (row["bars"][0] for row in chart.rows)
    assert weak["unreliable"] and not sound["unreliable"]
    assert "unreliable" in weak["title"]
    assert any("unreliable" in entry["text"] for entry in chart.legend)


def test_a_chart_without_unreliable_values_has_no_unreliable_legend() -> None:
    rows = [{"race": "white", "searches": 200, "hits": 50, "hit_rate": 0.25}]
    chart = charts.build(figure(rows, {"type": "bar", "values": ["hit_rate"]}))
    assert chart is not None and not chart.unreliable
    assert not any("unreliable" in entry["text"] for entry in chart.legend)


def test_axis_labels_follow_the_language() -> None:
    rows = [{"race": "white", "searches": 12000, "hits": 50, "hit_rate": 0.25}]
    with translation.override("en"):
        chart = charts.build(figure(rows, {"type": "bar", "values": ["searches"]}))
        assert chart is not None and "10,000" in [t.text for t in chart.ticks]
    with translation.override("es"):
        # Django's es locale groups thousands with a no-break space.
        chart = charts.build(figure(rows, {"type": "bar", "values": ["searches"]}))
        assert chart is not None and "10\xa0000" in [t.text for t in chart.ticks]


def test_the_dashboard_page_draws_marked_unreliable_values_in_its_svg(published: Release) -> None:
    place = str(published.value("SELECT min(neighbourhood) FROM stop"))
    client = Client()
    html = client.get(f"/dashboards/{AGENCY}/stops/", {"neighbourhood": place}).content.decode()
    data = client.get(f"/dashboards/{AGENCY}/stops.json", {"neighbourhood": place}).json()
    weak = [
        f["id"] for f in data["figures"] if any("hit_rate" in r["unreliable"] for r in f["rows"])
    ]
    for name in weak:
        section = html.split(f'id="figure-{name}"')[1].split("</section>")[0]
        assert 'class="bar bar-unreliable"' in section
        assert "hatched: unreliable" in section
    # Every count axis on every dashboard has whole-number ticks.
    for board in ("stops", "crime", "calls", "force", "complaints"):
        page = client.get(f"/dashboards/{AGENCY}/{board}/").content.decode()
        for svg in re.findall(r'<svg viewBox="[^"]*" class="chart.*?</svg>', page, re.S):
            ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', svg)
            numbers = [t for t in ticks if re.fullmatch(r"[\d,]+(\.\d+)?", t)]
            counts = [t for t in numbers if "." in t]
            assert not counts or "%" in svg  # fractional ticks only on rate/time axes


def test_each_table_has_a_csv_download_of_its_own_rows(published: Release) -> None:
    client = Client()
    html = client.get(f"/dashboards/{AGENCY}/crime/").content.decode()
    links = re.findall(r'<p class="table-download"><a href="([^"]+)"', html)
    assert links and len(links) == html.count('<table id="table-')
    response = client.get(links[0].replace("&amp;", "&"))
    assert response.status_code == 200
    lines = response.content.decode().splitlines()[1:]
    assert lines and {line.split(",")[6] for line in lines} == {"crimes-by-month"}
    assert client.get(f"/dashboards/{AGENCY}/crime.csv", {"figure": "nope"}).status_code == 404
