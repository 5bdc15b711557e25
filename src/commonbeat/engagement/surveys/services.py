"""The one way to change surveys: invite, answer, publish an excerpt, load population counts,
publish a wave's results. Views, the admin and commands all call these."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from commonbeat.core import audit
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.core.roles import Role
from commonbeat.engagement.surveys.models import (
    Answer,
    Dimension,
    Excerpt,
    Invitation,
    PopulationCount,
    Question,
    Response,
    Wave,
    WaveResult,
)

INVITATIONS_AT_ONCE = 20_000


class SurveyRefused(Exception):
    """Why an answer or a change was refused, in words for the person who tried."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(wave: Wave, count: int, neighbourhood: Neighbourhood | None = None) -> list[str]:
    """Make `count` one-time links' tokens for a wave (returned once; only hashes are kept)."""
    if not wave.invites():
        raise SurveyRefused(_("This wave is answered by signed-in residents, not invitations."))
    if not 1 <= count <= INVITATIONS_AT_ONCE:
        raise SurveyRefused(
            _("Make between 1 and %(most)s invitations at once.") % {"most": INVITATIONS_AT_ONCE}
        )
    if neighbourhood is not None and neighbourhood.agency_id != wave.survey.agency_id:
        raise SurveyRefused(_("That neighbourhood belongs to another agency."))
    tokens = [secrets.token_urlsafe(18) for _ in range(count)]
    Invitation.objects.bulk_create(
        Invitation(wave=wave, neighbourhood=neighbourhood, token_hash=token_hash(t)) for t in tokens
    )
    return tokens


def invitation_for(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("wave__survey__agency", "neighbourhood")
        .filter(token_hash=token_hash(token))
        .first()
    )


def respondent_key(wave: Wave, user: Any) -> str:
    """A keyed hash standing for a resident in one wave: unique, not the account itself."""
    return salted_hmac("commonbeat.survey.respondent", f"{wave.pk}:{user.pk}").hexdigest()


def has_answered(wave: Wave, user: Any) -> bool:
    return Response.objects.filter(wave=wave, respondent_key=respondent_key(wave, user)).exists()


@dataclass(frozen=True)
class Given:
    """One answer as the form read it: a choice, a row's choice, or text."""

    question: Question
    choice_ids: tuple[int, ...] = ()
    row_choices: tuple[tuple[int, int], ...] = ()  # (row id, choice id)
    text: str = ""


def _answers(response: Response, given: Iterable[Given]) -> list[Answer]:
    out = []
    for g in given:
        out += [Answer(response=response, question=g.question, choice_id=c) for c in g.choice_ids]
        out += [
            Answer(response=response, question=g.question, row_id=r, choice_id=c)
            for r, c in g.row_choices
        ]
        if g.text.strip():
            out.append(Answer(response=response, question=g.question, text=g.text.strip()))
    return out


def answer(
    wave: Wave,
    given: list[Given],
    *,
    language: str,
    neighbourhood: Neighbourhood | None,
    invitation: Invitation | None = None,
    user: Any = None,
) -> Response:
    """Record one response, once: an invitation is spent in the same transaction, and a
    resident's keyed hash is unique per wave, so a second try is refused, never counted."""
    if not wave.is_open():
        raise SurveyRefused(_("This survey is not open for answers now."))
    with transaction.atomic():
        if invitation is not None:
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.used_at is not None or locked.wave_id != wave.pk:
                raise SurveyRefused(_("This link has already been used to answer."))
            locked.used_at = timezone.now()
            locked.save(update_fields=["used_at"])
            channel, key = Response.Channel.INVITATION, None
            neighbourhood = locked.neighbourhood or neighbourhood
        elif user is not None and user.is_authenticated and wave.admits_residents():
            if getattr(user, "role", None) != Role.RESIDENT:
                # Staff answering their own residents' survey would tilt it.
                raise SurveyRefused(_("Only residents' accounts answer this survey."))
            channel, key = Response.Channel.RESIDENT, respondent_key(wave, user)
        else:
            raise SurveyRefused(_("Answer through your invitation link, or sign in."))
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    wave=wave,
                    neighbourhood=neighbourhood,
                    channel=channel,
                    language=language,
                    respondent_key=key,
                )
        except IntegrityError:
            raise SurveyRefused(_("You have already answered this survey.")) from None
        Answer.objects.bulk_create(_answers(response, given))
    return response


