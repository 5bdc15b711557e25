"""Public intake: the report form and its receipt, the status page, the API, staff downloads."""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from commonbeat.core import limits as limits_core
from commonbeat.core import policy, uploads
from commonbeat.core.languages import client_language
from commonbeat.core.roles import STAFF_ROLES
from commonbeat.oversight.cases import receipts
from commonbeat.oversight.cases.confidentiality import access
from commonbeat.oversight.cases.models import Attachment, Complaint
from commonbeat.oversight.intake import api, files, forms, limits, services

STAFF_CHANNELS = ("phone", "walk_in", "mail", "email", "organisation", "web")


def _busy(request: HttpRequest, wait: int, as_json: bool) -> HttpResponse:
    message = _(
        "Too many reports or look-ups have come from your connection in the last hour. Please "
        "try again in %(minutes)s minutes, or call us: nothing you send is lost by waiting."
    ) % {"minutes": max(1, math.ceil(wait / 60))}
    if not as_json:
        return limits_core.too_many(request, message, wait)
    response = JsonResponse(
        {"error": "rate_limited", "message": message, "retry_after": wait}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def _is_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.role in STAFF_ROLES)


def _report_from_form(
    request: HttpRequest, form: forms.ReportForm, officers: Any, witnesses: Any
) -> services.Report:
    data = form.cleaned_data
    staff = _is_staff(request)
    channel = data.get("channel") or "web"
    if channel not in STAFF_CHANNELS:
        channel = "web"
    organisation = data.get("organisation", "").strip()
    return services.Report(
        kind=data["kind"],
        incident_date=data["incident_date"],
        incident_time=data.get("incident_time", ""),
        location_text=data.get("location_text", ""),
        latitude=data.get("latitude", ""),
        longitude=data.get("longitude", ""),
        narrative=data["narrative"],
        officers=[
            services.OfficerGiven(r.get("name", ""), r.get("badge", ""), r.get("description", ""))
            for r in officers.cleaned_data
        ],
        witnesses=[
            services.WitnessGiven(r.get("name", ""), r.get("contact", ""), r.get("statement", ""))
            for r in witnesses.cleaned_data
        ],
        anonymous=data.get("anonymous", False),
        complainant_name=data.get("complainant_name", ""),
        complainant_email=data.get("complainant_email", ""),
        complainant_phone=data.get("complainant_phone", ""),
        complainant_race=data.get("complainant_race", ""),
        complainant_gender=data.get("complainant_gender", ""),
        complainant_age=data.get("complainant_age", ""),
        language=data["language"],
        channel=channel if staff else ("organisation" if organisation else "web"),
        on_behalf=bool(data.get("on_behalf") or organisation or (staff and channel != "web")),
        organisation=organisation,
        files=list(request.FILES.getlist("attachments")),
    )


@policy.requires("complaint.file")
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The report form; on a good POST, the receipt (shown once: the secret is not kept)."""
    staff = _is_staff(request)
    language = (request.LANGUAGE_CODE or "en")[:2]
    if request.method == "GET":
        form = forms.ReportForm(
            staff=staff, initial={"language": language, "token": forms.form_token()}
        )
        return _form_page(
            request, form, forms.OfficerRows(prefix="officer"), forms.WitnessRows(prefix="witness")
        )
    form = forms.ReportForm(request.POST, request.FILES, staff=staff)
    officers = forms.OfficerRows(request.POST, prefix="officer")
    witnesses = forms.WitnessRows(request.POST, prefix="witness")
    for refusal in uploads.refusals(request):
        form.add_error(None, refusal)
    valid = form.is_valid() & officers.is_valid() & witnesses.is_valid()
    if valid and form.cleaned_data.get("website"):
        # The hidden field only a script fills: answered as a success, stored nowhere.
        return render(request, "oversight/intake/received_quietly.html")
    if valid and not staff:
        age = forms.token_age(form.cleaned_data.get("token", ""))
        if age is None or age < forms.MIN_SECONDS:
            form.add_error(
                None,
                _("The form was sent too quickly or is too old. Check it and send it again."),
            )
            valid = False
    if valid:
        wait = limits.check(request, "file")
        if wait is not None:
            return _busy(request, wait, as_json=False)
        try:
            receipt = services.file_report(
                _report_from_form(request, form, officers, witnesses),
                actor=request.user,
                status_url=request.build_absolute_uri(reverse("oversight:status")),
            )
        except ValidationError as errors:
            for name, messages in errors.message_dict.items():
                target = name if name in form.fields else None
                for message in messages:
                    form.add_error(target, message)
        else:
            return render(request, "oversight/intake/receipt.html", {"receipt": receipt})
    # A fresh time-to-fill note, so that correcting a field is not refused as too quick.
    data = request.POST.copy()
    data["token"] = forms.form_token()
    form.data = data
    return _form_page(request, form, officers, witnesses, status=400)


def _form_page(
    request: HttpRequest, form: Any, officers: Any, witnesses: Any, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "officers": officers,
        "witnesses": witnesses,
        "staff": _is_staff(request),
    }
    return render(request, "oversight/intake/report.html", context, status=status)


def _find(reference: str, secret: str) -> Complaint | None:
    case = Complaint.objects.filter(reference=reference.strip().upper()).first()
    stored = case.secret_hash if case else receipts.hash_secret("no such case")
    matched = receipts.check_secret(secret, stored)  # compared even when there is no case
    return case if case is not None and matched else None


@policy.requires("complaint.track")
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """A case's stage and dates, for whoever holds its tracking code and secret."""
    if request.method == "GET":
        return render(request, "oversight/intake/status.html", {"form": forms.StatusForm()})
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        wait = limits.check(request, "status")
        if wait is not None:
            return _busy(request, wait, as_json=False)
        case = _find(form.cleaned_data["reference"], form.cleaned_data["secret"])
        if case is not None:
            context = {"form": forms.StatusForm(), "status": api.status_of(case)}
            return render(request, "oversight/intake/status.html", context)
        form.add_error(
            None, _("No report matches that tracking code and secret. Check both and try again.")
        )
    return render(request, "oversight/intake/status.html", {"form": form}, status=400)


