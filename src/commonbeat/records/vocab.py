"""Standard vocabularies of the record store, one per coded field.

Race and gender reuse the roster's vocabularies, so that a stop's subject and an officer are
described in the same words. `unknown` means the source said unknown; `not_recorded` means the
source left the field empty. The raw value is always kept beside the standard one.
"""

from __future__ import annotations

from commonbeat.core.vocab import Gender, Race

RACE = tuple(Race.values)
GENDER = tuple(Gender.values)
STOP_TYPE = (
    "vehicular",
    "pedestrian",
    "person_search",
    "vehicle_search",
    "person_and_vehicle_search",
    "other",
)
SEARCH_BASIS = ("k9", "plain_view", "consent", "probable_cause", "incident_to_arrest", "other")
STOP_OUTCOME = ("none", "warning", "citation", "summons", "arrest", "other")
DISCIPLINE = ("police", "fire", "ems", "other")
CALL_SOURCE = ("phone_911", "phone_other", "officer_initiated", "alarm", "text", "online", "other")
ACTOR = ("officer", "subject")
FINDING = (
    "sustained",
    "not_sustained",
    "unfounded",
    "exonerated",
    "administratively_closed",
    "no_cooperation",
    "mediated",
    "no_finding",
    "closed_other",
    "pending",
    "other",
)
