"""The demo city's meetings, registrations, minutes and neighbourhood priorities.

Each neighbourhood had a listening session in June of the records' year, whose published
minutes record the concerns raised; one concern in each became a priority with an action, an
owner, milestones and a measure over the released records. In the most populous
neighbourhood the priority is night-time noise and disturbance, and its action (evening foot
patrols from 1 July) is planted in the calls (effect 9, demo/demo-city.md), so its
before/after chart shows a real fall. Upcoming meetings are dated from the day the demo is
built: a walk per neighbourhood and a city-wide town hall that is already full, with a
waiting list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.demo.city import CityPlan
from commonbeat.demo.engagement.announcements import load_announcements, remove_announcements
from commonbeat.demo.engagement.surveys import remove_surveys
from commonbeat.demo.engagement.volunteers import load_volunteers, remove_volunteers
from commonbeat.demo.languages import in_languages
from commonbeat.demo.records import hot_spot, quiet_neighbourhood
from commonbeat.demo.records.calls import QUIET_NIGHTS_FROM
from commonbeat.engagement.events import services as events
from commonbeat.engagement.models import Event, Measure, MeetingConcern, Milestone, Priority
from commonbeat.engagement.priorities import services as priorities

YEAR = 2025
ZONE = ZoneInfo("America/Chicago")

MEASURES: dict[str, dict[str, Any]] = {
    "night_noise": {
        "name": {
            "en": "Night calls about noise and disturbances",
            "es": "Llamadas nocturnas por ruido y alteraciones",
        },
        "description": {
            "en": "Calls for service typed as a noise complaint or a disturbance, received from 22:00 to 05:59 local time, each month.",
            "es": "Llamadas de servicio registradas como queja por ruido o alteración, recibidas de 22:00 a 05:59 hora local, cada mes.",
        },
        "record_type": Measure.RecordType.CALL,
        "types": ["noise complaint", "disturbance"],
        "from_hour": 22,
        "to_hour": 6,
    },
    "burglary": {
        "name": {
            "en": "Burglaries and thefts recorded",
            "es": "Robos en viviendas y hurtos registrados",
        },
        "description": {
            "en": "Recorded crimes in the burglary and theft categories, each month.",
            "es": "Delitos registrados en las categorías de robo en vivienda y hurto, cada mes.",
        },
        "record_type": Measure.RecordType.CRIME,
        "types": ["burglary", "theft"],
    },
    "traffic": {
        "name": {"en": "Calls about traffic crashes", "es": "Llamadas por accidentes de tráfico"},
        "description": {
            "en": "Calls for service typed as a traffic crash, each month.",
            "es": "Llamadas de servicio registradas como accidente de tráfico, cada mes.",
        },
        "record_type": Measure.RecordType.CALL,
        "types": ["traffic crash"],
    },
}


@dataclass(frozen=True)
class Concern:
    summary: dict[str, str]
    measure: str
    action: dict[str, str]
    owner: dict[str, str]


NOISE = Concern(
    {
        "en": "Loud parties and fights outside the late bars keep families awake.",
        "es": "Las fiestas ruidosas y las peleas a la salida de los bares nocturnos no dejan dormir a las familias.",
    },
    "night_noise",
    {
        "en": "Evening foot patrols Thursday to Sunday, and a late-night line for neighbours to report noise.",
        "es": "Patrullas a pie por la noche de jueves a domingo y una línea nocturna para que los vecinos informen del ruido.",
    },
    {"en": "the neighbourhood team's sergeant", "es": "el sargento del equipo del barrio"},
)
BURGLARY = Concern(
    {
        "en": "Break-ins and thefts from homes around the shopping streets.",
        "es": "Robos en viviendas y hurtos alrededor de las calles comerciales.",
    },
    "burglary",
    {
        "en": "Door-to-door security checks with the housing association and brighter lighting in the alleys.",
        "es": "Revisiones de seguridad puerta a puerta con la asociación de vivienda y mejor alumbrado en los callejones.",
    },
    {
        "en": "the neighbourhood team with the housing association",
        "es": "el equipo del barrio con la asociación de vivienda",
    },
)
TRAFFIC = Concern(
    {
        "en": "Speeding and crashes near the schools at drop-off time.",
        "es": "Exceso de velocidad y accidentes cerca de las escuelas a la hora de entrada.",
    },
    "traffic",
    {
        "en": "Officers at the school crossings at drop-off, and a request to the city for traffic calming.",
        "es": "Agentes en los cruces escolares a la hora de entrada y una solicitud a la ciudad para calmar el tráfico.",
    },
    {"en": "the traffic unit", "es": "la unidad de tráfico"},
)
OTHER_CONCERN = {
    "en": "Residents asked for the meetings to be held in Spanish too.",
    "es": "Los vecinos pidieron que las reuniones también se celebren en español.",
}
OTHER_RESPONSE = {
    "en": "Every meeting now has an interpreter; this one was the first.",
    "es": "Ahora todas las reuniones tienen intérprete; esta fue la primera.",
}


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE)


def remove_engagement(agency: Agency) -> None:
    """Delete the agency's events and priorities (each deletion audited) before its city is
    replaced: they hang off its neighbourhoods."""
    from commonbeat.engagement.concerns.models import Concern

    remove_volunteers(agency)
    remove_announcements(agency)
    remove_surveys(agency)
    for concern in Concern.objects.filter(agency=agency, duplicate_of__isnull=False):
        concern.delete()
    for concern in Concern.objects.filter(agency=agency):
        concern.delete()
    for priority in Priority.objects.filter(neighbourhood__agency=agency, parent__isnull=False):
        priority.delete()
    for priority in Priority.objects.filter(neighbourhood__agency=agency):
        priority.delete()
    for event in Event.objects.filter(agency=agency):
        event.delete()


def _measures() -> dict[str, Measure]:
    found = {}
    for key, spec in MEASURES.items():
        spec = {**spec}
        name = spec.pop("name")
        description = spec.pop("description")
        measure, _ = Measure.objects.get_or_create(
            name_en=name["en"],
            defaults={
                **in_languages("name", name),
                **in_languages("description", description),
                **spec,
            },
        )
        found[key] = measure
    return found


def _venue(neighbourhood: Neighbourhood) -> tuple[str, str]:
    location = neighbourhood.locations.order_by("pk").first()
    if location is None:
        return f"{neighbourhood.name} Community Hall", ""
    return location.name_en or location.name, location.address


def load_engagement(agency: Agency, plan: CityPlan, today: date | None = None) -> dict[str, int]:
    """Write the demo's meetings and priorities; return what was made."""
    today = today or timezone.localdate()
    measures = _measures()
    quiet = quiet_neighbourhood(plan)
    spot = hot_spot(plan).neighbourhood
    counts = {"events": 0, "registrations": 0, "priorities": 0}
    neighbourhoods = list(agency.neighbourhoods.order_by("name"))
    for index, place in enumerate(neighbourhoods):
        venue, address = _venue(place)
        concern = (
            NOISE
            if place.slug == quiet
            else BURGLARY
            if place.slug == spot
            else (TRAFFIC, BURGLARY)[index % 2]
        )
        session_day = date(YEAR, 6, 3 + index)
        session = Event.objects.create(
            agency=agency, neighbourhood=place, kind=Event.Kind.LISTENING,
            **in_languages("title", {"en": f"Listening session: {place.name}", "es": f"Sesión de escucha: {place.name}"}),
            **in_languages("description", {
                "en": "An evening with the neighbourhood team: tell us what matters most on your streets.",
                "es": "Una tarde con el equipo del barrio: díganos qué es lo que más importa en sus calles.",
            }),
            **in_languages("accessibility", {
                "en": "Step-free entrance. Spanish interpretation. Childcare in the next room.",
                "es": "Entrada sin escalones. Interpretación al español. Cuidado de niños en la sala de al lado.",
            }),
            venue=venue, address=address, starts_at=_local(session_day, 18, 30),
            ends_at=_local(session_day, 20, 0), languages=["en", "es"], capacity=60,
            contact=place.contact_details.get("email", ""), attendance=24 + 3 * index,
            organisations="Riverton Tenants' Union\nSt. Mark's Youth Club",
            **in_languages("minutes", {
                "en": f"The neighbourhood team for {place.name} opened with the last quarter's figures. Residents raised the concerns below; the team agreed to take the first as the neighbourhood's priority and to report back at the next session.",
                "es": f"El equipo del barrio de {place.name} abrió con las cifras del último trimestre. Los vecinos plantearon las preocupaciones de abajo; el equipo acordó tomar la primera como prioridad del barrio e informar en la próxima sesión.",
            }),
            minutes_status=Event.Minutes.PUBLISHED,
            comments_until=_local(session_day + timedelta(days=14), 23, 59),
            minutes_published_at=_local(session_day + timedelta(days=15), 9, 0),
        )  # fmt: skip
        counts["events"] += 1
        raised = events.raise_concern(session, concern.summary["en"], concern.summary["es"])
        other = events.raise_concern(session, OTHER_CONCERN["en"], OTHER_CONCERN["es"])
        other.status = MeetingConcern.Status.ANSWERED
        other.response_en, other.response_es = OTHER_RESPONSE["en"], OTHER_RESPONSE["es"]
        other.save()
        action_day = date(YEAR, *QUIET_NIGHTS_FROM) if concern is NOISE else date(YEAR, 7, 14)
        priority = priorities.make_priority(
            raised,
            issue_date=session_day,
            action_date=action_day,
            measure=measures[concern.measure],
            status=Priority.Status.ACTIVE,
            **in_languages("action", concern.action),
            owner=concern.owner["en"],
        )
        counts["priorities"] += 1
        _parts(priority, concern, action_day)
        counts["priorities"] += 2
        # The next walk, dated from today so that it is always coming up.
        walk_day = today + timedelta(days=7 + index)
        Event.objects.create(
            agency=agency, neighbourhood=place, kind=Event.Kind.WALK,
            **in_languages("title", {"en": f"Neighbourhood walk: {place.name}", "es": f"Recorrido por el barrio: {place.name}"}),
            **in_languages("description", {
                "en": "Walk the streets with your neighbourhood officers and point out what needs fixing.",
                "es": "Recorra las calles con los agentes de su barrio y señale lo que hay que arreglar.",
            }),
            **in_languages("accessibility", {
                "en": "About 2 km on pavements, with benches along the way. Tell us if you need a ride.",
                "es": "Unos 2 km por aceras, con bancos por el camino. Díganos si necesita transporte.",
            }),
            venue=venue, address=address, starts_at=_local(walk_day, 17, 30),
            ends_at=_local(walk_day, 19, 0), languages=["en", "es"], capacity=25,
            contact=place.contact_details.get("email", ""),
        )  # fmt: skip
        counts["events"] += 1
    town_hall = Event.objects.create(
        agency=agency, neighbourhood=None, kind=Event.Kind.TOWN_HALL,
        **in_languages("title", {"en": "Town hall with the chief", "es": "Asamblea pública con la jefatura"}),
        **in_languages("description", {
            "en": "The chief and the oversight board answer residents' questions on the year's complaints, stops and use of force.",
            "es": "La jefatura y la junta de supervisión responden a las preguntas de los vecinos sobre las quejas, las paradas y el uso de la fuerza del año.",
        }),
        **in_languages("accessibility", {
            "en": "Step-free access, hearing loop, Spanish and ASL interpretation.",
            "es": "Acceso sin escalones, bucle magnético, interpretación al español y en lengua de señas.",
        }),
        venue="Riverton Central Library", address="1000 Grand Avenue",
        starts_at=_local(today + timedelta(days=12), 18, 0),
        ends_at=_local(today + timedelta(days=12), 20, 0), languages=["en", "es"], capacity=4,
        contact="townhall@riverton.example",
    )  # fmt: skip
    counts["events"] += 1
    for number, (name, language) in enumerate(
        [
            ("Ana Reyes", "es"),
            ("Sam Okafor", "en"),
            ("Lena Park", "en"),
            ("José Ortiz", "es"),
            ("Mia Novak", "en"),
            ("Tomás Vidal", "es"),
        ]
    ):
        events.register(
            town_hall, name=name, email=f"resident{number + 1}@example.org", language=language
        )
        counts["registrations"] += 1
    counts.update(load_volunteers(agency, today))
    counts.update(load_announcements(agency, today))
    return counts


