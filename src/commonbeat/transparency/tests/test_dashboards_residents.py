"""Figures by neighbourhood give rates per 1,000 residents beside their counts."""

from __future__ import annotations

import pytest
from django.test import Client

from commonbeat.releases.cache import Release

AGENCY = "riverton-pd"
MAPPED = {
    "crime": ("crimes-by-neighbourhood", "crimes"),
    "stops": ("stops-by-neighbourhood", "stops"),
}


@pytest.mark.parametrize("board", sorted(MAPPED))
def test_rates_per_resident_are_the_count_over_the_release_residents(
    published: Release, board: str
) -> None:
    name, measure = MAPPED[board]
    residents = {
        place: int(count)
        for place, count in published.rows(
            "SELECT neighbourhood, sum(residents) FROM dash_residents WHERE agency = ? GROUP BY 1",
            [AGENCY],
        )
    }
    assert residents
    data = Client().get(f"/dashboards/{AGENCY}/{board}.json").json()
    figure = next(f for f in data["figures"] if f["id"] == name)
    keys = [c["key"] for c in figure["columns"]]
    rate = f"{measure}_per_1000_residents"
    assert keys.index(rate) == keys.index(measure) + 2  # beside the count, after residents
    for row in figure["rows"]:
        assert row["residents"] == residents[row["neighbourhood"]]
        assert row[rate] == pytest.approx(
            row[measure] * 1000 / residents[row["neighbourhood"]], abs=0.05
        )
    page = Client().get(f"/dashboards/{AGENCY}/{board}/").content.decode()
    assert "per 1,000 residents" in page
