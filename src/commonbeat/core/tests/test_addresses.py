"""Loading address files (`commonbeat addresses`) and searching them, typos and all."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonbeat.core import address_search, services
from commonbeat.core.addresses import AddressFileError, fold, postcode_key, street_key
from commonbeat.core.models import AddressPoint, Agency, AuditEntry

City = Any  # the root conftest's small city plan, read by its attributes only
HEADER = "LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH\n"


def address_lines(plan: City) -> list[str]:
    """Return OpenAddresses lines: two houses on a street at each neighbourhood's centre."""
    streets = ("Elm Street", "Oak Avenue", "Calle Mayor", "Riverside Drive")
    lines = []
    for index, neighbourhood in enumerate(plan.neighbourhoods):
        lat, lng = neighbourhood.centre
        street = streets[index % len(streets)]
        for number in (12, 14):
            lines.append(f"{lng},{lat},{number},{street},,Riverton,,IA,5031{index},{index},h\n")
    return lines


def write(path: Path, *lines: str, header: str = HEADER) -> Path:
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def agency(city: City) -> Agency:
    return Agency.objects.get(slug=city.agency["slug"])


@pytest.fixture
def loaded(city: City, agency: Agency, tmp_path: Path) -> City:
    # A point far from the city (the Gulf of Guinea) falls outside every neighbourhood.
    outside = "0.5,0.5,1,Lonely Lane,,Nowhere,,,99999,99,h\n"
    services.load_addresses(write(tmp_path / "city.csv", *address_lines(city), outside), agency)
    return city


def test_search_keys_ignore_case_accents_and_abbreviations() -> None:
    assert street_key("12 ELM St.") == "12 elm street"
    assert street_key("Avda. de la Constitución") == "avenida de la constitucion"
    assert postcode_key("SW1A 1AA") == "sw1a1aa"
    assert fold("  Peña-Nieto ") == "pena nieto"


def test_a_good_file_loads_with_each_point_in_its_neighbourhood(
    city: City, agency: Agency, tmp_path: Path
) -> None:
    result = services.load_addresses(write(tmp_path / "city.csv", *address_lines(city)), agency)
    assert result.loaded == 2 * len(city.neighbourhoods) and result.replaced == 0
    assert result.outside == 0
    first = AddressPoint.objects.get(number="12", street="Elm Street")
    assert first.neighbourhood is not None
    assert first.neighbourhood.slug == city.neighbourhoods[0].slug
    assert first.postcode == "50310" and first.locality == "Riverton" and first.line == 2
    assert first.street_key == "elm street"
    # One audit entry records the load, not one per point.
    entry = AuditEntry.objects.filter(action="load").get()
    assert entry.changes["address_points"] == [0, result.loaded]


def test_reloading_the_same_file_replaces_its_points(
    city: City, agency: Agency, tmp_path: Path
) -> None:
    path = write(tmp_path / "city.csv", *address_lines(city))
    services.load_addresses(path, agency)
    again = services.load_addresses(path, agency)
    assert again.replaced == again.loaded == AddressPoint.objects.count()
    # Another file of the same agency is kept beside it.
    services.load_addresses(write(tmp_path / "extra.csv", address_lines(city)[0]), agency)
    assert AddressPoint.objects.count() == again.loaded + 1


def test_bad_lines_are_named_with_line_field_and_an_example_and_nothing_loads(
    city: City, agency: Agency, tmp_path: Path
) -> None:
    good = address_lines(city)[0]
    path = write(
        tmp_path / "bad.csv",
        good,
        "-93.6,north,3,Elm Street,,,,,,,\n",
        "-193.6,41.5,3,Elm Street,,,,,,,\n",
        "-93.6,41.5,3,,,,,,,,\n",
    )
    with pytest.raises(AddressFileError) as caught:
        services.load_addresses(path, agency)
    problems = [(p.line, p.field) for p in caught.value.problems]
    assert problems == [(3, "LAT"), (4, "LON"), (5, "STREET")]
    message = str(caught.value)
    assert "line 3, LAT" in message and "e.g. 41.586835" in message
    assert "line 4, LON" in message and "between -180 and 180" in message
    assert "e.g. Elm Street" in message
    assert AddressPoint.objects.count() == 0


