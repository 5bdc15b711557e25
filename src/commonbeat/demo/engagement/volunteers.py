"""The demo city's volunteer programmes: a neighbourhood watch big enough to show its figures,
a city-wide citizen academy and a youth-mentoring programme small enough that theirs are hidden
("fewer than 5"), each with roles in English and Spanish, and volunteers signed up through the
same service as the public form (one mentor cleared by screening, one still pending)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from commonbeat.core.models import Agency
from commonbeat.demo.languages import in_languages
from commonbeat.engagement.volunteers import services
from commonbeat.engagement.volunteers.models import Programme, ProgrammeRole, Volunteer

NAMES = [
    ("Grace Liu", "en"), ("Marco Díaz", "es"), ("Ruth Adeyemi", "en"), ("Paula Medina", "es"),
    ("Omar Haddad", "en"), ("Elena Castro", "es"), ("Kevin Brooks", "en"), ("Lucía Romero", "es"),
    ("Dev Patel", "en"), ("Sara Gómez", "es"),
]  # fmt: skip


def remove_volunteers(agency: Agency) -> None:
    """Delete the agency's programmes (their roles, volunteers and hours go with them)."""
    for programme in Programme.objects.filter(agency=agency):
        programme.delete()


def _programme(agency: Agency, roles: list[tuple[dict[str, str], dict[str, str], int | None]], **fields: object) -> tuple[Programme, list[ProgrammeRole]]:  # fmt: skip
    programme = Programme.objects.create(agency=agency, **fields)
    made = []
    for order, (title, description, places) in enumerate(roles):
        made.append(
            ProgrammeRole.objects.create(
                programme=programme,
                order=order,
                places=places,
                **in_languages("title", title),
                **in_languages("description", description),
            )
        )
    return programme, made


def _join(programme: Programme, role: ProgrammeRole | None, number: int) -> Volunteer:
    name, language = NAMES[number % len(NAMES)]
    return services.sign_up(
        programme,
        services.SignUp(
            name=name, email=f"volunteer{number + 1}@example.org", language=language,
            consent=True, role=role, neighbourhood=programme.neighbourhood,
            languages="English, Spanish" if language == "es" else "English",
            availability=["weekday_evening", "weekend"],
        ),
    )  # fmt: skip


def _serve(volunteer: Volunteer, today: date, shifts: int, activity: str) -> None:
    start = date(today.year, 1, 1)
    for week in range(shifts):
        day = max(start, today - timedelta(days=7 * week + 1))
        services.record_hours(volunteer, served_on=day, hours=Decimal("2.5"), activity=activity)


def load_volunteers(agency: Agency, today: date | None = None) -> dict[str, int]:
    """Write the demo's programmes, roles, volunteers and hours; return what was made."""
    today = today or timezone.localdate()
    place = agency.neighbourhoods.order_by("name").first()
    watch, (captain, member) = _programme(
        agency,
        [
            ({"en": "Block captain", "es": "Capitán de cuadra"},
             {"en": "Keeps in touch with the neighbours on one block and passes on what they notice.",
              "es": "Mantiene el contacto con los vecinos de una cuadra y transmite lo que observan."}, 6),
            ({"en": "Watch member", "es": "Integrante de la vigilancia"},
             {"en": "Joins the monthly walk and the meeting with the neighbourhood team.",
              "es": "Participa en el recorrido mensual y en la reunión con el equipo del barrio."}, None),
        ],
        neighbourhood=place, kind=Programme.Kind.WATCH,
        **in_languages("title", {"en": f"{place.name if place else 'City'} neighbourhood watch", "es": f"Vigilancia vecinal de {place.name if place else 'la ciudad'}"}),
        **in_languages("description", {
            "en": "Neighbours who look out for each other's streets and meet the neighbourhood team every month.",
            "es": "Vecinos que cuidan las calles de los demás y se reúnen con el equipo del barrio cada mes.",
        }),
        **in_languages("requirements", {
            "en": "About two hours a month. No patrols alone and no confrontations: you watch and report.",
            "es": "Unas dos horas al mes. Sin patrullas en solitario ni enfrentamientos: usted observa e informa.",
        }),
        contact="watch@riverton.example",
    )  # fmt: skip
    academy, (participant,) = _programme(
        agency,
        [({"en": "Participant", "es": "Participante"},
          {"en": "Eight Tuesday evenings: patrol, dispatch, the law on stops, and a ride-along.",
           "es": "Ocho martes por la tarde: patrullaje, despacho, la ley sobre las paradas y un acompañamiento en patrulla."}, 25)],
        neighbourhood=None, kind=Programme.Kind.ACADEMY, minimum_age=18,
        **in_languages("title", {"en": "Citizen police academy", "es": "Academia ciudadana de policía"}),
        **in_languages("description", {
            "en": "Learn how the department works from the officers, dispatchers and investigators who do the work.",
            "es": "Conozca cómo funciona el departamento de la mano de los agentes, operadores e investigadores que hacen el trabajo.",
        }),
        **in_languages("requirements", {"en": "Come to at least six of the eight evenings.", "es": "Asista al menos a seis de las ocho tardes."}),
        contact="academy@riverton.example",
    )  # fmt: skip
    mentoring, (mentor, _helper) = _programme(
        agency,
        [
            ({"en": "Mentor", "es": "Mentor"},
             {"en": "Meets one young person every week for a school year.",
              "es": "Se reúne con un joven cada semana durante un curso escolar."}, 10),
            ({"en": "Homework helper", "es": "Apoyo con las tareas"},
             {"en": "Helps at the after-school club on Wednesdays.",
              "es": "Ayuda en el club extraescolar los miércoles."}, None),
        ],
        neighbourhood=None, kind=Programme.Kind.MENTORING, minimum_age=21, screening_required=True,
        **in_languages("title", {"en": "Youth mentoring with St. Mark's Youth Club", "es": "Mentoría juvenil con el St. Mark's Youth Club"}),
        **in_languages("description", {
            "en": "Officers and residents mentor young people, one to one, with the youth club.",
            "es": "Agentes y vecinos acompañan a jóvenes, uno a uno, con el club juvenil.",
        }),
        **in_languages("requirements", {
            "en": "A background check before you start, and one hour a week for a school year.",
            "es": "Una verificación de antecedentes antes de empezar y una hora a la semana durante un curso escolar.",
        }),
        contact="mentoring@riverton.example",
    )  # fmt: skip
    counts = {"programmes": 3, "volunteers": 0}
    # Six on the watch, all serving: its figures are shown.
    for number in range(6):
        volunteer = _join(watch, captain if number < 2 else member, number)
        services.start(volunteer)
        _serve(volunteer, today, 3 + number % 3, "Neighbourhood walk")
        counts["volunteers"] += 1
    # Two in the academy: its figures stay hidden.
    for number in range(6, 8):
        _join(academy, participant, number)
        counts["volunteers"] += 1
    cleared = _join(mentoring, mentor, 8)
    services.record_screening(cleared, Volunteer.Screening.CLEARED, on=today - timedelta(days=20))
    services.start(cleared)
    _serve(cleared, today, 4, "Mentoring session")
    _join(mentoring, mentor, 9)  # screening pending
    counts["volunteers"] += 2
    return counts
