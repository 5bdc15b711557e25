"""Which rostered officer an imported record names: only where its mapping declares the roster
whose ids it uses, never by a number that happens to match another roster's."""

from __future__ import annotations

import duckdb

from commonbeat.records.mapping import all_mappings
from commonbeat.records.roster import officer_uid, officer_uid_sql


def test_every_declared_officer_roster_is_a_roster_mapping() -> None:
    mappings = all_mappings()
    declared = {name: m.officer_roster for name, m in mappings.items() if m.officer_roster}
    assert declared == {"nyc_ccrb_allegations": "nyc_ccrb_officers"}
    for roster in declared.values():
        assert any(out.record_type == "roster" for out in mappings[roster].outputs), roster


def test_records_name_the_uid_their_mapping_declares_or_their_own_id() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE a AS SELECT * FROM (VALUES ('nyc_ccrb_allegations', '000001'), "
        "('chicago_complaints_accused', '15646'), ('standard_allegation', 'RPD-00042')) "
        "t(source, officer_id)"
    )
    query = f"SELECT {officer_uid_sql('a')} FROM a"  # noqa: S608  our own SQL
    found = [r[0] for r in con.execute(query).fetchall()]
    # The CCRB's ids are its officer files' (not the officer lists', which collide with them);
    # Chicago's accused ids link to nobody we hold, so they stay as they are and match no uid
    # `sync_roster` writes; the standard format's are the uid itself.
    assert found == [officer_uid("nyc_ccrb_officers", "000001"), "15646", "RPD-00042"]
    assert officer_uid("chicago_roster", "15646") not in found
