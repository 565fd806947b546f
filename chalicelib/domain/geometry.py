"""Plane geometry on WGS84 longitude/latitude, enough for routing a point to
the kelurahan/desa polygon that contains it.

At the scale of a regency (tens of kilometres) treating degrees as planar
coordinates is exact enough for point-in-polygon: boundaries are straight
segments between surveyed vertices, and the tests are on which side of a
segment a point lies, which is invariant under the small distortion.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

Ring = Sequence[Sequence[float]]  # [[lon, lat], ...], first == last
Polygon = Sequence[Ring]  # outer ring, then holes


def _ring_contains(ring: Ring, lon: float, lat: float) -> bool:
    """Even-odd ray casting.  A point exactly on an edge counts as inside, so
    that a point on a shared border is never dropped between two polygons."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        # on the segment?
        if min(yi, yj) <= lat <= max(yi, yj) and min(xi, xj) <= lon <= max(xi, xj):
            cross = (xj - xi) * (lat - yi) - (yj - yi) * (lon - xi)
            if abs(cross) <= 1e-12:
                return True
        if (yi > lat) != (yj > lat):
            x_cross = (xj - xi) * (lat - yi) / (yj - yi) + xi
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def polygon_contains(polygon: Polygon, lon: float, lat: float) -> bool:
    if not polygon or not _ring_contains(polygon[0], lon, lat):
        return False
    return not any(_ring_contains(hole, lon, lat) for hole in polygon[1:])


def polygons_of(geometry: dict[str, Any]) -> list[Polygon]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"not a polygon geometry: {kind!r}")


def bbox(polygons: Iterable[Polygon]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for polygon in polygons:
        for x, y, *_ in polygon[0]:
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def geometry_problems(geometry: Any) -> list[str]:
    """Why a GeoJSON geometry is not a usable (Multi)Polygon; empty if it is."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return ["geometry must be a GeoJSON Polygon or MultiPolygon"]
    try:
        polygons = polygons_of(geometry)
    except (KeyError, TypeError):
        return ["geometry has no coordinates"]
    problems = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            problems.append("a polygon has no rings")
            continue
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                problems.append("a ring has fewer than 4 positions")
                continue
            for position in ring:
                if (not isinstance(position, list) or len(position) < 2
                        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in position[:2])):
                    problems.append("a position is not [longitude, latitude]")
                    break
                if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
                    problems.append("a position is outside WGS84 longitude/latitude ranges")
                    break
            else:
                if list(ring[0][:2]) != list(ring[-1][:2]):
                    problems.append("a ring is not closed (first and last positions differ)")
    return problems


@dataclass(frozen=True)
class Area:
    """One kelurahan/desa polygon with the names routing records."""

    kelurahan_code: str
    kelurahan: str
    kecamatan_code: str
    kecamatan: str
    polygons: tuple[Polygon, ...]
    box: tuple[float, float, float, float]

    def contains(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.box
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        return any(polygon_contains(p, lon, lat) for p in self.polygons)


class AreaIndex:
    """Finds the kelurahan/desa containing a point.  Candidates are narrowed by
    bounding box first, so a lookup touches only the few polygons near it."""

    def __init__(self, areas: Iterable[Area]) -> None:
        self.areas = sorted(areas, key=lambda a: a.kelurahan_code)

    @classmethod
    def from_features(cls, features: Iterable[dict[str, Any]]) -> "AreaIndex":
        areas = []
        for feature in features:
            props = feature["properties"]
            polygons = tuple(polygons_of(feature["geometry"]))
            areas.append(Area(
                kelurahan_code=props["kelurahan_code"],
                kelurahan=props["kelurahan"],
                kecamatan_code=props["kecamatan_code"],
                kecamatan=props["kecamatan"],
                polygons=polygons,
                box=bbox(polygons),
            ))
        return cls(areas)

    def locate(self, lon: float, lat: float) -> Area | None:
        # Sorted by code, so a point on a shared border resolves to the same
        # area every time.
        for area in self.areas:
            if area.contains(lon, lat):
                return area
        return None

    def __len__(self) -> int:
        return len(self.areas)
