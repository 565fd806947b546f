"""Seed the demo region into whatever the store points at."""
from __future__ import annotations

from chalicelib.domain import reports as report_rules
from chalicelib.store import regions as region_store

from . import demo_region


def seed_demo_region(region_id: str = demo_region.REGION_ID) -> dict[str, int]:
    """Create the demo region and its demo polygons unless they exist."""
    existing = region_store.get(region_id)
    if existing is None:
        now = report_rules.iso_utc(report_rules.now_utc())
        region_store.put(demo_region.region_record(region_id, demo_region.KEMENDAGRI_CODE, "WIB", now))
    record = region_store.get(region_id)
    assert record is not None
    polygons = 0
    if not record["boundaries_version"]:
        features = demo_region.demo_boundaries()["features"]
        polygons = region_store.put_boundaries(region_id, 1, features, demo_region.DEMO_NOTE)
    kelurahan = sum(len(kec["kelurahan"]) for kec in record["areas"])
    return {"kecamatan": len(record["areas"]), "kelurahan": kelurahan, "polygons_written": polygons,
            "categories": len(record["categories"]), "agencies": len(record["agencies"])}
