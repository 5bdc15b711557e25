"""The demo city's complaints and commendations, taken through the real case workflow.

`plan_cases()` decides, from the seed, what residents reported in 2026 and how far each case
has gone; `load_cases()` files each report and moves it through `oversight.cases.services`
(every transition, finding and deadline as staff would make them, audit-logged), with each
step recorded at the date it happened (`services.recorded_at`). Planted effect (demo-city.md,
section 8): in a third of the decided complaints the chief's final finding differs from the
board's recommendation, and cases stay open in every stage, some past their deadline.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from commonbeat.core.models import Agency, Assignment, Officer
from commonbeat.core.roles import Role
from commonbeat.demo.city import CityPlan
from commonbeat.demo.oversight.texts import COMMENDATIONS, NARRATIVES, REASONS
from commonbeat.oversight.cases import receipts, services
from commonbeat.oversight.cases.models import Complaint, InvolvedOfficer
from commonbeat.oversight.cases.workflow import Stage

FIRST_DAY = date(2026, 1, 5)
LAST_DAY = date(2026, 11, 20)
COMPLAINTS = 48
COMMENDATIONS_COUNT = 10
# How far each planned complaint goes, in order (the rest close after a final decision).
TARGETS = (
    (Stage.RECEIVED, 3),
    (Stage.INTAKE_REVIEW, 3),
    (Stage.ASSIGNED, 3),
    (Stage.INVESTIGATION, 7),
    (Stage.FINDINGS, 2),
    (Stage.BOARD_REVIEW, 3),
    (Stage.FINAL_DECISION, 2),
    (Stage.NOTIFICATION, 2),
    ("mediated", 2),
    ("referred", 2),
)
FINDINGS = ("sustained", "not_sustained", "unfounded", "exonerated")
SANCTION_FOR_SUSTAINED = ("counselling", "training", "reprimand", "suspension")
# The main road, as transitions, with the findings recorded before each.
MAIN_ROAD = (
    (Stage.INTAKE_REVIEW, "start_intake_review"),
    (Stage.ASSIGNED, "assign"),
    (Stage.INVESTIGATION, "start_investigation"),
    (Stage.FINDINGS, "submit_findings"),
    (Stage.BOARD_REVIEW, "send_to_board"),
    (Stage.FINAL_DECISION, "complete_board_review"),
    (Stage.NOTIFICATION, "decide"),
    (Stage.CLOSED, "close"),
)


@dataclass
class PlannedCase:
    number: int
    kind: str
    received: date
    language: str
    anonymous: bool
    category: str
    narrative: str
    target: str
    accused: list[str] = field(default_factory=list)  # officer uids
    investigator_findings: list[str] = field(default_factory=list)
    board_findings: list[str] = field(default_factory=list)
    final_findings: list[str] = field(default_factory=list)


@dataclass
class Staff:
    intake: Any
    investigator: Any
    board: Any
    chief: Any


def plan_cases(plan: CityPlan, seed: int) -> list[PlannedCase]:
    """Return the year's reports and how far each case goes (the same for the same seed)."""
    rng = random.Random(f"{seed}-oversight-cases")
    active = [o.uid for o in plan.officers if o.separation_date is None]
    span = (LAST_DAY - FIRST_DAY).days
    targets = [target for target, count in TARGETS for _ in range(count)]
    targets += [Stage.CLOSED] * (COMPLAINTS - len(targets))
    rng.shuffle(targets)
    cases = []
    for number, target in enumerate(targets):
        language = "es" if rng.random() < 0.35 else "en"
        category = rng.choice(sorted(NARRATIVES))
        accused = rng.sample(active, 2 if rng.random() < 0.2 else 1)
        investigator = [rng.choice(FINDINGS) for _ in accused]
        board = [f if rng.random() < 0.8 else rng.choice(FINDINGS) for f in investigator]
        # The planted effect: in about a third of decisions the chief departs from the board.
        final = [b if rng.random() < 0.67 else _other(rng, b) for b in board]
        # A case that has gone further was received earlier, so its history fits before today.
        depth = _depth(target)
        received = FIRST_DAY + timedelta(days=rng.randrange(max(1, span - 25 * depth)))
        cases.append(
            PlannedCase(
                number=number,
                kind="complaint",
                received=received,
                language=language,
                anonymous=rng.random() < 0.25,
                category=category,
                narrative=rng.choice(NARRATIVES[category][language]),
                target=target,
                accused=accused,
                investigator_findings=investigator,
                board_findings=board,
                final_findings=final,
            )
        )
    for offset in range(COMMENDATIONS_COUNT):
        language = "es" if rng.random() < 0.35 else "en"
        cases.append(
            PlannedCase(
                number=COMPLAINTS + offset,
                kind="commendation",
                received=FIRST_DAY + timedelta(days=rng.randrange(span)),
                language=language,
                anonymous=False,
                category="",
                narrative=rng.choice(COMMENDATIONS[language]),
                target=Stage.CLOSED if offset < COMMENDATIONS_COUNT - 2 else Stage.RECEIVED,
                accused=[rng.choice(active)],
            )
        )
    return cases


