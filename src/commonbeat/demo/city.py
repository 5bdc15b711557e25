"""The synthetic demo city: planned from a seed as plain data, then loaded into the database.

Planning is pure (no database), so a test can prove that one seed always gives one city.
The city sits at a real place (Des Moines, Iowa: America/Chicago, with daylight saving) so
that sunsets and clock changes are real for the analyses that need them.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import shapely
from shapely.geometry import MultiPoint, Polygon, mapping

from commonbeat.core.vocab import Gender, Race
from commonbeat.demo import names

CENTRE_LAT = 41.5868
CENTRE_LNG = -93.6250
TIME_ZONE = "America/Chicago"
AGENCY_SLUG = "riverton-pd"
# Careers are planned up to this date, not "today", so the city does not drift with the clock.
PLAN_DATE = date(2026, 6, 30)
KM_PER_DEG_LAT = 110.574
RANKS = ("Police Officer", "Detective", "Sergeant", "Lieutenant", "Captain")
STREETS = ("Main", "Oak", "Elm", "Grand", "Park")
UNITS = ("Patrol", "Traffic", "Investigations", "Community Policing", "Training", "Gang Unit")


@dataclass
class PlannedAssignment:
    badge_number: str
    rank: str
    unit: str
    neighbourhood: str | None
    start_date: date
    end_date: date | None
    shift: str = ""


# Street units work in shifts; the others work days. The shift is derived from a hash of the
# officer and the assignment's start, never drawn from the seed's random streams, so adding it
# changed no other planned value (and no planted effect).
SHIFTS = ("day", "evening", "night", "rotating")
SHIFT_UNITS = ("Patrol", "Traffic", "Community Policing", "Gang Unit")


def assignment_shift(uid: str, unit: str, start: date) -> str:
    """Return the shift of an officer's assignment, the same for one uid, unit and start."""
    if unit not in SHIFT_UNITS:
        return "day"
    digest = hashlib.sha256(f"{uid}:{start.isoformat()}".encode()).digest()
    return SHIFTS[digest[0] % len(SHIFTS)]


@dataclass
class PlannedOfficer:
    uid: str
    first_name: str
    middle_initial: str
    last_name: str
    gender: str
    race: str
    birth_year: int
    employment_date: date
    separation_date: date | None
    status: str
    assignments: list[PlannedAssignment] = field(default_factory=list)


# Text a person reads, written in every language the site speaks: {"en": ..., "es": ...}.
Text = dict[str, str]


@dataclass
class PlannedTeamMember:
    officer_uid: str
    role: Text
    bio: Text
    order: int
    start_date: date


@dataclass
class PlannedLocation:
    type: str
    name: Text
    address: str
    postcode: str
    latitude: float
    longitude: float
    description: Text = field(default_factory=dict)


@dataclass
class PlannedNeighbourhood:
    slug: str
    name: str
    description: Text
    population: int
    centre: tuple[float, float]
    boundary: dict[str, Any]
    contact_details: dict[str, str]
    locations: list[PlannedLocation]
    team: list[PlannedTeamMember] = field(default_factory=list)


@dataclass
class CityPlan:
    seed: int
    agency: dict[str, Any]
    engagement_methods: list[dict[str, Any]]
    neighbourhoods: list[PlannedNeighbourhood]
    officers: list[PlannedOfficer]


def _outline(rng: random.Random) -> Polygon:
    """Return an irregular city limit about 16 km across, in km around the centre."""
    points = []
    for i in range(28):
        angle = 2 * math.pi * i / 28
        radius = 7.5 + rng.uniform(-1.2, 1.2) + 1.0 * math.sin(3 * angle + 0.7)
        points.append((radius * math.cos(angle), radius * math.sin(angle)))
    return Polygon(points)


