"""The demo city's streets and address points, planned from the seed after the city itself.

A slightly turned grid of named streets (east-west "Street", north-south "Avenue") with two
long diagonal roads, cut to the city limit; house numbers run along each street, odd on one
side and even on the other, every ADDRESS_STEP_KM, with postcodes by district. The plan uses its
own random stream, so adding it changed nothing else the seed makes. The points are written as
an OpenAddresses CSV and loaded by the operators' loader (core.services.load_addresses).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import LineString
from shapely.geometry import shape as to_shape

from commonbeat.core import csvsafe
from commonbeat.core.addresses import OPENADDRESSES_COLUMNS
from commonbeat.core.models import Agency
from commonbeat.core.services import AddressLoad, load_addresses, replace_streets
from commonbeat.demo.city import CENTRE_LAT, CENTRE_LNG, KM_PER_DEG_LAT, CityPlan

GRID_KM = 0.9
ADDRESS_STEP_KM = 0.25
SIDE_OFFSET_KM = 0.012
LOCALITY = "Riverton"
# Proper names that read the same in English and Spanish.
STEMS = (
    "Alameda", "Almond", "Amber", "Aurora", "Bolivar", "Bonita", "Bradley", "Carmen",
    "Castillo", "Cedar", "Colton", "Cordova", "Dalton", "Delgado", "Dorado", "Elm", "Esperanza",
    "Fresno", "Garland", "Granada", "Harmon", "Hidalgo", "Ingram", "Juniper", "Kendall",
    "Laredo", "Linden", "Luna", "Madrid", "Marina", "Medina", "Mesa", "Monroe", "Morales",
    "Navarro", "Nevada", "Oakley", "Olivo", "Palma", "Paloma", "Quincy", "Ramona", "Reyes",
    "Rosales", "Salinas", "Sierra", "Solano", "Sonora", "Tamarind", "Toledo", "Valencia",
    "Vega", "Verona", "Vista", "Walden", "Willow", "Yolanda", "Zamora",
)  # fmt: skip
DIAGONALS = ("Riverside Drive", "Camino Real")


@dataclass(frozen=True)
class PlannedStreet:
    name: str
    geometry: dict[str, Any]  # GeoJSON MultiLineString, longitude first


@dataclass(frozen=True)
class PlannedAddress:
    number: str
    street: str
    postcode: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class StreetPlan:
    streets: list[PlannedStreet]
    addresses: list[PlannedAddress]


def _to_lnglat(x: float, y: float) -> tuple[float, float]:
    lng = CENTRE_LNG + x / (111.320 * math.cos(math.radians(CENTRE_LAT)))
    return round(lng, 6), round(CENTRE_LAT + y / KM_PER_DEG_LAT, 6)


def _to_km(geometry: Any) -> Any:
    def convert(xy: Any) -> Any:
        out = xy.copy()
        out[:, 0] = (xy[:, 0] - CENTRE_LNG) * 111.320 * math.cos(math.radians(CENTRE_LAT))
        out[:, 1] = (xy[:, 1] - CENTRE_LAT) * KM_PER_DEG_LAT
        return out

    return shapely.transform(geometry, convert)


def _postcode(x: float, y: float) -> str:
    """Return the district's postcode: the city cut into 4 km squares, 50310 to 50325."""
    column = min(3, max(0, int((x + 8) // 4)))
    row = min(3, max(0, int((y + 8) // 4)))
    return f"{50310 + column * 4 + row}"


def _lines(rng: random.Random) -> list[tuple[str, LineString]]:
    turn = math.radians(rng.uniform(-12, 12))
    cos, sin = math.cos(turn), math.sin(turn)

    def turned(x1: float, y1: float, x2: float, y2: float) -> LineString:
        return LineString(
            [(x1 * cos - y1 * sin, x1 * sin + y1 * cos), (x2 * cos - y2 * sin, x2 * sin + y2 * cos)]
        )

    stems = list(STEMS)
    rng.shuffle(stems)
    lines = []
    offsets = [k * GRID_KM + rng.uniform(-0.15, 0.15) for k in range(-10, 11)]
    for k, offset in enumerate(offsets):
        lines.append((f"{stems[(2 * k) % len(stems)]} Street", turned(-10, offset, 10, offset)))
        lines.append((f"{stems[(2 * k + 1) % len(stems)]} Avenue", turned(offset, -10, offset, 10)))
    lines.append((DIAGONALS[0], turned(-10, -8, 10, 7)))
    lines.append((DIAGONALS[1], turned(-9, 9, 9, -6)))
    return lines


def plan_streets(plan: CityPlan) -> StreetPlan:
    """Return the city's streets and address points; the same seed gives the same ones."""
    rng = random.Random(f"streets:{plan.seed}")
    limit = _to_km(shapely.union_all([to_shape(n.boundary) for n in plan.neighbourhoods]))
    streets: list[PlannedStreet] = []
    addresses: list[PlannedAddress] = []
    for name, line in _lines(rng):
        inside = line.intersection(limit)
        pieces = [g for g in getattr(inside, "geoms", [inside]) if g.geom_type == "LineString"]
        pieces = [piece for piece in pieces if piece.length > 0.3]
        if not pieces:
            continue
        coordinates = [[list(_to_lnglat(x, y)) for x, y in piece.coords] for piece in pieces]
        streets.append(PlannedStreet(name, {"type": "MultiLineString", "coordinates": coordinates}))
        number = 1
        for piece in pieces:
            steps = int(piece.length // ADDRESS_STEP_KM)
            for step in range(steps):
                start = step * ADDRESS_STEP_KM + ADDRESS_STEP_KM / 2
                here = piece.interpolate(start)
                ahead = piece.interpolate(min(piece.length, start + 0.01))
                dx, dy = ahead.x - here.x, ahead.y - here.y
                norm = math.hypot(dx, dy) or 1.0
                # Odd numbers on the left of the direction of travel, even on the right.
                for side, house in ((1, number), (-1, number + 1)):
                    x = here.x - side * dy / norm * SIDE_OFFSET_KM
                    y = here.y + side * dx / norm * SIDE_OFFSET_KM
                    lng, lat = _to_lnglat(x, y)
                    addresses.append(PlannedAddress(str(house), name, _postcode(x, y), lat, lng))
                number += 2 + 2 * rng.randrange(0, 4)
    return StreetPlan(streets, addresses)


def write_openaddresses(addresses: list[PlannedAddress], path: Path) -> Path:
    """Write the address points as an OpenAddresses CSV, the format operators load."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csvsafe.source_writer(stream)
        writer.writerow(OPENADDRESSES_COLUMNS)
        for index, a in enumerate(addresses, start=1):
            writer.writerow(
                [
                    a.longitude,
                    a.latitude,
                    a.number,
                    a.street,
                    "",
                    LOCALITY,
                    "",
                    "",
                    a.postcode,
                    index,
                    "",
                ]
            )
    return path


def street_geojson(plan: StreetPlan) -> list[tuple[str, dict[str, Any]]]:
    """Return the streets as (name, GeoJSON) for core.services.replace_streets."""
    return [(street.name, street.geometry) for street in plan.streets]


def load_streets(plan: CityPlan, folder: Path) -> tuple[int, AddressLoad]:
    """Plan the streets and addresses and load them as an operator would; return the counts."""
    planned = plan_streets(plan)
    agency = Agency.objects.get(slug=plan.agency["slug"])
    streets = replace_streets(agency, street_geojson(planned), source="demo-streets")
    path = write_openaddresses(planned.addresses, folder / "riverton-addresses.csv")
    return streets, load_addresses(path, agency, source="riverton-addresses.csv")
