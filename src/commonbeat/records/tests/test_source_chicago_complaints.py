from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore

COMPLAINTS_2016 = "complaints-complaints_2000-2016_2016-11.csv.gz"
ACCUSED_2016 = "complaints-accused_2000-2016_2016-11.csv.gz"
CLEAR_2022 = "complaints-complaints-clear_2000-2022_2022-09.csv.gz"


def _counts(report: ImportReport) -> dict[str, tuple[int, int, int, dict[str, int]]]:
    return {
        f.mapping: (o.read, o.stored, o.rejected, dict(o.reasons))
        for f in report.files
        for o in f.outputs
    }


def test_chicago_complaints_2016_release_imports(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    folder = shared_data / "chicago_invinst"
    report = run_import(folder / COMPLAINTS_2016, folder / ACCUSED_2016)
    assert report.ok and report.committed
    assert _counts(report) == {
        # 26 complaints have impossible dates: 23 were closed before they were received (most
        # "closed" in January 2000 though received months later, a year typed wrongly) and 3
        # name an incident after the day the complaint was received.
        "chicago_complaints": (
            109_339,
            109_313,
            26,
            {
                "rule: closed before it was received": 23,
                "rule: incident after the complaint was received": 3,
            },
        ),
        "chicago_complaints_accused": (125_581, 125_581, 0, {}),
    }
    con = record_store.connect()
    complaint = con.execute(
        """SELECT received_date::VARCHAR, incident_date::VARCHAR, closed_date::VARCHAR,
                  days_to_close, area, location IS NOT NULL, category, narrative
           FROM complaint WHERE record_id = '106213'"""
    ).fetchone()
    assert complaint == ("2015-07-20", "2015-07-19", "2015-09-21", 63, "1631", True, None, None)
    # Beat 0 means no beat was recorded.
    assert con.execute("SELECT count(*) FROM complaint WHERE area = '0'").fetchone()[0] == 0

    allegations = con.execute(
        """SELECT record_id, parent_id, officer_id, category, allegation, recommended_finding,
                  recommended_finding_raw, final_finding, final_finding_raw,
                  recommended_discipline, final_discipline
           FROM allegation WHERE record_id IN ('1', '2') ORDER BY record_id"""
    ).fetchall()
    assert allegations == [
        (
            "1",
            "258996",
            "15646",
            "Verbal Abuse",
            "01A-USE OF PROFANITY",
            "not_sustained",
            "NS",
            "not_sustained",
            "NS",
            "No action taken",
            "No action taken",
        ),
        (
            "2",
            "258997",
            "8602",
            "Verbal Abuse",
            "01A-USE OF PROFANITY",
            "unfounded",
            "UN",
            "unfounded",
            "UN",
            "No action taken",
            "No action taken",
        ),
    ]
    findings = dict(
        con.execute(
            "SELECT coalesce(final_finding_raw, '') || '=' || coalesce(final_finding, ''), count(*) "
            "FROM allegation GROUP BY 1"
        ).fetchall()
    )
    assert findings == {
        "NS=not_sustained": 39_672,
        "NAF=no_finding": 32_704,  # no affidavit: the case could not go forward
        "UN=unfounded": 28_920,
        "EX=exonerated": 8_454,
        "SU=sustained": 8_142,
        "=": 7_630,
        "NC=no_finding": 47,  # no cooperation
        "DIS=closed_other": 12,  # the accused was discharged
    }
    # Recommended and final decisions differ: 673 recommended sustained findings became
    # not sustained.
    assert (
        con.execute(
            "SELECT count(*) FROM allegation WHERE recommended_finding = 'sustained' "
            "AND final_finding = 'not_sustained'"
        ).fetchone()[0]
        == 673
    )
    # Penalty codes read as words; whole numbers up to 365 are days of suspension.
    penalties = dict(
        con.execute(
            "SELECT final_discipline, count(*) FROM allegation WHERE final_discipline IN "
            "('No action taken', 'Reprimand', '1-day suspension', 'Separation', '999') GROUP BY 1"
        ).fetchall()
    )
    assert penalties == {
        "No action taken": 109_722,
        "Reprimand": 2_178,
        "1-day suspension": 1_478,
        "Separation": 137,
        "999": 22,
    }
    # Every allegation belongs to a complaint of the same release, except those of 13 of the
    # 26 complaints rejected above for their dates.
    assert con.execute(
        "SELECT count(DISTINCT parent_id), count(*) FROM allegation "
        "WHERE parent_id NOT IN (SELECT record_id FROM complaint)"
    ).fetchone() == (13, 20)


def test_chicago_complaints_2022_release_imports(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(shared_data / "chicago_invinst" / CLEAR_2022)
    assert report.ok and report.committed
    assert _counts(report) == {
        "chicago_complaints_clear": (
            96_530,
            92_533,
            3_997,
            {
                # The release repeats a complaint once per incident date, place or linked
                # TRR/RD number: 96,530 rows hold 92,612 complaints. The first row of each is
                # kept and the 3,918 later ones are duplicates (190 are exact copies).
                "record_id: duplicate identifier": 3_918,
                # Dates in the wrong order (83 of these rows are also duplicates, hence a total
                # of 3,997 rows): an incident dated after the complaint was received (often a
                # later incident of the same case) and a closed date before it.
                "rule: incident after the complaint was received": 158,
                "rule: closed before it was received": 4,
            },
        )
    }
    con = record_store.connect()
    complaint = con.execute(
        """SELECT source, received_date::VARCHAR, incident_date::VARCHAR, closed_date::VARCHAR,
                  days_to_close, category, location, area, narrative IS NOT NULL
           FROM complaint WHERE record_id = '258959'"""
    ).fetchone()
    assert complaint == (
        "chicago_complaints_clear",
        "2000-01-03",
        "1999-12-27",
        "2000-12-05",
        337,
        "10A-ABSENT WITHOUT PERMISSION",
        "POLICE FACILITY / VEHICLE PARKING LOT, CHICAGO, ILLINOIS",
        "411",
        True,
    )
    # A complaint still open has no days to closure: the export's ~2.9 million days (counted to
    # 9999-12-31) are a placeholder.
    open_cases = con.execute(
        """SELECT count(*), count(days_to_close) FROM complaint WHERE closed_date IS NULL"""
    ).fetchone()
    assert open_cases == (14_194, 0)
    assert con.execute("SELECT max(days_to_close) FROM complaint").fetchone()[0] == 6_185
    # The summary, where there is one, is kept on the private side.
    assert con.execute("SELECT count(narrative) FROM complaint").fetchone()[0] == 56_106