def _json_error(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"error": "invalid", "fields": errors}, status=status)


def _api_data(request: HttpRequest) -> QueryDict:
    if request.content_type == "application/json":
        return api.json_fields(json.loads(request.body or b"{}"))
    return request.POST


@csrf_exempt  # a program's POST carries no cookie to forge; it is rate-limited instead
@client_language
@policy.requires("complaint.file")
@require_POST
def api_report(request: HttpRequest) -> HttpResponse:
    """POST /oversight/api/reports: file a report; 201 with the receipt, 4xx naming each field."""
    wait = limits.check(request, "file")
    if wait is not None:
        return _busy(request, wait, as_json=True)
    refused = uploads.refusals(request)
    if refused:
        return _json_error({"attachments": refused}, status=413)
    try:
        data = _api_data(request)
    except (ValueError, UnicodeDecodeError):
        return _json_error({"body": [_("Send JSON (an object) or a multipart form.")]})
    # The status page and any message in the language the person chose, where they chose one.
    chosen = str(data.get("language", ""))
    with translation.override(chosen if chosen in ("en", "es") else translation.get_language()):
        report = api.report_from_post(request, data)
        status_url = request.build_absolute_uri(reverse("oversight:status"))
        try:
            receipt = services.file_report(report, actor=request.user, status_url=status_url)
        except ValidationError as errors:
            return _json_error(errors.message_dict)
    body = {
        "reference": receipt.complaint.reference,
        "secret": receipt.secret,
        "status_url": status_url,
        "duplicate": receipt.duplicate_of is not None,
        "duplicate_of": receipt.duplicate_of.reference if receipt.duplicate_of else None,
        "status": api.status_of(receipt.complaint),
    }
    return JsonResponse(body, status=201)


@csrf_exempt
@client_language
@policy.requires("complaint.track")
@require_POST
def api_status(request: HttpRequest) -> HttpResponse:
    """POST /oversight/api/status with reference and secret: the case's status."""
    wait = limits.check(request, "status")
    if wait is not None:
        return _busy(request, wait, as_json=True)
    try:
        data = _api_data(request)
    except (ValueError, UnicodeDecodeError):
        return _json_error({"body": [_("Send JSON (an object) or a multipart form.")]})
    case = _find(str(data.get("reference", "")), str(data.get("secret", "")))
    if case is None:
        return JsonResponse(
            {
                "error": "not_found",
                "message": _("No report matches that tracking code and secret."),
            },
            status=404,
        )
    return JsonResponse(api.status_of(case))


@policy.requires("attachment.download")
def download(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    """A report's file, as a download, for the staff who may see the complainant's identity."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("complaint"), pk=pk, complaint__reference=reference
    )
    if not access(request.user, attachment.complaint).attachments:
        raise Http404
    try:
        path = files.path_of(attachment.stored_name)
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{attachment.complaint.reference}-{attachment.pk}{path.suffix}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
