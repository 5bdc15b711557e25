"""Atom (RFC 4287) feeds of announcements, written with `feedgen`: one per agency (city-wide
and every neighbourhood) and one per neighbourhood (its own and the city-wide ones).

Entries are in the reader's language (the /es/ address gives Spanish). Each entry's id is a
`urn:uuid:` made from the announcement's fixed uid and the language, so it never changes when
the text is edited, and the English and Spanish entries stay distinct for a reader who
subscribes to both; each links back to its page. The staff author is never named: the agency
is the author.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from feedgen.feed import FeedGenerator

from commonbeat.core.languages import current_language, translated
from commonbeat.core.models import Agency
from commonbeat.engagement.announcements import api
from commonbeat.engagement.announcements.models import Announcement

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
