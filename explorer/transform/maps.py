"""Map geometry for the explorer's choropleths. Pure: parsed JSON in, GeoJSON and lookups out.

World maps need nothing here: plotly.js reads the vendored world TopoJSON itself
(``explorer/static/geo/world_110m.json``, through the ``topojsonURL`` of the chart's config).
A choropleth of other shapes takes GeoJSON, so the Korean provinces' TopoJSON
(``kr-provinces-2018-topo-simple.json``, KOSTAT SGIS 2018) is decoded here, each province keyed
by its ISO 3166-2 code, the key the graph's Region nodes use.

TopoJSON (https://github.com/topojson/topojson-specification): shared ``arcs`` hold quantized,
delta-encoded positions; a ring lists arc indices, a negative index ``~i`` means arc ``i``
reversed, and consecutive arcs share their joining point, written once.
"""
from __future__ import annotations

from typing import Any

# KOSTAT province code -> ISO 3166-2 (KOSTAT numbers the metropolitan cities 21-26 and 29, the
# provinces 31-39; ISO 3166-2:KR numbers them 26-31, 50 and 41-49)
KOSTAT_TO_ISO = {
    "11": "KR-11", "21": "KR-26", "22": "KR-27", "23": "KR-28", "24": "KR-29", "25": "KR-30", "26": "KR-31",
    "29": "KR-50", "31": "KR-41", "32": "KR-42", "33": "KR-43", "34": "KR-44", "35": "KR-45", "36": "KR-46",
    "37": "KR-47", "38": "KR-48", "39": "KR-49",
}
PROVINCES_OBJECT = "skorea_provinces_2018_geo"
# ~10 m: far below what a drawing of a province can show
DECIMALS = 4
# Douglas-Peucker tolerance (degrees) for drawing the provinces: 0.003 deg is about 300 m, under a
# pixel on a map of the whole country (5.5 deg of latitude in some 500 px), and cuts the GeoJSON
# from 640 kB to 150 kB, sent with the figure on every rerun. Shared borders are simplified once,
# as arcs, so neighbours still meet exactly.
DRAW_TOLERANCE = 0.003


def _decoded_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat positions of every arc (undoing the quantization and delta encoding)."""
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for p in arc:
            x += p[0]
            y += p[1]
            points.append((round(x * sx + tx, DECIMALS), round(y * sy + ty, DECIMALS)))
        arcs.append(points)
    return arcs


def _simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the fewest points within ``tolerance`` of the line; both ends are kept."""
    if tolerance <= 0 or len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        far, far_d = -1, tolerance
        for i in range(a + 1, b):
            px, py = points[i]
            # distance to the chord, or to its start when the arc is closed (start == end)
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > far_d:
                far, far_d = i, d
        if far >= 0:
            keep[far] = True
            stack += [(a, far), (far, b)]
    return [p for p, k in zip(points, keep) if k]


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    out: list[tuple[float, float]] = []
    for i in indices:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(points if not out else points[1:])  # the joining point is written once
    return [list(p) for p in out]


def _polygon(rings: list[list[int]], arcs: list[list[tuple[float, float]]]) -> list[list[list[float]]]:
    # a ring needs 4 positions (first = last); islands smaller than the tolerance collapse below that
    return [r for r in (_ring(ring, arcs) for ring in rings) if len(r) >= 4]


def _geometry(geom: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> dict[str, Any]:
    kind = geom["type"]
    if kind == "Polygon":
        polygons = [_polygon(geom["arcs"], arcs)]
    elif kind == "MultiPolygon":
        polygons = [_polygon(p, arcs) for p in geom["arcs"]]
    else:
        raise ValueError(f"TopoJSON geometry type {kind!r} is not a polygon; expected Polygon or MultiPolygon")
    polygons = [p for p in polygons if p]  # an outer ring that collapsed takes its holes with it
    return {"type": "MultiPolygon", "coordinates": polygons}


def topology_features(topo: dict[str, Any], name: str, tolerance: float = 0.0) -> list[dict[str, Any]]:
    """The GeoJSON features of the TopoJSON object ``name`` (polygons, as MultiPolygons), properties kept;
    arcs simplified to ``tolerance`` degrees first (0: every point)."""
    if topo.get("type") != "Topology" or name not in topo.get("objects", {}):
        raise ValueError(f"not a TopoJSON Topology with an object {name!r}; objects: "
                         f"{', '.join(topo.get('objects', {})) or 'none'}")
    arcs = [_simplified(a, tolerance) for a in _decoded_arcs(topo)]
    return [{"type": "Feature", "properties": dict(g.get("properties") or {}), "geometry": _geometry(g, arcs)}
            for g in topo["objects"][name]["geometries"]]


def korean_provinces(topo: dict[str, Any], tolerance: float = DRAW_TOLERANCE) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the 17 provinces, each with ``id`` and ``properties.iso`` = ISO 3166-2."""
    features = []
    for f in topology_features(topo, PROVINCES_OBJECT, tolerance):
        if not f["geometry"]["coordinates"]:
            raise ValueError(f"province {f['properties'].get('name_eng')!r} vanishes at tolerance {tolerance}")
        code = str(f["properties"].get("code"))
        if code not in KOSTAT_TO_ISO:
            raise ValueError(f"province {f['properties'].get('name_eng')!r}: KOSTAT code {code!r} has no "
                             f"ISO 3166-2 code; expected one of {', '.join(KOSTAT_TO_ISO)}")
        iso = KOSTAT_TO_ISO[code]
        features.append({**f, "id": iso, "properties": {**f["properties"], "iso": iso}})
    return {"type": "FeatureCollection", "features": features}
