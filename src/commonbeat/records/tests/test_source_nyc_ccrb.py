from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.helpers import row_reader


def test_the_scrape_and_the_officer_lists_import(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    # The zip itself (four header-less CSVs, recognised by their names) and the two officer
    # lists with headers.
    report = run_import(shared_data / "nyc_ccrb")
    assert report.ok and report.committed
    files = {f.name: f for f in report.files}
    assert {name: f.mapping for name, f in files.items()} == {
        "2021-03-20.zip:2021-03-20_active_complaint.csv": "nyc_ccrb_allegations",
        "2021-03-20.zip:2021-03-20_inactive_complaint.csv": "nyc_ccrb_allegations",
        "2021-03-20.zip:2021-03-20_active_officer.csv": "nyc_ccrb_officers",
        "2021-03-20.zip:2021-03-20_inactive_officer.csv": "nyc_ccrb_officers",
        "active_officers.csv": "nyc_ccrb_officer_lists",
        "inactive_officers.csv": "nyc_ccrb_officer_lists",
    }
    counts = {
        f.partition: (f.outputs[0].read, f.outputs[0].stored, f.outputs[0].rejected)
        for f in report.files
    }
    assert counts == {
        "2021-03-20_active_complaint": (100_171, 100_167, 4),
        "2021-03-20_inactive_complaint": (75_334, 75_333, 1),
        "2021-03-20_active_officer": (34_814, 34_811, 3),
        "2021-03-20_inactive_officer": (48_222, 48_218, 4),
        "active_officers": (35_138, 35_135, 3),
        "inactive_officers": (50_668, 50_663, 5),
    }
    # Every reject is a line identical to another line of the same file. In the officer files
    # they are the scraper's page boundaries: rows 10,000 and 10,001 (lines 10,001 and 10,002; 20,000 and 20,001, ...)
    # are the same officer. In the complaint files they are allegations listed twice with
    # every column equal, so nothing tells them apart.
    for report_file in report.files:
        assert set(report_file.outputs[0].reasons) <= {"record_id: duplicate identifier"}
    assert [p.split(": ")[0] for p in files["active_officers.csv"].problems] == [
        "active_officers.csv, line 10002",
        "active_officers.csv, line 20002",
        "active_officers.csv, line 30002",
    ]
    assert [
        p.split(": ")[0] for p in files["2021-03-20.zip:2021-03-20_inactive_complaint.csv"].problems
    ] == ["2021-03-20.zip:2021-03-20_inactive_complaint.csv, line 72656"]

    con = record_store.connect()

    one = row_reader(con)

    assert one("SELECT count(*), count(DISTINCT parent_id), min(agency) FROM allegation") == (
        175_500,
        59_222,
        "nypd",
    )
    # Every allegation's officer is in the zip's officer files (the lists with headers number
    # officers differently, so they are a source of their own).
    assert one(
        """SELECT count(*) FROM allegation a LEFT JOIN roster r
           ON r.source = 'nyc_ccrb_officers' AND r.record_id = a.officer_id
           WHERE r.record_id IS NULL"""
    ) == (0,)
    assert dict(con.execute("SELECT source, count(*) FROM roster GROUP BY 1").fetchall()) == {
        "nyc_ccrb_officers": 83_029,
        "nyc_ccrb_officer_lists": 85_798,
    }

    assert dict(
        con.execute("SELECT recommended_finding, count(*) FROM allegation GROUP BY 1").fetchall()
    ) == {
        "not_sustained": 50_349,
        "no_finding": 48_255,
        "exonerated": 43_804,
        "unfounded": 16_300,
        "sustained": 12_376,
        "closed_other": 4_416,
    }
    # Every NYPD disposition on a substantiated allegation is a known one (none fell to other).
    assert dict(
        con.execute("SELECT final_finding, count(*) FROM allegation GROUP BY 1").fetchall()
    ) == {
        None: 163_221,
        "sustained": 7_921,
        "closed_other": 2_744,
        "not_sustained": 1_196,
        "pending": 321,
        "no_finding": 97,
    }
    # The NYPD columns are kept for substantiated allegations only: on the others the scrape
    # repeats the last substantiated row's values.
    assert one(
        """SELECT count(*) FROM allegation WHERE recommended_finding <> 'sustained'
           AND (final_finding IS NOT NULL OR final_finding_raw IS NOT NULL OR final_discipline IS NOT NULL)"""
    ) == (0,)

    # Known allegations, by complaint and officer id.
    assert con.execute(
        """SELECT category, allegation, recommended_finding, recommended_finding_raw,
                  recommended_discipline, final_finding, final_finding_raw, final_discipline
           FROM allegation WHERE parent_id = '201310476' AND officer_id = '012132'
           ORDER BY allegation, final_finding_raw"""
    ).fetchall() == [
        (
            "Discourtesy",
            "Action",
            "no_finding",
            "Alleged Victim Uncooperative",
            None,
            None,
            None,
            None,
        ),
        (
            "Force",
            "Physical force",
            "sustained",
            "Substantiated (Charges)",
            "Charges",
            "not_sustained",
            "APU Not guilty",
            "no penalty",
        ),
        # The same allegation twice (two alleged victims), with different outcomes.
        (
            "Abuse of Authority",
            "Retaliatory arrest",
            "sustained",
            "Substantiated (Charges)",
            "Charges",
            "sustained",
            "APU Guilty",
            "Forfeit vacation 5 days",
        ),
        (
            "Abuse of Authority",
            "Retaliatory arrest",
            "sustained",
            "Substantiated (Charges)",
            "Charges",
            "not_sustained",
            "APU Not guilty",
            "no penalty",
        ),
    ]
    # Substantiated with the board's recommendation, no NYPD decision recorded.
    assert one(
        """SELECT count(*), min(recommended_discipline), count(final_finding)
           FROM allegation WHERE parent_id = '200000003'"""
    ) == (5, "Command Discipline", 0)
    # Exonerated and unfounded: the scrape's "Charge Dismissed - DCT" on these rows is dropped.
    assert con.execute(
        """SELECT recommended_finding, count(*), count(final_finding_raw) FROM allegation
           WHERE parent_id = '200003577' GROUP BY 1 ORDER BY 1"""
    ).fetchall() == [("exonerated", 5, 0), ("unfounded", 1, 0)]
    assert one(
        """SELECT recommended_finding, recommended_discipline, final_finding, final_finding_raw
           FROM allegation WHERE parent_id = '200003570'"""
    ) == ("sustained", "Charges", "closed_other", "Charge Dismissed - DCT")
    # The officer id is private: identifiers are the complaint and a digest.
    assert one(
        """SELECT count(*) FROM allegation
           WHERE NOT regexp_full_match(record_id, parent_id || '-[0-9a-f]{16}')"""
    ) == (0,)

    # Officers: rank, command and shield number; 00000 means no shield, zero padding is dropped.
    assert con.execute(
        """SELECT source, record_id, rank, unit, badge_number FROM roster
           WHERE record_id IN ('000002', '000005', '043642') ORDER BY source, record_id"""
    ).fetchall() == [
        ("nyc_ccrb_officer_lists", "000002", "Detective", "001 DET", "188"),
        ("nyc_ccrb_officer_lists", "000005", "Detective", "001 DET", "1245"),
        ("nyc_ccrb_officer_lists", "043642", "Detective", "ESS 01", "5304"),
        ("nyc_ccrb_officers", "000002", "Police Officer", "001 DET", "18377"),
        ("nyc_ccrb_officers", "000005", "Detective", "001 DET", "4557"),
        ("nyc_ccrb_officers", "043642", "Lieutenant", "FAM SEC", None),
    ]
    assert one(
        "SELECT count(badge_number), count(*) FROM roster WHERE source = 'nyc_ccrb_officers'"
    ) == (75_170, 83_029)


def test_one_member_of_the_zip_alone_is_recognised_by_its_name(
    shared_data: Path, run_import: Callable[..., ImportReport], tmp_path: Path
) -> None:
    import zipfile

    archive = tmp_path / "2021-03-20-inactive.zip"
    with zipfile.ZipFile(shared_data / "nyc_ccrb" / "2021-03-20.zip") as source:
        data = source.read("2021-03-20_inactive_officer.csv")
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("2021-03-20_inactive_officer.csv", data)
    report = run_import(archive)
    assert report.ok
    assert [(f.mapping, f.outputs[0].stored) for f in report.files] == [
        ("nyc_ccrb_officers", 48_218)
    ]