def publish_excerpt(answer_obj: Answer, text_en: str, text_es: str, by: Any) -> Excerpt:
    """Publish a passage of a free-text answer, as the analyst worded it in each language."""
    if answer_obj.question.kind != Question.Kind.TEXT or not answer_obj.text:
        raise SurveyRefused(_("Only a free-text answer has excerpts."))
    if not (text_en.strip() or text_es.strip()):
        raise SurveyRefused(_("Write the excerpt in at least one language."))
    excerpt, _created = Excerpt.objects.update_or_create(
        answer=answer_obj,
        defaults={
            "text_en": text_en.strip(),
            "text_es": text_es.strip(),
            "text": text_en.strip() or text_es.strip(),
            "published_at": timezone.now(),
            "published_by": by,
        },
    )
    return excerpt


def withdraw_excerpt(excerpt: Excerpt) -> None:
    excerpt.published_at = None
    excerpt.save(update_fields=["published_at"])


POPULATION_COLUMNS = ("neighbourhood", "dimension", "group", "residents")


class PopulationFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_population(agency: Agency, text: str, source: str, name: str = "file") -> int:
    """Replace an agency's population counts with a CSV's (columns neighbourhood, dimension,
    group, residents). All or nothing: any bad line refuses the whole file, naming each."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in POPULATION_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PopulationFileError(
            [
                _("%(file)s, line 1: missing column(s) %(columns)s; the header is: %(header)s")
                % {
                    "file": name,
                    "columns": ", ".join(missing),
                    "header": ",".join(POPULATION_COLUMNS),
                }
            ]
        )
    places = {n.slug: n for n in Neighbourhood.objects.filter(agency=agency)}
    dimensions = {d.value for d in Dimension}
    rows: dict[tuple[str, str, str], PopulationCount] = {}
    problems: list[str] = []
    for line, row in enumerate(reader, start=2):
        where = f"{name}, line {line}"
        slug = (row.get("neighbourhood") or "").strip()
        dimension = (row.get("dimension") or "").strip().lower()
        group = (row.get("group") or "").strip().lower()
        residents = (row.get("residents") or "").strip().replace(",", "")
        if slug not in places:
            problems.append(
                _(
                    "%(where)s, neighbourhood: %(value)r is not one of %(agency)s's (e.g. %(example)s)"
                )
                % {
                    "where": where,
                    "value": slug,
                    "agency": agency.name,
                    "example": next(iter(places), "—"),
                }
            )
        if dimension not in dimensions:
            problems.append(
                _("%(where)s, dimension: %(value)r is not one of %(choices)s")
                % {"where": where, "value": dimension, "choices": ", ".join(sorted(dimensions))}
            )
        if not group or len(group) > 40:
            problems.append(
                _("%(where)s, group: give the answer code it counts, e.g. 18_34") % {"where": where}
            )
        if not (residents.isascii() and residents.isdigit()):
            problems.append(
                _("%(where)s, residents: %(value)r is not a whole number, e.g. 1250")
                % {"where": where, "value": residents}
            )
        key = (slug, dimension, group)
        if key in rows:
            problems.append(
                _("%(where)s: %(place)s, %(dimension)s %(group)s is already given above")
                % {"where": where, "place": slug, "dimension": dimension, "group": group}
            )
        if problems:
            continue
        rows[key] = PopulationCount(
            agency=agency,
            neighbourhood=places[slug],
            dimension=dimension,
            group=group,
            residents=int(residents),
            source=source[:300],
        )
    if problems:
        raise PopulationFileError(problems[:50])
    if not rows:
        raise PopulationFileError([_("%(file)s has no rows of counts.") % {"file": name}])
    with transaction.atomic():
        old = PopulationCount.objects.filter(agency=agency)
        replaced = old.count()
        old.delete()
        # Bulk writes skip the per-row audit signals; one entry records the load instead.
        PopulationCount.objects.bulk_create(rows.values())
        audit.append(
            "load",
            agency,
            {"population_counts": [replaced, len(rows)], "population_source": [source, source]},
        )
    return len(rows)


def publish_results(wave: Wave, by: Any) -> WaveResult:
    """Compute a wave's results (weighted, with margins of error and suppression) and publish
    them as the snapshot the public pages read. Publishing again replaces the snapshot."""
    from commonbeat.engagement.surveys.results import compute

    if wave.closes_at > timezone.now():
        raise SurveyRefused(_("Publish a wave's results once it has closed."))
    data = compute(wave)
    result, _created = WaveResult.objects.update_or_create(
        wave=wave, defaults={"data": data, "published_at": timezone.now(), "published_by": by}
    )
    return result


def withdraw_results(wave: Wave) -> None:
    WaveResult.objects.filter(wave=wave).delete()