def _other(rng: random.Random, finding: str) -> str:
    return rng.choice([f for f in FINDINGS if f != finding])


def _depth(target: str) -> int:
    stages: list[str] = [str(stage) for stage, _name in MAIN_ROAD]
    if target in stages:
        return stages.index(target) + 1
    return 2 if target in ("mediated", "referred") else len(stages)


def staff_accounts() -> Staff | None:
    """The demo accounts who handle the cases (intake and investigation, the board, the chief),
    or None when the demo was built without accounts (`--accounts yes` makes them)."""
    user_model = get_user_model()
    found = {
        role: user_model.objects.filter(username=username, role=role).first()
        for username, role in (
            ("investigator", Role.INVESTIGATOR),
            ("board", Role.BOARD_MEMBER),
            ("admin", Role.ADMINISTRATOR),
        )
    }
    if None in found.values():
        return None
    investigator = found[Role.INVESTIGATOR]
    return Staff(investigator, investigator, found[Role.BOARD_MEMBER], found[Role.ADMINISTRATOR])


def load_cases(agency: Agency, cases: list[PlannedCase], staff: Staff) -> dict[str, int]:
    """File every planned report and take it as far as planned; return counts by stage."""
    officers = {o.uid: o for o in Officer.objects.filter(agency=agency)}
    units = dict(
        Assignment.objects.filter(officer__agency=agency, end_date__isnull=True).values_list(
            "officer__uid", "unit"
        )
    )
    counts: dict[str, int] = {}
    for planned in cases:
        with transaction.atomic():
            case = _file(agency, planned, officers)
            case = _walk(case, planned, staff, units)
        counts[case.stage] = counts.get(case.stage, 0) + 1
    return counts


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _file(agency: Agency, planned: PlannedCase, officers: dict[str, Officer]) -> Complaint:
    when = _at(planned.received, 9)
    reference, secret_hash = (
        receipts.new_reference(),
        receipts.hash_secret(f"demo-secret-{planned.number}"),
    )
    case = Complaint.objects.create(
        agency=agency,
        kind=planned.kind,
        reference=reference,
        secret_hash=secret_hash,
        received_at=when,
        stage_entered_at=when,
        channel=Complaint.Channel.WEB if planned.number % 4 else Complaint.Channel.PHONE,
        language=planned.language,
        anonymous=planned.anonymous,
        complainant_name="" if planned.anonymous else f"Demo resident {planned.number + 1}",
        complainant_phone="" if planned.anonymous else f"555-01{planned.number:02d}",
        incident_date=planned.received - timedelta(days=1 + planned.number % 9),
        narrative=planned.narrative,
        content_hash=f"demo-{planned.number}",
    )
    role = InvolvedOfficer.Role.ACCUSED if planned.kind == "complaint" else "commended"
    for uid in planned.accused:
        officer = officers.get(uid)
        InvolvedOfficer.objects.create(
            complaint=case,
            officer=officer,
            role=role,
            name_given=f"{officer.first_name} {officer.last_name}" if officer else "",
        )
    with services.recorded_at(when):
        services.record_receipt(case, actor=None)
    return case