DEMO_CONCERNS: list[tuple[Any, ...]] = [
    # (service, metres north of the centre, metres east, description, answers, note or None)
    (
        "noise",
        0,
        0,
        {
            "en": "Music from the corner bar until 3 every weekend.",
            "es": "Música del bar de la esquina hasta las 3 cada fin de semana.",
        },
        {"when": "night", "source": "business"},
        {
            "en": "We spoke with the owner; patrols pass at closing time.",
            "es": "Hablamos con el dueño; las patrullas pasan a la hora de cierre.",
        },
    ),
    (
        "noise",
        25,
        10,
        {
            "en": "Same bar, shouting in the street at closing.",
            "es": "El mismo bar, gritos en la calle al cierre.",
        },
        {"when": "night"},
        None,
    ),
    (
        "vandalism",
        400,
        -300,
        {
            "en": "Graffiti on the bus shelter again.",
            "es": "Otra vez grafitis en la parada del autobús.",
        },
        {"target": "public"},
        None,
    ),
    (
        "school_traffic",
        -600,
        200,
        {
            "en": "Cars speed past the primary school at drop-off.",
            "es": "Los coches pasan rápido por la escuela primaria a la hora de entrada.",
        },
        {"times": ["drop_off"]},
        None,
    ),
    (
        "lighting",
        300,
        500,
        {
            "en": "Three lights out along the river path.",
            "es": "Tres farolas apagadas en el camino del río.",
        },
        {"lights_out": "3"},
        None,
    ),
]


