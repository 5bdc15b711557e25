from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonbeat.core.geo import BoundaryError, NeighbourhoodIndex, boundary_shape
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.core.places import neighbourhood_index


def square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
    }


# Two squares sharing the line longitude = 1; "a-west" sorts before "b-east".
INDEX = NeighbourhoodIndex(
    [
        (2, "force", "b-east", square(1, 0, 2, 1)),
        (1, "force", "a-west", square(0, 0, 1, 1)),
    ]
)


def test_it_finds_the_neighbourhood_containing_a_point() -> None:
    found = INDEX.locate(latitude=0.5, longitude=1.5)
    assert found is not None
    assert found.neighbourhood_slug == "b-east"


def test_it_returns_none_outside_every_neighbourhood() -> None:
    assert INDEX.locate(latitude=5, longitude=5) is None
    assert INDEX.locate(latitude=0.5, longitude=2.0000001) is None


def test_a_point_on_an_outer_boundary_belongs_to_the_neighbourhood() -> None:
    on_edge = INDEX.locate(latitude=0.5, longitude=2)
    on_vertex = INDEX.locate(latitude=1, longitude=2)
    assert on_edge is not None and on_edge.neighbourhood_slug == "b-east"
    assert on_vertex is not None and on_vertex.neighbourhood_slug == "b-east"


def test_a_point_on_a_shared_boundary_gets_one_stable_answer() -> None:
    found = INDEX.locate(latitude=0.25, longitude=1)
    assert found is not None and found.neighbourhood_slug == "a-west"


def test_it_reads_multipolygons_and_holes() -> None:
    donut = {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
            [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]],
        ],
    }
    islands = {"type": "MultiPolygon", "coordinates": [square(10, 10, 11, 11)["coordinates"]]}
    index = NeighbourhoodIndex([(1, "f", "donut", donut), (2, "f", "islands", islands)])
    assert index.locate(latitude=2, longitude=2) is None
    assert index.locate(latitude=0.5, longitude=0.5).neighbourhood_slug == "donut"
    assert index.locate(latitude=10.5, longitude=10.5).neighbourhood_slug == "islands"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"type": "Point", "coordinates": [0, 0]}, 'type "Polygon" or "MultiPolygon"'),
        ({"type": "Polygon", "coordinates": "nonsense"}, "cannot be read"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]},
            "not a valid polygon",
        ),
        (square(-93, 41, -92, 42), None),
        (square(41, -93, 42, -92), "GeoJSON puts longitude first"),
    ],
)
def test_it_explains_what_is_wrong_with_a_boundary(value: dict, message: str | None) -> None:
    if message is None:
        boundary_shape(value)
        return
    with pytest.raises(BoundaryError, match=message):
        boundary_shape(value)


def test_model_validation_refuses_a_bad_boundary(db: None) -> None:
    agency = Agency.objects.create(slug="force", name="Force")
    neighbourhood = Neighbourhood(
        agency=agency,
        slug="n",
        name="N",
        centre_latitude=0,
        centre_longitude=0,
        boundary={"type": "Point", "coordinates": [0, 0]},
    )
    with pytest.raises(ValidationError) as caught:
        neighbourhood.full_clean()
    assert "boundary" in caught.value.message_dict


def test_the_shared_index_sees_boundary_changes(db: None) -> None:
    agency = Agency.objects.create(slug="force", name="Force")
    neighbourhood = Neighbourhood.objects.create(
        agency=agency,
        slug="n",
        name="N",
        centre_latitude=0.5,
        centre_longitude=0.5,
        boundary=square(0, 0, 1, 1),
    )
    assert neighbourhood_index().locate(0.5, 0.5) is not None
    assert neighbourhood_index().locate(5.5, 5.5) is None
    neighbourhood.boundary = square(5, 5, 6, 6)
    neighbourhood.save()
    assert neighbourhood_index().locate(0.5, 0.5) is None
    assert neighbourhood_index().locate(5.5, 5.5).neighbourhood_slug == "n"


def test_every_demo_neighbourhood_contains_its_own_centre(city: object) -> None:
    index = neighbourhood_index()
    for neighbourhood in Neighbourhood.objects.all():
        found = index.locate(
            float(neighbourhood.centre_latitude), float(neighbourhood.centre_longitude)
        )
        assert found is not None and found.neighbourhood_id == neighbourhood.id
