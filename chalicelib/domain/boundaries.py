"""A region's boundary file, from bytes to the desa polygons it may switch
to: reading (GeoJSON in WGS84 or a zipped Shapefile in WGS84 or a UTM zone
of Indonesia), then every rule, each problem listed so that a regency's GIS
officer can fix the file in one pass.

Rules: each feature is a (Multi)Polygon of valid rings (closed, at least four
positions, no self-intersection, holes inside their shell); its desa code is
one of the region's official desa/kelurahan, once; every official desa has a
polygon; positions lie in Indonesia and near the rest of the file; no two
desa overlap by more than ``OVERLAP_TOLERANCE_M``.  Only the geometry and the
official names are kept: whatever else the file carried is not.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Sequence

import msgspec

from .geo import projection, validity
from .geo.index import Place
from .regions import RegionConfig

# Attributes that hold the Kemendagri desa code in the files regencies have
# (BIG's administrative maps: KDEPUM), tried in this order, case-insensitively.
CODE_FIELDS = ("kelurahan_code", "KDEPUM", "KODE_DESA", "KD_DESA", "KDDESA", "KODE_KEL", "kode")
OVERLAP_TOLERANCE_M = 5.0
FAR_KM = 50.0
# Problems kept on the upload's item (every one goes to its problems file).
PROBLEMS_SHOWN = 100

Polygon = list[list[list[float]]]
Geometry = list[Polygon]  # a feature's polygons (MultiPolygon-like)
_DOTTED = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
_DIGITS = re.compile(r"^\d{10}$")


class Problem(msgspec.Struct, frozen=True):
    code: str  # file | projection | geometry | unknown_code | duplicate_code | missing | overlap | outside | far
    message: str
    feature: int | None = None  # position in the file (0-based)
    kelurahan_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "feature": self.feature,
                "kelurahan_code": self.kelurahan_code}


class Candidate(msgspec.Struct):
    """One feature as read: its position in the file, its code (normalised
    when it looks like a Kemendagri code) and its polygons in [lon, lat]."""

    position: int
    code: str | None
    polygons: Geometry


class Read(msgspec.Struct):
    candidates: list[Candidate] = msgspec.field(default_factory=list)
    problems: list[Problem] = msgspec.field(default_factory=list)
    projection: str = "WGS84"
    code_field: str | None = None


class Checked(msgspec.Struct):
    features: list[tuple[Place, Geometry]] = msgspec.field(default_factory=list)
    problems: list[Problem] = msgspec.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.features)


def normalise_code(value: Any) -> str | None:
    """``35.03.01.2001`` from ``35.03.01.2001``, ``3503012001`` or the number
    3503012001 (a Shapefile's numeric field); other values as text."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()[:64]
    if _DIGITS.match(text):
        return f"{text[0:2]}.{text[2:4]}.{text[4:6]}.{text[6:10]}"
    return text or None


def _pick_field(names: Sequence[str], wanted: str | None) -> str | None:
    lowered = {name.lower(): name for name in names}
    if wanted:
        return lowered.get(wanted.lower())
    for candidate in CODE_FIELDS:
        if candidate.lower() in lowered:
            return lowered[candidate.lower()]
    return None


# --- reading ------------------------------------------------------------------

def read_geojson(document: Any, code_field: str | None) -> Read:
    """A decoded GeoJSON FeatureCollection (WGS84; or a UTM zone named by
    an old-style ``crs`` member, as some GIS tools still write)."""
    read = Read()
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        read.problems.append(Problem("file", "the file is not a GeoJSON FeatureCollection"))
        return read
    crs = geojson_crs(document.get("crs"))
    if crs is None:
        read.problems.append(Problem("projection", f"unknown coordinate reference system {str(document.get('crs'))[:200]}: "
                                                   "use WGS84, a UTM zone of Indonesia, or reproject with the "
                                                   "onboarding command (make onboard … --reproject)"))
        return read
    read.projection = crs.name
    features = document["features"]
    names: list[str] = []
    for feature in features[:1]:
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
            names = list(feature["properties"])
    read.code_field = _pick_field(names, code_field)
    if read.code_field is None:
        read.problems.append(_no_code_field(names, code_field))
        return read
    for position, feature in enumerate(features):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        code = normalise_code(properties.get(read.code_field)) if isinstance(properties, dict) else None
        polygons, problem = _geojson_polygons(geometry)
        if problem:
            read.problems.append(Problem("geometry", problem, position, code))
            continue
        if not crs.geographic:
            try:
                polygons = projection.project_polygons(polygons, crs)
            except projection.ProjectionError as error:
                read.problems.append(_not_in(crs, error, position, code))
                continue
        read.candidates.append(Candidate(position, code, polygons))
    return read


_EPSG = re.compile(r"EPSG:{1,2}(?:[0-9.]*:)?(\d{4,5})$")


def geojson_crs(member: Any) -> projection.Crs | None:
    """The system an (old-style, 2008) GeoJSON ``crs`` member names: WGS84
    when there is none, or CRS84 / EPSG:4326; a UTM zone of Indonesia by its
    EPSG code (``EPSG:32749``, ``urn:ogc:def:crs:EPSG::32749``); else None."""
    if member is None:
        return projection.WGS84
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    if not isinstance(name, str):
        return None
    name = name.strip()[:200]
    if name.upper().endswith("CRS84"):
        return projection.WGS84
    match = _EPSG.search(name.upper())
    return projection.by_epsg(int(match[1])) if match else None


def _not_in(crs: projection.Crs, error: ValueError, position: int, code: str | None) -> Problem:
    return Problem("projection", f"{error}: the file does not seem to be in {crs.name} as it says; reproject it "
                                 "with the onboarding command (make onboard … --reproject)", position, code)


def _no_code_field(names: Sequence[str], wanted: str | None) -> Problem:
    found = ", ".join(names[:30]) or "none"
    if wanted:
        return Problem("file", f"no attribute named {wanted[:64]} (attributes found: {found})")
    return Problem("file", f"no attribute holds the desa code: name it with code_field "
                           f"(tried {', '.join(CODE_FIELDS)}; attributes found: {found})")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value \
        and abs(value) != float("inf")


def _geojson_polygons(geometry: Any) -> tuple[Geometry, str | None]:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        return [], f"geometry must be a Polygon or MultiPolygon, not {str(kind)[:40]}"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return [], "geometry has no coordinates"
    result: Geometry = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return [], "a polygon has no rings"
        rings = []
        for ring in polygon:
            if not isinstance(ring, list):
                return [], "a ring is not a list of positions"
            positions = []
            for p in ring:
                if not isinstance(p, list) or len(p) < 2 or not _number(p[0]) or not _number(p[1]):
                    return [], "a position is not [longitude, latitude]"
                positions.append([float(p[0]), float(p[1])])
            rings.append(positions)
        result.append(rings)
    return result, None


def read_shapefile(layer: Any, code_field: str | None) -> Read:
    """A Shapefile layer (``geo.shapes.read_zip``), projected to WGS84."""
    read = Read()
    crs = projection.identify(layer.prj or "")
    if crs is None:
        first = (layer.prj or "").split('"')[1:2]
        read.problems.append(Problem("projection", f"the projection {(first[0] if first else 'in .prj')[:120]} cannot be "
                                                   "read here (WGS84 and the UTM zones 46–54 N/S are): reproject with "
                                                   "the onboarding command (make onboard … --reproject)"))
        return read
    read.projection = crs.name
    read.code_field = _pick_field(layer.fields, code_field)
    if read.code_field is None:
        read.problems.append(_no_code_field(layer.fields, code_field))
        return read
    for record in layer.records:
        code = normalise_code(record.attributes.get(read.code_field))
        try:
            polygons = record.polygons if crs.geographic else projection.project_polygons(record.polygons, crs)
        except projection.ProjectionError as error:
            read.problems.append(_not_in(crs, error, record.index, code))
            continue
        read.candidates.append(Candidate(record.index, code,
                                         [[[[float(x), float(y)] for x, y, *_ in ring] for ring in p] for p in polygons]))
    return read


# --- the rules ----------------------------------------------------------------

def check(read: Read, region: RegionConfig, *, overlap_tolerance_m: float = OVERLAP_TOLERANCE_M,
          progress: Callable[[str, int, int], None] | None = None) -> Checked:
    """Every rule over what was read; the features to publish when there is
    no problem at all (``Checked.ok``)."""
    report = progress or (lambda step, done, total: None)
    result = Checked(problems=list(read.problems))
    if any(p.code in ("file", "projection") for p in read.problems):
        return result  # the file itself could not be read: nothing more to say of its content
    seen: dict[str, int] = {}
    kept: list[Candidate] = []
    total = len(read.candidates)
    for number, candidate in enumerate(read.candidates):
        if number % 50 == 0:
            report("checking", number, total)
        code, position = candidate.code, candidate.position
        problems = []
        if code is None:
            problems.append(Problem("unknown_code", "the feature has no desa code", position))
        elif code not in region.kelurahan:
            problems.append(Problem("unknown_code", f"{code} is not a desa/kelurahan of {region.name}", position, code))
        elif code in seen:
            problems.append(Problem("duplicate_code", f"{code} appears twice (features {seen[code]} and {position}): "
                                                      "put the parts of one desa in one MultiPolygon",
                                    position, code))
        else:
            seen[code] = position
        for polygon in candidate.polygons:
            for text in validity.polygon_problems(polygon):
                problems.append(Problem("geometry", text, position, code))
        result.problems.extend(problems)
        if not problems:
            kept.append(candidate)
    report("checking", total, total)
    for missing in sorted(set(region.kelurahan) - set(seen)):
        name = region.kelurahan[missing][0]
        result.problems.append(Problem("missing", f"{missing} ({name}) has no polygon", None, missing))
    geometries = [c.polygons for c in kept]
    for i in validity.outside(geometries):
        result.problems.append(Problem("outside", "positions lie outside Indonesia (is the file in another "
                                                  "projection, or are longitude and latitude swapped?)",
                                       kept[i].position, kept[i].code))
    outside = {kept[i].position for i in validity.outside(geometries)}
    for i in validity.far_from_rest(geometries, FAR_KM):
        if kept[i].position not in outside:
            result.problems.append(Problem("far", f"the desa lies more than {FAR_KM:g} km from the rest of the file",
                                           kept[i].position, kept[i].code))
    report("overlaps", 0, len(kept))
    for i, j, description in validity.overlaps(geometries, overlap_tolerance_m):
        result.problems.append(Problem("overlap", f"{kept[i].code} and {kept[j].code}: {description}",
                                       kept[i].position, kept[i].code))
    report("overlaps", len(kept), len(kept))
    if not result.problems:
        for candidate in kept:
            code = candidate.code or ""  # every kept candidate has an official code
            name, kecamatan_code, kecamatan = region.kelurahan[code]
            result.features.append((Place(code, name, kecamatan_code, kecamatan), candidate.polygons))
        result.features.sort(key=lambda pair: pair[0].kelurahan_code)
    return result
