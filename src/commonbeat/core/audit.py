"""The append-only audit log: who changed which record, when, and each field before and after.

Entries are chained: each stores the hash of the one before, and its own hash covers its
content and that link. Altering or deleting an entry behind the application's back breaks
the chain at that entry, which `commonbeat audit verify` reports.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

GENESIS = "0" * 64
REDACTED = "[redacted]"
# Fields whose values never enter the log (only the fact that they changed).
SECRET_FIELDS = frozenset({"password"})
# Fields that change as a side effect of ordinary use and would drown the log.
IGNORED_FIELDS = frozenset({"last_login"})

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("audit_actor", default="system")
_registered: set[type[models.Model]] = set()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Attribute every change made inside the block to the actor, e.g. 'command:demo'."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def actor_for_user(user: Any) -> str:
    """Return the log's name for a signed-in user."""
    return f"user:{user.pk}:{user.get_username()}"


class AuditActorMiddleware:
    """Attribute changes made while handling a request to the signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = actor_for_user(user) if user is not None and user.is_authenticated else "anonymous"
        with acting_as(actor):
            return self.get_response(request)


def _field_values(instance: models.Model) -> dict[str, Any]:
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in IGNORED_FIELDS:
            continue
        values[field.attname] = getattr(instance, field.attname)
    return values


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    keys = set(before or {}) | set(after or {})
    changes: dict[str, list[Any]] = {}
    for key in sorted(keys):
        old = (before or {}).get(key)
        new = (after or {}).get(key)
        if before is not None and after is not None and old == new:
            continue
        if key in SECRET_FIELDS:
            old, new = (REDACTED if old else None), (REDACTED if new else None)
        changes[key] = [old, new]
    jsonable: dict[str, list[Any]] = _jsonable(changes)
    return jsonable


def entry_hash(fields: dict[str, Any]) -> str:
    """Return the SHA-256 of an entry's content and its link to the previous entry."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hashed_fields(entry: Any) -> dict[str, Any]:
    """Return the fields of an entry that its hash covers."""
    return {
        "seq": entry.seq,
        "created": entry.created.astimezone(UTC).isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "model": entry.model,
        "object_pk": entry.object_pk,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "prev_hash": entry.prev_hash,
    }


def append(action: str, instance: models.Model, changes: dict[str, list[Any]]) -> Any:
    """Write one entry at the head of the chain, inside the caller's transaction."""
    from commonbeat.core.models import AuditEntry, AuditHead

    with transaction.atomic():
        # The row lock makes concurrent writers queue, so the chain never forks.
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS}
        )
        entry = AuditEntry(
            seq=head.seq + 1,
            # Microseconds are dropped: not every database keeps them, and the hash must
            # come out the same after a round trip.
            created=timezone.now().replace(microsecond=0),
            actor=_actor.get()[:200],
            action=action,
            model=instance._meta.label_lower,
            object_pk=str(instance.pk),
            object_repr=str(instance)[:200],
            changes=changes,
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(hashed_fields(entry))
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    before = None
    if instance.pk is not None:
        previous = sender._default_manager.filter(pk=instance.pk).first()
        before = _field_values(previous) if previous is not None else None
    instance._audit_before = before  # type: ignore[attr-defined]


def _after_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    before = getattr(instance, "_audit_before", None)
    changes = _diff(before, _field_values(instance))
    if before is not None and not changes:
        return
    append("create" if kwargs.get("created") else "update", instance, changes)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    append("delete", instance, _diff(_field_values(instance), None))


def register(*model_classes: type[models.Model]) -> None:
    """Log every create, change and delete of these models."""
    for model in model_classes:
        if model in _registered:
            continue
        _registered.add(model)
        uid = f"audit:{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)


def registered_models() -> frozenset[type[models.Model]]:
    """Return the models whose changes are logged."""
    return frozenset(_registered)


@dataclass(frozen=True)
class Verification:
    entries: int
    problem: str | None
    first_bad_seq: int | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify() -> Verification:
    """Walk the chain from the start and report the first altered or missing entry."""
    from commonbeat.core.models import AuditEntry, AuditHead

    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return Verification(
                count,
                f"Entry #{expected_seq} is missing: the log jumps from #{expected_seq - 1} "
                f"to #{entry.seq}. It was deleted outside the application.",
                expected_seq,
            )
        if entry.prev_hash != expected_prev:
            return Verification(
                count,
                f"Entry #{entry.seq} does not link to the entry before it: an earlier entry "
                "or this one was altered outside the application.",
                entry.seq,
            )
        if entry_hash(hashed_fields(entry)) != entry.hash:
            return Verification(
                count,
                f"Entry #{entry.seq} ({entry.action} {entry.model} {entry.object_pk}, "
                f"{entry.created:%Y-%m-%d %H:%M:%S} UTC) was altered: its content no longer "
                "matches its hash.",
                entry.seq,
            )
        expected_prev = entry.hash
        expected_seq += 1
        count += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != count or head.hash != expected_prev):
        return Verification(
            count,
            f"The log ends at #{count} but its head records #{head.seq}: "
            "the newest entries were deleted outside the application.",
            count + 1,
        )
    return Verification(count, None, None)
