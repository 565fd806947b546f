"""Boundaries at real size: the figures of ``make bench`` for a regency's
official desa polygons (157 desa of ~2,000 vertices, one of 30,000, an
island and a lake: ``tests/support/boundaries.py``) and for a province of
3,000 desa of ~2,000 vertices.

Printed: the boundary worker's steps for the regency's GeoJSON (read,
check, simplify, write the files) — the upload-to-switch time less S3's
transfer; the size of each file against the full one; the routing index's
cold load (decompress and parse the file a worker or the API reads once per
cold start) and the time to locate a point, at full precision.
"""
from __future__ import annotations

import gzip
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _median_time(run: Any, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _locate_figures(label: str, index: Any, box: tuple[float, float, float, float], points: int = 20_000) -> None:
    """Two passes over the same random points: the first builds each
    touched ring's band index (what the first reports after a cold start
    pay), the second is the steady state."""
    rng = random.Random(7)
    west, south, east, north = box
    probes = [(rng.uniform(west, east), rng.uniform(south, north)) for _ in range(points)]
    timings = []
    found = 0
    for _ in range(2):
        started = time.perf_counter()
        found = sum(1 for lon, lat in probes if index.locate(lon, lat) is not None)
        timings.append((time.perf_counter() - started) / points)
    print(f"  locate among {label}: {timings[1] * 1e6:.1f} µs a point warm, {timings[0] * 1e6:.1f} µs on first "
          f"touch of each desa (mean of {points:,} random points, {found / points:.0%} inside a desa)")


def main() -> None:
    from chalicelib.domain import areas
    from chalicelib.domain import boundaries as rules
    from chalicelib.domain import reports as clock
    from chalicelib.domain.geo import index as geo_index
    from chalicelib.domain.geo import topology
    from chalicelib.domain.regions import RegionConfig
    from chalicelib.services.boundaries.files import DISPLAY_LEVELS_M, _collection, _rounded
    from chalicelib.services.onboarding import new_region_record
    from devstack import demo_region
    from support import boundaries as gen

    print("boundaries (tests/support/boundaries.py: generated with realistic detail)")
    regency = areas.regency(demo_region.KEMENDAGRI_CODE)
    assert regency is not None
    region = RegionConfig.from_record(new_region_record("bench", regency, "WIB", clock.now_utc()))
    fc = gen.realistic_region()
    data = gen.geojson_bytes(fc)
    import msgspec

    steps: dict[str, float] = {}
    started = time.perf_counter()
    read = rules.read_geojson(msgspec.json.decode(data), None)
    steps["read"] = time.perf_counter() - started
    started = time.perf_counter()
    checked = rules.check(read, region)
    steps["check"] = time.perf_counter() - started
    assert checked.ok, checked.problems[:3]
    places = [p for p, _ in checked.features]
    geometries = [g for _, g in checked.features]
    started = time.perf_counter()
    index_bytes = geo_index.AreaIndex.build(checked.features).encode()
    full = _collection(places, [_rounded(g, 7) for g in geometries], "bench", None)
    steps["index+full"] = time.perf_counter() - started
    started = time.perf_counter()
    levels = topology.simplify(geometries, [float(m) for m in DISPLAY_LEVELS_M])
    steps["simplify"] = time.perf_counter() - started
    started = time.perf_counter()
    displays = [_collection(places, level, "bench", m) for m, level in zip(DISPLAY_LEVELS_M, levels, strict=True)]
    steps["display"] = time.perf_counter() - started
    vertices = sum(len(r) for g in geometries for p in g for r in p)
    print(f"  regency: {len(places)} desa, {vertices:,} vertices, GeoJSON upload {len(data) / 2**20:.1f} MB")
    print("  worker steps (s): " + ", ".join(f"{k} {v:.2f}" for k, v in steps.items())
          + f"; total {sum(steps.values()):.2f} (upload-to-switch, less S3 transfers)")
    print(f"  files: index.bin {len(index_bytes) / 2**20:.2f} MB, full.geojson {len(full) / 2**20:.2f} MB "
          f"({len(gzip.compress(full, 6)) / 2**20:.2f} MB gzip)")
    for metres, body, level in zip(DISPLAY_LEVELS_M, displays, levels, strict=True):
        kept = sum(len(r) for g in level for p in g for r in p)
        print(f"    display {metres:>3} m: {len(body) / 2**10:,.0f} KB ({len(gzip.compress(body, 6)) / 2**10:,.0f} KB gzip), "
              f"{kept:,} vertices ({kept / vertices:.1%} of full)")
    load = _median_time(lambda: geo_index.decode(index_bytes), 5)
    print(f"  cold load of the regency's index.bin ({len(index_bytes) / 2**20:.2f} MB): {load * 1000:.0f} ms")
    west, south, east, north = demo_region.BBOX
    _locate_figures("157 desa (~2,000 vertices each, one of 30,000)", geo_index.decode(index_bytes),
                    (west, south - 0.05, east, north))

    started = time.perf_counter()
    province = gen.province_grid()
    made = time.perf_counter() - started
    features = [(geo_index.Place(f["properties"]["KDEPUM"], "x", "y", "z"),
                 [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"])
                for f in province["features"]]
    province_vertices = sum(len(r) for _, g in features for p in g for r in p)
    province_bytes = geo_index.AreaIndex.build(features).encode()
    del province
    load = _median_time(lambda: geo_index.decode(province_bytes), 3)
    print(f"  province: {len(features):,} desa, {province_vertices:,} vertices (generated in {made:.0f} s); "
          f"index.bin {len(province_bytes) / 2**20:.1f} MB, cold load {load * 1000:.0f} ms")
    _locate_figures("3,000 desa (a province)", geo_index.decode(province_bytes), (111.0, -8.6, 114.6, -7.0))
    started = time.perf_counter()
    province_levels = topology.simplify([g for _, g in features], [200.0])
    simplified = time.perf_counter() - started
    served = _collection([p for p, _ in features], province_levels[0], "bench", 200)
    print(f"  province display at 200 m: {len(served) / 2**20:.2f} MB ({len(gzip.compress(served, 6)) / 2**20:.2f} MB "
          f"gzip), simplified in {simplified:.0f} s — the GET …/boundaries reply of a province (Lambda's limit: 6 MB)")


if __name__ == "__main__":
    main()
