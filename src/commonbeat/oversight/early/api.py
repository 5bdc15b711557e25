"""The data shapes of the early area's pages (their JSON and CSV twins)."""

from __future__ import annotations

from typing import Any

from commonbeat.core.languages import translated
from commonbeat.core.models import Assignment, Officer
from commonbeat.oversight.early.indicators import INDICATORS
from commonbeat.oversight.early.models import Alert, AlertReview

QUEUE_HEADER = (
    "id",
    "officer_id",
    "officer",
    "unit",
    "shift",
    "rule",
    "indicator",
    "count",
    "peer_median",
    "ratio",
    "percentile",
    "cohort_size",
    "as_of",
    "status",
    "outcome",
)


def shift_label(shift: str) -> str:
    """Return a shift's label in the reader's language ("" when not known)."""
    return str(Assignment.Shift(shift).label) if shift in Assignment.Shift.values else shift


def _outcome(alert: Alert) -> str | None:
    review = getattr(alert, "review", None) if alert.status == Alert.Status.CLOSED else None
    return review.outcome if review else None


def _outcome_label(alert: Alert) -> str:
    outcome = _outcome(alert)
    return str(AlertReview.Outcome(outcome).label) if outcome else ""


def alert_summary(alert: Alert) -> dict[str, Any]:
    """Return an alert as the supervisor's queue lists it."""
    figures = alert.figures
    return {
        "id": alert.pk,
        "officer_id": alert.officer.uid,
        "officer": str(alert.officer),
        "unit": alert.unit,
        "shift": alert.shift,
        "shift_label": shift_label(alert.shift),
        "rule": translated(alert.rule, "name").text,
        "rule_lang": translated(alert.rule, "name").lang,
        "indicator": alert.rule.indicator,
        "indicator_label": str(INDICATORS.get(alert.rule.indicator, alert.rule.indicator)),
        "count": figures.get("count"),
        "peer_median": figures.get("peer_median"),
        "ratio": figures.get("ratio"),
        "percentile": figures.get("percentile"),
        "cohort_size": figures.get("cohort_size"),
        "as_of": alert.as_of.isoformat(),
        "status": alert.status,
        "status_label": str(alert.get_status_display()),
        "outcome": _outcome(alert),
        "outcome_label": _outcome_label(alert),
    }


def alert_detail(alert: Alert, names: dict[str, Officer]) -> dict[str, Any]:
    """Return an alert with its figures, the officer's peers and the review."""
    figures = alert.figures
    review = getattr(alert, "review", None) if alert.status == Alert.Status.CLOSED else None
    return {
        **alert_summary(alert),
        "window_start": alert.window_start.isoformat(),
        "years_of_service": alert.years_of_service,
        "peer_count": figures.get("peer_count"),
        "small_peer_group": figures.get("small_peer_group"),
        "small_cohort": figures.get("small_cohort"),
        "threshold": str(alert.rule.threshold),
        "kind": alert.rule.kind,
        "peers": [
            {
                "officer_id": peer["officer_id"],
                "officer": str(names[peer["officer_id"]]) if peer["officer_id"] in names else "",
                "count": peer["count"],
            }
            for peer in figures.get("peers", [])
        ],
        "review": None
        if review is None
        else {
            "outcome": review.outcome,
            "notes": review.notes,
            "met_on": review.met_on.isoformat() if review.met_on else None,
            "reviewed_at": review.reviewed_at.isoformat(),
            "supervisor": (review.supervisor.get_full_name() or review.supervisor.username)
            if review.supervisor
            else "",
        },
    }


def own_alert(alert: Alert) -> dict[str, Any]:
    """Return what the flagged officer sees of their own alert: that it exists and its outcome."""
    return {
        "rule": translated(alert.rule, "name").text,
        "indicator": alert.rule.indicator,
        "opened": alert.opened_at.date().isoformat(),
        "status": alert.status,
        "status_label": str(alert.get_status_display()),
        "outcome": _outcome(alert),
        "outcome_label": _outcome_label(alert),
    }
