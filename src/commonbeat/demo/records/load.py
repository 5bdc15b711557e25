"""Write the year's record files and bring them into the record store.

`generate_records` writes each family's tables as standard CSV files (common.py) in import
order; `import_records` / `load_records` bring them into the record store through the one
import path (`records.services.run_import` → `records.engine.import_files`), so the demo
city's records are stored, checked and replaced like any other source's (demo/demo-city.md,
"Records").
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from commonbeat.demo.city import CityPlan
from commonbeat.demo.records.calls import call_table
from commonbeat.demo.records.clock import Clock
from commonbeat.demo.records.common import FILES, YEAR, Columns, write_table
from commonbeat.demo.records.complaints import complaint_tables
from commonbeat.demo.records.context import Context
from commonbeat.demo.records.crimes import crime_table
from commonbeat.demo.records.force import force_tables
from commonbeat.demo.records.places import Places
from commonbeat.demo.records.population import RACES, resident_population, residents_series
from commonbeat.demo.records.roster import Roster
from commonbeat.demo.records.stops import stop_table

if TYPE_CHECKING:
    from commonbeat.records.engine import ImportReport
    from commonbeat.records.models import ImportRun


@dataclass
class GeneratedRecords:
    """What `generate_records` wrote: the files in import order, and rows per record type."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    residents: dict[str, dict[str, int]] = field(default_factory=dict)


def generate_records(
    plan: CityPlan, folder: Path, scale: float = 1.0, counts: dict[str, int] | None = None
) -> GeneratedRecords:
    """Write the year's records as standard CSV files into the folder (same seed, same bytes).

    `scale` multiplies every count in COUNTS; `counts` sets some exactly (keys: stop, call,
    crime, force_incident, complaint). Children (force subjects, complaint allegations, …)
    follow their parents.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    residents = resident_population(plan)
    matrix = np.array(
        [[residents[n.slug][r] for r in RACES] for n in plan.neighbourhoods], dtype=float
    )
    ctx = Context(
        plan=plan,
        scale=scale,
        counts=dict(counts or {}),
        clock=Clock(YEAR),
        places=Places(plan),
        roster=Roster(plan, date(YEAR - 1, 10, 1), date(YEAR, 12, 31)),
        residents=matrix,
    )
    result = GeneratedRecords(folder, residents=residents)
    tables: dict[str, Columns] = {"external_series": residents_series(residents)}
    families: list[Callable[[Context], dict[str, Columns]]] = [
        lambda c: {"stop": stop_table(c)},
        lambda c: {"call": call_table(c)},
        lambda c: {"crime": crime_table(c)},
        force_tables,
        complaint_tables,
    ]
    for family in families:
        tables.update(family(ctx))
    for record_type in FILES:
        path, rows = write_table(folder, record_type, tables[record_type])
        result.files.append(path)
        result.rows[record_type] = rows
    return result


def import_records(
    paths: Sequence[Path],
    actor: str = "command:demo",
    progress: Callable[[str], None] | None = None,
) -> tuple[ImportReport, ImportRun]:
    """Import generated files into the configured record store, logged like any import."""
    from commonbeat.records.services import run_import

    return run_import(list(paths), actor=actor, progress=progress)


def load_records(
    plan: CityPlan,
    actor: str = "command:demo",
    scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> tuple[GeneratedRecords, ImportReport, ImportRun]:
    """Generate the year's records in a temporary folder and import them."""
    with tempfile.TemporaryDirectory(prefix="commonbeat-demo-") as folder:
        generated = generate_records(plan, Path(folder), scale=scale)
        report, run = import_records(generated.files, actor=actor, progress=progress)
    return generated, report, run
