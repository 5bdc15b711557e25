"""The staff pages of cases: the work queue (with the overdue queue), a case with its timeline,
allegations and the moves this user may make, and the forms that make them.

Every page asks the policy; what a page (and its twins) shows of a case is cut by
`confidentiality.access()`; a case the user may not see is a 404, so its existence is not
revealed. Lists are paginated without counting every row and read through indexes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from commonbeat.core import policy
from commonbeat.core.twins import respond
from commonbeat.oversight.cases import api, services
from commonbeat.oversight.cases.confidentiality import access, visible_cases
from commonbeat.oversight.cases.forms import (
    AllegationEditForm,
    AllegationForm,
    ExtensionForm,
    FindingForm,
    TransitionForm,
    TriageForm,
)
from commonbeat.oversight.cases.models import Allegation, Complaint
from commonbeat.oversight.cases.workflow import TRANSITION_LABELS, Stage

PAGE_SIZE = 50
MAX_PAGE = 2000  # a queue is read from its start; deeper pages are refused, not slow


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404(_("No such page: give a page number from 1 to %(max)s.") % {"max": MAX_PAGE})
    return int(raw)


@policy.requires("case.list")
def case_list(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    """The work queue: the cases this user sees, newest first, or the overdue ones first."""
    cases: QuerySet[Complaint] = visible_cases(request.user)
    stage = request.GET.get("stage", "")
    if stage and stage not in Stage.values:
        raise Http404(_("Unknown stage %(stage)s: choose one from the list.") % {"stage": stage})
    if stage:
        cases = cases.filter(stage=stage)
    overdue = request.GET.get("overdue") in ("1", "yes", "on")
    now = timezone.now()
    # The overdue queue puts the most overdue first; otherwise the newest come first.
    cases = services.overdue(cases, now) if overdue else cases.order_by("-received_at", "-id")
    page = _page_number(request)
    start = (page - 1) * PAGE_SIZE
    # Only what a row shows (api.LIST_HEADER): the narrative and identity are not read.
    listed = cases.only(
        "reference", "kind", "stage", "received_at", "stage_entered_at", "due_at", "category",
        "unit",
    )  # fmt: skip
    window = list(listed[start : start + PAGE_SIZE + 1])
    has_next = len(window) > PAGE_SIZE
    rows = [api.case_row(case, now) for case in window[:PAGE_SIZE]]
    # Each row's address from the list's own (one reverse() a page, not one a row).
    base = reverse("oversight:case_list")
    for row in rows:
        row["url"] = f"{base}{quote(row['reference'])}/"
    data = {"page": page, "page_size": PAGE_SIZE, "has_next": has_next, "cases": rows}
    query = {"stage": stage, "overdue": "1" if overdue else ""}
    context = {
        "rows": rows,
        "page": page,
        "has_next": has_next,
        "stage": stage,
        "overdue": overdue,
        "stages": Stage.choices,
        "query": "&".join(f"{k}={v}" for k, v in query.items() if v),
    }
    table = (api.LIST_HEADER, [[row[h] for h in api.LIST_HEADER] for row in rows])
    return respond(
        request,
        "oversight/cases/list.html",
        context,
        data,
        suffix=suffix,
        table=table,
        filename="cases",
    )


def _visible_case(request: HttpRequest, reference: str) -> Complaint:
    case = get_object_or_404(Complaint, reference=reference)
    if not access(request.user, case).exists:
        raise Http404(_("No such case."))
    return case


def _detail_context(request: HttpRequest, case: Complaint) -> dict[str, Any]:
    user = request.user
    seen = access(user, case)
    allegation_rows = []
    for allegation in case.allegations.order_by("id"):
        level = None
        if case.stage == Stage.INVESTIGATION and policy.can(user, "case.investigate", case):
            level = "investigator"
        elif case.stage == Stage.BOARD_REVIEW and policy.can(user, "case.board_review", case):
            level = "board"
        elif case.stage == Stage.FINAL_DECISION and policy.can(user, "case.decide", case):
            level = "final"
        editable = case.stage in (Stage.ASSIGNED, Stage.INVESTIGATION) and policy.can(
            user, "case.investigate", case
        )
        allegation_rows.append(
            {
                "allegation": allegation,
                "level": level,
                "form": FindingForm(prefix_id=allegation.pk) if level else None,
                "edit_form": AllegationEditForm(
                    prefix_id=allegation.pk,
                    initial={
                        "category": allegation.category,
                        "description": allegation.description,
                    },
                )
                if editable
                else None,
            }
        )
    may_triage = case.stage == Stage.INTAKE_REVIEW and policy.can(user, "case.triage", case)
    may_add = case.stage in (Stage.ASSIGNED, Stage.INVESTIGATION) and policy.can(
        user, "case.investigate", case
    )
    may_extend = case.stage != Stage.CLOSED and policy.can(user, "case.extend", case)
    return {
        "case": case,
        "seen": seen,
        "transitions": services.available_transitions(case, user) if seen.details else [],
        "transition_form": TransitionForm(),
        "triage_form": TriageForm.for_case(case) if may_triage else None,
        "allegation_form": AllegationForm(case=case) if may_add else None,
        "extension_form": ExtensionForm() if may_extend else None,
        "allegations": allegation_rows,
    }


@policy.requires("case.view")
def case_detail(request: HttpRequest, reference: str, suffix: str | None = None) -> HttpResponse:
    """One case as this user may see it, with the moves they may make."""
    case = _visible_case(request, reference)
    data = api.case_data(request.user, case)
    return respond(
        request, "oversight/cases/detail.html", _detail_context(request, case), data, suffix=suffix
    )


def _refused(request: HttpRequest, case: Complaint, error: Exception) -> HttpResponse:
    if isinstance(error, ValidationError):
        problems = [str(m) for msgs in error.message_dict.values() for m in msgs]
        status = 400
    elif isinstance(error, PermissionDenied):
        problems, status = [str(error) or _("You may not do this on this case.")], 403
    else:
        problems, status = [str(error)], 409
    context = {**_detail_context(request, case), "problems": problems}
    data = api.case_data(request.user, case)
    return render(request, "oversight/cases/detail.html", {**context, "data": data}, status=status)


def _back(case: Complaint) -> HttpResponse:
    return redirect(reverse("oversight:case_detail", args=[case.reference]))


@policy.requires("case.view")
@require_POST
def case_transition(request: HttpRequest, reference: str, name: str) -> HttpResponse:
    """Make one move (the transition's own permission decides who)."""
    case = _visible_case(request, reference)
    if name not in TRANSITION_LABELS:
        raise Http404(_("No such move."))
    form = TransitionForm(request.POST)
    note = form.data.get("note", "")
    try:
        services.advance(case, name, actor=request.user, note=note)
    except (TransitionNotAllowed, PermissionDenied, ValidationError) as error:
        return _refused(request, case, error)
    messages.success(request, _("Done: %(action)s.") % {"action": TRANSITION_LABELS[name]})
    return _back(case)


@policy.requires("case.triage")
@require_POST
def case_triage(request: HttpRequest, reference: str) -> HttpResponse:
    """Intake review's decisions: jurisdiction, category, mediation, unit, investigator."""
    case = _visible_case(request, reference)
    form = TriageForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items()
        ]
        return _refused(request, case, ValidationError({"category": problems}))
    try:
        services.triage(case, actor=request.user, **form.cleaned())
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, case, error)
    messages.success(request, _("Intake review saved."))
    return _back(case)