def _neighbourhood_shapes(rng: random.Random, count: int) -> list[Polygon]:
    """Cut the city into neighbourhoods: Voronoi cells of scattered centres, clipped."""
    outline = _outline(rng)
    seeds: list[tuple[float, float]] = []
    while len(seeds) < count:
        x, y = rng.uniform(-6.5, 6.5), rng.uniform(-6.5, 6.5)
        if outline.contains(shapely.Point(x, y)) and all(math.dist((x, y), s) > 2.6 for s in seeds):
            seeds.append((x, y))
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=outline.buffer(5))
    shapes = []
    for seed in seeds:
        cell = next(c for c in cells.geoms if c.contains(shapely.Point(seed)))
        clipped = cell.intersection(outline)
        lnglat = shapely.transform(clipped, lambda xy: _array_to_lnglat(xy))
        shapes.append(shapely.set_precision(lnglat, 1e-6))
    return shapes


def _array_to_lnglat(xy: Any) -> Any:
    out = xy.copy()
    out[:, 1] = CENTRE_LAT + xy[:, 1] / KM_PER_DEG_LAT
    out[:, 0] = CENTRE_LNG + xy[:, 0] / (111.320 * math.cos(math.radians(CENTRE_LAT)))
    return out


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def _plan_officer(
    rng: random.Random, number: int, neighbourhood_slugs: list[str]
) -> PlannedOfficer:
    gender = rng.choices(
        [Gender.MALE, Gender.FEMALE, Gender.NONBINARY, Gender.NOT_RECORDED], [74, 24, 1, 1]
    )[0]
    race = rng.choices(
        [
            Race.WHITE,
            Race.BLACK,
            Race.HISPANIC,
            Race.ASIAN_PACIFIC_ISLANDER,
            Race.NATIVE_AMERICAN,
            Race.OTHER,
            Race.UNKNOWN,
        ],
        [58, 16, 17, 5, 1, 2, 1],
    )[0]
    pool = {
        Gender.MALE: names.FIRST_NAMES_MALE,
        Gender.FEMALE: names.FIRST_NAMES_FEMALE,
    }.get(gender, names.FIRST_NAMES_NEUTRAL)
    employment = _random_date(rng, date(1992, 1, 1), date(2025, 12, 31))
    birth_year = employment.year - rng.randint(21, 38)
    separation = None
    status = "active"
    if rng.random() < 0.14:
        separation = _random_date(rng, employment + timedelta(days=400), PLAN_DATE)
        status = rng.choice(["separated", "retired"]) if birth_year < 1970 else "separated"
    elif rng.random() < 0.03:
        status = rng.choice(["leave", "suspended"])
    officer = PlannedOfficer(
        uid=f"RPD-{number:05d}",
        first_name=rng.choice(pool),
        middle_initial=rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.7 else "",
        last_name=rng.choice(names.LAST_NAMES),
        gender=gender,
        race=race,
        birth_year=birth_year,
        employment_date=employment,
        separation_date=separation,
        status=status,
    )
    _plan_career(rng, officer, neighbourhood_slugs)
    return officer


def _plan_career(
    rng: random.Random, officer: PlannedOfficer, neighbourhood_slugs: list[str]
) -> None:
    """Split a career into assignments; a promotion brings a new badge, as in most forces."""
    end = officer.separation_date or PLAN_DATE
    start = officer.employment_date
    rank_index = 0
    badge = f"{rng.randint(1000, 9999)}"
    while start <= end:
        length = timedelta(days=rng.randint(500, 2600))
        stop = start + length
        last = stop >= end
        unit = "Patrol" if rank_index == 0 and rng.random() < 0.7 else rng.choice(UNITS)
        neighbourhood = (
            rng.choice(neighbourhood_slugs) if unit in ("Patrol", "Community Policing") else None
        )
        officer.assignments.append(
            PlannedAssignment(
                badge_number=badge,
                rank=RANKS[rank_index],
                unit=unit,
                neighbourhood=neighbourhood,
                start_date=start,
                end_date=officer.separation_date if last else stop,
                shift=assignment_shift(officer.uid, unit, start),
            )
        )
        if last:
            break
        start = stop + timedelta(days=1)
        if rank_index < len(RANKS) - 1 and rng.random() < 0.35:
            rank_index += 1
            badge = f"{rank_index}{rng.randint(100, 999)}"


