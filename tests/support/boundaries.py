"""Generated desa boundaries with realistic detail, for tests and benchmarks.

Regencies upload their official desa boundaries (BIG's ``batas desa``): tens of
thousands of vertices along coasts and rivers, neighbours sharing their borders
vertex for vertex, islands, lakes.  None are available offline, so these
generators build look-alikes, deterministically (a seeded ``random.Random``):

* a grid of cells tiles a box; rows may hold different numbers of cells, so a
  row line is cut at the junctions of both rows (T-junctions);
* every border between two junctions is ONE noisy polyline (fractal midpoint
  displacement), written once and used by both neighbours (one of them
  reversed): neighbours share their vertices exactly, junctions included;
* a border's offset from its straight edge stays inside a corridor (a
  hexagon around the edge whose sides make less than 45 degrees with it,
  pinched to a point at both junctions), and the offsets are a function of
  the position along the edge: so each border is a simple polyline, two
  borders meet only at a junction they share, and the cells stay valid and
  never overlap; the outer edge of the grid is noisy too;
* specials on the south (sea) row: one desa whose coast carries
  ``big_desa_vertices`` vertices ("the 30,000-vertex desa"), one desa that is
  a MultiPolygon (its cell and an island a few km offshore); one desa near the
  middle has a hole (a lake that belongs to no desa).

Coordinates are GeoJSON, WGS84 [lon, lat], rounded to 1e-7 degree (about
1 cm); exterior rings counter-clockwise, holes clockwise (RFC 7946).  The
features' point lists are shared by neighbouring features (that is how their
borders are the same vertices): treat a generated collection as immutable;
the ``with_*``/``shifted``/``far_away`` variants copy what they change.

Pure Python (plus pyproj for the shapefile writer), so it runs wherever the
tests do.
"""
from __future__ import annotations

import copy
import io
import json
import math
import random
import zipfile
from fractions import Fraction
from typing import Any

Box = tuple[float, float, float, float]  # west, south, east, north

TRENGGALEK_BBOX: Box = (111.40, -8.43, 111.95, -7.90)  # as devstack/demo_region.py
PROVINCE_BOX: Box = (111.0, -8.6, 114.6, -7.0)

DIGITS = 7  # 1e-7 degree: about 1 cm
SLOPE = 0.5  # corridor side: |offset| <= SLOPE * distance to the nearer junction (< 1: corridors meet only there)
AMPLITUDE = 0.06  # corridor half-width, as a fraction of the edge's length
COAST_OUT = 0.25  # the big coast may reach this far out to sea (fraction of its length)
ISLAND_OFFSHORE = 0.045  # degrees south of the box's south edge (about 5 km)
ISLAND_RADIUS = 0.008  # degrees (about 0.9 km, +-30 %)
LAKE_RADIUS = 0.18  # fraction of the smaller side of its cell (+-30 %)
METRES_PER_DEGREE = 111_320.0

AUTO = "auto"  # shapefile_zip: derive the .prj from the EPSG code

REMARK = "Data uji sintetis: bukan batas resmi"


# --------------------------------------------------------------------------- noise


def _fbm(rng: random.Random, segments: int, hurst: float) -> list[float]:
    """``segments + 1`` values of a fractal (midpoint displacement) profile,
    about unit amplitude; any length, not only powers of two."""
    f = [0.0] * (segments + 1)
    f[0] = (rng.random() - 0.5) * 1.2
    f[segments] = (rng.random() - 0.5) * 1.2
    spans = [(0, segments)]
    inverse = 1.0 / segments
    uniform = rng.random
    while spans:
        following = []
        append = following.append
        for i, j in spans:
            if j - i < 2:
                continue
            m = (i + j) >> 1
            amplitude = 2.4 * ((j - i) * inverse) ** hurst  # uniform(-a/2, a/2): sd ~ 0.7 * (span/n)^H
            f[m] = (f[i] + f[j]) * 0.5 + (uniform() - 0.5) * amplitude
            append((i, m))
            append((m, j))
        spans = following
    return f


