"""Location passes: state-plane coordinates to latitude and longitude, points to neighbourhoods.

Python computations a mapping can ask for. They run as vectorised passes in this thread over
Arrow columns, never as UDFs inside DuckDB's worker threads: pyproj's per-thread state does not
survive being called from threads it did not create.
"""

from __future__ import annotations

from typing import Any

import duckdb

from commonbeat.records.mapping import raw, state_plane_columns
from commonbeat.records.sql import quote_ident


def state_plane_pass(con: duckdb.DuckDBPyConnection, token: str) -> None:
    """Add to `raw_table` the latitude and longitude a `state_plane:EPSG:x:y` token names."""
    import numpy as np
    import pyarrow as pa
    from pyproj import Transformer

    _, epsg, x_column, y_column = token.split(":", 3)
    lat_column, lng_column = state_plane_columns(int(epsg), x_column, y_column)
    table = _arrow(
        con,
        f"SELECT rowid + 1 AS _row, TRY_CAST({raw(x_column)} AS DOUBLE) AS x, "  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
        f"TRY_CAST({raw(y_column)} AS DOUBLE) AS y FROM raw_table",
    )
    xs = table.column("x").to_numpy(zero_copy_only=False).astype("float64")
    ys = table.column("y").to_numpy(zero_copy_only=False).astype("float64")
    transformer = Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)
    lng, lat = transformer.transform(xs, ys)
    # Zero or missing input coordinates mean "no location", not a point off Africa.
    bad = (
        ~np.isfinite(lat)
        | ~np.isfinite(lng)
        | ~np.isfinite(xs)
        | ~np.isfinite(ys)
        | (xs == 0)
        | (ys == 0)
    )
    converted = pa.table(
        {
            "_row": table.column("_row"),
            "lat": pa.array(np.round(lat, 6), mask=bad),
            "lng": pa.array(np.round(lng, 6), mask=bad),
        }
    )
    con.register("converted_points", converted)
    try:
        con.execute(f"ALTER TABLE raw_table ADD COLUMN {quote_ident(lat_column)} DOUBLE")
        con.execute(f"ALTER TABLE raw_table ADD COLUMN {quote_ident(lng_column)} DOUBLE")
        con.execute(
            f"UPDATE raw_table SET {quote_ident(lat_column)} = c.lat, {quote_ident(lng_column)} = c.lng "  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
            "FROM converted_points c WHERE raw_table.rowid + 1 = c._row"
        )
    finally:
        con.unregister("converted_points")


def neighbourhood_pass(con: duckdb.DuckDBPyConnection, table: str, agency: str) -> None:
    """Fill the standard table's empty `neighbourhood` from the agency's boundaries."""
    import numpy as np
    import pyarrow as pa
    import shapely
    from shapely.geometry import shape
    from shapely.strtree import STRtree

    from commonbeat.core.models import Neighbourhood

    points = _arrow(
        con,
        # Only points the source did not already place in a neighbourhood.
        f"SELECT _row, latitude, longitude FROM {table} "  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
        "WHERE neighbourhood IS NULL AND latitude IS NOT NULL AND longitude IS NOT NULL",
    )
    if points.num_rows == 0:
        return
    boundaries = sorted(
        Neighbourhood.objects.filter(agency__slug=agency).values_list("slug", "boundary")
    )
    if not boundaries:
        return
    lats = points.column("latitude").to_numpy(zero_copy_only=False).astype("float64")
    lngs = points.column("longitude").to_numpy(zero_copy_only=False).astype("float64")
    tree = STRtree([shape(boundary) for _, boundary in boundaries])
    found = np.full(len(lats), len(boundaries))
    point_index, tree_index = tree.query(shapely.points(lngs, lats), predicate="covered_by")
    # On a shared boundary the neighbourhood first in identifier order wins, as in core.geo.
    np.minimum.at(found, point_index, tree_index)
    slugs = np.array([slug for slug, _ in boundaries] + [None], dtype=object)
    located = pa.table(
        {"_row": points.column("_row"), "neighbourhood": pa.array(slugs[found], type=pa.string())}
    )
    con.register("located_points", located)
    try:
        con.execute(
            f"UPDATE {table} SET neighbourhood = l.neighbourhood FROM located_points l WHERE {table}._row = l._row"  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
        )
    finally:
        con.unregister("located_points")


def _arrow(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    table = con.sql(query).to_arrow_table()
    if table is None:
        raise duckdb.Error(f"No result from: {query[:80]}")
    return table


__all__ = ["neighbourhood_pass", "state_plane_pass"]
