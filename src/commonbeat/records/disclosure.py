"""Measured disclosure risk: how many published rows are unique on what others could know.

Each row-level table a release writes is measured over its quasi-identifiers, the published
columns generalised from schema fields marked `quasi_identifier` (when, where, age, gender,
race; for officers rank and service). A child table (force subjects and officers, say) is
measured with its parent's quasi-identifiers joined on, because the parent's published row
(the incident's month and place) is one join away. The figures:

- `unique_rows`: rows no other row shares on those columns (a sample unique: whoever knows
  those facts about a person finds their row, and the rest of it);
- `unique_share`: unique_rows / rows;
- `smallest_group`: the smallest number of rows sharing one combination (the table's k).

For tables about people (`RecordType.about_people`) the release holds the unique share to the
operator's threshold (DISCLOSURE_MAX_UNIQUE_SHARE) and refuses to publish a table above it,
saying what to do (docs/disclosure.md). The figures go in the manifest's
`tables.<name>.disclosure` and on the release page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb

from commonbeat.records.contributions import PublishError, ReleaseContext
from commonbeat.records.privacy import PublicField
from commonbeat.records.schema import RECORD_TYPES, RecordType
from commonbeat.records.sql import quote_ident, quote_literal


def quasi_identifiers(fields: Sequence[PublicField]) -> list[str]:
    """Return the names of the published columns that are quasi-identifiers."""
    return [f.name for f in fields if f.quasi_identifier]


def measure(
    con: duckdb.DuckDBPyConnection, relation: str, columns: Sequence[str]
) -> dict[str, Any]:
    """Return rows, unique_rows, unique_share and smallest_group of a relation over columns.

    `relation` is a table name or a parenthesised query; missing values count as a value
    (two rows both lacking an age share that), as they would to someone matching rows.
    """
    if not columns:
        rows = con.execute(f"SELECT count(*) FROM {relation}").fetchone()  # noqa: S608  relation built from quoted paths and schema names
        total = int(rows[0]) if rows else 0
        return _figures(total, 0 if total != 1 else 1, total or None)
    keys = ", ".join(quote_ident(c) for c in columns)
    found = con.execute(
        f"SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE n = 1), 0), min(n) "  # noqa: S608  relation built from quoted paths and schema names
        f"FROM (SELECT count(*) AS n FROM {relation} GROUP BY {keys})"
    ).fetchone() or (0, 0, None)
    return _figures(int(found[0]), int(found[1]), None if found[2] is None else int(found[2]))


def _figures(rows: int, unique: int, smallest: int | None) -> dict[str, Any]:
    return {
        "rows": rows,
        "unique_rows": unique,
        "unique_share": round(unique / rows, 4) if rows else 0.0,
        "smallest_group": smallest,
    }


def assess(context: ReleaseContext, name: str, record_type: RecordType) -> dict[str, Any]:
    """Measure a row-level table the context has written; record it in the table's entry.

    Raises PublishError when the table is about people and its unique share is above the
    context's threshold.
    """
    table = context.tables[name]
    columns = quasi_identifiers(table["fields"])
    relation = _parquet(context, name)
    parent = RECORD_TYPES.get(record_type.parent) if record_type.parent else None
    if parent is not None and parent.name in context.tables:
        inherited = [
            c
            for c in quasi_identifiers(context.tables[parent.name]["fields"])
            if c not in columns and c not in ("agency",)
        ]
        if inherited:
            picked = ", ".join(f"p.{quote_ident(c)}" for c in inherited)
            relation = (
                f"(SELECT c.*, {picked} FROM {relation} AS c LEFT JOIN "  # noqa: S608  quoted paths and schema names
                f"{_parquet(context, parent.name)} AS p "
                "ON p.agency = c.agency AND p.record_id = c.parent_id)"
            )
            columns = [*columns, *inherited]
    figures = measure(context.con, relation, columns)
    threshold = context.max_unique_share if record_type.about_people else None
    passed = None if threshold is None else figures["unique_share"] <= threshold
    disclosure = {
        "quasi_identifiers": columns,
        **figures,
        "about_people": record_type.about_people,
        "threshold": threshold,
        "passed": passed,
    }
    table["disclosure"] = disclosure
    if passed is False:
        raise PublishError(refusal(name, disclosure))
    return disclosure


def refusal(name: str, disclosure: Mapping[str, Any]) -> str:
    """Return the message that refuses a table above the threshold, saying what to do."""
    return (
        f"Table {name} was not published: {disclosure['unique_rows']:,} of "
        f"{disclosure['rows']:,} rows ({disclosure['unique_share']:.1%}) are unique on "
        f"{', '.join(disclosure['quasi_identifiers'])}, above the threshold of "
        f"{disclosure['threshold']:.1%} (DISCLOSURE_MAX_UNIQUE_SHARE). Nothing was published. "
        "Publish coarser rows (drop the table from PUBLISH_HOUR_TABLES or PUBLISH_PERSON_ROWS, "
        "or a larger --grid-metres), or, having read docs/disclosure.md, raise the threshold."
    )


def _parquet(context: ReleaseContext, name: str) -> str:
    path = context.staging / context.tables[name]["files"]["parquet"]["path"]
    return f"read_parquet({quote_literal(str(path))})"