def test_a_file_without_the_openaddresses_columns_is_refused_naming_them(
    agency: Agency, tmp_path: Path
) -> None:
    path = write(tmp_path / "wrong.csv", "1,2\n", header="x,y\n")
    with pytest.raises(AddressFileError, match="LON, LAT, STREET") as caught:
        services.load_addresses(path, agency)
    assert "LON,LAT,NUMBER,STREET,UNIT,CITY" in str(caught.value)


def test_openaddresses_headers_in_any_case_and_with_a_bom_are_read(
    city: City, agency: Agency, tmp_path: Path
) -> None:
    path = tmp_path / "oa.csv"
    lines = address_lines(city)[:2]
    path.write_text("\ufeff" + HEADER.lower() + "".join(lines), encoding="utf-8")
    assert services.load_addresses(path, agency).loaded == 2


def test_the_command_loads_counts_reports_bad_lines_and_clears(
    city: City, agency: Agency, tmp_path: Path
) -> None:
    path = write(tmp_path / "city.csv", *address_lines(city))
    out = StringIO()
    call_command("addresses", "load", str(path), "--agency", agency.slug, stdout=out)
    assert f"Loaded {2 * len(city.neighbourhoods)} address points" in out.getvalue()
    out = StringIO()
    call_command("addresses", "count", stdout=out)
    assert f"{agency.slug}\tcity.csv\t{2 * len(city.neighbourhoods)}" in out.getvalue()
    bad = write(tmp_path / "bad.csv", "x,41.5,1,Elm Street,,,,,,,\n")
    with pytest.raises(CommandError, match="line 2, LON"):
        call_command("addresses", "load", str(bad), "--agency", agency.slug)
    with pytest.raises(CommandError, match=f"Use one of these identifiers: {agency.slug}"):
        call_command("addresses", "load", str(path), "--agency", "nope")
    call_command("addresses", "clear", "--agency", agency.slug, stdout=StringIO())
    assert AddressPoint.objects.count() == 0


def test_a_typo_in_the_street_still_finds_the_address(loaded: City) -> None:
    result = address_search.search("12 Elm Stret")
    clear = result.clear_match
    assert clear is not None
    assert clear.point.label().startswith("12 Elm Street")
    assert clear.point.neighbourhood is not None
    assert clear.point.neighbourhood.slug == loaded.neighbourhoods[0].slug


def test_an_abbreviated_street_and_a_number_after_it_are_understood(loaded: City) -> None:
    assert address_search.search("14 elm st").matches[0].point.number == "14"
    spanish = address_search.search("Calle Mayr 12").clear_match
    assert spanish is not None and spanish.point.street == "Calle Mayor"


def test_an_unknown_number_offers_the_nearest_house_but_not_as_a_clear_match(
    loaded: City,
) -> None:
    result = address_search.search("13 Elm Street")
    assert result.matches[0].point.number in ("12", "14")
    assert not result.matches[0].exact and result.clear_match is None


def test_a_postcode_finds_its_neighbourhood(loaded: City) -> None:
    result = address_search.search("50311")
    assert result.postcode == "50311"
    assert [m.point.neighbourhood.slug for m in result.matches if m.point.neighbourhood] == [
        loaded.neighbourhoods[1].slug
    ]


def test_nothing_like_any_street_finds_nothing(loaded: City) -> None:
    assert address_search.search("Zzyzx Boulevard").matches == []
    assert address_search.search("   ").matches == []


def test_an_address_outside_every_neighbourhood_is_found_and_has_none(loaded: City) -> None:
    clear = address_search.search("1 Lonely Lane").clear_match
    assert clear is not None and clear.point.neighbourhood is None


def test_a_very_long_query_is_cut_to_a_bounded_length(loaded: City) -> None:
    result = address_search.search("12 Elm Street " + "x" * 5000)
    assert len(result.query) == address_search.MAX_QUERY
