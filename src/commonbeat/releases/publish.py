"""Publication: the only road from the private side to the public side.

`publish()` writes a new, immutable release. It owns the frame: a staging folder beside the
releases, a manifest with row counts, SHA-256 checksums and each agency's IANA time zone, a
Frictionless `datapackage.json`, read-only files, and one atomic rename into place, so a
release either exists whole or not at all. What goes in comes from the release contributors
every app registers (records/contributions.py): the record store's public tables and
aggregates (records/release.py), each agency's equity report (insights/release.py), and so on.
This module never names them.

The privacy rules they apply (records/privacy.py) drop private fields, snap locations to a
grid, generalise dates, times, ages and service, and suppress counts under `min_count`; each
row-level table's disclosure risk is measured and held to `max_unique_share`
(records/disclosure.py), and the figures are listed in the manifest (`tables.<name>.disclosure`).

The manifest records each agency's time zone (`agencies`, records/zones.py), because call
instants are published exact and the public side counts them by the agency's local month.

It also records the audit log's head when the release was made (`audit_head`: seq, hash and
the number of entries, core/audit.py). Once published, that head is out of the database's
reach: `commonbeat audit verify --release VERSION` checks the log still holds it, so the log
cannot be cut back to before a release without it showing (`audit_anchors`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from commonbeat.core import audit
from commonbeat.records.contributions import CONTRIBUTORS, PublishError, ReleaseContext
from commonbeat.records.privacy import Treatment
from commonbeat.records.schema import SCHEMA_VERSION
from commonbeat.records.sources import file_sha256
from commonbeat.records.store import RecordStore
from commonbeat.releases.licensing import package_licences, table_licences

__all__ = [
    "PublishError",
    "ReleaseSummary",
    "audit_anchors",
    "listed_files",
    "next_version",
    "publish",
    "releases",
    "verify_release",
]

RELEASE_FORMAT = "1"
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
class ReleaseSummary:
    version: str
    path: Path
    tables: dict[str, int]
    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)  # as in the manifest
    sections: dict[str, Any] = field(default_factory=dict)  # each contributor's, as in the manifest
    audit_head: dict[str, Any] = field(default_factory=dict)  # seq, hash, count, as in the manifest
    disclosure: dict[str, dict[str, Any]] = field(default_factory=dict)  # per row-level table


def next_version(releases_dir: Path, today: str) -> str:
    """Return the next free version for today: 2025-11-22.1, 2025-11-22.2, ..."""
    taken = {p.name for p in releases_dir.glob(f"{today}.*")} if releases_dir.exists() else set()
    number = 1
    while f"{today}.{number}" in taken:
        number += 1
    return f"{today}.{number}"


def _settle(con: duckdb.DuckDBPyConnection) -> None:
    """Finish any result a contributor left half-read (a `fetchone()`), so the next one starts
    on an idle connection (DuckDB refuses new work while a result is unfinished)."""
    with contextlib.suppress(duckdb.Error):
        con.fetchall()


def publish(
    store: RecordStore,
    releases_dir: Path,
    grid_metres: float = 250.0,
    min_count: int = 10,
    version: str | None = None,
    time_zones: Mapping[str, str] | None = None,
    equity: bool = True,
    skip: Collection[str] = (),
    licences: Mapping[str, str] | None = None,
    treatment: Treatment | None = None,
    max_unique_share: float = 0.05,
) -> ReleaseSummary:
    """Write a new immutable release of everything in the store.

    `time_zones` maps agency slugs to their IANA zones as the database knows them, and
    `licences` to the licences of their own records (releases/licensing.py). `skip`
    names contributors to leave out; `equity` False is short for skipping "equity" (the
    equity reports take seconds per agency: the threshold test). `treatment` says which
    tables keep the hour and which person tables are row-level (records/privacy.py); a table
    about people with more than `max_unique_share` of its rows unique on its
    quasi-identifiers is refused (records/disclosure.py).
    """
    if treatment is None:
        treatment = Treatment(grid_metres=grid_metres)
    elif treatment.grid_metres != grid_metres:
        raise PublishError("The treatment's grid and grid_metres disagree.")
    catalog = store.catalog()
    if not catalog["partitions"]:
        raise PublishError("The record store is empty: import data before publishing.")
    skipped = set(skip) | (set() if equity else {"equity"})
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
    context = ReleaseContext(
        store,
        con,
        staging,
        version,
        created,
        grid_metres,
        min_count,
        time_zones or {},
        treatment=treatment,
        max_unique_share=max_unique_share,
    )
    sections: dict[str, Any] = {}
    try:
        for contributor in CONTRIBUTORS.values():
            _settle(con)
            found = None if contributor.name in skipped else contributor.contribute(context)
            if contributor.section is not None:
                sections[contributor.section] = dict(found or {})
        agencies = context.agencies()
        per_table = table_licences(con, catalog, context.tables, licences or {})
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        con.close()
    tables = context.tables
    # Read last, so it covers every change made before the release (never its MAC, which
    # would let anyone who reads the manifest put this head back).
    audit_head = audit.current_head()
    sources = sorted(
        {(p["mapping"], p["source"], p["licence"]) for p in catalog["partitions"].values()}
    )
    manifest = {
        "version": version,
        "created": created.isoformat(timespec="seconds"),
        "release_format": RELEASE_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "privacy": {
            "grid_metres": grid_metres,
            "min_count": min_count,
            "person_grid_metres": treatment.person_grid_metres,
            "hour_tables": sorted(treatment.hour_tables),
            "person_rows": sorted(treatment.person_rows),
            "max_unique_share": max_unique_share,
        },
        "sources": [{"mapping": m, "source": s, "licence": lic} for m, s, lic in sources],
        "agencies": agencies,
        "licences": [lic.to_frictionless() for lic in package_licences(per_table)],
        "tables": {
            name: {
                "rows": t["rows"],
                "kind": t["kind"],
                "files": t["files"],
                "licences": [lic.to_frictionless() for lic in per_table[name]],
                **({"disclosure": t["disclosure"]} if "disclosure" in t else {}),
            }
            for name, t in tables.items()
        },
        "audit_head": audit_head,
        **sections,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    package = _datapackage(version, manifest, tables)
    (staging / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    for path in staging.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    os.replace(staging, final)
    return ReleaseSummary(
        version,
        final,
        {name: t["rows"] for name, t in tables.items()},
        agencies,
        sections,
        audit_head,
        {name: t["disclosure"] for name, t in tables.items() if "disclosure" in t},
    )


def _datapackage(
    version: str, manifest: dict[str, Any], tables: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": "commonbeat-release",
        "title": f"Commonbeat release {version}",
        "version": version,
        "created": manifest["created"],
        "description": "Police records published through Commonbeat's privacy rules (see manifest.json).",
        "licenses": manifest["licences"],
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
                # Omitted, a resource's licences are the package's (Frictionless); say them.
                **(
                    {"licenses": manifest["tables"][name]["licences"]}
                    if manifest["tables"][name]["licences"]
                    else {}
                ),
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


def audit_anchors(releases_dir: Path | None = None) -> list[audit.Anchor]:
    """Return the audit head each release published (those made before heads were published
    have none), for `commonbeat audit verify --release/--all-releases`."""
    from django.conf import settings

    folder = Path(releases_dir or settings.RELEASES_DIR)
    return [
        audit.Anchor("release", manifest["version"], int(head["seq"]), str(head["hash"]))
        for manifest in releases(folder)
        if isinstance(head := manifest.get("audit_head"), Mapping)
    ]


def listed_files(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return every checksummed file a manifest lists: the tables' files, then each
    contributed section's (entries carrying a "path" and a "sha256")."""
    entries = [entry for table in manifest["tables"].values() for entry in table["files"].values()]
    for key, section in manifest.items():
        if key == "tables" or not isinstance(section, Mapping):
            continue
        entries += [
            entry
            for entry in section.values()
            if isinstance(entry, Mapping) and "path" in entry and "sha256" in entry
        ]
    return entries


def verify_release(path: Path) -> list[str]:
    """Return the files of a release whose checksum no longer matches its manifest."""
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    entries = listed_files(manifest)
    return [e["path"] for e in entries if file_sha256(path / e["path"]) != e["sha256"]]
