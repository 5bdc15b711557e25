"""Publication: the only road from the record store to the public side.

`publish()` writes a new, immutable release: for each record type, the public columns only,
after the privacy rules; aggregate tables with small counts suppressed; a manifest with row
counts and SHA-256 checksums; CSV and Parquet files; and a Frictionless `datapackage.json`.

Privacy rules, driven by each field's `private`/`privacy` marks in schema.py:
- private fields are dropped (names, birth years, badge numbers, officer identifiers,
  narratives, raw addresses, exact instants);
- latitude/longitude are snapped to the centre of a square grid cell (PUBLISH_GRID_METRES);
- dates marked "month" are published as the month (`occurred_month` = "2025-03");
- times marked "hour" are published as the hour (`occurred_hour` = 14);
- aggregate cells with fewer than PUBLISH_MIN_COUNT records show no count.

Each agency with stops also gets its equity report (`equity/<agency>.json`, insights/equity.py):
every analysis computed here from the private records, where exact dates, times and places are
still known, but holding aggregate figures only, with cells resting on fewer than `min_count`
rows withheld. A report carrying a private field's name is refused (`PublishError`).

The manifest also records each agency's IANA time zone (`agencies`), because call instants are
published exact and the public side counts them by the agency's local month. The zone is the
agency's own (`time_zones`, from the database, passed in so this module stays free of the ORM),
else the one its source mappings declare, else UTC with a note saying so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from commonbeat.insights.equity import equity_report
from commonbeat.insights.stops import Selection
from commonbeat.records.mapping import all_mappings
from commonbeat.records.schema import RECORD_TYPES, SCHEMA_VERSION, Field, RecordType
from commonbeat.records.sources import file_sha256
from commonbeat.records.sql import quote_ident, quote_literal
from commonbeat.records.store import RecordStore

RELEASE_FORMAT = "1"
METRES_PER_DEGREE = 111_320.0

# Aggregates published beside the row-level tables: (name, record type, dimensions).
AGGREGATES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "stop_counts",
        "stop",
        (
            "agency",
            "neighbourhood",
            "occurred_month",
            "subject_race",
            "search_conducted",
            "outcome",
        ),
    ),
    (
        "call_counts",
        "call",
        ("agency", "neighbourhood", "received_month", "discipline", "priority"),
    ),
    ("crime_counts", "crime", ("agency", "neighbourhood", "occurred_month", "category", "cleared")),
    ("force_incident_counts", "force_incident", ("agency", "neighbourhood", "occurred_month")),
    ("complaint_counts", "complaint", ("agency", "received_month", "category")),
    ("allegation_counts", "allegation", ("agency", "category", "final_finding")),
    ("complainant_counts", "complainant", ("agency", "complainant_race", "complainant_gender")),
)
FRICTIONLESS_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "time": "time",
    "datetime": "datetime",
}


@dataclass(frozen=True)
class PublicField:
    name: str
    type: str
    description: str
    sql: str  # how the value is computed from the private table


def public_fields(record_type: RecordType, grid_metres: float) -> list[PublicField]:
    """Return the columns a release carries for a record type, with the SQL that makes them."""
    out = []
    for item in record_type.fields:
        column = quote_ident(item.name)
        if item.privacy == "drop" or (item.private and item.privacy not in ("location",)):
            continue
        if item.privacy == "location":
            out.append(_snapped(item, grid_metres))
        elif item.privacy == "month":
            name = item.name.removesuffix("_date") + "_month"
            out.append(
                PublicField(
                    name, "string", _month_description(item), f"strftime({column}, '%Y-%m')"
                )
            )
        elif item.privacy == "hour":
            name = item.name.removesuffix("_time") + "_hour"
            out.append(
                PublicField(
                    name, "integer", f"Hour of day (0-23) of: {item.description}", f"hour({column})"
                )
            )
        else:
            out.append(PublicField(item.name, item.type, item.description, column))
    return out


def _month_description(item: Field) -> str:
    return f"Month (YYYY-MM) of: {item.description} Generalised from the date for privacy."


def _snapped(item: Field, grid_metres: float) -> PublicField:
    # Latitude cells are grid_metres tall; longitude cells are grid_metres wide at the cell's
    # latitude. Each point is replaced by its cell's centre, so nearby events share one point.
    step_lat = grid_metres / METRES_PER_DEGREE
    lat_cell = f"(floor(latitude / {step_lat!r}) + 0.5) * {step_lat!r}"
    if item.name == "latitude":
        sql = f"round({lat_cell}, 6)"
    else:
        step_lng = f"({grid_metres!r} / ({METRES_PER_DEGREE!r} * cos(radians({lat_cell}))))"
        sql = f"round((floor(longitude / {step_lng}) + 0.5) * {step_lng}, 6)"
    description = (
        f"{item.description} Snapped to the centre of a {grid_metres:g} m grid cell for privacy."
    )
    return PublicField(
        item.name,
        "number",
        description,
        f"CASE WHEN latitude IS NOT NULL AND longitude IS NOT NULL THEN {sql} END",
    )


@dataclass(frozen=True)
class ReleaseSummary:
    version: str
    path: Path
    tables: dict[str, int]
    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)  # as in the manifest
    equity: dict[str, dict[str, Any]] = field(default_factory=dict)  # as in the manifest


class PublishError(Exception):
    """Publication could not go ahead; the message says why."""


def next_version(releases_dir: Path, today: str) -> str:
    """Return the next free version for today: 2025-11-22.1, 2025-11-22.2, ..."""
    taken = {p.name for p in releases_dir.glob(f"{today}.*")} if releases_dir.exists() else set()
    number = 1
    while f"{today}.{number}" in taken:
        number += 1
    return f"{today}.{number}"


def publish(
    store: RecordStore,
    releases_dir: Path,
    grid_metres: float = 250.0,
    min_count: int = 10,
    version: str | None = None,
    time_zones: Mapping[str, str] | None = None,
    equity: bool = True,
) -> ReleaseSummary:
    """Write a new immutable release of everything in the store.

    `time_zones` maps agency slugs to their IANA zones as the database knows them. `equity`
    False leaves the equity reports out (they take seconds per agency: the threshold test).
    """
    catalog = store.catalog()
    if not catalog["partitions"]:
        raise PublishError("The record store is empty: import data before publishing.")
    created = datetime.now(UTC)
    version = version or next_version(releases_dir, created.strftime("%Y-%m-%d"))
    final = releases_dir / version
    if final.exists():
        raise PublishError(f"Release {version} already exists; releases are never overwritten.")
    releases_dir.mkdir(parents=True, exist_ok=True)
    staging = releases_dir / f".staging-{version}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "data").mkdir(parents=True)
    con = store.connect()
    tables: dict[str, dict[str, Any]] = {}
    try:
        for name, record_type in RECORD_TYPES.items():
            if store.count(name) == 0 or not record_type.publish_rows:
                continue
            fields = public_fields(record_type, grid_metres)
            selects = ", ".join(f"{f.sql} AS {quote_ident(f.name)}" for f in fields)
            # One row per (source, agency, record) even if a source's files overlap (a record
            # exported twice); the newest file wins. Identifiers are only unique per agency.
            query = (
                f"SELECT {selects} FROM (SELECT * FROM {name} "
                f"QUALIFY row_number() OVER (PARTITION BY source, agency, record_id ORDER BY filename DESC) = 1) "
                f"ORDER BY source, agency, record_id"
            )
            tables[name] = _write_table(
                con,
                staging,
                name,
                query,
                fields,
                ["source", "agency", "record_id"],
                record_type.description,
            )
        for name, record_type_name, dimensions in AGGREGATES:
            if store.count(record_type_name) == 0:
                continue
            tables[name] = _write_aggregate(
                con, staging, name, record_type_name, dimensions, grid_metres, min_count
            )
        published_types = {n for n in tables if n in RECORD_TYPES} | {
            rt for n, rt, _ in AGGREGATES if n in tables
        }
        agencies = agency_time_zones(_sources_by_agency(con, published_types), time_zones or {})
        reports = (
            _write_equity(con, staging, min_count, created, agencies)
            if equity and store.count("stop")
            else {}
        )
    finally:
        con.close()
    sources = sorted(
        {(p["mapping"], p["source"], p["licence"]) for p in catalog["partitions"].values()}
    )
    manifest = {
        "version": version,
        "created": created.isoformat(timespec="seconds"),
        "release_format": RELEASE_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "privacy": {"grid_metres": grid_metres, "min_count": min_count},
        "sources": [{"mapping": m, "source": s, "licence": lic} for m, s, lic in sources],
        "agencies": agencies,
        "tables": {
            name: {"rows": t["rows"], "kind": t["kind"], "files": t["files"]}
            for name, t in tables.items()
        },
        "equity": reports,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    package = _datapackage(version, manifest, tables)
    (staging / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    for path in staging.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    os.replace(staging, final)
    return ReleaseSummary(
        version, final, {name: t["rows"] for name, t in tables.items()}, agencies, reports
    )


# Names a report must never carry: identifiers of records and people, and exact places.
# "location" and "description" are left out: they are also plain words an analysis uses for its
# own aggregates (the darkness test's kind of location), and the stop view the analyses read
# (insights/stops.py) carries neither raw field.
PRIVATE_NAMES = frozenset(
    {"record_id", "parent_id"}
    | {f.name for rt in RECORD_TYPES.values() for f in rt.fields if f.private}
) - {"location", "description"}
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _write_equity(
    con: Any,
    staging: Path,
    min_count: int,
    created: datetime,
    zones: Mapping[str, Mapping[str, Any]],
) -> dict[str, dict[str, Any]]:
    """Write each agency's equity report; return the manifest's `equity` entries.

    Each report reads clock times in the zone the manifest gives the agency (`zones`); where
    that is only the UTC default, the analysis is left to say so itself.
    """
    agencies = [
        row[0] for row in con.execute("SELECT DISTINCT agency FROM stop ORDER BY 1").fetchall()
    ]
    (staging / "equity").mkdir()
    out: dict[str, dict[str, Any]] = {}
    for agency in agencies:
        if not SAFE_NAME.match(agency):
            raise PublishError(
                f"Agency {agency!r} cannot name a file: its slug must be a-z, 0-9, - or _."
            )
        zone = zones.get(agency, {})
        report = equity_report(
            con,
            Selection(agency=agency),
            min_count=min_count,
            time_zone=zone.get("time_zone") if zone.get("time_zone_from") != "default" else None,
            generated=created,
        ).to_dict()
        leaked = sorted(private_names(report))
        if leaked:
            raise PublishError(
                f"The equity report of {agency} names private fields ({', '.join(leaked)}); "
                "an analysis must publish aggregate figures only."
            )
        relative = f"equity/{agency}.json"
        path = staging / relative
        path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        results = report["results"]
        out[agency] = {
            "path": relative,
            "sha256": file_sha256(path),
            "bytes": path.stat().st_size,
            "stops": report["dataset"]["rows"],
            "analyses": [r["analysis"] for r in results],
            "applicable": [r["analysis"] for r in results if r["applicable"]],
        }
    return out


def private_names(value: Any, key: str = "") -> set[str]:
    """Return the private field names used as keys anywhere in a report.

    The coverage block is the exception: its keys name fields whose share of missing values
    was measured (e.g. latitude), which says nothing about any record.
    """
    found: set[str] = set()
    if isinstance(value, Mapping):
        for name, item in value.items():
            if key != "coverage" and name in PRIVATE_NAMES:
                found.add(str(name))
            found |= private_names(item, str(name))
    elif isinstance(value, list):
        for item in value:
            found |= private_names(item, key)
    if key == "columns" and isinstance(value, list):
        found |= {
            c["key"] for c in value if isinstance(c, Mapping) and c.get("key") in PRIVATE_NAMES
        }
    return found


def _sources_by_agency(con: Any, record_types: set[str]) -> dict[str, set[str]]:
    # Each record carries the mapping that imported it (`source`) and its agency, which the
    # catalog's partitions do not (one file may hold several agencies' records).
    found: dict[str, set[str]] = {}
    for name in sorted(record_types):
        for source, agency in con.execute(f"SELECT DISTINCT source, agency FROM {name}").fetchall():
            found.setdefault(agency, set()).add(source)
    return found


def is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def agency_time_zones(
    sources: Mapping[str, set[str]], time_zones: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Return the manifest's `agencies`: each agency's time zone and where it came from."""
    mappings = all_mappings()
    out: dict[str, dict[str, Any]] = {}
    for agency, names in sorted(sources.items()):
        entry: dict[str, Any] = {"mappings": sorted(names)}
        own = time_zones.get(agency)
        declared = sorted(
            {zone for n in names if n in mappings and (zone := mappings[n].time_zone) is not None}
        )
        if own:
            # A zone DuckDB cannot read would break every page of the release: refuse it here.
            if not is_time_zone(own):
                raise PublishError(
                    f"Agency {agency} has the time zone {own!r}, which is not an IANA zone name."
                )
            entry.update(time_zone=own, time_zone_from="agency")
        elif len(declared) == 1:
            entry.update(time_zone=declared[0], time_zone_from="source")
        else:
            entry.update(time_zone="UTC", time_zone_from="default")
            entry["note"] = (
                f"The sources disagree on the time zone ({', '.join(declared)}), so local times "
                "are given in UTC; set the agency's time zone to fix this."
                if declared
                else "No time zone is known for this agency, so local times are given in UTC."
            )
        out[agency] = entry
    return out


