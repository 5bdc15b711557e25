"""A volunteer's own page: the link that lets them see their sign-up and withdraw without an
account (the same keyed HMAC as a registrant's, events/links.py, under its own salt)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from commonbeat.engagement.volunteers.models import Volunteer

_SALT = "commonbeat.engagement.volunteer"


def secret(volunteer: Volunteer) -> str:
    return salted_hmac(_SALT, f"{volunteer.pk}:{volunteer.link_nonce}").hexdigest()[:32]


def matches(volunteer: Volunteer, given: str) -> bool:
    return constant_time_compare(secret(volunteer), given)


def path(volunteer: Volunteer) -> str:
    return reverse("engagement:volunteer", args=[volunteer.pk, secret(volunteer)])
