"""Pages of use-of-force review: my reports, the report form, the reviewer's queue, a report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from commonbeat.core import policy, twins
from commonbeat.core.roles import Role
from commonbeat.oversight.cases.models import Complaint
from commonbeat.oversight.force import api, chain, forms, services
from commonbeat.oversight.force.models import ForceReport, State


def _twin_urls(request: HttpRequest) -> dict[str, str]:
    return {"json_url": "?format=json", "csv_url": "?format=csv"}


@policy.requires("forcereport.file")
def my_reports(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    reports = ForceReport.objects.filter(author_id=request.user.pk).select_related(
        "neighbourhood", "author_officer"
    )
    rows = [api.report_row(r) for r in reports]
    return twins.respond(
        request,
        "oversight/force/my_reports.html",
        {"rows": rows, "may_file": services.may_file(request.user), **_twin_urls(request)},
        rows,
        suffix=suffix,
        table=api.list_table(rows),
        filename="my-force-reports",
    )


@policy.requires("forcereport.review")
def queue(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    waiting = ForceReport.objects.filter(
        state__in=(State.SUBMITTED, State.UNDER_REVIEW)
    ).select_related("neighbourhood", "author_officer")
    user: Any = request.user
    if user.role != Role.ADMINISTRATOR:
        # A supervisor's candidates: their agency's reports; the chain decides which are theirs.
        officer = user.officer
        if officer is None:
            waiting = waiting.none()
        else:
            waiting = waiting.filter(agency_id=officer.agency_id).filter(
                Q(review_level=1, unit=chain.current_unit(officer)) | Q(review_level__gt=1)
            )
    else:
        waiting = waiting.filter(review_level=chain.LEVELS)
    mine = [r for r in waiting.order_by("submitted_at") if chain.may_review(user, r)]
    rows = [api.report_row(r) for r in mine]
    return twins.respond(
        request,
        "oversight/force/queue.html",
        {"rows": rows, **_twin_urls(request)},
        rows,
        suffix=suffix,
        table=api.list_table(rows),
        filename="force-review-queue",
    )


def _form_page(
    request: HttpRequest, report: ForceReport | None, agency_id: int | None
) -> HttpResponse:
    initial = forms.initial_rows(report)
    status = 200
    if request.method == "POST":
        form = forms.ForceReportForm(request.POST)
        formsets = forms.build_formsets(request.POST, agency_id, initial)
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            children = {kind: forms.rows_from(fs) for kind, fs in formsets.items()}
            try:
                if report is None:
                    report = services.create_report(request.user, form.cleaned_data, children)
                else:
                    report = services.update_report(
                        report, request.user, form.cleaned_data, children
                    )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    target = None if field in formsets or field not in form.fields else field
                    if field in formsets:
                        problems = [f"{forms.FORMSETS[field][1]}: {p}" for p in problems]
                    for problem in problems:
                        form.add_error(target, problem)
            else:
                messages.success(request, _("The report is saved as a draft."))
                return redirect("oversight:force_detail", report.pk)
        status = 400
    else:
        values = {key: getattr(report, key) for key in services.REPORT_FIELDS} if report else None
        form = forms.ForceReportForm(initial=values)
        formsets = forms.build_formsets(None, agency_id, initial)
    sections = [(kind, forms.FORMSETS[kind][1], formset) for kind, formset in formsets.items()]
    return render(
        request,
        "oversight/force/report_form.html",
        {"form": form, "sections": sections, "report": report},
        status=status,
    )


@policy.requires("forcereport.file")
def new_report(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not services.may_file(user):
        raise PermissionDenied(_("Your account is not linked to an officer on the roster."))
    return _form_page(request, None, user.officer.agency_id)


def _visible(request: HttpRequest, pk: int, action: str = "forcereport.view") -> ForceReport:
    report = get_object_or_404(
        ForceReport.objects.select_related("author_officer", "neighbourhood", "referral"), pk=pk
    )
    if not policy.can(request.user, "forcereport.view", report):
        # Someone else's report does not exist, as far as they can tell.
        raise Http404(_("No such report."))
    if action != "forcereport.view" and not policy.can(request.user, action, report):
        raise PermissionDenied
    return report


@policy.requires("forcereport.edit")
def edit_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk, "forcereport.edit")
    return _form_page(request, report, report.agency_id)


@require_POST
@policy.requires("forcereport.edit")
def submit_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk, "forcereport.edit")
    try:
        services.submit_report(report, request.user)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect("oversight:force_detail", report.pk)
    messages.success(request, _("The report is submitted for review."))
    return redirect("oversight:force_detail", report.pk)


def _detail_context(request: HttpRequest, report: ForceReport) -> dict[str, Any]:
    may_link = policy.can(request.user, "forcereport.link", report)
    return {
        "report": report,
        "subjects": report.subjects.order_by("number"),
        "officers": report.officers.select_related("officer").order_by("id"),
        "uses": report.uses.select_related("officer", "subject").order_by("id"),
        "resistances": report.resistances.select_related("officer", "subject").order_by("id"),
        "cameras": report.cameras.select_related("officer").order_by("id"),
        "reviews": report.reviews.select_related("reviewer", "reviewer_officer"),
        "complaints": report.complaints.all(),
        "may_edit": policy.can(request.user, "forcereport.edit", report),
        "may_review": chain.may_review(request.user, report),
        "may_link": may_link,
        "suggestions": services.suggest_complaints(report) if may_link else [],
        "versions": (
            api.versions(report)
            if policy.can(request.user, "forcereport.history", report)
            else None
        ),
        "json_url": "?format=json",
    }


@policy.requires("forcereport.view")
def report_detail(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    report = _visible(request, pk)
    context = _detail_context(request, report)
    context["review_form"] = forms.ReviewForm()
    context["link_form"] = forms.LinkForm()
    data = api.report_detail(report)
    if context["versions"] is not None:
        data["versions"] = api.versions_data(context["versions"])
    return twins.respond(
        request, "oversight/force/report_detail.html", context, data, suffix=suffix
    )


@require_POST
@policy.requires("forcereport.review")
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_report(
                report, request.user, form.cleaned_data["decision"], form.cleaned_data["comments"]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except TransitionNotAllowed as error:
            raise PermissionDenied(_("The report is not awaiting review.")) from error
        else:
            messages.success(request, _("Your review is recorded."))
            return redirect("oversight:force_detail", report.pk)
    context = _detail_context(request, report)
    context.update({"review_form": form, "link_form": forms.LinkForm()})
    return render(request, "oversight/force/report_detail.html", context, status=400)


@require_POST
@policy.requires("forcereport.link")
def link_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk, "forcereport.link")
    form = forms.LinkForm(request.POST)
    complaint = None
    if form.is_valid():
        complaint = Complaint.objects.filter(
            Q(reference__iexact=form.cleaned_data["reference"].strip())
        ).first()
        if complaint is None:
            form.add_error(
                "reference", _("No complaint has that tracking code; check it, e.g. UF-7KQ2M9XA.")
            )
    if complaint is not None:
        try:
            if request.POST.get("unlink"):
                services.unlink_complaint(report, complaint, request.user)
            else:
                services.link_complaint(report, complaint, request.user)
        except ValidationError as error:
            for problem in error.messages:
                form.add_error("reference", problem)
        else:
            messages.success(request, _("The links to complaints are saved."))
            return redirect("oversight:force_detail", report.pk)
    context = _detail_context(request, report)
    context.update({"review_form": forms.ReviewForm(), "link_form": form})
    return render(request, "oversight/force/report_detail.html", context, status=400)
