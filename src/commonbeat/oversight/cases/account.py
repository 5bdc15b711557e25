"""'Your reports' on the account page: the complaints and commendations a person filed
themselves, with each one's stage and dates (what the public status page shows, no more)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commonbeat.core.account import AccountSection, account_user
from commonbeat.oversight.cases.models import Complaint

SHOWN = 20  # the newest; the rest are followed with their receipts


def reports(request: HttpRequest, form: forms.Form | None) -> dict[str, Any] | None:
    user = account_user(request)
    # Filed on someone else's behalf (a telephone report taken by staff, an organisation's
    # filing) is that person's report, not the account holder's.
    filed = (
        Complaint.objects.filter(filed_by_id=user.pk, on_behalf=False)
        .only("reference", "kind", "stage", "received_at", "stage_entered_at", "closed_at")
        .order_by("-received_at")[:SHOWN]
    )
    rows = list(filed)
    return {"reports": rows} if rows else None


REPORTS = AccountSection(
    "reports", _("Your complaints and commendations"), "oversight/cases/account.html", reports, 40
)
