"""Find an address among the operator's address points, forgiving typos ("12 Elm Stret").

No outside geocoder: the street part of the query is compared with every distinct street key
(rapidfuzz's WRatio, which copes with typos, missing words and word order), then the house
number is matched on the few best streets. Work per request is bounded: the query is cut to
MAX_QUERY characters, at most MAX_STREETS streets are looked at, and MAX_RESULTS returned.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max
from rapidfuzz import fuzz, process

from commonbeat.core.addresses import STREET_TYPES, fold
from commonbeat.core.models import AddressPoint

MAX_QUERY = 120
MAX_STREETS = 5
MAX_RESULTS = 8
MAX_POINTS_PER_STREET = 5000
# WRatio below this is a different street, not a typo of this one.
SCORE_CUTOFF = 75.0
# A clear match: this good, and this far ahead of the next in another neighbourhood.
CLEAR_SCORE = 88.0
CLEAR_LEAD = 8.0
_NUMBER = re.compile(r"^\d+[a-z]?$")


@dataclass(frozen=True)
class Match:
    point: AddressPoint
    score: float  # 0 to 100
    exact: bool  # the house number (or postcode) asked for, not the nearest one


@dataclass
class SearchResult:
    query: str
    matches: list[Match] = field(default_factory=list)
    number: str = ""
    postcode: str = ""
    street: str = ""

    @property
    def clear_match(self) -> Match | None:
        """Return the one match that stands out, or None when the choice is the person's."""
        if not self.matches:
            return None
        top = self.matches[0]
        if top.score < CLEAR_SCORE or not top.exact:
            return None
        rivals = [
            m
            for m in self.matches[1:]
            if m.point.neighbourhood_id != top.point.neighbourhood_id
            and m.score > top.score - CLEAR_LEAD
        ]
        return None if rivals else top


@dataclass(frozen=True)
class _Catalogue:
    version: tuple[int, int]
    streets: list[str]
    postcodes: frozenset[str]


_catalogue: _Catalogue | None = None
_lock = threading.Lock()


def forget() -> None:
    """Drop the catalogue in this process (after a load); other processes see the new version."""
    global _catalogue
    with _lock:
        _catalogue = None


def catalogue() -> _Catalogue:
    """Return every street key and postcode, re-read when address points were (re)loaded."""
    global _catalogue
    # One cheap aggregate per request tells whether a load happened in any process.
    stats = AddressPoint.objects.aggregate(count=Count("id"), last=Max("id"))
    version = (stats["count"] or 0, stats["last"] or 0)
    with _lock:
        if _catalogue is None or _catalogue.version != version:
            points = AddressPoint.objects.order_by()
            _catalogue = _Catalogue(
                version,
                sorted(set(points.values_list("street_key", flat=True))),
                frozenset(points.exclude(postcode_key="").values_list("postcode_key", flat=True)),
            )
        return _catalogue


def _split(words: list[str], postcodes: frozenset[str]) -> tuple[str, str, list[str]]:
    """Return (number, postcode, street words) from the folded query's words."""
    postcode = ""
    for size in (2, 1):  # "SW1A 1AA" is two words; "50310" one
        for start in range(len(words) - size + 1):
            candidate = "".join(words[start : start + size])
            if candidate in postcodes and not postcode:
                postcode = candidate
                words = words[:start] + words[start + size :]
                break
    number = ""
    if words and _NUMBER.match(words[0]):
        number, words = words[0], words[1:]
    elif words and _NUMBER.match(words[-1]):  # "Calle Mayor 12"
        number, words = words[-1], words[:-1]
    return number, postcode, [STREET_TYPES.get(word, word) for word in words]


def _numeric(number: str) -> int | None:
    digits = re.match(r"\d+", number)
    return int(digits.group()) if digits else None


def _on_street(key: str, score: float, number: str, postcode: str) -> list[Match]:
    points = AddressPoint.objects.filter(street_key=key).select_related("neighbourhood__agency")
    if postcode and points.filter(postcode_key=postcode).exists():
        points = points.filter(postcode_key=postcode)
        score = min(100.0, score + 5)
    if number:
        exact = list(points.filter(number__iexact=number)[:3])
        if exact:
            return [Match(point, score, True) for point in exact]
        wanted = _numeric(number)
        numbered: list[tuple[AddressPoint, int]] = []
        for candidate in points[:MAX_POINTS_PER_STREET]:
            value = _numeric(candidate.number)
            if value is not None:
                numbered.append((candidate, value))
        if wanted is None or not numbered:
            return []
        nearest, _n = min(numbered, key=lambda item: (abs(item[1] - wanted), item[1]))
        return [Match(nearest, score * 0.9, False)]
    # No number: the street once in each neighbourhood it runs through.
    seen: dict[int | None, AddressPoint] = {}
    for point in points[:MAX_POINTS_PER_STREET]:
        seen.setdefault(point.neighbourhood_id, point)
    return [Match(point, score, True) for point in seen.values()]


def _in_postcode(postcode: str) -> list[Match]:
    points = AddressPoint.objects.filter(postcode_key=postcode).select_related(
        "neighbourhood__agency"
    )
    counts = (
        points.values("neighbourhood_id").annotate(n=Count("id")).order_by("-n", "neighbourhood_id")
    )
    matches = []
    total = sum(row["n"] for row in counts) or 1
    for row in counts[:MAX_RESULTS]:
        point = points.filter(neighbourhood_id=row["neighbourhood_id"]).first()
        if point is not None:
            matches.append(Match(point, 100.0 * row["n"] / total, True))
    return matches


def search(query: str) -> SearchResult:
    """Return the best matches for an address or postcode, best first."""
    text = query.strip()[:MAX_QUERY]
    words = fold(text).split()
    result = SearchResult(query=text)
    if not words:
        return result
    known = catalogue()
    result.number, result.postcode, street_words = _split(words, known.postcodes)
    result.street = " ".join(street_words)
    if not result.street:
        if result.postcode:
            result.matches = _in_postcode(result.postcode)
        return result
    streets = process.extract(
        result.street,
        known.streets,
        scorer=fuzz.WRatio,
        limit=MAX_STREETS,
        score_cutoff=SCORE_CUTOFF,
    )
    matches: list[Match] = []
    for key, score, _index in streets:
        matches.extend(_on_street(key, float(score), result.number, result.postcode))
    matches.sort(key=lambda m: (-m.score, not m.exact, m.point.street_key, m.point.pk))
    result.matches = matches[:MAX_RESULTS]
    return result
