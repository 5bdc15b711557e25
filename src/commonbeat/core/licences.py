"""The licences Commonbeat knows: one vocabulary (id, title, URL) for sources, agencies and releases.

A source mapping declares its licence as text (records/mappings/); an operator sets an
agency's own licence (`commonbeat agency <slug> --licence CC-BY-4.0`), which covers the tables
derived from the agency's own records (the standard CSV format). `resolve()` turns either into
a `Licence`: a known one by its SPDX id, or an alias a source writes; unknown text is carried
as the title of a `LicenseRef-` licence, so nothing a publisher said is lost or guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What the standard CSV mappings declare: the records are the agency's own, so the licence is
# the one its operator set. Older record stores say "as declared by the publisher".
AGENCY_OWN = "set by the agency for its own records"
AGENCY_OWN_ALIASES = frozenset({AGENCY_OWN, "as declared by the publisher"})


@dataclass(frozen=True)
class Licence:
    """A licence as a release names it: Frictionless `name`, `title` and `path` (its URL)."""

    id: str  # the SPDX id where one exists, else a LicenseRef- id
    title: str
    url: str = ""
    known: bool = True

    def to_frictionless(self) -> dict[str, str]:
        """Return the Frictionless `licenses` entry (`name` and `title`, `path` when known)."""
        entry = {"name": self.id, "title": self.title}
        if self.url:
            entry["path"] = self.url
        return entry


KNOWN: dict[str, Licence] = {
    licence.id: licence
    for licence in (
        Licence(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution Share-Alike 4.0 International",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence(
            "CC-BY-NC-SA-4.0",
            "Creative Commons Attribution Non-Commercial Share-Alike 4.0 International",
            "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        ),
        Licence(
            "CC0-1.0",
            "Creative Commons Zero v1.0 Universal",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Licence(
            "ODC-By-1.0",
            "Open Data Commons Attribution License v1.0",
            "https://opendatacommons.org/licenses/by/1-0/",
        ),
        Licence(
            "ODbL-1.0",
            "Open Data Commons Open Database License v1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
        Licence(
            "PDDL-1.0",
            "Open Data Commons Public Domain Dedication & License 1.0",
            "https://opendatacommons.org/licenses/pddl/1-0/",
        ),
        Licence(
            "OGL-UK-3.0",
            "Open Government Licence v3.0",
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        ),
        # No SPDX id names the public domain itself; this is the Open Definition's id for it.
        Licence(
            "LicenseRef-public-domain",
            "Public domain",
            "https://creativecommons.org/publicdomain/mark/1.0/",
        ),
    )
}

# How sources and operators write them (compared case-insensitively, spaces collapsed).
ALIASES = {
    "cc by 4.0": "CC-BY-4.0",
    "cc-by 4.0": "CC-BY-4.0",
    "cc by-sa 4.0": "CC-BY-SA-4.0",
    "cc by-nc-sa 4.0": "CC-BY-NC-SA-4.0",
    "cc0": "CC0-1.0",
    "odc-by 1.0": "ODC-By-1.0",
    "odc-by": "ODC-By-1.0",
    "odbl": "ODbL-1.0",
    "pddl": "PDDL-1.0",
    "ogl-3.0": "OGL-UK-3.0",
    "ogl v3": "OGL-UK-3.0",
    "ogl v3.0": "OGL-UK-3.0",
    "ogl": "OGL-UK-3.0",
    "open government licence v3.0": "OGL-UK-3.0",
    "public domain": "LicenseRef-public-domain",
    # Sources' own wording (records/mappings/), where it names one licence exactly.
    "odc-by 1.0 (open data commons attribution), per the stanford open policing project": (
        "ODC-By-1.0"
    ),
    "public domain (city of seattle open data)": "LicenseRef-public-domain",
}


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def lookup(text: str) -> Licence | None:
    """Return the known licence `text` names by id, title or alias, or None."""
    key = _key(text)
    for licence in KNOWN.values():
        if key in (licence.id.lower(), _key(licence.title)):
            return licence
    found = ALIASES.get(key)
    return KNOWN[found] if found else None


def resolve(text: str) -> Licence:
    """Return the licence `text` declares: a known one, or the text itself as an unknown one."""
    known = lookup(text)
    if known is not None:
        return known
    slug = re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")[:60] or "unstated"
    return Licence(f"LicenseRef-{slug}", text, known=False)


def choices() -> str:
    """Return the known ids, for messages naming good values."""
    return ", ".join(KNOWN)
