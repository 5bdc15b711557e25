"""What intake shows in public: the receipt and a case's status, and nothing confidential.

`status_of()` is the one shape of a case's status (the page, its JSON and the API read it):
the kind, the stage, when it was received and when each stage began. No narrative, no names,
no officers, no findings.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation

from commonbeat.oversight.cases.models import Complaint
from commonbeat.oversight.intake.services import Report


def status_of(case: Complaint) -> dict[str, Any]:
    history = [
        {
            "stage": change.to_stage,
            "label": str(change.get_to_stage_display()),
            "date": _day(change.at),
        }
        for change in case.history.order_by("at", "id")
        if change.to_stage != change.from_stage or change.to_stage == "received"
    ]
    return {
        "reference": case.reference,
        "kind": case.kind,
        "kind_label": str(case.get_kind_display()),
        "stage": case.stage,
        "stage_label": str(case.get_stage_display()),
        "received": _day(case.received_at),
        "stage_since": _day(case.stage_entered_at),
        "closed": _day(case.closed_at) if case.closed_at else None,
        "history": history,
    }


def _day(moment: Any) -> str:
    return timezone.localtime(moment).date().isoformat()


def json_fields(body: Any) -> QueryDict:
    """The API's JSON body as form fields: lists for repeatable fields, officers and witnesses
    as lists of objects ({"name", "badge", "description"}; {"name", "contact", "statement"})."""
    fields = QueryDict(mutable=True)
    if not isinstance(body, dict):
        raise ValueError("not an object")
    for key, value in body.items():
        if key in ("officers", "witnesses") and isinstance(value, list):
            prefix = key[:-1]
            for row in value:
                if isinstance(row, dict):
                    for name in ("name", "badge", "description", "contact", "statement"):
                        fields.appendlist(f"{prefix}_{name}", str(row.get(name) or ""))
        elif isinstance(value, list):
            for item in value:
                fields.appendlist(key, str(item))
        elif isinstance(value, bool):
            fields[key] = "true" if value else "false"
        elif value is not None:
            fields[key] = str(value)
    return fields


def report_from_post(request: HttpRequest, data: QueryDict) -> Report:
    """Read the API's flat fields (repeatable officer_* and witness_* fields) into a Report."""
    from commonbeat.oversight.intake.services import OfficerGiven, WitnessGiven

    def text(name: str) -> str:
        return str(data.get(name, "")).strip()

    def rows(prefix: str, names: tuple[str, ...]) -> list[list[str]]:
        columns = [data.getlist(f"{prefix}_{name}") for name in names]
        length = max((len(column) for column in columns), default=0)
        return [[c[i] if i < len(c) else "" for c in columns] for i in range(length)]

    return Report(
        kind=text("kind") or "complaint",
        incident_date=text("incident_date"),
        incident_time=text("incident_time"),
        location_text=text("location_text"),
        latitude=text("latitude"),
        longitude=text("longitude"),
        narrative=text("narrative"),
        officers=[OfficerGiven(*row) for row in rows("officer", ("name", "badge", "description"))],
        witnesses=[WitnessGiven(*row) for row in rows("witness", ("name", "contact", "statement"))],
        anonymous=text("anonymous").lower() in ("1", "true", "yes", "on"),
        complainant_name=text("complainant_name"),
        complainant_email=text("complainant_email"),
        complainant_phone=text("complainant_phone"),
        complainant_race=text("complainant_race"),
        complainant_gender=text("complainant_gender"),
        complainant_age=text("complainant_age"),
        # Not given: the language the client is answered in (its Accept-Language).
        language=text("language") or translation.get_language() or "en",
        agency=text("agency"),
        channel=Complaint.Channel.API,
        organisation=text("organisation"),
        on_behalf=bool(text("organisation")),
        files=list(request.FILES.getlist("attachments")),
    )
