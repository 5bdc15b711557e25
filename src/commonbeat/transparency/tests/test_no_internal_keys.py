"""No page of the demo city's dashboards or equity analyses shows an identifier to a reader."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from commonbeat.releases.cache import Release

AGENCY = "riverton-pd"
PAGES = [f"/dashboards/{AGENCY}/{b}/" for b in ("calls", "crime", "stops", "force", "complaints")]
PAGES += [f"/dashboards/{AGENCY}/stops/equity/", f"/es/dashboards/{AGENCY}/stops/equity/"]
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def visible_text(html: str) -> str:
    """The page's text as read: no tags, attributes, scripts, or the CSV layout's help (which
    names the CSV's own columns on purpose)."""
    html = re.sub(r'<details class="csv-help">.*?</details>', "", html, flags=re.S)
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("page", PAGES)
def test_no_internal_key_is_shown(published: Release, page: str) -> None:
    response = Client().get(page)
    assert response.status_code == 200
    assert SNAKE.findall(visible_text(response.content.decode())) == []


def test_equity_tables_have_no_two_columns_saying_the_same(published: Release) -> None:
    html = Client().get(f"/dashboards/{AGENCY}/stops/equity/").content.decode()
    for table in re.findall(r"<table id=.*?</table>", html, flags=re.S):
        rows = [
            re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)
            for row in re.findall(r"<tbody>.*?</tbody>", table, flags=re.S)[0].split("</tr>")
            if "<td" in row
        ]
        if len(rows) < 2:
            continue
        columns = list(zip(*rows, strict=False))
        numeric = [c for c in columns[1:] if any(re.search(r"\d", v) for v in c)]
        assert len(numeric) == len(set(numeric)), table[:200]
