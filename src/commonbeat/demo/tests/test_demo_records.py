"""The demo city's year of records: deterministic, importable, and carrying its planted effects.

Each planted effect (demo/records/, demo/demo-city.md) is recovered here with plain SQL
over a record store the generated files were imported into, through the one import engine.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shapely
from django.core.management import call_command
from django.test import override_settings
from shapely.geometry import shape

from commonbeat.demo import records
from commonbeat.demo.city import AGENCY_SLUG, CityPlan, build_city
from commonbeat.demo.steps import city as demo_command
from commonbeat.records.engine import Importer, ImportReport
from commonbeat.records.models import ImportRun
from commonbeat.records.store import RecordStore

# A scaled-down year: every date of 2025, fewer rows (force and complaints at full size).
COUNTS = {"stop": 30_000, "call": 12_000, "crime": 6_000, "force_incident": 600, "complaint": 400}


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def demo_plan() -> CityPlan:
    return build_city(seed=1)


@pytest.fixture(scope="module")
def generated(
    demo_plan: CityPlan, tmp_path_factory: pytest.TempPathFactory
) -> records.GeneratedRecords:
    return records.generate_records(
        demo_plan, tmp_path_factory.mktemp("demo-records"), counts=COUNTS
    )


@pytest.fixture(scope="module")
def store(
    generated: records.GeneratedRecords, tmp_path_factory: pytest.TempPathFactory
) -> RecordStore:
    root = tmp_path_factory.mktemp("demo-store")
    store = RecordStore(root / "store")
    report = Importer(store, rejects_dir=root / "rejects").run(generated.files)
    assert report.ok and report.committed
    return store


@pytest.fixture
def sql(store: RecordStore) -> Iterator[Callable[..., list[tuple[Any, ...]]]]:
    con = store.connect()
    con.execute("SET TimeZone = 'America/Chicago'")

    def run(query: str, *params: Any) -> list[tuple[Any, ...]]:
        return con.execute(query, list(params)).fetchall()

    yield run
    con.close()


def one(rows: list[tuple[Any, ...]]) -> Any:
    assert len(rows) == 1 and len(rows[0]) == 1, rows
    return rows[0][0]


# Determinism and import ---------------------------------------------------------------------


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(
    small_plan: CityPlan, tmp_path: Path
) -> None:
    first = records.generate_records(small_plan, tmp_path / "a", scale=0.02)
    records.generate_records(
        build_city(seed=7, neighbourhood_count=4, officer_count=40), tmp_path / "b", scale=0.02
    )
    records.generate_records(
        build_city(seed=8, neighbourhood_count=4, officer_count=40), tmp_path / "c", scale=0.02
    )
    assert [p.name for p in first.files] == list(records.FILES.values())
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    different = digests(tmp_path / "c")
    assert all(different[name] != digest for name, digest in digests(tmp_path / "a").items())
    assert first.rows["stop"] == round(records.COUNTS["stop"] * 0.02)


def test_every_generated_file_imports_with_no_rejects(
    run_import: Callable[..., ImportReport],
    generated: records.GeneratedRecords,
    record_store: RecordStore,
) -> None:
    report = run_import(*generated.files)
    assert report.ok and report.committed
    assert len(report.files) == len(records.FILES)
    for file in report.files:
        assert file.status == "stored", file
        assert file.mapping.startswith("standard_")
        assert file.rejected == 0, (file.name, file.problems)
        assert not any(o.corrected for o in file.outputs), file.name
    totals = report.totals()
    assert {rt: t.stored for rt, t in totals.items()} == generated.rows
    assert record_store.count("stop") == COUNTS["stop"]
    # Importing the same files again changes nothing: the partitions keep their names.
    again = run_import(*generated.files)
    assert {f.status for f in again.files} == {"unchanged"}


def test_a_rebuilt_demo_replaces_its_partitions(
    run_import: Callable[..., ImportReport],
    small_plan: CityPlan,
    record_store: RecordStore,
    tmp_path: Path,
) -> None:
    first = records.generate_records(small_plan, tmp_path / "one", scale=0.01)
    assert run_import(*first.files).ok
    other = build_city(seed=9, neighbourhood_count=4, officer_count=40)
    second = records.generate_records(other, tmp_path / "two", scale=0.02)
    report = run_import(*second.files)
    assert {f.status for f in report.files} == {"replaced"}
    assert record_store.count("stop") == second.rows["stop"]
    assert len(record_store.catalog()["partitions"]) == len(records.FILES)


def test_the_command_imports_the_records_and_can_skip_them(
    transactional_db: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Committed as the command commits (test_demo.py says why it is quicker on PostgreSQL).
    # A small city keeps the test quick; the records follow whatever city was planned.
    monkeypatch.setattr(
        demo_command,
        "build_city",
        lambda seed: build_city(seed, neighbourhood_count=4, officer_count=40),
    )
    with override_settings(RECORD_STORE_DIR=tmp_path / "store", VAR_DIR=tmp_path):
        call_command("demo", "--seed", "3", "--accounts", "no", "--records-scale", "0.01")
        out = capsys.readouterr().out
        assert "Demo records ready: " in out and "600 stop" in out and "0 rejected" in out
        assert "riverton-stops-2025.csv" in out  # the import summary table
        run = ImportRun.objects.get()
        assert run.actor == "command:demo" and run.rows_rejected == 0
        call_command(
            "demo", "--seed", "3", "--replace", "--accounts", "no", "--records-scale", "0.01"
        )
        assert (
            f"{len(records.FILES)} files, {len(records.FILES)} unchanged" in capsys.readouterr().out
        )
        call_command(
            "demo", "--seed", "4", "--replace", "--accounts", "no", "--records-scale", "0.02"
        )
        assert f"{len(records.FILES)} files, 0 unchanged" in capsys.readouterr().out
        call_command("demo", "--seed", "4", "--replace", "--no-records", "--accounts", "no")
        assert "Demo records" not in capsys.readouterr().out
        assert ImportRun.objects.count() == 3
        store = RecordStore(tmp_path / "store")
        assert store.count("stop") == 1200  # seed 4's records replaced seed 3's
        assert store.count("complaint") == 8


# What the records say -----------------------------------------------------------------------


def test_records_are_dated_in_2025_with_the_offset_of_the_day(
    sql: Callable[..., list[Any]],
) -> None:
    assert sql("SELECT min(occurred_date), max(occurred_date) FROM stop") == [
        (date(2025, 1, 1), date(2025, 12, 31))
    ]
    # The clock time and date are those of the instant in America/Chicago.
    assert (
        one(
            sql(
                "SELECT count(*) FROM stop WHERE strftime(occurred_at, '%H:%M:%S') <> occurred_time::VARCHAR "
                "OR occurred_at::DATE <> occurred_date"
            )
        )
        == 0
    )
    offsets = dict(
        sql(
            "SELECT occurred_date BETWEEN DATE '2025-03-10' AND DATE '2025-11-01', "
            "list_sort(list_distinct(list(strftime(occurred_at, '%z')))) FROM stop GROUP BY 1"
        )
    )
    assert offsets == {True: ["-05"], False: ["-05", "-06"]}
    # No local time falls in the hour the clocks skip.
    assert (
        one(
            sql(
                "SELECT count(*) FROM call WHERE strftime(received_at, '%Y-%m-%d %H') = '2025-03-09 02'"
            )
        )
        == 0
    )


def test_places_and_officers_are_the_citys(
    sql: Callable[..., list[Any]], demo_plan: CityPlan
) -> None:
    shapes = {n.slug: shape(n.boundary) for n in demo_plan.neighbourhoods}
    for table in ("stop", "call", "crime", "force_incident", "complaint"):
        rows = sql(
            f"SELECT neighbourhood, latitude, longitude FROM {table} USING SAMPLE reservoir(300 ROWS) REPEATABLE (1)"  # noqa: S608  test SQL over fixed names
        )
        for slug, lat, lng in rows:
            assert shapes[slug].contains(shapely.Point(lng, lat)), (table, slug, lat, lng)
    officers = [
        (o.uid, o.employment_date, o.separation_date or date(2099, 1, 1))
        for o in demo_plan.officers
    ]
    for table, when in (
        ("stop", "occurred_date"),
        ("allegation", "c.incident_date"),
        ("force_officer", "i.occurred_date"),
    ):
        joined = {
            "stop": "stop",
            "allegation": "allegation JOIN complaint c ON c.record_id = allegation.parent_id",
            "force_officer": "force_officer JOIN force_incident i ON i.record_id = force_officer.parent_id",
        }[table]
        rows = sql(f"SELECT {table}.officer_id, {when} FROM {joined}")  # noqa: S608  test SQL over fixed names
        spans = {uid: (start, end) for uid, start, end in officers}
        assert all(spans[uid][0] <= day <= spans[uid][1] for uid, day in rows), table
    assert one(sql("SELECT count(DISTINCT agency) FROM stop")) == 1
    assert one(sql("SELECT any_value(agency) FROM call")) == AGENCY_SLUG


def test_black_residents_are_stopped_and_searched_more_and_found_with_contraband_less(
    sql: Callable[..., list[Any]], demo_plan: CityPlan
) -> None:
    residents = records.resident_population(demo_plan)
    for neighbourhood in demo_plan.neighbourhoods:
        assert sum(residents[neighbourhood.slug].values()) == neighbourhood.population
    assert one(sql("SELECT sum(value) FROM external_series WHERE measure = 'residents'")) == sum(
        n.population for n in demo_plan.neighbourhoods
    )
    rows = sql(
        """WITH residents AS (
               SELECT replace("group", 'race: ', '') AS race, sum(value) AS residents
               FROM external_series WHERE measure = 'residents' GROUP BY 1),
           stops AS (
               SELECT subject_race AS race, count(*) AS stops,
                      avg(CASE WHEN search_conducted THEN 1 ELSE 0 END) AS search_rate,
                      avg(CASE WHEN contraband_found THEN 1 ELSE 0 END)
                          FILTER (WHERE search_conducted) AS hit_rate
               FROM stop GROUP BY 1)
           SELECT race, stops / residents, search_rate, hit_rate
           FROM stops JOIN residents USING (race) WHERE race IN ('black', 'white')"""
    )
    by_race = {race: (per_resident, searched, hits) for race, per_resident, searched, hits in rows}
    black, white = by_race["black"], by_race["white"]
    print("stops per resident, search rate, hit rate:", by_race)
    assert black[0] > 1.8 * white[0]  # benchmark: planted 2.6 in daylight, 1.8 after dark
    assert black[1] > 2 * white[1]  # planted ~15% against ~5%
    assert white[2] - black[2] > 0.06  # planted ~20% against ~32%


def test_a_smaller_share_of_drivers_stopped_after_dark_are_black(
    sql: Callable[..., list[Any]],
) -> None:
    sun = records.sun_times()
    # Real sunset and civil dusk in Des Moines (21 June 2025: 20:52 and 21:27 CDT).
    june = next(s for s in sun if s.date == date(2025, 6, 21))
    assert (june.sunset.hour, june.dusk.hour) == (20, 21)
    assert all(
        s.dawn.date() == s.sunrise.date() == s.sunset.date() == s.dusk.date() == s.date for s in sun
    )
    earliest = min(s.dusk.time() for s in sun)
    latest = max(s.dusk.time() for s in sun)
    values = ", ".join(
        f"(DATE '{s.date}', TIMESTAMPTZ '{s.sunset.isoformat()}', TIMESTAMPTZ '{s.dusk.isoformat()}')"
        for s in sun
    )
    rows = sql(
        f"""WITH sun(day, sunset, dusk) AS (VALUES {values})
            SELECT occurred_at >= dusk AS dark, count(*),
                   avg(CASE WHEN subject_race = 'black' THEN 1 ELSE 0 END)
            FROM stop JOIN sun ON occurred_date = day
            WHERE stop_type = 'vehicular' AND subject_race IN ('black', 'white')
              AND occurred_time BETWEEN TIME '{earliest}' AND TIME '{latest}'
              AND (occurred_at < sunset OR occurred_at >= dusk)
            GROUP BY 1"""  # noqa: S608  test SQL over fixed names
    )
    share = {dark: black_share for dark, _count, black_share in rows}
    print("share of Black drivers in the inter-twilight window (dark: share):", rows)
    assert min(count for _dark, count, _share in rows) > 500
    assert share[False] - share[True] > 0.03
    odds_ratio = (share[True] / (1 - share[True])) / (share[False] / (1 - share[False]))
    assert 0.5 < odds_ratio < 0.9  # planted 0.70


def test_evening_priority_3_calls_wait_longer_and_one_neighbourhood_travels_longer(
    sql: Callable[..., list[Any]], demo_plan: CityPlan
) -> None:
    rows = sql(
        """SELECT hour(received_at) BETWEEN 17 AND 20 AS evening,
                  median(epoch(dispatched_at) - epoch(queued_at))
           FROM call WHERE priority = '3' AND call_source <> 'officer_initiated'
             AND dispatched_at IS NOT NULL GROUP BY 1"""
    )
    queue = dict(rows)
    print("priority-3 median queue seconds (evening: median):", queue)
    assert queue[True] > 3 * queue[False]
    slow = records.slow_neighbourhood(demo_plan)
    travel = dict(
        sql(
            """SELECT neighbourhood = ?, median(epoch(on_scene_at) - epoch(en_route_at))
               FROM call WHERE call_source <> 'officer_initiated' AND on_scene_at IS NOT NULL
               GROUP BY 1""",
            slow,
        )
    )
    print(f"median travel seconds ({slow}: median):", travel)
    assert travel[True] > 1.5 * travel[False]


def test_the_hot_spot_has_many_times_the_citys_burglary_and_theft_density(
    sql: Callable[..., list[Any]], demo_plan: CityPlan
) -> None:
    spot = records.hot_spot(demo_plan)
    km_per_lng = 111.320 * math.cos(math.radians(spot.latitude))
    inside, total = sql(
        """SELECT count(*) FILTER (WHERE sqrt(power((latitude - ?) * 110.574, 2)
                                             + power((longitude - ?) * ?, 2)) * 1000 <= ?),
                  count(*)
           FROM crime WHERE category IN ('burglary', 'theft')""",
        spot.latitude,
        spot.longitude,
        km_per_lng,
        spot.radius_m,
    )[0]
    city = shapely.union_all([shape(n.boundary) for n in demo_plan.neighbourhoods])
    city_km2 = city.area * 110.574 * km_per_lng
    spot_km2 = math.pi * (spot.radius_m / 1000) ** 2
    ratio = (inside / spot_km2) / (total / city_km2)
    print(f"hot spot in {spot.neighbourhood}: {inside} of {total}, density ratio {ratio:.1f}")
    assert ratio > 10


def test_complaints_take_varied_times_and_sustained_rates_differ_by_category(
    sql: Callable[..., list[Any]],
) -> None:
    p10, p90, categories = sql(
        "SELECT quantile_cont(days_to_close, 0.1), quantile_cont(days_to_close, 0.9), "
        "count(DISTINCT category) FROM complaint WHERE closed_date IS NOT NULL"
    )[0]
    assert p90 > 3 * p10 and categories == 6
    medians = dict(sql("SELECT category, median(days_to_close) FROM complaint GROUP BY 1"))
    assert medians["Use of force"] > 1.5 * medians["Discourtesy"]
    assert (
        one(
            sql("SELECT count(*) FROM complaint WHERE closed_date - received_date <> days_to_close")
        )
        == 0
    )
    rates = dict(
        sql(
            "SELECT category, avg(CASE WHEN final_finding = 'sustained' THEN 1 ELSE 0 END) "
            "FROM allegation WHERE final_finding <> 'pending' GROUP BY 1"
        )
    )
    print("sustained rate by allegation category:", rates)
    assert rates["discourtesy"] > 2 * rates["force"]
    assert max(rates.values()) - min(rates.values()) > 0.15


def test_a_handful_of_officers_account_for_a_large_share_of_force(
    sql: Callable[..., list[Any]], demo_plan: CityPlan
) -> None:
    rows = sql(
        """SELECT officer_id, count(DISTINCT parent_id) AS incidents FROM force_officer
           GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"""
    )
    top = [uid for uid, _ in rows]
    share = one(
        sql(
            f"SELECT count(DISTINCT parent_id) / (SELECT count(*) FROM force_incident) "  # noqa: S608  test SQL over fixed names
            f"FROM force_officer WHERE officer_id IN ({', '.join('?' * len(top))})",
            *top,
        )
    )
    print("top five officers:", rows, f"share of incidents {share:.2f}")
    assert sorted(top) == records.high_force_officers(demo_plan)
    assert share > 0.3
    assert one(sql("SELECT count(DISTINCT officer_id) FROM force_officer")) > 80
