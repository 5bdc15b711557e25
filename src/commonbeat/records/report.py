"""What an import reports: per output, per file, and for the whole import."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

REJECT_SAMPLE = 20  # problems listed in a report per file; the rejects file has them all


@dataclass
class OutputReport:
    record_type: str
    read: int = 0
    stored: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    corrected: Counter[str] = field(default_factory=Counter)


@dataclass
class FileReport:
    name: str
    mapping: str = ""
    partition: str = ""
    status: str = "pending"  # stored, replaced, unchanged, failed
    error: str = ""
    error_web: str = ""  # the error as the upload page words it, when it differs
    outputs: list[OutputReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a sample: "file, line N: field: message"
    rejects_file: str = ""
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return sum(o.read for o in self.outputs)

    @property
    def stored(self) -> int:
        return sum(o.stored for o in self.outputs)

    @property
    def rejected(self) -> int:
        return sum(o.rejected for o in self.outputs)

    @property
    def outcome(self) -> str:
        """Return what became of the file's rows: stored, partly stored, rejected, unchanged, failed."""
        if self.status in ("failed", "unchanged", "pending", "checked"):
            return self.status
        if not self.rejected:
            return "stored"
        return "partly stored" if self.stored else "rejected"


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    committed: bool = False
    checked_only: bool = False  # a dry run: everything was checked, nothing kept
    refused: bool = False  # all or nothing was asked, and some row had a problem

    @property
    def ok(self) -> bool:
        return all(f.status != "failed" for f in self.files) and bool(self.files)

    def totals(self) -> dict[str, OutputReport]:
        """Return read/stored/rejected per record type across all files."""
        totals: dict[str, OutputReport] = {}
        for report in self.files:
            for output in report.outputs:
                total = totals.setdefault(output.record_type, OutputReport(output.record_type))
                total.read += output.read
                total.stored += output.stored
                total.rejected += output.rejected
                total.reasons.update(output.reasons)
                total.corrected.update(output.corrected)
        return totals

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data (for JSON and the import log)."""
        return {
            "ok": self.ok,
            "committed": self.committed,
            "checked_only": self.checked_only,
            "refused": self.refused,
            "files": [
                {
                    "name": f.name,
                    "mapping": f.mapping,
                    "partition": f.partition,
                    "status": f.status,
                    "outcome": f.outcome,
                    "read": f.read,
                    "stored": f.stored if f.status != "unchanged" else 0,
                    "rejected": f.rejected,
                    "error": f.error,
                    "error_web": f.error_web,
                    "rejects_file": f.rejects_file,
                    "problems": f.problems,
                    "outputs": [
                        {
                            "record_type": o.record_type,
                            "read": o.read,
                            "stored": o.stored,
                            "rejected": o.rejected,
                            "reasons": dict(o.reasons),
                            "corrected": dict(o.corrected),
                        }
                        for o in f.outputs
                    ],
                }
                for f in self.files
            ],
        }


_PATTERN = re.compile(r"like (%[^(|]*?)(?= \(| \||$)")
_EXAMPLE = datetime(2024, 3, 31, 13, 5, 0, tzinfo=UTC)


def for_person(text: str) -> str:
    """Return a report line with each strftime pattern shown as an example ("like 2024-03-31")."""

    def example(match: re.Match[str]) -> str:
        try:
            return "like " + _EXAMPLE.strftime(match.group(1).strip())
        except ValueError:
            return match.group(0)

    return _PATTERN.sub(example, text)


def first_line(error: object) -> str:
    """Return the first line of an error's message (or its type's name, if it has none)."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


__all__ = [
    "REJECT_SAMPLE",
    "FileReport",
    "ImportReport",
    "OutputReport",
    "first_line",
    "for_person",
]
