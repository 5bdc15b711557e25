"""'Oversight work' on the account page: links to the queues and pages this person may use.

Staff reach the case queue, the overdue queue, use-of-force reports and reviews and the
early-intervention alerts from here; each link is shown only when the policy lets this user
open the page (the pages ask the policy again), so a resident sees no section at all.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonbeat.core import policy
from commonbeat.core.account import AccountSection, account_user

# (action asked, URL name, query, label), in the order a working day meets them.
LINKS = (
    ("case.list", "oversight:case_list", "", _("Cases you may see")),
    ("case.list", "oversight:case_list", "?overdue=1", _("Overdue cases, most overdue first")),
    ("forcereport.file", "oversight:force_mine", "", _("Your use-of-force reports")),
    ("forcereport.review", "oversight:force_queue", "", _("Use-of-force reports to review")),
    ("alert.queue", "oversight:early_queue", "", _("Early-intervention alerts")),
    ("alert.view_own", "oversight:early_own", "", _("Your early-intervention alerts")),
)


def work(request: HttpRequest, form: forms.Form | None) -> dict[str, Any] | None:
    user = account_user(request)
    links = [
        {"url": reverse(name) + query, "label": label}
        for action, name, query, label in LINKS
        if policy.can(user, action)
    ]
    return {"links": links} if links else None


WORK = AccountSection("oversight-work", _("Oversight work"), "oversight/work.html", work, 35)
