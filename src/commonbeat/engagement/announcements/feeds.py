"""Atom (RFC 4287) feeds of announcements, written with `feedgen`: one per agency (city-wide
and every neighbourhood) and one per neighbourhood (its own and the city-wide ones).

Entries are in the reader's language (the /es/ address gives Spanish). Each entry's id is a
`urn:uuid:` made from the announcement's fixed uid and the language, so it never changes when
the text is edited, and the English and Spanish entries stay distinct for a reader who
subscribes to both; each links back to its page. The staff author is never named: the agency
is the author.

Each public critical incident has its own feed too: its timeline, one entry per public update
in the order posted, a correction titled as one (what was wrong, then the corrected text) and
a corrected update saying so and linking to its correction. Those entry ids are made from the
incident's fixed uid, the update's number (an update is never edited nor deleted once public)
and the language.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from feedgen.feed import FeedGenerator

from commonbeat.core.languages import current_language, translated
from commonbeat.core.models import Agency
from commonbeat.engagement.announcements import api
from commonbeat.engagement.announcements.models import (
    Announcement,
    CriticalIncident,
    IncidentUpdate,
)

MAX_ENTRIES = 50
# Fixed namespace for the feeds' own ids (uuid5 over the agency and neighbourhood slugs).
FEED_NAMESPACE = uuid.UUID("6f1d3a8e-2c4b-5e7f-9a0b-1c2d3e4f5a6b")
CONTENT_TYPE = "application/atom+xml; charset=utf-8"


def entry_id(announcement: Announcement, lang: str) -> str:
    return f"urn:uuid:{uuid.uuid5(announcement.uid, lang)}"


def feed_id(key: str, lang: str) -> str:
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, f'{key}:{lang}')}"


def atom(
    request: HttpRequest,
    agency: Agency,
    announcements: Sequence[Announcement],
    *,
    key: str,
    title: str,
    page: str,
) -> bytes:
    """Return the feed's XML: `key` names it for its id, `page` is the HTML list it mirrors."""
    lang = current_language()
    feed = FeedGenerator()
    feed.id(feed_id(key, lang))
    feed.title(title)
    feed.subtitle(_("News and safety alerts from %(agency)s.") % {"agency": agency.name})
    feed.language(lang)
    feed.author({"name": agency.name, "uri": agency.url} if agency.url else {"name": agency.name})
    feed.link(href=request.build_absolute_uri(), rel="self", type="application/atom+xml")
    feed.link(href=request.build_absolute_uri(page), rel="alternate", type="text/html")
    feed.generator("Commonbeat")
    newest = [api.updated(a) for a in announcements]
    feed.updated(max(newest) if newest else timezone.now())
    # feedgen prepends by default; appending keeps the newest first, as the list page does.
    for announcement in announcements:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(announcement, lang))
        entry.title(translated(announcement, "title").text)
        entry.link(
            href=request.build_absolute_uri(api.announcement_url(announcement)),
            rel="alternate",
            type="text/html",
        )
        entry.published(announcement.published_at)
        entry.updated(api.updated(announcement))
        entry.content(translated(announcement, "body").text, type="text")
        entry.category(term=announcement.kind, label=str(announcement.get_kind_display()))
        entry.author({"name": agency.name})
    body: bytes = feed.atom_str(pretty=True)
    return body


# Critical incidents -----------------------------------------------------------------------


def update_entry_id(incident: CriticalIncident, update: IncidentUpdate, lang: str) -> str:
    return f"urn:uuid:{uuid.uuid5(incident.uid, f'update:{update.pk}:{lang}')}"


def incident_feed_id(incident: CriticalIncident, lang: str) -> str:
    return f"urn:uuid:{uuid.uuid5(incident.uid, f'feed:{lang}')}"


def _update_text(
    request: HttpRequest, incident: CriticalIncident, update: IncidentUpdate, data: dict[str, Any]
) -> tuple[str, str]:
    """Return an update's entry title and text in the reader's language."""
    when = api.shown(incident.agency, update.posted_at)
    incident_page = api.incident_url(incident)
    lines = []
    if data["corrects"]:
        title = _("Correction to the update of %(time)s") % {"time": data["corrects_time"]}
        lines.append(_("What was wrong:") + " " + (data["what_was_wrong"] or ""))
    elif data["corrections"]:
        title = _("Update of %(time)s (corrected)") % {"time": when}
        for c in data["corrections"]:
            seen = _("See the correction of %(time)s") % {"time": c["time"]}
            lines.append(seen + ": " + request.build_absolute_uri(f"{incident_page}#{c['anchor']}"))
        lines.append(_("This update is kept as it was posted."))
    else:
        title = _("Update of %(time)s") % {"time": when}
    lines.append(data["body"])
    return title, "\n\n".join(lines)


def incident_atom(
    request: HttpRequest, incident: CriticalIncident, updates: Sequence[IncidentUpdate]
) -> bytes:
    """Return the XML of a public incident's timeline (`updates`: its public ones, in order)."""
    lang = current_language()
    agency = incident.agency
    page = api.incident_url(incident)
    feed = FeedGenerator()
    feed.id(incident_feed_id(incident, lang))
    feed.title(_("%(incident)s: updates") % {"incident": translated(incident, "title").text})
    feed.subtitle(translated(incident, "summary").text or agency.name)
    feed.language(lang)
    feed.author({"name": agency.name, "uri": agency.url} if agency.url else {"name": agency.name})
    feed.link(href=request.build_absolute_uri(), rel="self", type="application/atom+xml")
    feed.link(href=request.build_absolute_uri(page), rel="alternate", type="text/html")
    feed.generator("Commonbeat")
    moments = [u.posted_at for u in updates if u.posted_at is not None]
    feed.updated(max(moments) if moments else incident.published_at or timezone.now())
    for update in updates:
        data = api.update_data(update, agency)
        title, text = _update_text(request, incident, update, data)
        entry = feed.add_entry(order="append")
        entry.id(update_entry_id(incident, update, lang))
        entry.title(title)
        anchor = request.build_absolute_uri(f"{page}#{data['anchor']}")
        entry.link(href=anchor, rel="alternate", type="text/html")
        # A corrected entry changed when its correction was posted: readers see it again.
        posted = [u.posted_at for u in (update, *update.corrections.all()) if u.posted_at]
        entry.published(update.posted_at)
        entry.updated(max(posted))
        # One link only: feedgen 1.0 writes an entry's links without their rel, so a second
        # one would be a second "alternate"; the text gives the correction's address instead.
        if data["corrects"]:
            entry.category(term="correction")
        entry.content(text, type="text")
        entry.author({"name": agency.name})
    body: bytes = feed.atom_str(pretty=True)
    return body