def load_concerns(agency: Agency) -> int:
    """Residents' concerns in each neighbourhood, through the same service as the web form:
    one answered with a status note, one marked as its duplicate."""
    import math

    from commonbeat.engagement.concerns import services as concerns
    from commonbeat.engagement.concerns.models import Service

    made = 0
    for place in agency.neighbourhoods.order_by("name"):
        lat0, lng0 = float(place.centre_latitude), float(place.centre_longitude)
        first = None
        for code, north, east, text, answers, note in DEMO_CONCERNS:
            service = Service.objects.filter(code=code, active=True).first()
            if service is None:
                continue  # an operator removed a default service
            lat = lat0 + north / 111_320
            lng = lng0 + east / (111_320 * math.cos(math.radians(lat0)))
            try:
                concern = concerns.report(
                    concerns.Report(
                        service=service, language="en", latitude=lat, longitude=lng,
                        attributes=answers, description=text["en"],
                    )
                )  # fmt: skip
            except concerns.ConcernRefused:
                continue  # the offset fell outside the city
            made += 1
            if note is not None:
                concerns.update_status(concern, "open", note["en"], note["es"])
                first = concern
            elif first is not None and code == first.service.code:
                concerns.mark_duplicate(concern, first)
    concerns.accept_pending()
    return made


def _parts(priority: Priority, concern: Concern, action_day: date) -> None:
    """Two parts with milestones; the parent's progress is their mean."""
    steps = [
        (
            {"en": "Patrols and checks in place", "es": "Patrullas y revisiones en marcha"},
            100,
            True,
        ),
        ({"en": "Report back to residents", "es": "Informar a los vecinos"}, 40, False),
    ]
    for order, (title, progress, done) in enumerate(steps):
        part = Priority.objects.create(
            neighbourhood=priority.neighbourhood, parent=priority, source=priority.source,
            source_event=priority.source_event, issue_date=priority.issue_date,
            **in_languages("issue", title), action_date=action_day if order == 0 else None,
            owner=priority.owner, progress=progress,
            status=Priority.Status.DONE if done else Priority.Status.ACTIVE,
        )  # fmt: skip
        Milestone.objects.create(
            priority=part, order=0, due=action_day + timedelta(days=30 * (order + 1)),
            done_on=action_day + timedelta(days=25) if done else None,
            **in_languages("title", {"en": "First month reviewed", "es": "Primer mes revisado"} if order == 0 else {"en": "Figures shared at a meeting", "es": "Cifras compartidas en una reunión"}),
        )  # fmt: skip
