"""New York City Civilian Complaint Review Board: public officer records, scraped 2021-03-20.

The scrape (`2021-03-20.zip`) holds four header-less CSVs: `<date>_active_complaint.csv` and
`<date>_inactive_complaint.csv`, one row per allegation against an officer (officer id,
complaint id, incident date, FADO type, allegation, CCRB disposition, NYPD disposition,
penalty), and `<date>_active_officer.csv` / `<date>_inactive_officer.csv`, one row per officer
(id, command, last name, first name, rank, shield number: the columns of the separately
published `active_officers.csv` / `inactive_officers.csv`, which have a header row).

Identifiers: the complaint files' officer ids are the zip's officer files' ids. The officer
lists with headers number officers differently (the same officer has another id there), so
they are a separate source, `nyc_ccrb_officer_lists`, and must not be joined to allegations.

The NYPD disposition and penalty columns are only meaningful for substantiated allegations:
the NYPD decides on discipline only when the CCRB substantiates. In the scrape they are also
filled on tens of thousands of unsubstantiated, exonerated and unfounded rows, with values
that repeat from row to row across different officers and complaints (the scraper carried
cells over), so they are kept only where the CCRB disposition is "Substantiated (...)".

The incident date has no field on an allegation; it belongs to the complaint. No complaint
records are written: a complaint appears in both the active and the inactive file when its
officers are in both, so it would be stored twice.
"""

from __future__ import annotations

from commonbeat.records.mapping import (
    CsvFormat,
    Expr,
    Mapping,
    Output,
    code,
    raw,
    register,
    sql,
    text,
)

SOURCE = (
    "New York City Civilian Complaint Review Board public officer records (scrape of 2021-03-20)"
)
LICENCE = "public record (NYC CCRB); no licence stated"
SUBSTANTIATED = f"{raw('ccrb_disposition')} ILIKE 'Substantiated%'"

# The CCRB's findings. Investigations closed because the complainant, victim or witness could
# not be found or would not cooperate ("truncated" in the CCRB's words) reached no finding;
# closures for other reasons (the officer left, litigation) are closed_other.
CCRB_FINDINGS = {
    "Unsubstantiated": "not_sustained",
    "Exonerated": "exonerated",
    "Unfounded": "unfounded",
    "Complainant Uncooperative": "no_finding",
    "Complaint Withdrawn": "no_finding",
    "Complainant Unavailable": "no_finding",
    "Alleged Victim Uncooperative": "no_finding",
    "Alleged Victim Unavailable": "no_finding",
    "Victim Unidentified": "no_finding",
    "Witness Uncooperative": "no_finding",
    "Witness Unavailable": "no_finding",
    "Closed - Pending Litigation": "closed_other",
    "Miscellaneous": "closed_other",
    "Miscellaneous - Subject Retired": "closed_other",
    "Miscellaneous - Subject Resigned": "closed_other",
    "Miscellaneous - Subject Terminated": "closed_other",
}
# The NYPD's decisions on substantiated allegations: discipline imposed or a guilty finding or
# plea (DCT: Deputy Commissioner of Trials; APU: the CCRB's Administrative Prosecution Unit;
# OATH: the administrative trials office) sustains; a not-guilty verdict or a case the NYPD
# retained without discipline does not; dismissals and closures without a decision on the
# merits (Department Unable to Prosecute, statute of limitations, officer retired or deceased,
# charges filed against an officer who left) are closed_other.
NYPD_FINDINGS = {
    "Instructions": "sustained",
    "Command Discipline - A": "sustained",
    "Command Discipline - B": "sustained",
    "Formalized Training": "sustained",
    "Command Level Instructions": "sustained",
    "APU Guilty": "sustained",
    "Guilty - DCT": "sustained",
    "Plead Guilty - DCT": "sustained",
    "Guilty - OATH": "sustained",
    "Plead Guilty - OATH": "sustained",
    "Negttn-Guilty": "sustained",
    "Negttn-Nolo contendre": "sustained",
    "APU Nolo contendere": "sustained",
    "APU Resolved by plea": "sustained",
    "APU Command Discipline": "sustained",
    "APU Command Discipline B": "sustained",
    "APU Instructions": "sustained",
    "APU Formalized Training": "sustained",
    "APU Closed: Retained, with discipline": "sustained",
    "APU Retained, with discipline": "sustained",
    "APU Closed: Previously adjudicated, with discipline": "sustained",
    "APU Previously adjudicated, with discipline": "sustained",
    "Not Guilty - DCT": "not_sustained",
    "Not Guilty - OATH": "not_sustained",
    "APU Not guilty": "not_sustained",
    "APU Closed: Retained, without discipline": "not_sustained",
    "No Finding": "no_finding",
    "APU - Decision Pending": "pending",
    "Charge Dismissed - DCT": "closed_other",
    "Charge Dismissed - OATH": "closed_other",
    "APU Dismissed": "closed_other",
    "APU Closed: Dismissed by APU": "closed_other",
    "No Disciplinary Action-DUP": "closed_other",
    "No Disciplinary Action-SOL": "closed_other",
    "APU Closed: SOL Expired prior to APU": "closed_other",
    "APU Closed: SOL Expired in APU": "closed_other",
    "APU Closed: Retired": "closed_other",
    "APU Closed: Deceased": "closed_other",
    "APU Closed: Charges not served": "closed_other",
    "APU Closed: Other": "closed_other",
    "APU Closed: Reconsidered by CCRB Board \u2013 APU": "closed_other",  # an en dash
    "APU Closed: Previously adjudicated, without discipline": "closed_other",
    "Filed": "closed_other",
}
COMPLAINT_COLUMNS = (
    "officer_id",
    "complaint_id",
    "incident_date",
    "fado_type",
    "allegation",
    "ccrb_disposition",
    "nypd_disposition",
    "penalty",
)
OFFICER_COLUMNS = ("id", "command", "lastname", "firstname", "rank", "badge_no")


