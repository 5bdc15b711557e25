"""Oversight's vocabularies: one set of words for workflow cases and historic records alike.

Findings are codes of the record store's `FINDING` (records/vocab.py), so that a finding recorded
here and one imported from the CCRB or Chicago are counted together; their labels live in the
one catalogue (records/labels.py). Allegation categories are the catalogue's
`allegation_category` keys; `category_for()` maps a source's own words (the CCRB's FADO,
Chicago's categories) onto them.
"""

from __future__ import annotations

from commonbeat.core.vocab import normal_key
from commonbeat.records import labels

# The findings an investigator, the board or the final authority may record. The record
# store's vocabulary has more codes (`pending`, `no_finding`, `closed_other`, `other`) for
# what historic sources wrote; a workflow case records only these.
FINDINGS = (
    "sustained",
    "not_sustained",
    "unfounded",
    "exonerated",
    "administratively_closed",
    "no_cooperation",
    "mediated",
)
# Our allegation categories, in the catalogue's key form (CCRB's FADO is the first four).
CATEGORIES = (
    "force",
    "abuse of authority",
    "discourtesy",
    "offensive language",
    "improper search",
    "neglect of duty",
    "bias",
    "other",
)
SANCTIONS = tuple(labels.SANCTION)


def _choices(vocabulary: str, codes: tuple[str, ...]) -> list[tuple[str, object]]:
    # Model and form choices read their labels from the one catalogue (lazily translated).
    catalogue = labels.CATALOGUE[vocabulary]
    return [(code, catalogue[code]) for code in codes]


FINDING_CHOICES = _choices("finding", FINDINGS)
CATEGORY_CHOICES = _choices("allegation_category", CATEGORIES)
SANCTION_CHOICES = _choices("sanction", SANCTIONS)


# A source's words for a category (in `normal_key` form) → ours. The CCRB's FADO categories
# and Chicago's (CPD/COPA) categories; anything else is `other`, and the raw text is kept.
_SOURCE_CATEGORIES: dict[str, str] = {
    "force": "force",
    "use of force": "force",
    "excessive force": "force",
    "abuse of authority": "abuse of authority",
    "false arrest": "abuse of authority",
    "illegal arrest": "abuse of authority",
    "lockup procedures": "neglect of duty",
    "discourtesy": "discourtesy",
    "verbal abuse": "discourtesy",
    "offensive language": "offensive language",
    "racial profiling": "bias",
    "bias": "bias",
    "bias based policing": "bias",
    "first amendment": "abuse of authority",
    "improper search": "improper search",
    "illegal search": "improper search",
    "search and seizure": "improper search",
    "neglect of duty": "neglect of duty",
    "neglect": "neglect of duty",
    "operation personnel violations": "neglect of duty",
    "operations personnel violations": "neglect of duty",
    "conduct unbecoming off duty": "other",
    "criminal misconduct": "other",
    "domestic": "other",
}


def category_for(raw: str | None) -> str:
    """Return our allegation category for a source's category text (`other` when unknown)."""
    if not raw:
        return "other"
    key = normal_key(raw)
    if key in CATEGORIES:
        return key
    return _SOURCE_CATEGORIES.get(key, "other")
