"""What every record family shares: the year, seeded generators, and standard CSV tables.

Everything is drawn from numpy Generators seeded with (seed, 2025, stream), one stream per
record family, so the same seed always writes the same bytes and changing one family does not
change the others. Tables are written as Commonbeat standard CSV (`standard_<record_type>`
mappings, docs/mappings.md) under one stable file name per record type (demo/demo-city.md,
"Records").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from commonbeat.core import csvsafe
from commonbeat.demo.city import AGENCY_SLUG
from commonbeat.records.schema import RECORD_TYPES

YEAR = 2025
# Complaints still open on this date are pending; outcomes are dated no later.
AS_OF = date(2026, 3, 31)
COUNTS = {"stop": 60_000, "call": 80_000, "crime": 25_000, "force_incident": 600, "complaint": 400}

# One stable file name per record type: the name is the store's partition key, so a rebuilt
# demo replaces the previous demo's records rather than adding to them.
FILES = {
    "external_series": f"riverton-residents-{YEAR}.csv",
    "stop": f"riverton-stops-{YEAR}.csv",
    "call": f"riverton-calls-{YEAR}.csv",
    "crime": f"riverton-crimes-{YEAR}.csv",
    "force_incident": f"riverton-force-incidents-{YEAR}.csv",
    "force_subject": f"riverton-force-subjects-{YEAR}.csv",
    "force_officer": f"riverton-force-officers-{YEAR}.csv",
    "force_action": f"riverton-force-actions-{YEAR}.csv",
    "complaint": f"riverton-complaints-{YEAR}.csv",
    "allegation": f"riverton-allegations-{YEAR}.csv",
    "complainant": f"riverton-complainants-{YEAR}.csv",
}
# A table to write: column name to values (strings, "" for missing), one per row.
Columns = dict[str, Any]
STREAMS = {
    "residents": 1,
    "stop": 2,
    "call": 3,
    "crime": 4,
    "force": 5,
    "complaint": 6,
    "roster": 7,
    "high-force": 8,
    "call-quiet-nights": 9,
    "survey-places": 10,
    "survey-wave-1": 11,
    "survey-wave-2": 12,
}


# Drawing ------------------------------------------------------------------------------------


def generator(seed: int, stream: str) -> np.random.Generator:
    """Return the seeded generator of one stream (STREAMS) of the year."""
    return np.random.default_rng([seed, YEAR, STREAMS[stream]])


def choice(
    rng: np.random.Generator, options: Sequence[Any], weights: Sequence[float], n: int
) -> Any:
    """Return n options drawn with these (unnormalised) weights, as a numpy array."""
    p = np.asarray(weights, dtype=float)
    return np.asarray(options)[rng.choice(len(options), size=n, p=p / p.sum())]


def choose_one(rng: np.random.Generator, options: Sequence[Any], weights: Sequence[float]) -> str:
    """Return one option drawn with these weights (one draw of `choice`)."""
    return str(choice(rng, options, weights, 1)[0])


def one_of(rng: np.random.Generator, options: Sequence[str]) -> str:
    """Return one of the options, each equally likely."""
    return str(options[int(rng.integers(0, len(options)))])


# Tables -------------------------------------------------------------------------------------


def empty_table(names: str) -> Columns:
    """Return an empty table with these (space-separated) columns."""
    return {name: [] for name in names.split()}


def add_agency(*tables: Columns) -> None:
    """Fill each table's agency column with the demo agency, one per row."""
    for table in tables:
        table["agency"] = [AGENCY_SLUG] * len(table["record_id"])


def bools(values: np.ndarray, missing: np.ndarray | None = None) -> list[str]:
    text = np.where(values, "true", "false")
    if missing is not None:
        text = np.where(missing, "", text)
    return list(text.tolist())


def numbers(values: np.ndarray, digits: int) -> list[str]:
    return [f"{v:.{digits}f}" for v in values.tolist()]


def ids(prefix: str, n: int, width: int = 6) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def iso_dates(days: Sequence[date | None]) -> list[str]:
    return [d.isoformat() if d else "" for d in days]


def age_range(age: int) -> str:
    for upper, label in (
        (17, "under 18"),
        (24, "18-24"),
        (34, "25-34"),
        (44, "35-44"),
        (54, "45-54"),
        (64, "55-64"),
    ):
        if age <= upper:
            return label
    return "65+"


def write_table(folder: Path, record_type: str, columns: Columns) -> tuple[Path, int]:
    """Write one record type's table as its standard CSV file; return the path and row count."""
    names = [n for n in RECORD_TYPES[record_type].names if n != "source"]
    unknown = set(columns) - set(names)
    if unknown:
        raise ValueError(f"{record_type} has no field(s) {sorted(unknown)}")
    rows = len(columns["record_id"])
    empty = [""] * rows
    ordered = [list(columns.get(name, empty)) for name in names]
    for name, values in zip(names, ordered, strict=True):
        if len(values) != rows:
            raise ValueError(f"{record_type}.{name}: {len(values)} values for {rows} rows")
    path = folder / FILES[record_type]
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csvsafe.source_writer(stream, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(zip(*ordered, strict=True))
    return path, rows
