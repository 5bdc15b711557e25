"""The licence of every table a release carries, from the sources and agencies that supplied it.

A table's rows come from record types (ReleaseContext.write_table's `record_types`); each
record came through a source mapping, for one agency. A mapping declares its source's licence
as text (records/mappings/); the standard CSV mappings carry the agency's own records, whose
licence the operator sets (`commonbeat agency <slug> --licence CC-BY-4.0`). Each becomes a
`core.licences.Licence`, so the release page, `datapackage.json` and the API name the same ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from commonbeat.core.licences import AGENCY_OWN_ALIASES, Licence, lookup, resolve
from commonbeat.records.zones import sources_by_agency


def agency_licence(agency: str, licences: Mapping[str, str]) -> Licence:
    """Return the licence the operator set for an agency's own records, or say it is not set."""
    own = licences.get(agency, "")
    found = lookup(own) if own else None
    if found is not None:
        return found
    if own:
        return resolve(own)
    return Licence(
        f"LicenseRef-{agency}-not-set",
        f"Not stated: {agency}'s own records, whose licence the operator has not set "
        f"(commonbeat agency {agency} --licence CC-BY-4.0)",
        known=False,
    )


def table_licences(
    con: duckdb.DuckDBPyConnection,
    catalog: Mapping[str, Any],
    tables: Mapping[str, Mapping[str, Any]],
    licences: Mapping[str, str],
) -> dict[str, list[Licence]]:
    """Return each table's licences, sorted by id (empty for a table naming no record types)."""
    declared = {p["mapping"]: p["licence"] for p in catalog["partitions"].values()}
    wanted = {rt for table in tables.values() for rt in table.get("record_types", ())}
    by_type = {rt: sources_by_agency(con, {rt}) for rt in sorted(wanted)}
    out: dict[str, list[Licence]] = {}
    for name, table in tables.items():
        found: dict[str, Licence] = {}
        for rt in table.get("record_types", ()):
            for agency, mappings in by_type[rt].items():
                for mapping in mappings:
                    text = declared.get(mapping, "")
                    licence = (
                        agency_licence(agency, licences)
                        if text in AGENCY_OWN_ALIASES
                        else resolve(text)
                    )
                    found[licence.id] = licence
        # A table made from agencies' own workflow records carries their licences.
        for agency in table.get("agencies", ()):
            licence = agency_licence(agency, licences)
            found[licence.id] = licence
        out[name] = sorted(found.values(), key=lambda lic: lic.id)
    return out


def package_licences(per_table: Mapping[str, Iterable[Licence]]) -> list[Licence]:
    """Return every licence any table carries, once each, sorted by id."""
    found = {lic.id: lic for licences in per_table.values() for lic in licences}
    return sorted(found.values(), key=lambda lic: lic.id)