BIO_OPENINGS = (
    (
        "I have served with the department since {year} and now serve {place}.",
        "Formo parte del departamento desde {year} y ahora sirvo en {place}.",
    ),
    (
        "I joined the department in {year} and now serve {place}.",
        "Ingresé al departamento en {year} y ahora sirvo en {place}.",
    ),
    (
        "I grew up a few streets from here, have been an officer since {year} and now serve {place}.",
        "Crecí a pocas cuadras de aquí, soy agente desde {year} y ahora sirvo en {place}.",
    ),
)
BIO_ENDINGS = (
    (
        "Come and say hello at our monthly community meeting.",
        "Venga a saludarnos en nuestra reunión comunitaria mensual.",
    ),
    (
        "Tell me what matters to your street: our priorities come from you.",
        "Cuénteme qué le importa a su calle: nuestras prioridades vienen de ustedes.",
    ),
    (
        "You will often find me on foot around the shops and the park.",
        "Me encontrará a menudo a pie por las tiendas y el parque.",
    ),
    (
        "I coach youth football on weekends and believe in knowing the people I serve.",
        "Entreno fútbol juvenil los fines de semana y creo en conocer a la gente a la que sirvo.",
    ),
)
SERGEANT = {"en": "Neighbourhood sergeant", "es": "Sargento del vecindario"}
OFFICER = {"en": "Neighbourhood officer", "es": "Agente del vecindario"}
LIAISON = {"en": "Community liaison officer", "es": "Agente de enlace comunitario"}


def _bio(opening: tuple[str, str], ending: tuple[str, str], year: int, place: str) -> Text:
    return {
        code: f"{opening[i].format(year=year, place=place)} {ending[i]}"
        for i, code in enumerate(("en", "es"))
    }


def _plan_teams(rng: random.Random, plan: CityPlan) -> None:
    active = [o for o in plan.officers if o.status == "active"]
    by_neighbourhood: dict[str, list[PlannedOfficer]] = {}
    for officer in active:
        current = officer.assignments[-1]
        if current.end_date is None and current.neighbourhood:
            by_neighbourhood.setdefault(current.neighbourhood, []).append(officer)
    used: set[str] = set()
    sergeants = [o for o in active if o.assignments[-1].rank == "Sergeant"]
    for neighbourhood in plan.neighbourhoods:
        local = [o for o in by_neighbourhood.get(neighbourhood.slug, []) if o.uid not in used]
        rng.shuffle(local)
        spares = [o for o in active if o.uid not in used and o not in local]
        free_sergeants = [o for o in sergeants if o.uid not in used]
        lead = [rng.choice(free_sergeants)] if free_sergeants else []
        others = [o for o in local + rng.sample(spares, 6) if o not in lead]
        members = lead + others[: rng.randint(2, 4)]
        for order, officer in enumerate(members):
            used.add(officer.uid)
            role = SERGEANT if officer in lead else rng.choice([OFFICER, OFFICER, LIAISON])
            opening = rng.choice(BIO_OPENINGS)
            bio = _bio(
                opening, rng.choice(BIO_ENDINGS), officer.employment_date.year, neighbourhood.name
            )
            start = max(officer.assignments[-1].start_date, date(2024, 1, 1))
            neighbourhood.team.append(PlannedTeamMember(officer.uid, role, bio, order, start))


