"""Early intervention's pages: the supervisor's alert queue, an alert with its review, and an
officer's own alerts. Every page says that alerts support officers and are not discipline."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from commonbeat.core import policy, twins
from commonbeat.oversight.early import api, services
from commonbeat.oversight.early.forms import ReviewForm
from commonbeat.oversight.early.indicators import INDICATORS, officer_names
from commonbeat.oversight.early.models import Alert
from commonbeat.oversight.early.permissions import visible_alerts

STATUSES = ("open", "closed", "all")


@policy.requires("alert.queue")
def queue(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if not policy.can(request.user, "alert.evaluate"):
            raise PermissionDenied
        try:
            as_of = datetime.date.fromisoformat(request.POST.get("as_of", ""))
        except ValueError:
            error = _("Enter the date to evaluate as year-month-day, like %(example)s.") % {
                "example": timezone.localdate().isoformat()
            }
        else:
            services.enqueue_evaluation(as_of)
            messages.success(
                request,
                _("The rules will be evaluated as of %(date)s in the background.")
                % {"date": as_of.isoformat()},
            )
            return redirect("oversight:early_queue")
    shown = request.GET.get("status", "open")
    if shown not in STATUSES:
        shown = "open"
    alerts = visible_alerts(request.user, Alert.objects.all())
    if shown != "all":
        alerts = alerts.filter(status=shown)
    alerts = alerts.select_related("rule", "officer", "review").order_by("-opened_at", "-id")[:500]
    rows = [api.alert_summary(alert) for alert in alerts]
    response = twins.respond(
        request,
        "oversight/early/queue.html",
        {
            "rows": rows,
            "shown": shown,
            "statuses": STATUSES,
            "may_evaluate": policy.can(request.user, "alert.evaluate"),
            "today": timezone.localdate().isoformat(),
            "error": error,
        },
        {"status": shown, "alerts": rows},
        suffix=suffix,
        table=(api.QUEUE_HEADER, [[row[key] for key in api.QUEUE_HEADER] for row in rows]),
        filename="early-intervention-alerts",
    )
    if error:
        response.status_code = 400
    return response


@policy.requires("alert.view")
def detail(request: HttpRequest, pk: int, suffix: str | None = None) -> HttpResponse:
    alert = get_object_or_404(Alert.objects.select_related("rule", "officer"), pk=pk)
    if not policy.can(request.user, "alert.view", alert):
        raise PermissionDenied
    may_review = alert.status == Alert.Status.OPEN and policy.can(
        request.user, "alert.review", alert
    )
    form = ReviewForm()
    status = 200
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.record_review(
                    alert,
                    request.user,
                    outcome=form.cleaned_data["outcome"],
                    notes=form.cleaned_data["notes"],
                    met_on=form.cleaned_data["met_on"],
                )
            except services.ReviewError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your review is recorded and the alert is closed."))
                return redirect("oversight:early_alert", pk=alert.pk)
        status = 400
    peer_ids = [peer["officer_id"] for peer in alert.figures.get("peers", [])]
    data = api.alert_detail(alert, officer_names(peer_ids))
    response = twins.respond(
        request,
        "oversight/early/alert.html",
        {
            "alert": alert,
            "indicator_label": INDICATORS.get(alert.rule.indicator, alert.rule.indicator),
            "form": form if may_review else None,
            "review": data["review"],
            "review_outcome": alert.review.get_outcome_display() if data["review"] else "",
        },
        data,
        suffix=suffix,
        table=(
            ("officer_id", "officer", "count"),
            [(p["officer_id"], p["officer"], p["count"]) for p in data["peers"]],
        ),
        filename=f"early-intervention-alert-{alert.pk}-peers",
    )
    response.status_code = status
    return response


@policy.requires("alert.view_own")
def own(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    officer_id = getattr(request.user, "officer_id", None)
    alerts = (
        Alert.objects.filter(officer_id=officer_id).select_related("rule", "review")
        if officer_id
        else Alert.objects.none()
    )
    rows = [api.own_alert(alert) for alert in alerts]
    header = ("rule", "indicator", "opened", "status", "outcome")  # no figures, no notes
    return twins.respond(
        request,
        "oversight/early/own.html",
        {"alerts": alerts},
        {"alerts": rows},
        suffix=suffix,
        table=(header, [[row[key] for key in header] for row in rows]),
        filename="my-early-intervention-alerts",
    )
