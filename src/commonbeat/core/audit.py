"""The append-only audit log: who changed which record, when, and each field before and after.

Entries are chained: each stores the hash of the one before, and its own hash covers its
content and that link. The hash is an HMAC-SHA256 keyed with AUDIT_KEY, a secret held outside
the database, and the head row (the newest seq and hash) carries an HMAC of its own; so someone
who can write to the database but does not hold the key cannot alter, add or delete entries,
or move the head, without `commonbeat audit verify` reporting where. Entries written before the
key existed keep their plain SHA-256 (scheme "sha256"); a keyed "seal" entry follows them.

What the key cannot show is a log cut back to an earlier state that was genuine (the newest
entries deleted and an old head row put back). For that, heads are published outside the
database: every release's manifest records the head at publication, and `audit verify
--release VERSION` / `--all-releases` checks the chain still holds each (AUDIT_ANCHORS, which
the releases app fills). On PostgreSQL, triggers also refuse UPDATE and DELETE on the entries
and a head moving back (migration core 0008). docs/security-audit.md has the threat model.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from commonbeat.core.registry import Registry

GENESIS = "0" * 64
# How an entry's hash is made: PLAIN only for entries written before the audit key existed.
PLAIN = "sha256"
KEYED = "hmac-sha256"
SCHEMES = (PLAIN, KEYED)
REDACTED = "[redacted]"
# Fields whose values never enter the log (only the fact that they changed).
SECRET_FIELDS = frozenset({"password"})
# Fields that change as a side effect of ordinary use and would drown the log.
IGNORED_FIELDS = frozenset({"last_login"})

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("audit_actor", default="system")
_registered: set[type[models.Model]] = set()
# Per model, more fields whose values stay out of the log (a complainant's identity, say).
_secret_fields: dict[type[models.Model], frozenset[str]] = {}


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


def _diff(
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    secret: frozenset[str] = SECRET_FIELDS,
) -> dict[str, list[Any]]:
    keys = set(before or {}) | set(after or {})
    changes: dict[str, list[Any]] = {}
    for key in sorted(keys):
        old = (before or {}).get(key)
        new = (after or {}).get(key)
        if before is not None and after is not None and old == new:
            continue
        if key in secret:
            old, new = (REDACTED if old else None), (REDACTED if new else None)
        changes[key] = [old, new]
    jsonable: dict[str, list[Any]] = _jsonable(changes)
    return jsonable


class AuditLogBroken(RuntimeError):
    """The log cannot take a new entry: its head is missing or was changed without the key."""


def _key() -> bytes:
    return str(settings.AUDIT_KEY).encode("utf-8")


def entry_hash(fields: dict[str, Any], scheme: str = KEYED) -> str:
    """Return the hash of an entry's content and its link to the previous entry.

    KEYED (every entry written now) is an HMAC-SHA256 with AUDIT_KEY; PLAIN, the SHA-256 that
    entries written before the key existed carry.
    """
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if scheme == KEYED:
        return hmac.new(_key(), canonical.encode("utf-8"), hashlib.sha256).hexdigest()
    if scheme == PLAIN:
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    raise ValueError(f"Unknown audit hash scheme {scheme!r}; known: {', '.join(SCHEMES)}.")


def head_mac(seq: int, hash: str) -> str:
    """Return the HMAC that the head row carries for this sequence number and hash."""
    # A prefix unlike any entry's JSON, so a head's MAC can never pass for an entry's hash.
    message = f"commonbeat-audit-head:{seq}:{hash}"
    return hmac.new(_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def hashed_fields(entry: Any) -> dict[str, Any]:
    """Return the fields of an entry that its hash covers."""
    fields = {
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
    # Plain entries predate the field; for keyed ones it is covered, so it cannot be changed.
    if entry.scheme != PLAIN:
        fields["scheme"] = entry.scheme
    return fields


def _head_is_genuine(head: Any) -> bool:
    return hmac.compare_digest(str(head.mac), head_mac(head.seq, head.hash))


def ensure_head(using: str = "default", apps: Any = None, **kwargs: Any) -> None:
    """Create the head of an empty log (seq 0, keyed) if it has none.

    Connected to post_migrate, which `migrate` and `flush` (test database resets) send: a
    flushed database starts a new, empty log. A log that has entries but no head is left as it
    is, for `audit verify` to report.
    """
    from django.apps import apps as global_apps

    try:
        head_model = (apps or global_apps).get_model("core", "AuditHead")
        entry_model = (apps or global_apps).get_model("core", "AuditEntry")
    except LookupError:
        return
    if not any(field.name == "mac" for field in head_model._meta.get_fields()):
        return  # migrated back to before the key existed
    if head_model.objects.using(using).filter(pk=1).exists():
        return
    if entry_model.objects.using(using).exists():
        return
    head_model.objects.using(using).create(pk=1, seq=0, hash=GENESIS, mac=head_mac(0, GENESIS))


def current_head() -> dict[str, Any]:
    """Return the log's head as releases publish it: seq, hash and the number of entries."""
    from commonbeat.core.models import AuditEntry, AuditHead

    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        raise AuditLogBroken(
            "The audit log has no head row: it was deleted outside the application. "
            "Run `commonbeat audit verify`."
        )
    return {"seq": head.seq, "hash": head.hash, "count": AuditEntry.objects.count()}