def _walk(case: Complaint, planned: PlannedCase, staff: Staff, units: dict[str, str]) -> Complaint:
    day = planned.received
    reasons = REASONS[planned.language]

    def move(name: str, actor: Any, note: str = "") -> Complaint:
        nonlocal day
        day += timedelta(days=3 + (planned.number * 7 + len(name)) % 20)
        with services.recorded_at(_at(day, 11)):
            return services.advance(case, name, actor=actor, note=note)

    if planned.target == Stage.RECEIVED:
        return case
    case = move("start_intake_review", staff.intake)
    if planned.kind == "commendation":
        return move("close_at_intake", staff.intake, reasons["commendation"])
    if planned.target == Stage.INTAKE_REVIEW:
        return case
    unit = units.get(planned.accused[0], "")
    if planned.target == "referred":
        services.triage(
            case,
            actor=staff.intake,
            category=planned.category,
            in_jurisdiction=False,
            referred_to=reasons["referred_to"],
            unit=unit,
        )
        return move("close_at_intake", staff.intake, reasons["referred"])
    mediated = planned.target == "mediated"
    case = services.triage(
        case,
        actor=staff.intake,
        category=planned.category,
        in_jurisdiction=True,
        mediation_offered=mediated,
        mediation_accepted=True if mediated else None,
        unit=unit,
        investigator=None if mediated else staff.investigator,
    )
    if mediated:
        case = move("start_mediation", staff.intake)
        return move("close_mediated", staff.intake, reasons["mediated"])
    case = move("assign", staff.intake)
    if planned.target == Stage.ASSIGNED:
        return case
    case = move("start_investigation", staff.investigator)
    allegations = [
        services.add_allegation(
            case,
            accused=accused,
            category=planned.category,
            description=planned.narrative,
            actor=staff.investigator,
        )
        for accused in case.officers.filter(role=InvolvedOfficer.Role.ACCUSED).order_by("pk")
    ]
    if planned.target == Stage.INVESTIGATION:
        return case
    for allegation, finding in zip(allegations, planned.investigator_findings, strict=False):
        services.record_finding(
            allegation,
            level="investigator",
            finding=finding,
            reason=reasons[finding],
            discipline=_sanction(finding, planned.number),
            actor=staff.investigator,
        )
    case = move("submit_findings", staff.investigator)
    if planned.target == Stage.FINDINGS:
        return case
    case = move("send_to_board", staff.investigator)
    if planned.target == Stage.BOARD_REVIEW:
        return case
    for allegation, finding in zip(allegations, planned.board_findings, strict=False):
        services.record_finding(
            allegation, level="board", finding=finding, reason=reasons[finding], actor=staff.board
        )
    case = move("complete_board_review", staff.board)
    if planned.target == Stage.FINAL_DECISION:
        return case
    for allegation, finding in zip(allegations, planned.final_findings, strict=False):
        services.record_finding(
            allegation,
            level="final",
            finding=finding,
            reason=reasons[finding],
            discipline=_sanction(finding, planned.number + 1),
            actor=staff.chief,
        )
    case = move("decide", staff.chief)
    if planned.target == Stage.NOTIFICATION:
        return case
    return move("close", staff.chief)


def _sanction(finding: str, number: int) -> str:
    if finding != "sustained":
        return ""
    return SANCTION_FOR_SUSTAINED[number % len(SANCTION_FOR_SUSTAINED)]


def remove_cases(agency: Agency) -> None:
    """Delete the agency's cases and use-of-force reports (each deletion audited) before its
    city is replaced: they name its officers. (Someone exploring the demo may have filed some.)"""
    from commonbeat.oversight.force.models import ForceReport

    for report in ForceReport.objects.filter(agency=agency):
        report.delete()
    for case in Complaint.objects.filter(agency=agency):
        case.delete()