def _offsets(rng: random.Random, segments: int, length: float, *, hurst: float = 0.75,
             positive: float = AMPLITUDE, negative: float = AMPLITUDE) -> list[float]:
    """Perpendicular offsets of a border's ``segments + 1`` points: 0 at both
    junctions, inside the corridor |d| <= min(SLOPE * distance to the nearer
    junction, amplitude * length) (``positive``/``negative``: the amplitude on
    either side)."""
    f = _fbm(rng, segments, hurst)
    tanh = math.tanh
    out = [0.0] * (segments + 1)
    ramp = SLOPE * length / segments  # corridor growth per segment near a junction
    up, down = positive * length, negative * length
    for i in range(1, segments):
        near = ramp * (i if i <= segments - i else segments - i)
        value = tanh(f[i])
        if value >= 0:
            out[i] = value * (near if near < up else up)
        else:
            out[i] = value * (near if near < down else down)
    return out


def _border(rng: random.Random, start: tuple[float, float], end: tuple[float, float], segments: int,
            **shape: float) -> list[list[float]]:
    """A noisy polyline from ``start`` to ``end`` (an axis-parallel edge):
    ``segments + 1`` points, the ends exactly ``start`` and ``end``."""
    (x0, y0), (x1, y1) = start, end
    segments = max(1, segments)
    horizontal = y0 == y1
    length = abs(x1 - x0) if horizontal else abs(y1 - y0)
    offsets = _offsets(rng, segments, length, **shape)
    points = [[x0, y0]]
    if horizontal:
        step = (x1 - x0) / segments
        for i in range(1, segments):
            points.append([round(x0 + step * i, DIGITS), round(y0 + offsets[i], DIGITS)])
    else:
        step = (y1 - y0) / segments
        for i in range(1, segments):
            points.append([round(x0 + offsets[i], DIGITS), round(y0 + step * i, DIGITS)])
    points.append([x1, y1])
    return points


def _star(rng: random.Random, centre: tuple[float, float], radius: float, count: int,
          *, clockwise: bool) -> list[list[float]]:
    """A closed ring around ``centre``, star-shaped, its radius within
    radius * (1 +- 0.3): so every point nearer to the centre than 0.7 radius
    is inside, and the ring's bounding box centre is within 0.3 radius of it."""
    f = _fbm(rng, count, 0.6)
    drift = (f[count] - f[0]) / count
    cx, cy = centre
    ring = []
    for i in range(count):
        angle = 2 * math.pi * i / count * (-1 if clockwise else 1)
        r = radius * (1 + 0.3 * math.tanh(f[i] - drift * i))
        ring.append([round(cx + r * math.cos(angle), DIGITS), round(cy + r * math.sin(angle), DIGITS)])
    ring.append(ring[0])
    return ring


# --------------------------------------------------------------------------- the grid