@policy.requires("case.extend")
@require_POST
def case_extend(request: HttpRequest, reference: str) -> HttpResponse:
    """More time in the current stage, with reasons."""
    case = _visible_case(request, reference)
    if not policy.can(request.user, "case.extend", case):
        raise PermissionDenied
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items()
        ]
        return _refused(request, case, ValidationError({"days": problems}))
    try:
        services.extend(
            case,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as error:
        return _refused(request, case, error)
    messages.success(request, _("Deadline extended."))
    return _back(case)


@policy.requires("case.investigate")
@require_POST
def allegation_add(request: HttpRequest, reference: str) -> HttpResponse:
    """A new allegation against one accused officer (the assigned investigator)."""
    case = _visible_case(request, reference)
    if not policy.can(request.user, "case.investigate", case):
        raise PermissionDenied
    form = AllegationForm(request.POST, case=case)
    if not form.is_valid():
        problems = [
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items()
        ]
        return _refused(request, case, ValidationError({"category": problems}))
    try:
        services.add_allegation(case, actor=request.user, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, case, error)
    messages.success(request, _("Allegation added."))
    return _back(case)


@policy.requires("case.investigate")
@require_POST
def allegation_edit(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Correct an allegation's category and wording (the assigned investigator)."""
    case = _visible_case(request, reference)
    allegation = get_object_or_404(Allegation, pk=pk, complaint=case)
    form = AllegationEditForm(request.POST, prefix_id=allegation.pk)
    if not form.is_valid():
        problems = [
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items()
        ]
        return _refused(request, case, ValidationError({"category": problems}))
    try:
        services.edit_allegation(allegation, actor=request.user, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, case, error)
    messages.success(request, _("Allegation saved."))
    return _back(case)


def _record_finding(request: HttpRequest, reference: str, pk: int, level: str) -> HttpResponse:
    case = _visible_case(request, reference)
    allegation = get_object_or_404(Allegation, pk=pk, complaint=case)
    form = FindingForm(request.POST, prefix_id=allegation.pk)
    if not form.is_valid():
        problems = [
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items()
        ]
        return _refused(request, case, ValidationError({"finding": problems}))
    try:
        services.record_finding(allegation, level=level, actor=request.user, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, case, error)
    messages.success(request, _("Finding recorded."))
    return _back(case)


@policy.requires("case.investigate")
@require_POST
def finding_investigator(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The investigator's recommended finding, reasons and discipline."""
    return _record_finding(request, reference, pk, "investigator")


@policy.requires("case.board_review")
@require_POST
def finding_board(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The board's recommended finding and reasons."""
    return _record_finding(request, reference, pk, "board")


@policy.requires("case.decide")
@require_POST
def finding_final(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The final finding, reasons and discipline (the final authority)."""
    return _record_finding(request, reference, pk, "final")
