"""OpenOversight links and documented incidents, prepared with the rosters (officer_rosters).

Three more files of the OpenOversight bulk-import folders (see `officer_rosters.py`, whose
agency-from-file-name rule these share):

- Chicago's `4_out_select_links.csv`: one row per web link about an officer (id, url, title,
  link_type, author, officer_ids). Every link is the officer's profile on the Citizens Police
  Data Project; `officer_ids` names the officer as the roster's `id` does ("11958", "#U100008").
  It becomes a `reference_link` about an officer.
- Rochester's `incidents_3_prd.csv`: a community-compiled list of alleged misconduct (news
  reports, blogs, lawsuits, disciplinary records), one row per incident with the officers it
  names (id, department_name, officer_ids, date, description, street_name, cross_street1,
  zip_code, city, state). It becomes a `documented_incident`. `officer_ids` are OpenOversight's
  own officer numbers ("33384"), not the `#N` identifiers of Rochester's roster file.
  `description` is free text, often with HTML fragments (paragraphs, links), kept as is: it is
  private and never published. The location is built from the street, the cross street, the
  city and the state ("Victoria St & Hertel St, Rochester, NY"; with the zip code where given).
  The date 1970-01-01 (the Unix epoch, day zero of the exporting database's dates) stands for
  a date not known (8 incidents), so it is stored as missing.
- Rochester's `incidents_links_3.csv`: links about those incidents (id, url, title,
  incident_ids, link_type), a `reference_link` about an incident; `incident_ids` are the
  incidents' `id` ("#3").

Both links files leave `id` empty on every row, so they have no key and the engine names each
record by file and row. Identifier lists are written with ';' between identifiers whatever the
source used (these exports hold one identifier per row, but OpenOversight accepts several).
The links file of Rochester lists one news article twice for the same incident (lines 10 and
12, identical): both rows are kept, a repeated link being harmless and not a data error.
"""

from __future__ import annotations

from commonbeat.records.mapping import Expr, Output, const, date, raw, register, sql, text
from commonbeat.records.mappings.officer_rosters import OpenOversightFile

SOURCE = "OpenOversight bulk-import links and documented incidents (officer_rosters)"


def id_list(column: str) -> Expr:
    """Return a list of identifiers with ';' between them, whatever separated them."""
    value = raw(column)
    return sql(f"NULLIF(trim(regexp_replace({value}, '[\\s,;|]+', ';', 'g'), ';'), '')", column)


def occurred(column: str) -> Expr:
    """Return the incident's date; 1970-01-01 is a placeholder for "not known"."""
    parsed = date(column, "%Y-%m-%d")
    return Expr(f"NULLIF({parsed.sql}, DATE '1970-01-01')", parsed.columns, parsed.check)


_street = f"concat_ws(' & ', {raw('street_name')}, {raw('cross_street1')})"
_state = f"concat_ws(' ', {raw('state')}, {raw('zip_code')})"
LOCATION = sql(
    f"NULLIF(concat_ws(', ', NULLIF({_street}, ''), {raw('city')}, NULLIF({_state}, '')), '')",
    "street_name",
    "cross_street1",
    "city",
    "state",
    "zip_code",
)


class OpenOversightDocuments(OpenOversightFile):
    source = SOURCE


@register
class OpenOversightOfficerLinks(OpenOversightDocuments):
    name = "openoversight_officer_links"
    title = "OpenOversight links about officers (Chicago layout)"
    signature = ("id", "url", "title", "link_type", "author", "officer_ids")
    outputs = (
        Output(
            "reference_link",
            {
                "subject_type": const("officer"),
                "subject_ids": id_list("officer_ids"),
                "url": text("url"),
                "title": text("title"),
                "link_type": text("link_type"),
                "author": text("author"),
            },
        ),
    )


@register
class OpenOversightIncidentLinks(OpenOversightDocuments):
    name = "openoversight_incident_links"
    title = "OpenOversight links about documented incidents (Rochester layout)"
    signature = ("id", "url", "title", "incident_ids", "link_type")
    outputs = (
        Output(
            "reference_link",
            {
                "subject_type": const("incident"),
                "subject_ids": id_list("incident_ids"),
                "url": text("url"),
                "title": text("title"),
                "link_type": text("link_type"),
            },
        ),
    )


@register
class OpenOversightIncidents(OpenOversightDocuments):
    name = "openoversight_incidents"
    title = "OpenOversight documented incidents (Rochester layout)"
    signature = (
        "id",
        "department_name",
        "officer_ids",
        "date",
        "description",
        "street_name",
        "cross_street1",
        "city",
        "state",
    )
    outputs = (
        Output(
            "documented_incident",
            {
                "department": text("department_name"),
                "occurred_date": occurred("date"),
                "location": LOCATION,
                "officer_ids": id_list("officer_ids"),
                "description": text("description"),
            },
            key=text("id"),
        ),
    )
