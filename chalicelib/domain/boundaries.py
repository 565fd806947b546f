"""Validating a region's boundary upload: a GeoJSON FeatureCollection (WGS84)
with one (Multi)Polygon per desa/kelurahan of the region.

Its shape (types, numeric positions, known members) is the contract's
(``contract.regions.BoundaryUpload``); here are the rules about its content.
Every problem is reported, so a regency's GIS officer can fix the file in one
pass.  Only the canonical geometry (type and positions) and the official names
are kept: whatever else the file carried is not stored."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .geometry import geometry_problems
from .regions import RegionConfig


@dataclass
class Checked:
    features: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def canonical_geometry(geometry: Any) -> dict[str, Any]:
    """``{"type", "coordinates"}`` of a decoded (Multi)Polygon, nothing else."""
    return {"type": type(geometry).__struct_config__.tag, "coordinates": geometry.coordinates}


def check(collection: Any, region: RegionConfig) -> Checked:
    """``collection`` is a decoded ``contract.regions.BoundaryUpload``."""
    result = Checked()
    crs = collection.crs
    if crs is not None and "CRS84" not in str(crs) and "4326" not in str(crs):
        result.problems.append({"feature": None, "problem": f"coordinates must be WGS84 (CRS84), not {str(crs)[:200]}"})
    seen: dict[str, int] = {}
    for position, feature in enumerate(collection.features):
        code = feature.properties.kelurahan_code
        problems = []
        place = region.kelurahan.get(code)
        if place is None:
            problems.append(f"kelurahan_code {code} is not a desa/kelurahan of {region.name}")
        if code in seen:
            problems.append(f"kelurahan_code {code} appears twice (features {seen[code]} and {position})")
        seen[code] = position
        geometry = canonical_geometry(feature.geometry)
        problems.extend(geometry_problems(geometry))
        result.problems.extend({"feature": position, "kelurahan_code": code, "problem": text} for text in problems)
        if place is not None and not problems:
            result.features.append({
                "type": "Feature",
                "properties": {"kelurahan_code": code, "kelurahan": place[0], "kecamatan_code": place[1],
                               "kecamatan": place[2]},
                "geometry": geometry,
            })
    result.missing = sorted(set(region.kelurahan) - set(seen))
    return result