def _write_table(
    con: Any,
    staging: Path,
    name: str,
    query: str,
    fields: list[PublicField],
    primary_key: list[str],
    description: str,
    kind: str = "records",
) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = {}
    for fmt, options in (
        ("csv", "FORMAT csv, HEADER true"),
        ("parquet", "FORMAT parquet, COMPRESSION zstd"),
    ):
        relative = f"data/{name}.{fmt}"
        con.execute(f"COPY ({query}) TO {quote_literal(str(staging / relative))} ({options})")
        files[fmt] = {
            "path": relative,
            "sha256": file_sha256(staging / relative),
            "bytes": (staging / relative).stat().st_size,
        }
    rows = con.execute(
        f"SELECT count(*) FROM read_parquet({quote_literal(str(staging / files['parquet']['path']))})"
    ).fetchone()[0]
    return {
        "rows": rows,
        "files": files,
        "fields": fields,
        "primary_key": primary_key,
        "description": description,
        "kind": kind,
    }


def _write_aggregate(
    con: Any,
    staging: Path,
    name: str,
    record_type_name: str,
    dimensions: tuple[str, ...],
    grid_metres: float,
    min_count: int,
) -> dict[str, Any]:
    record_type = RECORD_TYPES[record_type_name]
    available = {f.name: f for f in public_fields(record_type, grid_metres)}
    dims = [d for d in dimensions if d in available]
    # Missing dimension values are published as "unknown", so the key columns are never empty.
    select_dims = ", ".join(
        f"coalesce(CAST({available[d].sql} AS VARCHAR), 'unknown') AS {quote_ident(d)}"
        for d in dims
    )
    group = ", ".join(str(i + 1) for i in range(len(dims)))
    query = (
        f"SELECT {select_dims}, CASE WHEN count(*) >= {int(min_count)} THEN count(*) END AS records, "
        f"count(*) < {int(min_count)} AS suppressed FROM {record_type_name} GROUP BY {group} ORDER BY {group}"
    )
    fields = [PublicField(d, "string", available[d].description, "") for d in dims] + [
        PublicField(
            "records",
            "integer",
            f"Number of records; empty when fewer than {min_count} (suppressed).",
            "",
        ),
        PublicField(
            "suppressed",
            "boolean",
            f"Whether the count was withheld because it was under {min_count}.",
            "",
        ),
    ]
    description = (
        f"Counts of {record_type.title.lower()} by {', '.join(dims)}, small cells suppressed."
    )
    return _write_table(con, staging, name, query, fields, dims, description, kind="aggregate")


