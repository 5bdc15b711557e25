"""The standard CSV format: one file per record type, columns named as in the data dictionary.

This is the format Commonbeat itself writes (the demo city, the benchmark, releases'
CSVs of private-side exports), and the easiest one to ask a new department for. Every column
of the record type must be present, except `source`; values are ISO 8601 dates (2024-01-31),
times (13:05:00) and instants with an offset (2024-01-31T13:05:00+00:00), true/false, and the
standard codes.
"""

from __future__ import annotations

from commonbeat.core.licences import AGENCY_OWN
from commonbeat.records.mapping import (
    Expr,
    Mapping,
    Output,
    boolean,
    date,
    datetime,
    integer,
    number,
    register,
    text,
    time,
)
from commonbeat.records.schema import RECORD_TYPES, RecordType

INSTANT_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z")


def _field_expr(name: str, kind: str) -> Expr:
    if kind == "integer":
        return integer(name)
    if kind == "number":
        return number(name)
    if kind == "boolean":
        return boolean(name, true=("true",), false=("false",))
    if kind == "date":
        return date(name, "%Y-%m-%d")
    if kind == "time":
        return time(name, "%H:%M:%S", "%H:%M")
    if kind == "datetime":
        return datetime(name, *INSTANT_FORMATS)
    return text(name)


def optional_columns(record_type: RecordType) -> list[str]:
    """Return the columns a standard file may leave out (every one not required)."""
    return [f.name for f in record_type.fields if f.name != "source" and not f.required]


def _standard_mapping(record_type: RecordType) -> type[Mapping]:
    columns = [f for f in record_type.fields if f.name not in ("source", "record_id")]
    fields = {f.name: _field_expr(f.name, f.type) for f in columns}
    attributes = {
        "name": f"standard_{record_type.name}",
        "title": f"Commonbeat standard CSV: {record_type.title.lower()}",
        "source": "Commonbeat's standard CSV format (docs/data-dictionary.md)",
        "licence": AGENCY_OWN,  # the agency's records: the licence its operator set
        "agency": "",
        "signature": tuple(f.name for f in record_type.fields if f.name != "source"),
        "optional_columns": frozenset(optional_columns(record_type)),
        "outputs": (Output(record_type.name, fields, key=text("record_id")),),
    }
    return type(f"Standard{record_type.name.title().replace('_', '')}", (Mapping,), attributes)


for _record_type in RECORD_TYPES.values():
    register(_standard_mapping(_record_type))
