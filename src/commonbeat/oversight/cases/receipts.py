"""A case's receipt: the public tracking code and the secret that goes with it.

The code is short and read aloud over the telephone, so its alphabet leaves out letters and
digits that look or sound alike (0/O, 1/I/L); the secret is kept only as a keyed hash and
compared in constant time, so the database alone never lets anyone follow a case.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SECRET_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 (an alphabet, not a secret)


def new_reference(prefix: str = "CB") -> str:
    """Return a tracking code no case has yet, e.g. CB-7K4M-Q2XP."""
    from commonbeat.oversight.cases.models import Complaint

    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(8))
        code = f"{prefix}-{body[:4]}-{body[4:]}"
        if not Complaint.objects.filter(reference=code).exists():
            return code


def new_secret() -> str:
    """Return a secret to give with a receipt (about 60 bits, in groups easy to copy)."""
    body = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(12))
    return f"{body[:4]}-{body[4:8]}-{body[8:]}"


def hash_secret(secret: str) -> str:
    """Return the keyed hash a case stores in place of its secret."""
    normal = secret.strip().lower().replace(" ", "")
    key = f"oversight-receipt:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def check_secret(secret: str, stored_hash: str) -> bool:
    """Return whether the secret is the case's, in constant time."""
    return bool(stored_hash) and hmac.compare_digest(hash_secret(secret), stored_hash)
