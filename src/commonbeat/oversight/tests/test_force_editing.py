"""Only a report's author edits it, while a draft or returned; every edit is kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from commonbeat.oversight.force import services
from commonbeat.oversight.force.models import ForceReport, ForceSubject, ForceUse
from commonbeat.oversight.tests.force_helpers import (
    Department,
    children,
    dept,
    fields,
    filed,
    form_data,
    submitted,
)

__all__ = ["dept"]


def test_the_author_edits_a_draft_and_each_edit_is_kept(dept: Department) -> None:
    author = dept.users["author"]
    report = filed(dept)
    services.update_report(report, author, fields(narrative="First correction."), children(dept))
    rows = children(dept)
    rows["uses"][0]["force_type"] = "oc spray"
    rows["subjects"][0]["age"] = 35
    services.update_report(report, author, fields(narrative="Second correction."), rows)

    versions = list(report.history.order_by("history_date").values_list("narrative", flat=True))
    assert versions == [
        "Subject resisted arrest and struck at me; I used a takedown.",
        "First correction.",
        "Second correction.",
    ]
    use = ForceUse.objects.filter(report=report).order_by("id").first()
    assert use is not None
    assert list(use.history.order_by("history_date").values_list("force_type", flat=True)) == [
        "takedown",
        "oc spray",
    ]
    subject = ForceSubject.objects.get(report=report)
    assert [h.age for h in subject.history.order_by("history_date")] == [34, 35]
    assert all(h.history_user == author for h in report.history.all())


def test_an_unchanged_save_adds_no_version(dept: Department) -> None:
    report = filed(dept)
    services.update_report(report, dept.users["author"], fields(), children(dept))
    assert report.history.count() == 1
    assert ForceUse.history.count() == 2


def test_a_removed_row_is_kept_in_the_history(dept: Department) -> None:
    report = filed(dept)
    rows = children(dept)
    rows["cameras"] = []
    services.update_report(report, dept.users["author"], fields(), rows)
    assert not report.cameras.exists()
    from commonbeat.oversight.force.models import BodyCamera

    kinds = list(
        BodyCamera.history.filter(report_id=report.pk)
        .order_by("history_date")
        .values_list("history_type", "footage")
    )
    assert kinds == [("+", "AXON-2026-0042"), ("-", "AXON-2026-0042")]


@pytest.mark.parametrize("name", ["partner", "sergeant", "lieutenant", "administrator"])
def test_nobody_but_the_author_edits(dept: Department, name: str) -> None:
    report = filed(dept)
    with pytest.raises(PermissionDenied):
        services.update_report(
            report, dept.users[name], fields(narrative="Not mine."), children(dept)
        )
    response = dept.client(name).post(
        f"/oversight/force/{report.pk}/edit/", form_data(dept, narrative="Not mine.")
    )
    assert response.status_code in (403, 404)
    assert ForceReport.objects.get(pk=report.pk).narrative.startswith("Subject resisted")


def test_the_author_edits_through_the_form(dept: Department) -> None:
    report = filed(dept)
    client = dept.client("author")
    page = client.get(f"/oversight/force/{report.pk}/edit/")
    assert page.status_code == 200
    assert "CAD-26-0314-117" in page.content.decode()
    response = client.post(
        f"/oversight/force/{report.pk}/edit/", form_data(dept, narrative="Corrected account.")
    )
    assert response.status_code == 302
    assert ForceReport.objects.get(pk=report.pk).narrative == "Corrected account."
    assert report.history.count() == 2


def test_a_submitted_report_is_not_edited_even_by_its_author(dept: Department) -> None:
    report = submitted(dept)
    with pytest.raises(PermissionDenied):
        services.update_report(
            report, dept.users["author"], fields(narrative="Late."), children(dept)
        )
    response = dept.client("author").post(
        f"/oversight/force/{report.pk}/edit/", form_data(dept, narrative="Late.")
    )
    assert response.status_code == 403
    assert ForceReport.objects.get(pk=report.pk).narrative.startswith("Subject resisted")


def test_reviewers_see_every_version_on_the_report_page(dept: Department) -> None:
    author = dept.users["author"]
    report = filed(dept)
    services.update_report(report, author, fields(narrative="First correction."), children(dept))
    services.submit_report(report, author)
    page = dept.client("sergeant").get(f"/oversight/force/{report.pk}/").content.decode()
    assert "Every version" in page
    assert (
        "Subject resisted arrest and struck at me; I used a takedown. → First correction." in page
    )
    data = dept.client("sergeant").get(f"/oversight/force/{report.pk}.json").json()
    assert len([v for v in data["versions"] if v["record"] == "Report"]) == 3
    # The author reads their report, not the reviewers' view of its versions.
    assert (
        "Every version"
        not in dept.client("author").get(f"/oversight/force/{report.pk}/").content.decode()
    )
