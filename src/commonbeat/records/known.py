"""Values that must name a known thing: agencies (core's) and neighbourhoods (core's and the store's).

Checked only where core knows some: an agency when core has any agency, a neighbourhood when
core has neighbourhoods for its agency.

A row naming an agency or neighbourhood nobody knows ("nowhere-land") is rejected with the
bad value and an example of a good one, instead of becoming a place of its own.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.sql import quote_ident, quote_literal
from commonbeat.records.store import RecordStore


class KnownPlaces:
    """The agencies and neighbourhoods imports may name, read once per import."""

    def __init__(self, store: RecordStore) -> None:
        from commonbeat.core.models import Agency, Neighbourhood

        self.agencies = sorted(Agency.objects.values_list("slug", flat=True))
        self.neighbourhoods: dict[str, set[str]] = defaultdict(set)
        for agency, slug in Neighbourhood.objects.values_list("agency__slug", "slug"):
            self.neighbourhoods[agency].add(slug)
        con = store.connect()
        try:
            for name, record_type in RECORD_TYPES.items():
                if "neighbourhood" in record_type.names and store.files(name):
                    found = con.execute(
                        f"SELECT DISTINCT agency, neighbourhood FROM {quote_ident(name)} WHERE neighbourhood IS NOT NULL"  # noqa: S608  names from the schema, quoted
                    ).fetchall()
                    for agency, slug in found:
                        # Core decides which agencies have a known list; the store adds the
                        # neighbourhoods earlier imports named (a renamed or retired one). An
                        # agency with none in core is not checked: a rebuilt city may rename all.
                        if agency in self.neighbourhoods:
                            self.neighbourhoods[agency].add(slug)
        finally:
            con.close()

    def check(self, con: duckdb.DuckDBPyConnection, table: str, fields: set[str]) -> None:
        """Add a problem to each row of the table naming an unknown agency or neighbourhood."""
        if "agency" in fields and self.agencies:
            known = ", ".join(quote_literal(a) for a in self.agencies)
            problem = (
                "'agency: not a known agency (' || agency || '); use an agency identifier such as "
                + self.agencies[0].replace("'", "''")
                + "'"
            )
            _flag(con, table, f"agency IS NOT NULL AND agency NOT IN ({known})", problem)
        if "neighbourhood" in fields:
            for agency, slugs in sorted(self.neighbourhoods.items()):
                example = sorted(slugs)[0].replace("'", "''")
                known = ", ".join(quote_literal(s) for s in sorted(slugs))
                _flag(
                    con,
                    table,
                    f"agency = {quote_literal(agency)} AND neighbourhood IS NOT NULL "
                    f"AND neighbourhood NOT IN ({known})",
                    "'neighbourhood: not a known neighbourhood of ' || agency || ' (' || "
                    f"neighbourhood || '); use one such as {example}'",
                )


def _flag(con: duckdb.DuckDBPyConnection, table: str, where: str, problem: str) -> None:
    con.execute(
        f"UPDATE {table} SET _problems = concat_ws(' | ', NULLIF(_problems, ''), {problem}) WHERE {where}"  # noqa: S608  names from the schema, quoted; values inlined as quoted literals
    )


__all__ = ["KnownPlaces"]
