"""Address files: reading them line by line, and the search keys addresses are compared by.

An operator loads a city's address points (`commonbeat addresses load`); the format is
OpenAddresses' CSV (LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH), which
most open address releases are published in or converted to. Every bad line is reported with
its line number, the field and an example of a good value, and no line is loaded until the
whole file reads cleanly.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

FORMATS = ("openaddresses",)
OPENADDRESSES_COLUMNS = (
    "LON",
    "LAT",
    "NUMBER",
    "STREET",
    "UNIT",
    "CITY",
    "DISTRICT",
    "REGION",
    "POSTCODE",
    "ID",
    "HASH",
)
REQUIRED_COLUMNS = ("LON", "LAT", "STREET")
# Stop listing problems after this many: a wholly wrong file would otherwise print itself.
MAX_PROBLEMS = 50

# Street types as people abbreviate them (English and Spanish), spelled out in the search key
# so that "12 Elm St" and "12 Elm Street" compare equal.
STREET_TYPES = {
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "avda": "avenida",
    "rd": "road",
    "dr": "drive",
    "ln": "lane",
    "blvd": "boulevard",
    "ct": "court",
    "pl": "place",
    "sq": "square",
    "hwy": "highway",
    "pkwy": "parkway",
    "ter": "terrace",
    "cl": "calle",
    "c": "calle",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
}
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Return text in lower case without accents or punctuation, single-spaced."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def street_key(street: str) -> str:
    """Return the street's search key: folded, with abbreviated street types spelled out."""
    return " ".join(STREET_TYPES.get(word, word) for word in fold(street).split())


def postcode_key(postcode: str) -> str:
    """Return the postcode without spaces or punctuation, in lower case ("SW1A 1AA" → sw1a1aa)."""
    return fold(postcode).replace(" ", "")


@dataclass(frozen=True)
class AddressRow:
    line: int
    number: str
    street: str
    unit: str
    locality: str
    postcode: str
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class AddressFileError(ValueError):
    """A file that cannot be loaded; `problems` lists each bad line."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        lines = [str(problem) for problem in problems]
        if more:
            lines.append(_("…and %(count)s more problems.") % {"count": more})
        super().__init__("\n".join(lines))


def _coordinate(
    value: str, line: int, field: str, low: int, high: int, example: str
) -> tuple[Decimal | None, Problem | None]:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not low <= number <= high:
        message = _(
            "%(value)r is not a number between %(low)s and %(high)s; write e.g. %(example)s."
        ) % {"value": value, "low": low, "high": high, "example": example}
        return None, Problem(line, field, message)
    return number.quantize(Decimal("0.000001")), None


def read_openaddresses(stream: IO[str]) -> Iterator[AddressRow | Problem]:
    """Yield each data line of an OpenAddresses CSV as a row, or the problem with it."""
    reader = csv.DictReader(stream)
    header = [name.strip().upper() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        yield Problem(
            1,
            ", ".join(missing),
            _("the header lacks these columns; an OpenAddresses file starts %(header)s.")
            % {"header": ",".join(OPENADDRESSES_COLUMNS)},
        )
        return
    reader.fieldnames = header
    for record in reader:
        line = reader.line_num
        values = {key: (value or "").strip() for key, value in record.items() if key}
        longitude, lng_problem = _coordinate(
            values.get("LON", ""), line, "LON", -180, 180, "-93.625012"
        )
        latitude, lat_problem = _coordinate(
            values.get("LAT", ""), line, "LAT", -90, 90, "41.586835"
        )
        problems = [p for p in (lng_problem, lat_problem) if p is not None]
        street = values.get("STREET", "")
        if not street_key(street):
            problems.append(
                Problem(line, "STREET", _("the street is empty; write e.g. Elm Street."))
            )
        for field, limit in (("NUMBER", 30), ("STREET", 200), ("UNIT", 60), ("POSTCODE", 20)):
            if len(values.get(field, "")) > limit:
                problems.append(
                    Problem(
                        line,
                        field,
                        _("longer than %(limit)s characters; write e.g. %(example)s.")
                        % {
                            "limit": limit,
                            "example": {"NUMBER": "12", "UNIT": "Apt 3"}.get(field, "50310"),
                        },
                    )
                )
        if problems or latitude is None or longitude is None:
            yield from problems
            continue
        yield AddressRow(
            line=line,
            number=values.get("NUMBER", ""),
            street=street,
            unit=values.get("UNIT", ""),
            locality=(values.get("CITY") or values.get("DISTRICT", ""))[:120],
            postcode=values.get("POSTCODE", ""),
            latitude=latitude,
            longitude=longitude,
        )


def read_address_file(path: Path, file_format: str = "openaddresses") -> list[AddressRow]:
    """Return every row of the file, or raise AddressFileError listing each bad line."""
    if file_format not in FORMATS:
        raise AddressFileError(
            [
                Problem(
                    0,
                    "--format",
                    _("unknown format %(format)r; use one of: %(formats)s.")
                    % {"format": file_format, "formats": ", ".join(FORMATS)},
                )
            ]
        )
    rows: list[AddressRow] = []
    problems: list[Problem] = []
    more = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            for item in read_openaddresses(stream):
                if isinstance(item, AddressRow):
                    rows.append(item)
                elif len(problems) < MAX_PROBLEMS:
                    problems.append(item)
                else:
                    more += 1
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(0, _("encoding"), _("the file is not UTF-8 (%(error)s).") % {"error": exc})
        )
    except csv.Error as exc:
        problems.append(Problem(0, "CSV", str(exc)))
    if problems:
        raise AddressFileError(problems, more)
    if not rows:
        raise AddressFileError([Problem(2, "LON", _("the file has no address lines."))])
    return rows