def build_city(seed: int = 1, neighbourhood_count: int = 10, officer_count: int = 320) -> CityPlan:
    """Return the plan of a synthetic city; the same seed always gives the same city."""
    if not 1 <= neighbourhood_count <= len(names.NEIGHBOURHOOD_NAMES):
        raise ValueError(f"neighbourhood_count must be 1..{len(names.NEIGHBOURHOOD_NAMES)}")
    rng = random.Random(seed)
    shapes = _neighbourhood_shapes(rng, neighbourhood_count)
    chosen = rng.sample(names.NEIGHBOURHOOD_NAMES, neighbourhood_count)
    neighbourhoods = []
    station_every = 3
    for index, (shape, name) in enumerate(zip(shapes, chosen, strict=True)):
        slug = name.lower().replace(" ", "-")
        centre = shape.representative_point()
        locations = [
            PlannedLocation(
                type="contact_point",
                name={
                    "en": f"{name} community contact point",
                    "es": f"Punto de contacto comunitario de {name}",
                },
                address=f"{rng.randint(10, 990)} {rng.choice(STREETS)} St",
                postcode=f"503{rng.randint(10, 20)}",
                latitude=round(centre.y, 6),
                longitude=round(centre.x, 6),
                description={
                    "en": "Tuesdays 4-7 pm, at the public library.",
                    "es": "Martes de 4 a 7 p. m., en la biblioteca pública.",
                },
            )
        ]
        if index % station_every == 0:
            spot = shape.centroid if shape.contains(shape.centroid) else centre
            locations.append(
                PlannedLocation(
                    type="station",
                    name={
                        "en": f"{name} police station",
                        "es": f"Estación de policía de {name}",
                    },
                    address=f"{rng.randint(100, 2000)} Station Rd",
                    postcode=f"503{rng.randint(10, 20)}",
                    latitude=round(spot.y, 6),
                    longitude=round(spot.x, 6),
                    description={
                        "en": "Front desk open 24 hours.",
                        "es": "Recepción abierta las 24 horas.",
                    },
                )
            )
        neighbourhoods.append(
            PlannedNeighbourhood(
                slug=slug,
                name=name,
                description={
                    "en": f"{name} is one of Riverton's {neighbourhood_count} neighbourhoods.",
                    "es": f"{name} es uno de los {neighbourhood_count} vecindarios de Riverton.",
                },
                population=rng.randrange(8_000, 42_000, 100),
                centre=(round(centre.y, 6), round(centre.x, 6)),
                boundary=_geojson(shape),
                contact_details={
                    "email": f"{slug}@riverton.example",
                    "telephone": f"515-555-{rng.randint(1000, 9999)}",
                    "web": f"https://police.riverton.example/neighbourhoods/{slug}",
                },
                locations=locations,
            )
        )
    slugs = [n.slug for n in neighbourhoods]
    officers = [_plan_officer(rng, i + 1, slugs) for i in range(officer_count)]
    plan = CityPlan(
        seed=seed,
        agency={
            "slug": AGENCY_SLUG,
            "name": "Riverton Police Department",
            "url": "https://police.riverton.example/",
            "telephone": "515-555-0100",
            "description": {
                "en": (
                    "Riverton is a synthetic city generated for demonstration. Its police "
                    "department, people and records are invented."
                ),
                "es": (
                    "Riverton es una ciudad sintética generada como demostración. Su departamento "
                    "de policía, sus personas y sus registros son inventados."
                ),
            },
            "time_zone": TIME_ZONE,  # explicit: an unknown zone makes clock-time analyses refuse
            "licence": "CC-BY-4.0",
            "synthetic": True,
        },
        engagement_methods=[
            {
                "type": "telephone",
                "title": {
                    "en": "Non-emergency line: 515-555-0100",
                    "es": "Línea para casos que no son emergencias: 515-555-0100",
                },
                "description": {
                    "en": "Call 911 in an emergency.",
                    "es": "En una emergencia, llame al 911.",
                },
                "url": "",
            },
            {
                "type": "email",
                "title": {
                    "en": "Write to the community affairs office",
                    "es": "Escriba a la oficina de asuntos comunitarios",
                },
                "description": {},
                "url": "mailto:community@riverton.example",
            },
            {
                "type": "web",
                "title": {
                    "en": "Community meetings calendar",
                    "es": "Calendario de reuniones comunitarias",
                },
                "description": {
                    "en": "Monthly meetings in every neighbourhood.",
                    "es": "Reuniones mensuales en cada vecindario.",
                },
                "url": "https://police.riverton.example/meetings",
            },
        ],
        neighbourhoods=neighbourhoods,
        officers=officers,
    )
    _plan_teams(rng, plan)
    return plan


def _geojson(shape: Any) -> dict[str, Any]:
    geometry = mapping(shape)
    # GeoJSON wants lists, and a round trip through JSON must not change the value.
    return {"type": geometry["type"], "coordinates": _lists(geometry["coordinates"])}


def _lists(value: Any) -> Any:
    if isinstance(value, tuple | list):
        if value and isinstance(value[0], float | int):
            return [round(float(v), 6) for v in value]
        return [_lists(v) for v in value]
    return value