def append(action: str, instance: models.Model, changes: dict[str, list[Any]]) -> Any:
    """Write one entry at the head of the chain, inside the caller's transaction."""
    from commonbeat.core.models import AuditEntry, AuditHead

    with transaction.atomic():
        # The row lock makes concurrent writers queue, so the chain never forks.
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            ensure_head()
            head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            raise AuditLogBroken(
                "The audit log has entries but no head row: it was deleted outside the "
                "application. Nothing was saved; run `commonbeat audit verify`."
            )
        if not _head_is_genuine(head):
            # Appending would re-key a head moved back by someone without the key.
            raise AuditLogBroken(
                "The audit log's head does not carry this server's audit key: AUDIT_KEY is not "
                "the key the log was written with (every host must share one), or the head was "
                "changed outside the application. Nothing was saved; run `commonbeat audit "
                "verify`."
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
            scheme=KEYED,
        )
        entry.hash = entry_hash(hashed_fields(entry), KEYED)
        entry.save()
        head.seq, head.hash, head.mac = entry.seq, entry.hash, head_mac(entry.seq, entry.hash)
        head.save(update_fields=["seq", "hash", "mac"])
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
    changes = _diff(before, _field_values(instance), _secret_of(type(instance)))
    if before is not None and not changes:
        return
    append("create" if kwargs.get("created") else "update", instance, changes)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    append("delete", instance, _diff(_field_values(instance), None, _secret_of(type(instance))))


def _secret_of(model: type[models.Model]) -> frozenset[str]:
    return SECRET_FIELDS | _secret_fields.get(model, frozenset())


def register(*model_classes: type[models.Model], secret: tuple[str, ...] = ()) -> None:
    """Log every create, change and delete of these models.

    Fields named in `secret` are logged as `[redacted]` (only the fact that they changed), for
    data the log's readers may not see, such as who a complainant is.
    """
    for model in model_classes:
        if secret:
            _secret_fields[model] = _secret_fields.get(model, frozenset()) | frozenset(secret)
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
class Anchor:
    """A head of the log recorded outside the database (e.g. in a release's manifest)."""

    source: str  # the kind of record holding it: "release"
    name: str  # which one: a release's version
    seq: int
    hash: str

    @property
    def label(self) -> str:
        return f"{self.source} {self.name}"


@dataclass(frozen=True)
class AnchorSource:
    """Where published heads come from: `anchors()` yields every one it knows."""

    name: str
    anchors: Callable[[], Iterable[Anchor]]