def when_substantiated(expr: Expr) -> Expr:
    """Return the value only for substantiated allegations (see the module's note)."""
    return Expr(
        f"CASE WHEN {SUBSTANTIATED} THEN {expr.sql} END",
        (*expr.columns, "ccrb_disposition"),
        expr.check,
    )


def allegation_key() -> Expr:
    """Return the complaint id and a digest of the row's other values.

    An officer can face several allegations in one complaint, so the complaint and officer do
    not identify a row; every column together does. The officer id is private, so it is hashed
    with the rest instead of being written into the identifier.
    """
    parts = ", ".join(f"coalesce({raw(c)}, '')" for c in COMPLAINT_COLUMNS if c != "complaint_id")
    return sql(
        f"{raw('complaint_id')} || '-' || left(md5(concat_ws('|', {parts})), 16)",
        *COMPLAINT_COLUMNS,
    )


def recommended_finding() -> Expr:
    """Return the CCRB's finding: every "Substantiated (...)" is sustained."""
    value = code("ccrb_disposition", CCRB_FINDINGS)
    return Expr(f"CASE WHEN {SUBSTANTIATED} THEN 'sustained' ELSE {value.sql} END", value.columns)


@register
class NycCcrbAllegations(Mapping):
    name = "nyc_ccrb_allegations"
    title = "NYC CCRB allegations (header-less scrape)"
    source = SOURCE
    licence = LICENCE
    agency = "nypd"
    time_zone = "America/New_York"
    csv = CsvFormat(header=False, columns=COMPLAINT_COLUMNS)
    filename_pattern = r"\d{4}-\d{2}-\d{2}_(in)?active_complaint\.csv$"
    # The officer ids are those of the scrape's officer files (not of the officer lists,
    # whose ids are their own and collide with these).
    officer_roster = "nyc_ccrb_officers"
    outputs = (
        Output(
            "allegation",
            {
                "parent_id": text("complaint_id"),
                "officer_id": text("officer_id"),
                "category": text("fado_type"),
                "allegation": text("allegation"),
                "recommended_finding": recommended_finding(),
                "recommended_finding_raw": text("ccrb_disposition"),
                # "Substantiated (Command Discipline B)": the board's recommended discipline.
                "recommended_discipline": sql(
                    f"NULLIF(regexp_extract({raw('ccrb_disposition')}, '^Substantiated \\((.*)\\)$', 1), '')",
                    "ccrb_disposition",
                ),
                "final_finding": when_substantiated(code("nypd_disposition", NYPD_FINDINGS)),
                "final_finding_raw": when_substantiated(text("nypd_disposition")),
                "final_discipline": when_substantiated(text("penalty")),
            },
            key=allegation_key(),
        ),
    )


def officer_fields() -> dict[str, Expr]:
    """Return the roster fields of a CCRB officer list (no demographics are published)."""
    return {
        "first_name": text("firstname"),
        "last_name": text("lastname"),
        "rank": text("rank"),
        "unit": text("command"),
        # Shield numbers are zero-padded in one export and not in the other; 00000 is "none"
        # (lieutenants and above have no shield number).
        "badge_number": sql(f"NULLIF(ltrim({raw('badge_no')}, '0'), '')", "badge_no"),
    }


@register
class NycCcrbOfficers(Mapping):
    name = "nyc_ccrb_officers"
    title = "NYC CCRB officers (header-less scrape; the allegations' officer ids)"
    source = SOURCE
    licence = LICENCE
    agency = "nypd"
    time_zone = "America/New_York"
    csv = CsvFormat(header=False, columns=OFFICER_COLUMNS)
    filename_pattern = r"\d{4}-\d{2}-\d{2}_(in)?active_officer\.csv$"
    outputs = (Output("roster", officer_fields(), key=text("id")),)


@register
class NycCcrbOfficerLists(Mapping):
    name = "nyc_ccrb_officer_lists"
    title = "NYC CCRB active and inactive officer lists (with headers; their own officer ids)"
    source = SOURCE
    licence = LICENCE
    agency = "nypd"
    time_zone = "America/New_York"
    signature = OFFICER_COLUMNS
    outputs = (Output("roster", officer_fields(), key=text("id")),)
