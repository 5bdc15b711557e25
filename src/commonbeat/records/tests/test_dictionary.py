from __future__ import annotations

from pathlib import Path

from commonbeat.records.dictionary import render
from commonbeat.records.schema import RECORD_TYPES

DOC = Path(__file__).resolve().parents[4] / "docs" / "data-dictionary.md"


def test_the_data_dictionary_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render() + "\n", "run `commonbeat datadictionary`"


def test_it_documents_every_field_of_every_record_type() -> None:
    text = render()
    for record_type in RECORD_TYPES.values():
        assert f"## {record_type.name}" in text
        for item in record_type.fields:
            assert f"| `{item.name}` |" in text


def test_the_standard_csv_page_is_up_to_date_and_says_which_columns_may_be_absent() -> None:
    from commonbeat.records import standard_csv

    page = DOC.with_name("standard-csv.md")
    assert page.read_text(encoding="utf-8") == standard_csv.render() + "\n", (
        "run `commonbeat datadictionary`"
    )
    text = standard_csv.render()
    assert "| `record_id` | yes |  | string |" in text  # required, must be present
    assert "| `occurred_date` |  | yes | date | 2024-03-31 |" in text  # may be absent
