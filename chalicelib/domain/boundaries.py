"""Validating a region's boundary upload: a GeoJSON FeatureCollection (WGS84)
with one (Multi)Polygon per desa/kelurahan of the region.  Every problem is
reported, so a regency's GIS officer can fix the file in one pass."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .geometry import geometry_problems
from .regions import RegionConfig

MAX_FEATURES = 5000


@dataclass
class Checked:
    features: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def check(collection: Any, region: RegionConfig) -> Checked:
    result = Checked()
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        result.problems.append({"feature": None, "problem": "the body must be a GeoJSON FeatureCollection"})
        return result
    crs = collection.get("crs")
    if crs is not None and "CRS84" not in str(crs) and "4326" not in str(crs):
        result.problems.append({"feature": None, "problem": f"coordinates must be WGS84 (CRS84), not {crs}"})
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        result.problems.append({"feature": None, "problem": "the collection has no features"})
        return result
    if len(features) > MAX_FEATURES:
        result.problems.append({"feature": None, "problem": f"more than {MAX_FEATURES} features"})
        return result
    seen: dict[str, int] = {}
    for position, feature in enumerate(features):
        def problem(text: str, code: str | None = None) -> None:
            result.problems.append({"feature": position, "kelurahan_code": code, "problem": text})

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problem("not a GeoJSON Feature")
            continue
        props = feature.get("properties") or {}
        code = props.get("kelurahan_code") if isinstance(props, dict) else None
        if not isinstance(code, str) or not code:
            problem("properties.kelurahan_code is missing")
            continue
        place = region.kelurahan.get(code)
        if place is None:
            problem(f"kelurahan_code {code} is not a desa/kelurahan of {region.name}", code)
        if code in seen:
            problem(f"kelurahan_code {code} appears twice (features {seen[code]} and {position})", code)
        seen[code] = position
        for text in geometry_problems(feature.get("geometry")):
            problem(text, code)
        if place is not None and not any(p.get("feature") == position for p in result.problems):
            result.features.append({
                "type": "Feature",
                "properties": {"kelurahan_code": code, "kelurahan": place[0], "kecamatan_code": place[1],
                               "kecamatan": place[2]},
                "geometry": feature["geometry"],
            })
    result.missing = sorted(set(region.kelurahan) - set(seen))
    return result