# Registered by the apps that publish heads (the releases app, from its ready()), so core
# never names them; `audit verify --release/--all-releases` reads the "release" source.
AUDIT_ANCHORS: Registry[AnchorSource] = Registry("audit anchor sources", key=lambda s: s.name)


@dataclass(frozen=True)
class Verification:
    entries: int
    problem: str | None
    first_bad_seq: int | None
    anchors: int = 0  # published heads found in the chain

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(anchors: Iterable[Anchor] = ()) -> Verification:
    """Walk the chain from the start and report the first altered or missing entry.

    The head row must exist and carry the key's MAC, and match the chain's end; each anchor
    (a head published outside the database) must still be in the chain, with its hash.
    """
    from commonbeat.core.models import AuditEntry, AuditHead

    wanted: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        wanted.setdefault(anchor.seq, []).append(anchor)
    found = 0
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    keyed_seen = False
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
        if entry.scheme not in SCHEMES or (entry.scheme == PLAIN and keyed_seen):
            return Verification(
                count,
                f"Entry #{entry.seq} is not keyed with the audit key (scheme {entry.scheme!r}) "
                "but comes after keyed entries: it was written or altered outside the "
                "application.",
                entry.seq,
            )
        keyed_seen = keyed_seen or entry.scheme == KEYED
        if not hmac.compare_digest(entry_hash(hashed_fields(entry), entry.scheme), entry.hash):
            return Verification(
                count,
                f"Entry #{entry.seq} ({entry.action} {entry.model} {entry.object_pk}, "
                f"{entry.created:%Y-%m-%d %H:%M:%S} UTC) was altered: its content no longer "
                "matches its hash"
                + (
                    " (or AUDIT_KEY is not the key it was written with)."
                    if entry.scheme == KEYED
                    else "."
                ),
                entry.seq,
            )
        for anchor in wanted.get(entry.seq, ()):
            if anchor.hash != entry.hash:
                return Verification(
                    count,
                    f"Entry #{entry.seq} is not the one {anchor.label} published as the log's "
                    "head: the log was rewritten from there on, outside the application.",
                    entry.seq,
                )
            found += 1
        expected_prev = entry.hash
        expected_seq += 1
        count += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return Verification(
            count,
            f"The log's head row is missing ({count} entries found): it was deleted outside "
            "the application, perhaps with the entries. A log always has a head, from "
            "installation on.",
            count + 1,
        )
    if head.seq > count:
        return Verification(
            count,
            f"The log ends at #{count} but its head records #{head.seq}: "
            "the newest entries were deleted outside the application.",
            count + 1,
        )
    if head.seq != count or head.hash != expected_prev:
        return Verification(
            count,
            f"The log goes on to #{count} but its head records #{head.seq} with another "
            "hash: the head was changed outside the application.",
            head.seq + 1,
        )
    if not _head_is_genuine(head):
        return Verification(
            count,
            "The log's head does not carry the audit key's MAC: it was set outside the "
            "application (the newest entries deleted and the head moved back, or the log "
            "emptied), or AUDIT_KEY is not the key the log was written with.",
            count + 1,
        )
    if count and not keyed_seen:
        return Verification(
            count,
            f"No entry in the log is keyed with the audit key ({count} plain entries): it was "
            "rewritten outside the application, or migration core 0007 has not run.",
            1,
        )
    for seq in sorted(s for s in wanted if s > count):
        anchor = wanted[seq][0]
        return Verification(
            count,
            f"{anchor.label.capitalize()} published the log's head as #{seq}, but the log now "
            f"ends at #{count}: the entries after #{count} were deleted and the head moved "
            "back, outside the application.",
            count + 1,
        )
    # A head published while the log was empty (seq 0) is the chain's start.
    for anchor in wanted.get(0, ()):
        if anchor.hash != GENESIS:
            return Verification(
                count, f"{anchor.label.capitalize()} published a head #0 that no log has.", 1
            )
        found += 1
    return Verification(count, None, None, found)
