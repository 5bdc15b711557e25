"""A registrant's own page: the link that lets them see, cancel and comment without an account.

The link's secret is an HMAC of the registration's number and its random nonce, keyed with the
site's SECRET_KEY: it can be made again for every later e-mail, and neither the database nor
the key alone gives it away.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from commonbeat.engagement.events.models import Registration

_SALT = "commonbeat.engagement.registration"


def secret(registration: Registration) -> str:
    return salted_hmac(_SALT, f"{registration.pk}:{registration.link_nonce}").hexdigest()[:32]


def matches(registration: Registration, given: str) -> bool:
    return constant_time_compare(secret(registration), given)


def path(registration: Registration) -> str:
    return reverse("engagement:registration", args=[registration.pk, secret(registration)])
