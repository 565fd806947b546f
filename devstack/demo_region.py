"""The demo region: Kabupaten Trenggalek (Kemendagri 35.03).

Its kecamatan and desa/kelurahan names and codes are the official ones
(``chalicelib/data/areas/35.03.json``, from ``idn-area-data``, ODbL).  Its
agencies and categories are the defaults drawn from the articles.

Its *polygons are not real*: no official boundaries are available offline,
so ``demo_boundaries`` tiles the regency's real bounding box with one
rectangle per desa, grouped by kecamatan.  They are labelled as demo data in
every feature, and they are in the format (GeoJSON, WGS84) a regency uploads
for real.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from chalicelib.domain.regions import DEFAULT_AGENCIES, default_categories

AREAS_DIR = Path(__file__).resolve().parent.parent / "chalicelib" / "data" / "areas"

REGION_ID = "trenggalek"
KEMENDAGRI_CODE = "35.03"
# The regency's real extent, roughly: lat -8.43..-7.90, lon 111.40..111.95.
BBOX = (111.40, -8.43, 111.95, -7.90)  # west, south, east, north
DEMO_NOTE = "DEMO GEOMETRY: generated rectangles inside the real bounding box, not official boundaries"


def load_areas(kemendagri_code: str) -> dict[str, Any]:
    return json.loads((AREAS_DIR / f"{kemendagri_code}.json").read_text(encoding="utf-8"))


def region_record(region_id: str, kemendagri_code: str, time_zone: str, now: str) -> dict[str, Any]:
    areas = load_areas(kemendagri_code)
    return {
        "region_id": region_id,
        "name": areas["name"],
        "kemendagri_code": kemendagri_code,
        "time_zone": time_zone,
        "status": "trial",
        "categories": default_categories(),
        "agencies": [dict(a) for a in DEFAULT_AGENCIES],
        "areas": [
            {"code": kec["code"], "name": kec["name"],
             "kelurahan": [{"code": k["code"], "name": k["name"], "type": k["type"]} for k in kec["kelurahan"]]}
            for kec in areas["kecamatan"]
        ],
        "areas_source": areas["source"],
        "boundaries_version": 0,
        "created_at": now,
        "updated_at": now,
    }


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
    areas = load_areas(kemendagri_code)
    features = []
    kecamatan = areas["kecamatan"]
    for kec, kec_box in zip(kecamatan, _cells(box, len(kecamatan))):
        for kel, (w, s, e, n) in zip(kec["kelurahan"], _cells(kec_box, len(kec["kelurahan"]))):
            features.append({
                "type": "Feature",
                "properties": {
                    "kelurahan_code": kel["code"], "kelurahan": kel["name"],
                    "kecamatan_code": kec["code"], "kecamatan": kec["name"],
                    "demo": True,
                },
                "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]},
            })
    return {"type": "FeatureCollection", "name": f"{areas['name']} ({DEMO_NOTE})", "features": features}
