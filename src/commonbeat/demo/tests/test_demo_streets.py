"""The demo city's streets and address points: planned from the seed, loaded as operators do."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from commonbeat.core import address_search
from commonbeat.core.models import AddressPoint, Street
from commonbeat.demo.city import CityPlan, build_city
from commonbeat.demo.streets import StreetPlan, load_streets, plan_streets


@pytest.fixture(scope="module")
def streets() -> StreetPlan:
    return plan_streets(build_city(seed=1))


def test_the_same_seed_gives_the_same_streets_and_addresses(streets: StreetPlan) -> None:
    assert plan_streets(build_city(seed=1)) == streets
    assert plan_streets(build_city(seed=2)) != streets


def test_the_city_has_a_few_thousand_addresses_on_dozens_of_named_streets(
    streets: StreetPlan,
) -> None:
    assert 25 <= len(streets.streets) <= 60
    assert 2000 <= len(streets.addresses) <= 6000
    names = [street.name for street in streets.streets]
    assert len(set(names)) == len(names)
    assert all(name.split()[-1] in {"Street", "Avenue", "Drive", "Real"} for name in names)
    # No address twice: each (number, street) is one house.
    houses = Counter((a.number, a.street) for a in streets.addresses)
    assert max(houses.values()) == 1


def test_nearly_every_address_lies_in_a_neighbourhood(streets: StreetPlan) -> None:
    plan = build_city(seed=1)
    city = [shape(n.boundary) for n in plan.neighbourhoods]
    inside = sum(
        any(area.covers(Point(a.longitude, a.latitude)) for area in city) for a in streets.addresses
    )
    assert inside / len(streets.addresses) > 0.97


def test_loading_goes_through_the_operators_loader_and_replaces_on_reload(
    city: CityPlan, tmp_path: Path
) -> None:
    count, load = load_streets(city, tmp_path)
    assert Street.objects.count() == count > 10
    assert AddressPoint.objects.count() == load.loaded and load.replaced == 0
    assert (
        AddressPoint.objects.filter(neighbourhood__isnull=False).count()
        >= load.loaded - load.outside
    )
    again_count, again = load_streets(city, tmp_path)
    assert (again_count, again.loaded, again.replaced) == (count, load.loaded, load.loaded)
    assert AddressPoint.objects.count() == load.loaded
    # A resident's typo still finds a demo address, in the neighbourhood it stands in.
    point = AddressPoint.objects.filter(neighbourhood__isnull=False).order_by("pk")[40]
    typo = f"{point.number} {point.street.replace('Street', 'Stret').replace('Avenue', 'Avenu')}"
    found = address_search.search(typo).clear_match
    assert found is not None and found.point.pk == point.pk
