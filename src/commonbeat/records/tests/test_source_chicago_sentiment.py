from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore


def test_chicago_police_sentiment_scores_import(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(shared_data / "chicago_sentiment" / "Police_Sentiment_Scores.csv")
    assert report.ok and report.committed
    (file,) = report.files
    assert file.mapping == "chicago_sentiment"
    # 6,587 rows x 68 value columns (4 measures, each overall and for 16 groups), one output
    # per column, each reading only the rows where its value is present.
    assert len(file.outputs) == 68
    assert Counter((o.read, o.stored, o.rejected) for o in file.outputs) == {
        # Safety and trust, overall and by race, age and sex: every row has them. The city-wide
        # weekly scores (2017-11 to 2019-05) were published twice: 70 rows repeat another
        # exactly, and the week of 2019-03-03 has a third, different row. The first row of
        # each place and period is kept; the 71 others are duplicate identifiers.
        (6_587, 6_516, 71): 22,
        # Safety and trust by education and income: not published before March 2018.
        (6_134, 6_076, 58): 12,
        # Trust's components (listen, respect): published monthly from June 2020 only.
        (3_201, 3_201, 0): 34,
    }
    totals = report.totals()["external_series"]
    assert (totals.read, totals.stored, totals.rejected) == (327_356, 325_098, 2_258)
    assert dict(totals.reasons) == {"record_id: duplicate identifier": 2_258}

    con = record_store.connect()
    sector = con.execute(
        """SELECT series, period_start::VARCHAR, period_end::VARCHAR, level, area, measure,
                  "group", value
           FROM external_series
           WHERE area = '1420' AND period_start = '2021-04-01' AND measure = 'safety'
             AND "group" IN ('all', 'race: black', 'education: high')
           ORDER BY "group" """
    ).fetchall()
    assert sector == [
        (
            "chicago_police_sentiment",
            "2021-04-01",
            "2021-04-30",
            "sector",
            "1420",
            "safety",
            "all",
            56.69,
        ),
        (
            "chicago_police_sentiment",
            "2021-04-01",
            "2021-04-30",
            "sector",
            "1420",
            "safety",
            "education: high",
            47.3,
        ),
        (
            "chicago_police_sentiment",
            "2021-04-01",
            "2021-04-30",
            "sector",
            "1420",
            "safety",
            "race: black",
            40.27,
        ),
    ]
    city = dict(
        con.execute(
            """SELECT measure, value FROM external_series
               WHERE level = 'city' AND period_start = '2023-02-01' AND "group" = 'all'"""
        ).fetchall()
    )
    assert city == {"safety": 57.97, "trust": 57.8, "trust_listen": 56.65, "trust_respect": 58.96}
    places = dict(
        con.execute("SELECT level, count(DISTINCT area) FROM external_series GROUP BY 1").fetchall()
    )
    # Areas: the five current areas and, in the weekly rows, the old North/Central/South.
    assert places == {"city": 1, "area": 8, "district": 22, "sector": 69}
    assert con.execute(
        'SELECT count(DISTINCT "group"), min(period_start)::VARCHAR, max(period_end)::VARCHAR '
        "FROM external_series"
    ).fetchone() == (17, "2017-11-01", "2023-02-28")
