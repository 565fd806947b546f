"""The demo region: Kabupaten Trenggalek (Kemendagri 35.03).

Its kecamatan and desa/kelurahan names and codes are the official ones
(``chalicelib/data/areas/indonesia.csv.xz``, from ``idn-area-data``, ODbL).  Its
agencies and categories are the defaults drawn from the articles.

Its *polygons are not real*: no official boundaries are available offline,
so ``demo_boundaries`` tiles the regency's real bounding box with one
rectangle per desa, grouped by kecamatan.  They are labelled as demo data in
every feature, and they are in the format (GeoJSON, WGS84) a regency uploads
for real.
"""
from __future__ import annotations

import math
from typing import Any

from chalicelib.domain import areas

REGION_ID = "trenggalek"
KEMENDAGRI_CODE = "35.03"
# The regency's real extent, roughly: lat -8.43..-7.90, lon 111.40..111.95.
BBOX = (111.40, -8.43, 111.95, -7.90)  # west, south, east, north
DEMO_NOTE = "DEMO GEOMETRY: generated rectangles inside the real bounding box, not official boundaries"


def region_record(region_id: str, kemendagri_code: str, time_zone: str | None = None) -> dict[str, Any]:
    """A new region's record, as onboarding creates it (the demo region is
    seeded directly, without the HTTP API)."""
    from chalicelib.domain import reports as rules
    from chalicelib.services.onboarding import new_region_record

    regency = areas.regency(kemendagri_code)
    assert regency is not None, kemendagri_code
    return new_region_record(region_id, regency, time_zone or regency.time_zone, rules.now_utc())


def _grid(count: int) -> tuple[int, int]:
    cols = math.ceil(math.sqrt(count))
    rows = math.ceil(count / cols)
    return cols, rows


def _cells(box: tuple[float, float, float, float], count: int) -> list[tuple[float, float, float, float]]:
    """Split ``box`` into ``count`` rectangles that cover it exactly: a grid
    whose last row is stretched to fill the width."""
    west, south, east, north = box
    cols, rows = _grid(count)
    height = (north - south) / rows
    cells = []
    for row in range(rows):
        in_row = min(cols, count - row * cols)
        width = (east - west) / in_row
        top = north - row * height
        bottom = south if row == rows - 1 else top - height
        for col in range(in_row):
            left = west + col * width
            right = east if col == in_row - 1 else left + width
            cells.append((round(left, 6), round(bottom, 6), round(right, 6), round(top, 6)))
    return cells


def demo_boundaries(kemendagri_code: str = KEMENDAGRI_CODE, box: tuple[float, float, float, float] = BBOX) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with one polygon per desa/kelurahan."""
    regency = areas.regency(kemendagri_code)
    assert regency is not None, kemendagri_code
    features = []
    kecamatan = regency.kecamatan
    for kec, kec_box in zip(kecamatan, _cells(box, len(kecamatan)), strict=True):
        for kel, (w, s, e, n) in zip(kec["kelurahan"], _cells(kec_box, len(kec["kelurahan"])), strict=True):
            features.append({
                "type": "Feature",
                "properties": {
                    "kelurahan_code": kel["code"], "kelurahan": kel["name"],
                    "kecamatan_code": kec["code"], "kecamatan": kec["name"],
                    "demo": True,
                },
                "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]},
            })
    return {"type": "FeatureCollection", "name": f"{regency.name} ({DEMO_NOTE})", "features": features}
