from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.mappings.officer_rosters import OpenOversightFile
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.helpers import row_reader

CHICAGO = "CPD_August_2020"
INCIDENTS = "RPD/Incidents_March_2022"


def test_links_and_documented_incidents_import(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    folder = shared_data / "officer_rosters"
    # With the Chicago roster, so that every link's officer can be looked up.
    report = run_import(
        folder / CHICAGO / "4_out_select_links.csv",
        folder / CHICAGO / "4_out_select_officers.csv",
        folder / INCIDENTS,
    )
    assert report.ok and report.committed
    files = {f.name: f for f in report.files}
    assert {name: f.mapping for name, f in files.items()} == {
        "4_out_select_links.csv": "openoversight_officer_links",
        "4_out_select_officers.csv": "openoversight_officers_separated",
        "incidents_3_prd.csv": "openoversight_incidents",
        "incidents_links_3.csv": "openoversight_incident_links",
    }
    counts = {
        name: [(o.record_type, o.read, o.stored, o.rejected) for o in f.outputs]
        for name, f in files.items()
    }
    assert counts == {
        "4_out_select_links.csv": [("reference_link", 14_347, 14_347, 0)],
        "4_out_select_officers.csv": [("roster", 15_708, 15_708, 0)],
        # 177 incidents over 341 lines: most descriptions run over several lines.
        "incidents_3_prd.csv": [("documented_incident", 177, 177, 0)],
        "incidents_links_3.csv": [("reference_link", 291, 291, 0)],
    }

    con = record_store.connect()

    one = row_reader(con)

    assert dict(
        con.execute(
            "SELECT agency || ' ' || subject_type, count(*) FROM reference_link GROUP BY 1"
        ).fetchall()
    ) == {"chicago-pd officer": 14_347, "rochester-pd incident": 291}
    # The links files have no ids: each link is named by its file and row.
    assert one(
        """SELECT subject_type, subject_ids, url, title, link_type, author FROM reference_link
           WHERE record_id = '4_out_select_links:2'"""
    ) == (
        "officer",
        "#U100008",
        "https://cpdp.co/officer/411/",
        "Officer's profile on CPDP",
        "Link",
        "Citizens Police Data Project",
    )
    # Every Chicago link names an officer of the roster.
    assert one(
        """SELECT count(*) FROM reference_link l
           LEFT JOIN roster r ON r.agency = l.agency AND r.record_id = l.subject_ids
           WHERE l.agency = 'chicago-pd' AND r.record_id IS NULL"""
    ) == (0,)
    assert one(
        """SELECT subject_type, subject_ids, url, link_type, author FROM reference_link
           WHERE record_id = 'incidents_links_3:1'"""
    ) == ("incident", "#0", "https://www.youtube.com/watch?v=6m2a8ZGg05c", "link", None)
    # Every incident link names an incident of the list; one article is listed twice for the
    # same incident (rows 9 and 11), and both rows are kept.
    assert one(
        """SELECT count(*) FROM reference_link l
           LEFT JOIN documented_incident i ON i.agency = l.agency AND i.record_id = l.subject_ids
           WHERE l.agency = 'rochester-pd' AND i.record_id IS NULL"""
    ) == (0,)
    assert one(
        """SELECT count(*), count(DISTINCT (url, subject_ids)) FROM reference_link
           WHERE agency = 'rochester-pd'"""
    ) == (291, 290)

    # Documented incidents: their department, date, place and officer.
    assert one(
        """SELECT agency, department, occurred_date::VARCHAR, location, officer_ids
           FROM documented_incident WHERE record_id = '#1'"""
    ) == (
        "rochester-pd",
        "Rochester, NY Police Department",
        "2015-10-01",
        "Victoria St & Hertel St, Rochester, NY",
        "33062",
    )
    assert one(
        "SELECT occurred_date::VARCHAR, location FROM documented_incident WHERE record_id = '#152'"
    ) == ("2005-07-10", "Hudson Ave, Rochester, NY 14621")
    # 1970-01-01 is the exporting database's empty date: eight incidents have no known date.
    assert one(
        "SELECT occurred_date, location FROM documented_incident WHERE record_id = '#100'"
    ) == (None, "N Clinton Ave & Upper Falls Blvd, Rochester, NY")
    assert one(
        """SELECT count(*) - count(occurred_date), min(occurred_date)::VARCHAR,
                  max(occurred_date)::VARCHAR FROM documented_incident"""
    ) == (8, "1986-10-28", "2021-02-23")
    # Descriptions are kept whole, several lines and HTML fragments included (never shown here).
    assert one(
        """SELECT count(description), count(*) FILTER (description LIKE '%' || chr(10) || '%'),
                  count(*) FILTER (description LIKE '%<%') FROM documented_incident"""
    ) == (177, 130, 128)


def test_the_incident_files_are_rochesters() -> None:
    assert OpenOversightFile.agency_for(Path("incidents_3_prd.csv")) == "rochester-pd"
    assert OpenOversightFile.agency_for(Path("incidents_links_3.csv")) == "rochester-pd"
    assert OpenOversightFile.agency_for(Path("4_out_select_links.csv")) == "chicago-pd"