def _datapackage(
    version: str, manifest: dict[str, Any], tables: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    licences = sorted({s["licence"] for s in manifest["sources"]})
    return {
        "profile": "tabular-data-package",
        "name": "commonbeat-release",
        "title": f"Commonbeat release {version}",
        "version": version,
        "created": manifest["created"],
        "description": "Police records published through Commonbeat's privacy rules (see manifest.json).",
        "licenses": [{"name": lic, "title": lic} for lic in licences],
        "sources": [{"title": s["source"]} for s in manifest["sources"]],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": name.replace("_", "-"),
                "path": table["files"]["csv"]["path"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": f"sha256:{table['files']['csv']['sha256']}",
                "bytes": table["files"]["csv"]["bytes"],
                "description": table["description"],
                "schema": {
                    "fields": [
                        {
                            "name": f.name,
                            "type": FRICTIONLESS_TYPES[f.type],
                            "description": f.description,
                        }
                        for f in table["fields"]
                    ],
                    "primaryKey": table["primary_key"],
                },
            }
            for name, table in tables.items()
        ],
    }


def releases(releases_dir: Path) -> list[dict[str, Any]]:
    """Return the manifests of every release, newest first (what the public side reads)."""
    if not releases_dir.exists():
        return []
    manifests = [
        json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        for path in releases_dir.iterdir()
        if path.is_dir() and not path.name.startswith(".") and (path / "manifest.json").exists()
    ]
    return sorted(manifests, key=lambda m: m["created"] + m["version"], reverse=True)


def verify_release(path: Path) -> list[str]:
    """Return the files of a release whose checksum no longer matches its manifest."""
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    entries = [entry for table in manifest["tables"].values() for entry in table["files"].values()]
    entries += list(manifest.get("equity", {}).values())
    return [e["path"] for e in entries if file_sha256(path / e["path"]) != e["sha256"]]
