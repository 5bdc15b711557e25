"""The public shape of a volunteer programme: what its page, its JSON and CSV twins show.

Volunteers are never named here, and neither is anything of their screening. The programme's
figures are aggregates that hide small groups: a count of active volunteers under
MIN_COUNT is given as "fewer than MIN_COUNT" (null in the data), and the year's hours only
when at least MIN_COUNT volunteers served them, so no one's hours can be read off a small
programme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from commonbeat.core.languages import translated
from commonbeat.engagement.volunteers import services
from commonbeat.engagement.volunteers.models import (
    HoursServed,
    Programme,
    ProgrammeRole,
    Volunteer,
)

MIN_COUNT = 5


@dataclass(frozen=True)
class Figures:
    """A programme's public aggregates; None where the group is too small to show."""

    active: int | None
    hours: int | None
    year: int

    @property
    def min_count(self) -> int:
        return MIN_COUNT


def figures(programme_ids: Iterable[int], year: int | None = None) -> dict[int, Figures]:
    """Return each programme's figures, in two queries however many programmes."""
    ids = list(programme_ids)
    year = year or timezone.localdate().year
    active = dict(
        Volunteer.objects.filter(programme__in=ids, status=Volunteer.Status.ACTIVE)
        .values("programme")
        .annotate(n=Count("pk"))
        .values_list("programme", "n")
    )
    served = {
        row["volunteer__programme"]: row
        for row in HoursServed.objects.filter(volunteer__programme__in=ids, served_on__year=year)
        .values("volunteer__programme")
        .annotate(total=Sum("hours"), people=Count("volunteer", distinct=True))
    }
    found = {}
    for pk in ids:
        count = active.get(pk, 0)
        row = served.get(pk)
        total = row["total"] if row and row["people"] >= MIN_COUNT else None
        found[pk] = Figures(
            active=count if count >= MIN_COUNT else None,
            # Whole hours: quarter hours add nothing to a public total and sharpen guesses.
            hours=int(Decimal(total).to_integral_value()) if total is not None else None,
            year=year,
        )
    return found


def page_url(programme: Programme) -> str:
    return reverse("engagement:programme", args=[programme.pk])


def role_data(role: ProgrammeRole) -> dict[str, Any]:
    return {
        "id": role.pk,
        "title": translated(role, "title").text,
        "description": translated(role, "description").text,
        "places": role.places,
        # Whether it is full, never how many took it: that count could be one person.
        "full": services.role_full(role),
    }


def programme_data(
    programme: Programme, figures: Figures, *, detail: bool = False
) -> dict[str, Any]:
    """Return a programme's public data (`detail` adds its requirements and roles)."""
    place = programme.neighbourhood
    data: dict[str, Any] = {
        "id": programme.pk,
        "url": page_url(programme),
        "agency": programme.agency.slug,
        "neighbourhood": place.slug if place else None,
        "neighbourhood_name": place.name if place else None,
        "kind": programme.kind,
        "kind_label": str(programme.get_kind_display()),
        "title": translated(programme, "title").text,
        "description": translated(programme, "description").text,
        "contact": programme.contact,
        "signups_open": services.open_for_sign_up(programme),
        "sign_up": reverse("engagement:programme_join", args=[programme.pk]),
        "minimum_age": programme.minimum_age,
        "screening_required": programme.screening_required,
        "active_volunteers": figures.active,
        "hours_this_year": figures.hours,
        "year": figures.year,
        "suppressed_below": MIN_COUNT,
    }
    if detail:
        data["requirements"] = translated(programme, "requirements").text
        data["roles"] = [role_data(r) for r in programme.roles.all()]
    return data
