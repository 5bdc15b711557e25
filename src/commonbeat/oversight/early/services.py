"""Early intervention's operations: evaluate the rules, review an alert.

Views, the `intervention` command and the background job call these, so all behave the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonbeat.core import jobs
from commonbeat.core.jobs import Job
from commonbeat.core.models import Officer
from commonbeat.oversight.early.indicators import Figure, OfficerIndicators, officer_indicators
from commonbeat.oversight.early.models import Alert, AlertReview, AlertRule
from commonbeat.records.store import RecordStore

JOB_KIND = "oversight.early_evaluate"


@dataclass
class Evaluation:
    """What one evaluation did."""

    as_of: datetime.date
    rules: int = 0
    officers: int = 0
    opened: list[Alert] = field(default_factory=list)
    already_open: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "rules": self.rules,
            "officers": self.officers,
            "opened": len(self.opened),
            "already_open": self.already_open,
        }


def fires(rule: AlertRule, figure: Figure) -> bool:
    """Return whether a rule fires on one officer's figure."""
    if figure.count < rule.minimum_count:
        return False
    threshold = Decimal(rule.threshold)
    if rule.kind == AlertRule.Kind.TOP_PERCENTILE:
        return figure.percentile is not None and Decimal(str(figure.percentile)) >= threshold
    if rule.kind == AlertRule.Kind.COUNT:
        return figure.count >= threshold
    if rule.kind == AlertRule.Kind.PEER_RATIO:
        return figure.ratio is not None and Decimal(str(figure.ratio)) >= threshold
    raise ValueError(f"Unknown rule kind {rule.kind!r}.")


def evaluate(
    as_of: datetime.date, *, agency: str | None = None, store: RecordStore | None = None
) -> Evaluation:
    """Open an alert for each officer and active rule that fires (none twice while open)."""
    result = Evaluation(as_of)
    rules = list(AlertRule.objects.filter(active=True).order_by("pk"))
    result.rules = len(rules)
    by_window: dict[int, list[OfficerIndicators]] = {}
    for days in sorted({rule.window_days for rule in rules}):
        by_window[days] = officer_indicators(
            as_of=as_of, window_days=days, agency=agency, store=store
        )
    officers = {o.uid: o for o in Officer.objects.filter(uid__in=_uids(by_window))}
    result.officers = len(officers)
    open_pairs = set(
        Alert.objects.filter(status=Alert.Status.OPEN).values_list("officer__uid", "rule_id")
    )
    for rule in rules:
        everyone = by_window[rule.window_days]
        groups: dict[tuple[str, str, str], list[OfficerIndicators]] = {}
        for item in everyone:
            groups.setdefault(item.peer_key, []).append(item)
        for item in everyone:
            figure = item.figure(rule.indicator)
            officer = officers.get(item.officer_id)
            if officer is None or not fires(rule, figure):
                continue
            if (item.officer_id, rule.pk) in open_pairs:
                result.already_open += 1
                continue
            peers = [
                {"officer_id": p.officer_id, "count": p.figure(rule.indicator).count}
                for p in groups[item.peer_key]
                if p.officer_id != item.officer_id
            ]
            alert = _open(rule, officer, item, figure, peers)
            if alert is None:
                result.already_open += 1
            else:
                result.opened.append(alert)
                open_pairs.add((item.officer_id, rule.pk))
    return result


def _uids(by_window: dict[int, list[OfficerIndicators]]) -> set[str]:
    return {item.officer_id for items in by_window.values() for item in items}


def _open(
    rule: AlertRule,
    officer: Officer,
    item: OfficerIndicators,
    figure: Figure,
    peers: list[dict[str, Any]],
) -> Alert | None:
    try:
        with transaction.atomic():
            return Alert.objects.create(
                rule=rule,
                officer=officer,
                opened_at=timezone.now(),
                as_of=item.as_of,
                window_start=item.window_start,
                unit=item.unit,
                shift=item.shift,
                years_of_service=item.years_of_service,
                figures={
                    "indicator": rule.indicator,
                    **figure.as_dict(),
                    "peers": sorted(peers, key=lambda p: (-p["count"], p["officer_id"])),
                },
            )
    except IntegrityError:
        # Another evaluation opened it first (the one-open-alert constraint): not a second one.
        return None


def run_evaluation(job: Job, as_of: str | None = None) -> dict[str, Any]:
    """The background job: evaluate the rules as of a date (today by default)."""
    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    job.report(_("Evaluating the early-intervention rules as of %(date)s.") % {"date": day})
    return evaluate(day).as_dict()


def enqueue_evaluation(as_of: datetime.date) -> Job:
    """Queue an evaluation as a background job and return it."""
    return jobs.enqueue(JOB_KIND, as_of=as_of.isoformat())


class ReviewError(Exception):
    """A review cannot be recorded; the message says why, for the person reading it."""


@transaction.atomic
def record_review(
    alert: Alert,
    supervisor: Any,
    *,
    outcome: str,
    notes: str,
    met_on: datetime.date | None = None,
) -> AlertReview:
    """Record the supervisor's review and close the alert."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != Alert.Status.OPEN:
        raise ReviewError(_("This alert has already been reviewed."))
    if outcome not in AlertReview.Outcome.values:
        raise ReviewError(
            _("Choose an outcome: %(choices)s.")
            % {"choices": ", ".join(str(label) for label in AlertReview.Outcome.labels)}
        )
    if not notes.strip():
        raise ReviewError(_("Write what was discussed or decided in the notes."))
    now = timezone.now()
    review = AlertReview.objects.create(
        alert=alert,
        supervisor=supervisor,
        outcome=outcome,
        notes=notes.strip(),
        met_on=met_on,
        reviewed_at=now,
    )
    alert.status = Alert.Status.CLOSED
    alert.closed_at = now
    alert.save(update_fields=["status", "closed_at"])
    return review
