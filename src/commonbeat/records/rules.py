"""Consistency rules between standard fields, checked on every import rather than assumed.

A `reject` rule turns the row away with its message. A `clear` rule keeps the row but empties
fields that cannot be true (the Stanford Open Policing Project's predicates: no search, so no
search basis and no contraband result), and the report counts how many rows it touched.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    record_type: str
    name: str
    violated: str  # SQL over standard fields: true when the row breaks the rule
    action: str  # "reject" or "clear"
    fields: tuple[str, ...] = ()  # for "clear": the fields emptied


RULES = (
    Rule(
        "stop",
        "no search, so no search basis or contraband result",
        "search_conducted = FALSE AND (search_basis IS NOT NULL OR contraband_found IS NOT NULL "
        "OR contraband_drugs IS NOT NULL OR contraband_weapons IS NOT NULL OR contraband_other IS NOT NULL)",
        "clear",
        (
            "search_basis",
            "contraband_found",
            "contraband_drugs",
            "contraband_weapons",
            "contraband_other",
        ),
    ),
    Rule(
        "stop",
        "contraband of a kind found, so contraband found",
        "contraband_found = FALSE AND (contraband_drugs OR contraband_weapons OR contraband_other)",
        "reject",
    ),
    Rule("complaint", "closed before it was received", "closed_date < received_date", "reject"),
    Rule(
        "complaint",
        "incident after the complaint was received",
        "incident_date > received_date + 1",
        "reject",
    ),
    Rule(
        "call",
        "dispatched before it was received",
        "dispatched_at < received_at - INTERVAL 1 MINUTE",
        "reject",
    ),
    Rule(
        "call",
        "on scene before it was received",
        "on_scene_at < received_at - INTERVAL 1 MINUTE",
        "reject",
    ),
    Rule(
        "call",
        "closed before it was received",
        "cleared_at < received_at - INTERVAL 1 MINUTE",
        "reject",
    ),
    Rule("roster", "separated before appointed", "separation_date < appointed_date", "reject"),
    Rule("roster_assignment", "ends before it starts", "end_date < start_date", "reject"),
)


def rules_for(record_type: str) -> list[Rule]:
    """Return the rules of one record type."""
    return [rule for rule in RULES if rule.record_type == record_type]
