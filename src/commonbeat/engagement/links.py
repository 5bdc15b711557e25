"""A person's own page without an account: the link in their e-mail.

The link's secret is an HMAC of the record's number and its random nonce (`link_nonce`), keyed
with the site's SECRET_KEY under a salt of its own per kind of record: it can be made again for
every later e-mail, and neither the database nor the key alone gives it away. Registrations
(events/links.py) and volunteers (volunteers/links.py) each make one `OwnLink`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac


@dataclass(frozen=True)
class OwnLink:
    salt: str
    url_name: str  # a URL taking the record's pk and the secret

    def secret(self, record: Any) -> str:
        return salted_hmac(self.salt, f"{record.pk}:{record.link_nonce}").hexdigest()[:32]

    def matches(self, record: Any, given: str) -> bool:
        return constant_time_compare(self.secret(record), given)

    def path(self, record: Any) -> str:
        return reverse(self.url_name, args=[record.pk, self.secret(record)])


def secret_page(response: HttpResponse) -> HttpResponse:
    """Mark a page whose address carries a secret: never cached, and never sent to another site
    as a referrer. `same-origin`, not `no-referrer`: with no-referrer a browser posts the page's
    own forms with "Origin: null", which Django's CSRF check refuses."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
