"""Filing a use-of-force report: the incident, its child rows, and bad input refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commonbeat.oversight.force import services
from commonbeat.oversight.force.models import (
    BodyCamera,
    ForceOfficer,
    ForceReport,
    ForceResistance,
    ForceSubject,
    ForceUse,
    State,
)
from commonbeat.oversight.tests.force_helpers import (
    Department,
    children,
    dept,
    fields,
    filed,
    form_data,
)

__all__ = ["dept"]


def _stored() -> int:
    return sum(
        model.objects.count()
        for model in (
            ForceReport,
            ForceSubject,
            ForceOfficer,
            ForceUse,
            ForceResistance,
            BodyCamera,
        )
    )


def test_an_officer_files_a_report_with_its_child_rows(dept: Department) -> None:
    report = filed(dept)
    assert report.state == State.DRAFT
    assert report.author == dept.users["author"]
    assert report.neighbourhood == dept.neighbourhood
    subject = report.subjects.get()
    assert (subject.number, subject.age, subject.race, subject.injured) == (1, 34, "black", True)
    # The author is always among the officers involved.
    assert set(report.officers.values_list("officer_id", flat=True)) == {
        dept.officers["author"].pk,
        dept.officers["partner"].pk,
    }
    assert sorted(report.uses.values_list("force_type", flat=True)) == [
        "hands on control",
        "takedown",
    ]
    assert report.uses.filter(subject=subject).count() == 2
    assert report.resistances.get().resistance == "assaulted officer"
    assert report.cameras.get().footage == "AXON-2026-0042"


def test_the_report_form_files_a_draft_without_javascript(dept: Department) -> None:
    response = dept.client("author").post("/oversight/force/new/", form_data(dept))
    assert response.status_code == 302
    report = ForceReport.objects.get()
    assert response["Location"] == f"/oversight/force/{report.pk}/"
    assert report.incident_number == "CAD-26-0314-117"
    assert report.neighbourhood == dept.neighbourhood
    assert report.subjects.count() == 1
    assert report.uses.get().force_type == "takedown"
    assert report.resistances.get().resistance == "passive resistance"
    assert report.cameras.get().camera == "BWC-17"


def test_the_form_offers_spare_rows_and_ignores_them_when_left_empty(dept: Department) -> None:
    page = dept.client("author").get("/oversight/force/new/").content.decode()
    assert 'name="subjects-TOTAL_FORMS" value="2"' in page
    assert 'name="uses-1-force_type"' in page
    data = form_data(dept)
    for kind in ("subjects", "officers", "uses", "resistances", "cameras"):
        data[f"{kind}-TOTAL_FORMS"] = "3"  # two spare rows sent back untouched
    data["subjects-1-number"] = "2"
    data["subjects-2-number"] = "3"
    for i in (1, 2):
        data[f"subjects-{i}-race"] = "not_recorded"
        data[f"subjects-{i}-gender"] = "not_recorded"
        data[f"subjects-{i}-medical_treatment"] = "none"
    response = dept.client("author").post("/oversight/force/new/", data)
    assert response.status_code == 302
    assert ForceSubject.objects.count() == 1
    assert ForceUse.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("incident_date", "14/03/2026", "YYYY-MM-DD, e.g. 2026-03-14"),
        ("incident_date", "2026-02-30", "YYYY-MM-DD, e.g. 2026-03-14"),
        ("incident_time", "9pm", "HH:MM on a 24-hour clock, e.g. 21:45"),
        ("uses-0-force_type", "chokehold", "chokehold is not a force type we know"),
        ("resistances-0-resistance", "rude", "rude is not a kind of resistance we know"),
        ("latitude", "north", "Enter a number, e.g. 41.881832"),
        ("narrative", "", "Describe what happened"),
    ],
)
def test_the_form_refuses_bad_input_saying_what_to_write_and_stores_nothing(
    dept: Department, field: str, value: str, message: str
) -> None:
    response = dept.client("author").post(
        "/oversight/force/new/", form_data(dept, **{field: value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _stored() == 0


def test_the_form_refuses_a_future_date_and_stores_nothing(dept: Department) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = dept.client("author").post(
        "/oversight/force/new/", form_data(dept, incident_date=tomorrow)
    )
    assert response.status_code == 400
    assert "The date of the incident is in the future" in response.content.decode()
    assert _stored() == 0


def test_the_service_refuses_a_future_date_naming_the_field(dept: Department) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.create_report(dept.users["author"], fields(incident_date=tomorrow), children(dept))
    assert "incident_date" in refused.value.message_dict
    assert _stored() == 0


def test_the_service_refuses_a_malformed_date(dept: Department) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_report(
            dept.users["author"], fields(incident_date="2026-13-45"), children(dept)
        )
    assert "e.g. 2026-03-14" in refused.value.message_dict["incident_date"][0]
    assert _stored() == 0


def test_the_service_refuses_an_unknown_force_type_and_stores_nothing(dept: Department) -> None:
    rows = children(dept)
    rows["uses"][0]["force_type"] = "chokehold"
    with pytest.raises(ValidationError) as refused:
        services.create_report(dept.users["author"], fields(), rows)
    assert "'chokehold' is not a force type we know" in refused.value.message_dict["uses"][0]
    assert _stored() == 0


def test_other_force_needs_its_description(dept: Department) -> None:
    rows = children(dept)
    rows["uses"][0]["force_type"] = "other"
    with pytest.raises(ValidationError) as refused:
        services.create_report(dept.users["author"], fields(), rows)
    assert "describe the “Other” force type" in refused.value.message_dict["uses"][0]
    rows["uses"][0]["other_text"] = "Arm bar against a wall"
    report = services.create_report(dept.users["author"], fields(), rows)
    assert report.uses.filter(force_type="other", other_text="Arm bar against a wall").exists()


def test_force_rows_must_name_an_officer_involved_and_a_listed_subject(dept: Department) -> None:
    rows = children(dept)
    rows["uses"][0]["officer"] = dept.officers["bystander"]
    rows["uses"][1]["subject_number"] = 2
    with pytest.raises(ValidationError) as refused:
        services.create_report(dept.users["author"], fields(), rows)
    problems = refused.value.message_dict["uses"]
    assert "Row 1: choose one of the officers involved" in problems[0]
    assert "Row 2: choose one of the subjects listed above." in problems[1]
    assert _stored() == 0


def test_only_officers_and_supervisors_on_the_roster_file(dept: Department) -> None:
    for name in ("investigator", "administrator", "resident", "board_member"):
        with pytest.raises(PermissionDenied):
            services.create_report(dept.users[name], fields(), children(dept))
    assert _stored() == 0
