"""The catalogue: every coded value a page shows, with its translated, sentence-case label.

Keys are the release's codes, or for fields whose sources give free text (crime categories,
call types…) the standard values written in a normal form (`normal_key`). A value not in the
catalogue is shown as the source wrote it, marked with the source's language, so a new
source's values are never hidden and never passed off as translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commonbeat.core.vocab import RANK, Gender, Label, Race, lookup, normalised

NOT_RECORDED = _("Not recorded")
ALL_OTHERS = _("All others")

RACE: dict[str, Promise] = dict(Race.choices)
GENDER: dict[str, Promise] = dict(Gender.choices)
STOP_TYPE = {
    "vehicular": _("Vehicle stop"),
    "pedestrian": _("Pedestrian stop"),
    "person_search": _("Person search"),
    "vehicle_search": _("Vehicle search"),
    "person_and_vehicle_search": _("Person and vehicle search"),
    "other": _("Other"),
}
SEARCH_BASIS = {
    "k9": _("Police dog alert"),
    "plain_view": _("Plain view"),
    "consent": _("Consent"),
    "probable_cause": _("Probable cause"),
    "incident_to_arrest": _("Incident to arrest"),
    "other": _("Other"),
}
STOP_OUTCOME = {
    "none": _("No action"),
    "warning": _("Warning"),
    "citation": _("Citation"),
    "summons": _("Summons"),
    "arrest": _("Arrest"),
    "other": _("Other"),
}
DISCIPLINE = {
    "police": _("Police"),
    "fire": _("Fire"),
    "ems": _("EMS"),
    "other": _("Other"),
}
CALL_SOURCE = {
    "phone_911": _("911 call"),
    "phone_other": _("Other telephone call"),
    "officer_initiated": _("Officer-initiated"),
    "alarm": _("Alarm"),
    "text": _("Text message"),
    "online": _("Online report"),
    "other": _("Other"),
}
ACTOR = {"officer": _("Officer"), "subject": _("Subject")}
FINDING = {
    "sustained": _("Sustained"),
    "not_sustained": _("Not sustained"),
    "unfounded": _("Unfounded"),
    "exonerated": _("Exonerated"),
    "administratively_closed": _("Administratively closed"),
    "no_cooperation": _("Closed: no cooperation"),
    "mediated": _("Mediated"),
    "no_finding": _("No finding"),
    "closed_other": _("Closed, other"),
    "pending": _("Pending"),
    "other": _("Other"),
}
# Crime categories: the demo's and data.police.uk's (whose keys are hyphenated slugs).
CRIME_CATEGORY = normalised(
    {
        "theft": _("Theft"),
        "burglary": _("Burglary"),
        "motor vehicle theft": _("Motor vehicle theft"),
        "criminal damage": _("Criminal damage"),
        "assault": _("Assault"),
        "robbery": _("Robbery"),
        "drug offences": _("Drug offences"),
        "fraud": _("Fraud"),
        "other": _("Other"),
        "anti-social-behaviour": _("Anti-social behaviour"),
        "bicycle-theft": _("Bicycle theft"),
        "criminal-damage-arson": _("Criminal damage and arson"),
        "drugs": _("Drugs"),
        "other-theft": _("Other theft"),
        "possession-of-weapons": _("Possession of weapons"),
        "public-order": _("Public order"),
        "shoplifting": _("Shoplifting"),
        "theft-from-the-person": _("Theft from the person"),
        "vehicle-crime": _("Vehicle crime"),
        "violent-crime": _("Violence and sexual offences"),
        "other-crime": _("Other crime"),
    }
)
CRIME_OUTCOME = normalised(
    {
        "charged": _("Charged"),
        "cleared by exceptional means": _("Cleared by exceptional means"),
        "no suspect identified": _("No suspect identified"),
        "under investigation": _("Under investigation"),
        "Investigation complete; no suspect identified": _("No suspect identified"),
        "Unable to prosecute suspect": _("Unable to prosecute suspect"),
        "Local resolution": _("Local resolution"),
        "Offender given a caution": _("Offender given a caution"),
        "Awaiting court outcome": _("Awaiting court outcome"),
        "Court result unavailable": _("Court result unavailable"),
        "Formal action is not in the public interest": _(
            "Formal action is not in the public interest"
        ),
        "Further investigation is not in the public interest": _(
            "Further investigation is not in the public interest"
        ),
        "Status update unavailable": _("Status update unavailable"),
    }
)
COMPLAINT_CATEGORY = normalised(
    {
        "Discourtesy": _("Discourtesy"),
        "Neglect of duty": _("Neglect of duty"),
        "Abuse of authority": _("Abuse of authority"),
        "Use of force": _("Use of force"),
        "Search and seizure": _("Search and seizure"),
        "Bias-based policing": _("Bias-based policing"),
    }
)
ALLEGATION_CATEGORY = normalised(
    {
        "discourtesy": _("Discourtesy"),
        "neglect of duty": _("Neglect of duty"),
        "abuse of authority": _("Abuse of authority"),
        "force": _("Force"),
        "improper search": _("Improper search"),
        "bias": _("Bias"),
        "offensive language": _("Offensive language"),
        "other": _("Other misconduct"),
    }
)
# Discipline recommended and imposed on an officer (oversight's cases).
SANCTION = {
    "none": _("No discipline"),
    "counselling": _("Counselling"),
    "training": _("Training"),
    "reprimand": _("Written reprimand"),
    "suspension": _("Suspension"),
    "demotion": _("Demotion"),
    "termination": _("Termination"),
    "other": _("Other"),
}
CALL_TYPE = normalised(
    {
        "Assault in progress": _("Assault in progress"),
        "Shots fired": _("Shots fired"),
        "Burglary in progress": _("Burglary in progress"),
        "Domestic violence": _("Domestic violence"),
        "Robbery": _("Robbery"),
        "Disturbance": _("Disturbance"),
        "Suspicious person": _("Suspicious person"),
        "Traffic crash": _("Traffic crash"),
        "Theft": _("Theft"),
        "Welfare check": _("Welfare check"),
        "Noise complaint": _("Noise complaint"),
        "Parking complaint": _("Parking complaint"),
        "Theft report": _("Theft report"),
        "Found property": _("Found property"),
        "Follow-up": _("Follow-up"),
    }
)
FORCE_TYPE = normalised(
    {
        "Hands-on control": _("Hands-on control"),
        "Takedown": _("Takedown"),
        "Taser deployed": _("Taser deployed"),
        "OC spray": _("OC (pepper) spray"),
        "Baton strike": _("Baton strike"),
        "Firearm pointed": _("Firearm pointed"),
    }
)
RESISTANCE = normalised(
    {
        "Passive resistance": _("Passive resistance"),
        "Active resistance": _("Active resistance"),
        "Fled on foot": _("Fled on foot"),
        "Assaulted officer": _("Assaulted officer"),
        "Threatened with weapon": _("Threatened with weapon"),
    }
)
AGE_GROUP = {
    # data.police.uk's bands, which releases publish (records/privacy.py)...
    "under 10": _("Under 10"),
    "10 17": _("10 to 17"),
    "over 34": _("Over 34"),
    # ...and the groups of releases made before ages were banded.
    "under 18": _("Under 18"),
    "18 24": _("18 to 24"),
    "25 34": _("25 to 34"),
    "35 44": _("35 to 44"),
    "45 54": _("45 to 54"),
    "55 64": _("55 to 64"),
    "65 and over": _("65 and over"),
}
# The stages of a call for service, as the calls dashboard times them.
STAGE = {
    "intake": _("Call to queue"),
    "queue": _("Queue to dispatch"),
    "turnout": _("Dispatch to en route"),
    "travel": _("En route to on scene"),
    "total": _("Total (call to on scene)"),
}
PEOPLE = {"subjects": _("People force was used on"), "officers": _("Officers")}
# The stages of a complaint's case (oversight's workflow, whose choices read these labels).
CASE_STAGE = {
    "received": _("Received"),
    "intake_review": _("Intake review"),
    "mediation": _("Mediation"),
    "assigned": _("Assigned"),
    "investigation": _("Investigation"),
    "findings": _("Findings"),
    "board_review": _("Board review"),
    "final_decision": _("Final decision"),
    "notification": _("Notification"),
    "closed": _("Closed"),
}
# Where oversight's published statistics come from, and who recommended a finding.
ORIGIN = {"workflow": _("Handled here"), "historic": _("Historic records")}
RECOMMENDED_BY = {"board": _("The civilian board"), "investigator": _("The investigators")}
DENOMINATOR = {
    "arrests": _("Arrests recorded in stops"),
    "calls": _("Calls for service"),
}

# Vocabulary name → its labels; the dashboards' column names are vocabulary names, and a
# `category` column may hold crime, complaint or allegation categories.
CATALOGUE: dict[str, Mapping[str, Promise]] = {
    "race": RACE,
    "gender": GENDER,
    "sex": GENDER,
    "stop_type": STOP_TYPE,
    "search_basis": SEARCH_BASIS,
    "stop_outcome": STOP_OUTCOME,
    "discipline": DISCIPLINE,
    "call_source": CALL_SOURCE,
    "actor": ACTOR,
    "finding": FINDING,
    "sanction": SANCTION,
    "crime_category": CRIME_CATEGORY,
    "outcome": CRIME_OUTCOME,
    "complaint_category": COMPLAINT_CATEGORY,
    "allegation_category": ALLEGATION_CATEGORY,
    "category": {**ALLEGATION_CATEGORY, **COMPLAINT_CATEGORY, **CRIME_CATEGORY},
    "call_type": CALL_TYPE,
    "force_type": FORCE_TYPE,
    "resistance": RESISTANCE,
    "age_group": AGE_GROUP,
    "rank": RANK,
    "stage": STAGE,
    "people": PEOPLE,
    "case_stage": CASE_STAGE,
    "origin": ORIGIN,
    "recommended_by": RECOMMENDED_BY,
    "denominator": DENOMINATOR,
}


def label(vocabulary: str, code: Any) -> Label:
    """Return the translated label of a code, or the source's text marked with its language."""
    if code is None or code in ("", "not_recorded"):
        return Label(str(NOT_RECORDED))
    return lookup(CATALOGUE.get(vocabulary, {}), code)


def english_labels() -> set[str]:
    """Return every label in the catalogue in English (for tests that look for leftovers)."""
    with translation.override("en"):
        return {str(text) for labels in CATALOGUE.values() for text in labels.values()} | {
            str(NOT_RECORDED),
            str(ALL_OTHERS),
        }