def _row_counts(count: int, box: Box) -> list[int]:
    west, south, east, north = box
    rows = max(1, round(math.sqrt(count * (north - south) / (east - west))))
    return [count * (r + 1) // rows - count * r // rows for r in range(rows)]


def _tiles(items: list[dict[str, Any]], box: Box, *, seed: int, vertices_per_desa: int,
           big_desa_vertices: int) -> list[dict[str, Any]]:
    """Features for ``items`` (dicts with code, name, kecamatan), in order,
    row by row from the north-west."""
    counts = _row_counts(len(items), box)
    if len(counts) < 2 or counts[-1] < 3:
        raise ValueError(f"need at least two rows and three coastal desa, got rows of {counts}")
    rng = random.Random(seed)
    west, south, east, north = box
    rows = len(counts)
    height = (north - south) / rows
    mean_width = (east - west) * rows / len(items)
    density = vertices_per_desa / (2 * mean_width + 2 * height)  # vertices per degree of border

    def x_at(key: Fraction) -> float:
        return round(west + (east - west) * float(key), DIGITS)

    def y_at(line: int) -> float:
        return north if line == 0 else south if line == rows else round(north - height * line, DIGITS)

    divisions = [[Fraction(c, n) for c in range(n + 1)] for n in counts]
    # Junctions on row line j (0: the north edge, rows: the south edge): both rows' divisions.
    lines = []
    for j in range(rows + 1):
        keys = set(divisions[j - 1]) if j > 0 else set()
        keys |= set(divisions[j]) if j < rows else set()
        lines.append(sorted(keys))

    bottom = counts[-1]
    big_cell = (rows - 1, bottom // 2)
    island_cell = (rows - 1, 1 if bottom // 2 != 1 else 0)
    lake_cell = (rows // 2 - 1 if rows > 2 else 0, counts[rows // 2 - 1 if rows > 2 else 0] // 2)
    if lake_cell == island_cell or lake_cell == big_cell:
        raise ValueError("the lake, the island and the big coast need three different desa")

    def segments_for(length: float) -> int:
        return max(1, round(density * length))

    # Horizontal borders: per line, per pair of consecutive junctions, west to east.
    horizontal: dict[tuple[int, Fraction], list[list[float]]] = {}
    big_keys = (divisions[-1][big_cell[1]], divisions[-1][big_cell[1] + 1])
    for j, keys in enumerate(lines):
        y = y_at(j)
        for a, b in zip(keys, keys[1:], strict=False):
            start, end = (x_at(a), y), (x_at(b), y)
            length = end[0] - start[0]
            if j == rows and (a, b) == big_keys:
                # the coast: outward (south) is the negative side, deep bays allowed
                horizontal[j, a] = _border(rng, start, end, big_desa_vertices, hurst=0.5,
                                           positive=AMPLITUDE, negative=COAST_OUT)
            else:
                horizontal[j, a] = _border(rng, start, end, segments_for(length))
    # Vertical borders: per row, per division, south to north.
    vertical: dict[tuple[int, Fraction], list[list[float]]] = {}
    for r, keys in enumerate(divisions):
        top, low = y_at(r), y_at(r + 1)
        for key in keys:
            x = x_at(key)
            vertical[r, key] = _border(rng, (x, low), (x, top), segments_for(top - low))

    features = []
    index = 0
    for r, keys in enumerate(divisions):
        top_keys, bottom_keys = lines[r], lines[r + 1]
        for c in range(counts[r]):
            a, b = keys[c], keys[c + 1]
            ring: list[list[float]] = []
            # counter-clockwise: along the south line eastwards, up the east side, back
            # west along the north line, down the west side.
            for k in bottom_keys[bottom_keys.index(a):bottom_keys.index(b)]:
                ring.extend(horizontal[r + 1, k][:-1])
            ring.extend(vertical[r, b][:-1])
            tops = top_keys[top_keys.index(a):top_keys.index(b)]
            for k in reversed(tops):
                ring.extend(horizontal[r, k][:0:-1])
            ring.extend(vertical[r, a][:0:-1])
            ring.append(ring[0])
            polygon = [ring]
            w, e, s, n = x_at(a), x_at(b), y_at(r + 1), y_at(r)
            if (r, c) == lake_cell:
                side = min(e - w, n - s)
                polygon.append(_star(rng, ((w + e) / 2, (s + n) / 2), LAKE_RADIUS * side, 400, clockwise=True))
            if (r, c) == island_cell:
                island = _star(rng, ((w + e) / 2, south - ISLAND_OFFSHORE), ISLAND_RADIUS, 600, clockwise=False)
                geometry = {"type": "MultiPolygon", "coordinates": [polygon, [island]]}
            else:
                geometry = {"type": "Polygon", "coordinates": polygon}
            item = items[index]
            index += 1
            hectares = (e - w) * (n - s) * METRES_PER_DEGREE ** 2 * math.cos(math.radians((s + n) / 2)) / 1e4
            features.append({
                "type": "Feature",
                "properties": {
                    "KDEPUM": item["code"], "WADMKD": item["name"], "WADMKC": item["kecamatan"],
                    "LUAS": round(hectares, 2), "REMARK": REMARK,
                },
                "geometry": geometry,
            })
    return features


def realistic_region(kemendagri_code: str = "35.03", *, seed: int = 1, vertices_per_desa: int = 2000,
                     big_desa_vertices: int = 30000, box: Box | None = None) -> dict[str, Any]:
    """A regency's desa boundaries as a GeoJSON FeatureCollection, as BIG
    publishes them: one feature per official desa/kelurahan (real codes and
    names, from ``chalicelib.domain.areas``), tiling the regency's box (for
    35.03 Trenggalek its real extent; the sea is south).  Properties: KDEPUM
    (the dotted Kemendagri code), WADMKD (desa), WADMKC (kecamatan), and LUAS,
    REMARK that consumers should ignore."""
    from chalicelib.domain import areas

    regency = areas.regency(kemendagri_code)
    if regency is None:
        raise ValueError(f"unknown regency {kemendagri_code!r}")
    if box is None:
        if kemendagri_code != "35.03":
            raise ValueError("give the box of any regency but 35.03")
        box = TRENGGALEK_BBOX
    items = sorted(
        ({"code": kel["code"], "name": kel["name"], "kecamatan": kec["name"]}
         for kec in regency.kecamatan for kel in kec["kelurahan"]),
        key=lambda item: item["code"])
    features = _tiles(items, box, seed=seed, vertices_per_desa=vertices_per_desa,
                      big_desa_vertices=big_desa_vertices)
    return {"type": "FeatureCollection", "name": f"BATAS_DESA_{regency.name.upper().replace(' ', '_')}",
            "features": features}


def province_grid(n_desa: int = 3000, vertices_each: int = 2000, *, seed: int = 1, box: Box = PROVINCE_BOX,
                  big_desa_vertices: int = 30000) -> dict[str, Any]:
    """The same construction for a province-sized benchmark: ``n_desa`` desa
    with made-up unique codes "99.99.KK.DDDD" (at most 99 kecamatan)."""
    per_kecamatan = max(1, math.ceil(n_desa / 99))
    if per_kecamatan > 7999:
        raise ValueError("too many desa for 99.99.KK.DDDD codes")
    items = []
    for i in range(n_desa):
        kec, desa = divmod(i, per_kecamatan)
        items.append({"code": f"99.99.{kec + 1:02d}.{2001 + desa:04d}", "name": f"Desa Uji {i + 1}",
                      "kecamatan": f"Kecamatan Uji {kec + 1}"})
    features = _tiles(items, box, seed=seed, vertices_per_desa=vertices_each, big_desa_vertices=big_desa_vertices)
    return {"type": "FeatureCollection", "name": "BATAS_DESA_PROVINSI_UJI", "features": features}


# --------------------------------------------------------------------------- probes


def _code(feature: dict[str, Any]) -> str:
    return feature["properties"]["KDEPUM"]


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _vertex_count(geometry: dict[str, Any]) -> int:
    return sum(len(ring) for polygon in _polygons(geometry) for ring in polygon)


def _bbox(ring: list[list[float]]) -> Box:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _centre(ring: list[list[float]]) -> tuple[float, float]:
    w, s, e, n = _bbox(ring)
    return (w + e) / 2, (s + n) / 2


def special_desa(fc: dict[str, Any]) -> dict[str, str]:
    """The codes of the specials, found from the geometry: "big" (the most
    vertices), "island" (the MultiPolygon), "lake" (the polygon with a hole)."""
    features = fc["features"]
    big = max(features, key=lambda f: _vertex_count(f["geometry"]))
    island = next(f for f in features if f["geometry"]["type"] == "MultiPolygon")
    lake = next(f for f in features if f["geometry"]["type"] == "Polygon" and len(f["geometry"]["coordinates"]) > 1)
    return {"big": _code(big), "island": _code(island), "lake": _code(lake)}


def probe_points(fc: dict[str, Any]) -> dict[str, tuple[float, float, str | None]]:
    """Named points (lon, lat, expected desa code or None) in a generated collection:

    * "inside:<code>": certainly interior to that desa (its cell's centre,
      estimated from its bounding box, which the corridors keep well inside);
    * "border:<codeA>|<codeB>": a vertex of the border two neighbours share;
      its expected code is "<codeA>|<codeB>": either desa is a right answer;
    * "hole": in the lake (None); "sea": south of the coast, off the island
      (None); "island": on the island (the MultiPolygon desa); "big": inside
      the desa with the big coast.
    """
    features = fc["features"]
    specials = special_desa(fc)
    by_code = {_code(f): f for f in features}
    probes: dict[str, tuple[float, float, str | None]] = {}

    def mainland(code: str) -> list[list[float]]:
        return _polygons(by_code[code]["geometry"])[0][0]

    picks = [features[0], features[len(features) // 3 + 4], features[len(features) // 2 + 2], features[-1],
             by_code[specials["island"]]]
    for feature in picks:
        code = _code(feature)
        if code == specials["lake"]:
            continue
        x, y = _centre(mainland(code))
        probes[f"inside:{code}"] = (x, y, code)

    first, second = features[0], features[1]
    shared = {tuple(p) for p in mainland(_code(first))} & {tuple(p) for p in mainland(_code(second))}
    if len(shared) < 3:
        raise ValueError("the first two desa share no border")
    x, y = sorted(shared, key=lambda p: (p[1], p[0]))[len(shared) // 2]  # away from the junctions
    pair = f"{_code(first)}|{_code(second)}"
    probes[f"border:{pair}"] = (x, y, pair)

    lake = by_code[specials["lake"]]["geometry"]["coordinates"][1]
    probes["hole"] = (*_centre(lake), None)
    island = by_code[specials["island"]]["geometry"]["coordinates"][1][0]
    probes["island"] = (*_centre(island), specials["island"])
    big = mainland(specials["big"])
    probes["big"] = (*_centre(big), specials["big"])
    lowest = min(p[1] for f in features for polygon in _polygons(f["geometry"]) for p in polygon[0])
    probes["sea"] = (_centre(big)[0], lowest - 0.01, None)  # the island lies under another desa
    return probes


# --------------------------------------------------------------------------- broken variants


def _replace(fc: dict[str, Any], code: str, geometry: dict[str, Any] | None = None,
             properties: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of ``fc`` with one feature's geometry/properties replaced (the
    other features are shared, not copied)."""
    features = []
    found = False
    for feature in fc["features"]:
        if _code(feature) == code:
            found = True
            feature = {**feature, "geometry": geometry or feature["geometry"],
                       "properties": properties or feature["properties"]}
        features.append(feature)
    if not found:
        raise KeyError(code)
    return {**fc, "features": features}


def _feature(fc: dict[str, Any], code: str) -> dict[str, Any]:
    for feature in fc["features"]:
        if _code(feature) == code:
            return feature
    raise KeyError(code)


def _map_points(geometry: dict[str, Any], dx: float, dy: float) -> dict[str, Any]:
    def ring(points: list[list[float]]) -> list[list[float]]:
        return [[round(x + dx, DIGITS), round(y + dy, DIGITS)] for x, y in points]

    polygons = [[ring(r) for r in polygon] for polygon in _polygons(geometry)]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def with_self_intersection(fc: dict[str, Any], code: str) -> dict[str, Any]:
    """A copy where ``code``'s outer ring is a bow-tie: the ring goes from
    the middle of its north side straight to the middle of its south side,
    back along its west half reversed, and across again (a "2-opt" twist:
    two chords that cross near the centre)."""
    geometry = _feature(fc, code)["geometry"]
    polygons = copy.deepcopy(_polygons(geometry))
    ring = polygons[0][0][:-1]
    w, s, e, n = _bbox(ring)
    middle = (w + e) / 2
    # ring runs counter-clockwise: the north side westwards, the south side eastwards
    north = [i for i, p in enumerate(ring) if p[1] > (s + n) / 2]
    south = [i for i, p in enumerate(ring) if p[1] < (s + n) / 2]
    i = min(north, key=lambda k: abs(ring[k][0] - middle))
    j = min(south, key=lambda k: abs(ring[k][0] - middle))
    ring = ring[i:] + ring[:i]  # start at the north-middle vertex: i -> 0
    j = (j - i) % len(ring)
    twisted = [ring[0]] + ring[j:0:-1] + ring[j + 1:]  # 0 -> j, back to 1, then j+1 ... as before
    twisted.append(twisted[0])
    polygons[0][0] = twisted
    new = ({"type": "Polygon", "coordinates": polygons[0]} if geometry["type"] == "Polygon"
           else {"type": "MultiPolygon", "coordinates": polygons})
    return _replace(fc, code, geometry=new)


def with_unknown_code(fc: dict[str, Any], code: str | None = None, *, unknown: str | None = None) -> dict[str, Any]:
    """A copy where one desa (``code``, by default the last) is renamed to a
    code that no desa of the regency has (by default "<regency>.99.2999")."""
    target = code or _code(fc["features"][-1])
    known = {_code(f) for f in fc["features"]}
    unknown = unknown or ".".join(target.split(".")[:2] + ["99", "2999"])
    if unknown in known:
        raise ValueError(f"{unknown} is a code of this collection")
    feature = _feature(fc, target)
    return _replace(fc, target, properties={**feature["properties"], "KDEPUM": unknown})


def shifted(fc: dict[str, Any], code: str, metres: float) -> dict[str, Any]:
    """A copy where ``code`` is moved ``metres`` east (west if negative): it
    overlaps its neighbour on that side and leaves a gap on the other."""
    geometry = _feature(fc, code)["geometry"]
    latitude = _centre(_polygons(geometry)[0][0])[1]
    dx = metres / (METRES_PER_DEGREE * math.cos(math.radians(latitude)))
    return _replace(fc, code, geometry=_map_points(geometry, dx, 0.0))


def far_away(fc: dict[str, Any], code: str, km: float = 500.0) -> dict[str, Any]:
    """A copy where ``code`` is moved ``km`` north (500 km by default: from
    East Java into the Java Sea, towards Borneo)."""
    geometry = _feature(fc, code)["geometry"]
    return _replace(fc, code, geometry=_map_points(geometry, 0.0, km * 1000 / METRES_PER_DEGREE))


# --------------------------------------------------------------------------- writers


def geojson_bytes(fc: dict[str, Any]) -> bytes:
    """The collection as a compact UTF-8 GeoJSON document."""
    return json.dumps(fc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _signed_area(ring: list[list[float]]) -> float:
    total = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        total += x0 * y1 - x1 * y0
    return total / 2


def shapefile_zip(fc: dict[str, Any], *, epsg: int = 32749, code_field: str = "KDEPUM", prj: str | None = AUTO,
                  cpg: str | None = "UTF-8", folder: str = "", name: str = "batas_desa") -> bytes:
    """The collection as a zipped ESRI shapefile (.shp/.shx/.dbf, plus .prj
    and .cpg unless None), written by pyshp.  Coordinates are projected to
    ``epsg`` (UTM 49S by default; 4326 keeps lon/lat), rings in ESRI order
    (outer rings clockwise, holes counter-clockwise: pyshp's ``poly`` writes
    the rings as given).  ``prj``: AUTO derives the ESRI WKT from the EPSG code,
    any other text is written as is.  Attributes become text fields; KDEPUM is
    named ``code_field``.  ``folder`` prefixes the members' names."""
    import numpy as np
    import pyproj
    import shapefile

    if len(code_field) > 10:
        raise ValueError("DBF field names have at most 10 characters")
    transformer = None if epsg == 4326 else pyproj.Transformer.from_crs(4326, epsg, always_xy=True)

    def project(ring: list[list[float]]) -> list[list[float]]:
        if transformer is None:
            return [list(p) for p in ring]
        points = np.asarray(ring, dtype=float)
        xs, ys = transformer.transform(points[:, 0], points[:, 1])
        return np.column_stack((xs, ys)).tolist()

    def renamed(properties: dict[str, Any]) -> dict[str, str]:
        out = {}
        for key, value in properties.items():
            field = code_field if key == "KDEPUM" else key
            if len(field) > 10:
                raise ValueError(f"DBF field name {field!r} is longer than 10 characters")
            out[field] = "" if value is None else str(value)
        return out

    records = [renamed(f["properties"]) for f in fc["features"]]
    fields: list[str] = []
    for record in records:
        fields.extend(k for k in record if k not in fields)
    sizes = {k: min(254, max([1] + [len(r.get(k, "").encode("utf-8")) for r in records])) for k in fields}

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding="utf-8")
    for field in fields:
        writer.field(field, "C", size=sizes[field])
    for feature, record in zip(fc["features"], records, strict=True):
        parts = []
        for polygon in _polygons(feature["geometry"]):
            for k, ring in enumerate(polygon):
                projected = project(ring)
                clockwise = _signed_area(projected) < 0
                if clockwise != (k == 0):  # outer rings clockwise, holes counter-clockwise
                    projected.reverse()
                parts.append(projected)
        writer.poly(parts)
        writer.record(**{k: record.get(k, "") for k in fields})
    writer.close()

    prefix = f"{folder.rstrip('/')}/" if folder else ""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{prefix}{name}.shp", shp.getvalue())
        archive.writestr(f"{prefix}{name}.shx", shx.getvalue())
        archive.writestr(f"{prefix}{name}.dbf", dbf.getvalue())
        if prj is not None:
            if prj == AUTO:
                prj = pyproj.CRS.from_epsg(epsg).to_wkt(pyproj.enums.WktVersion.WKT1_ESRI)
            archive.writestr(f"{prefix}{name}.prj", prj)
        if cpg is not None:
            archive.writestr(f"{prefix}{name}.cpg", cpg)
    return out.getvalue()


def truncated(zip_bytes: bytes) -> bytes:
    """The first half of an archive (an upload cut short)."""
    return zip_bytes[: len(zip_bytes) // 2]
