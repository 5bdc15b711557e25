"""Chicago Police Department complaint registers (CRs), as released to the Invisible Institute.

Two releases, two formats:
- November 2016, complaints 2000-2016: `complaints-complaints` (one row per complaint, with the
  address) and `complaints-accused` (one row per accused officer and allegation category, with
  the recommended and final finding and discipline);
- September 2022, complaints 2000-2022: `complaints-complaints-clear` (the complaint with its
  category, summary, dates and the investigating agency's days to closure).

Not mapped, because the standard schema has no field for them: the incident time, the location
code of the 2016 file (an undocumented number), apartment numbers, the 2022 file's case type,
linked TRR/CB/RD/EEOC/civil-suit numbers, settlement date, the Y/N flags (biased language,
alcohol, pursuit, domestic violence, police shooting), complainant type, investigating agency
and current status.
"""

from __future__ import annotations

from commonbeat.records.mapping import (
    Expr,
    Mapping,
    Output,
    code,
    date,
    integer,
    raw,
    register,
    sql,
    text,
)
from commonbeat.records.mappings.chicago_trr import AGENCY, LICENCE, SOURCE, beat, whole

# CPD finding codes (CPDP's list): SU sustained, NS not sustained, UN unfounded, EX exonerated;
# NAF "no affidavit" and NC "no cooperation" close the case without a finding on the merits
# (no sworn affidavit from the complainant, or the complainant would not cooperate); DIS
# "discharged" closes it because the accused left the department.
FINDINGS = {
    "SU": "sustained",
    "NS": "not_sustained",
    "UN": "unfounded",
    "EX": "exonerated",
    "NAF": "no_finding",
    "NC": "no_finding",
    "DIS": "closed_other",
}

# CPD penalty codes (the Invisible Institute's cleaning scripts): hundreds are outcomes, other
# whole numbers up to 365 are days of suspension. 999 has no documented meaning and is kept.
PENALTIES = {
    "0": "Violation noted",
    "100": "Reprimand",
    "200": "Suspended over 30 days",
    "300": "Administrative termination",
    "400": "Separation",
    "500": "Reinstated by Police Board",
    "600": "No action taken",
    "700": "Reinstated by court action",
    "800": "Resigned",
    "900": "Penalty not served",
}

# The complaint category's two digits name its group, as CPD and CPDP group them.
CATEGORY_GROUPS = {
    "01": "Verbal Abuse",
    "02": "Alcohol Abuse",
    "03": "Illegal Search",
    "04": "Lockup Procedures",
    "05": "Use Of Force",
    "06": "Bribery / Official Corruption",
    "07": "Traffic",
    "08": "Criminal Misconduct",
    "09": "Conduct Unbecoming (Off-Duty)",
    "10": "Operation/Personnel Violations",
    "11": "Forwarded to O.E.C.",
    "12": "Supervisory Responsibilities",
    "14": "Civil Suits",
    "15": "Drug / Alcohol Abuse",
}


def penalty(column: str) -> Expr:
    """Return a CPD penalty code as words ("No action taken", "15-day suspension")."""
    value = f"regexp_replace({raw(column)}, '\\.0$', '')"
    branches = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in PENALTIES.items())
    days = f"TRY_CAST({value} AS INTEGER)"
    return sql(
        f"CASE {value} {branches} ELSE CASE WHEN {days} BETWEEN 1 AND 365 "
        f"THEN {days} || '-day suspension' ELSE {value} END END",
        column,
    )


@register
class ChicagoComplaints2016(Mapping):
    name = "chicago_complaints"
    title = "Chicago PD complaints (2016 release)"
    source = SOURCE
    licence = LICENCE
    agency = AGENCY
    time_zone = "America/Chicago"
    signature = (
        "cr_id",
        "address",
        "beat",
        "location_code",
        "street_number",
        "incident_date",
        "complaint_date",
        "closed_date",
        "street_direction",
        "street_name",
    )
    outputs = (
        Output(
            "complaint",
            {
                "received_date": date("complaint_date"),
                "incident_date": date("incident_date"),
                "closed_date": date("closed_date"),
                # This release has no days-to-closure column: the dates give it exactly.
                "days_to_close": sql(
                    f"date_diff('day', {date('complaint_date').sql}, {date('closed_date').sql})",
                    "complaint_date",
                    "closed_date",
                ),
                "location": text("address"),
                "area": beat("beat"),
            },
            key=text("cr_id"),
        ),
    )


@register
class ChicagoComplaintsAccused(Mapping):
    name = "chicago_complaints_accused"
    title = "Chicago PD complaints: accused officers and findings (2016 release)"
    source = SOURCE
    licence = LICENCE
    agency = AGENCY
    time_zone = "America/Chicago"
    signature = (
        "row_id",
        "cr_id",
        "complaint_category",
        "recommended_discipline",
        "final_discipline",
        "recommended_finding",
        "final_finding",
    )
    outputs = (
        Output(
            "allegation",
            {
                "parent_id": text("cr_id"),
                # The Institute's officer identifier within this release.
                "officer_id": whole("complaints-accused_2000-2016_2016-11_ID"),
                "category": sql(
                    f"CASE left({raw('complaint_category')}, 2) "
                    + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CATEGORY_GROUPS.items())
                    + f" ELSE CASE WHEN {raw('complaint_category')} IS NOT NULL THEN 'Other' END END",
                    "complaint_category",
                ),
                "allegation": text("complaint_category"),
                "recommended_finding": code("recommended_finding", FINDINGS),
                "recommended_finding_raw": text("recommended_finding"),
                "final_finding": code("final_finding", FINDINGS),
                "final_finding_raw": text("final_finding"),
                "recommended_discipline": penalty("recommended_discipline"),
                "final_discipline": penalty("final_discipline"),
            },
            key=text("row_id"),
        ),
    )


_CLOSED = raw("closed_date")
_DAYS = integer("days_to_closure")


@register
class ChicagoComplaintsClear(Mapping):
    name = "chicago_complaints_clear"
    title = "Chicago PD complaints with summaries (2022 release)"
    source = SOURCE
    licence = LICENCE
    agency = AGENCY
    time_zone = "America/Chicago"
    signature = (
        "cr_id",
        "incident_date",
        "complaint_date",
        "closed_date",
        "category_code",
        "category",
        "narrative",
        "days_to_closure",
        "investigating_agency",
        "current_status",
    )
    outputs = (
        Output(
            "complaint",
            {
                "received_date": date("complaint_date"),
                "incident_date": date("incident_date"),
                "closed_date": date("closed_date"),
                # The export counts open cases up to 9999-12-31 (about 2.9 million days): a
                # placeholder, so days to closure is missing while the case has no closed date.
                "days_to_close": Expr(
                    f"CASE WHEN {_CLOSED} IS NOT NULL THEN {_DAYS.sql} END",
                    (*_DAYS.columns, "closed_date"),
                    _DAYS.check,
                ),
                "category": sql(
                    f"NULLIF(concat_ws('-', {raw('category_code')}, {raw('category')}), '')",
                    "category_code",
                    "category",
                ),
                # There is no street address in this release: the kind of place and the city.
                "location": sql(
                    f"NULLIF(concat_ws(', ', {raw('location_code')}, {raw('city')}, "
                    f"{raw('state')}, {raw('zip')}), '')",
                    "location_code",
                    "city",
                    "state",
                    "zip",
                ),
                "area": beat("beat"),
                "narrative": text("narrative"),
            },
            key=text("cr_id"),
        ),
    )
