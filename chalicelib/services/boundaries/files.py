"""Publishing a region's boundaries and reading them back.

A new version is a folder of files in the bucket (``bucket``):
the compact routing index at full precision, the full-precision GeoJSON for
download, and display GeoJSON simplified at ``DISPLAY_LEVELS_M`` with shared
borders kept (``domain.geo.topology``).  Only when every file is written does
the region item point at the folder (one conditional UpdateItem): readers see
the old version or the new one, never a mix.

Readers: routing (the worker, and the API placing a project) loads the
index once per process and version (one GetObject); ``GET …/boundaries``
answers the most detailed display level under ``SERVED_MAX_BYTES`` and links
every file, which clients fetch from S3/CloudFront, not through Lambda.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Sequence

import msgspec

from ...contract import regions as contract
from ...domain.geo import index as geo_index
from ...domain.geo.index import AreaIndex, Place
from ...domain.regions import RegionConfig
from ...store import regions as region_store
from . import bucket

# Display tolerances, in metres: a street map of one kecamatan, a regency,
# a province.  The full-precision file is always there too.
DISPLAY_LEVELS_M = (10, 50, 200)
# The GeoJSON ``GET …/boundaries`` answers: the most detailed level at most
# this big (Lambda refuses a reply over 6 MB; a phone on 3G should not wait).
SERVED_MAX_BYTES = 1_500_000
LINK_SECONDS = 3600
# Processes keep the indexes of this many boundary versions (a province's
# is tens of MB).
INDEXES_KEPT = 8

Geometry = Sequence[Sequence[Sequence[Sequence[float]]]]


class Published(msgspec.Struct, frozen=True):
    version: int
    files: dict[str, Any]
    seconds: dict[str, float]


def _geometry_json(polygons: Geometry) -> dict[str, Any]:
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _collection(places: Sequence[Place], geometries: Sequence[Geometry], region_id: str,
                tolerance_m: int | None) -> bytes:
    return msgspec.json.encode({
        "type": "FeatureCollection", "region_id": region_id, "tolerance_m": tolerance_m,
        "features": [{"type": "Feature",
                      "properties": {"kelurahan_code": p.kelurahan_code, "kelurahan": p.kelurahan,
                                     "kecamatan_code": p.kecamatan_code, "kecamatan": p.kecamatan},
                      "geometry": _geometry_json(g)} for p, g in zip(places, geometries, strict=True)]})


def _rounded(polygons: Geometry, digits: int) -> list[Any]:
    return [[[[round(x, digits), round(y, digits)] for x, y, *_ in ring] for ring in polygon] for polygon in polygons]


def _vertices(geometries: Sequence[Geometry]) -> int:
    return sum(len(ring) for g in geometries for polygon in g for ring in polygon)


def publish(region: RegionConfig, folder: str, features: Sequence[tuple[Place, Geometry]], note: str | None,
            progress: Callable[[str, int, int], None] | None = None) -> Published:
    """Write every file of a new version, then switch the region to it."""
    report = progress or (lambda step, done, total: None)
    seconds: dict[str, float] = {}
    places = [place for place, _ in features]
    geometries = [geometry for _, geometry in features]
    sizes: dict[str, int] = {}
    vertices: dict[str, int] = {"full": _vertices(geometries)}

    started = time.perf_counter()
    report("writing", 0, len(DISPLAY_LEVELS_M) + 2)
    sizes["index.bin"] = bucket.put_file(region.region_id, folder, "index.bin", AreaIndex.build(features).encode(),
                                        "application/octet-stream")
    sizes["full.geojson"] = bucket.put_file(
        region.region_id, folder, "full.geojson",
        _collection(places, [_rounded(g, 7) for g in geometries], region.region_id, None), "application/geo+json")
    seconds["write_full"] = time.perf_counter() - started

    started = time.perf_counter()
    report("simplifying", 0, len(DISPLAY_LEVELS_M))
    from ...domain.geo import topology  # the worker's: not imported at every cold start

    levels = topology.simplify(geometries, [float(m) for m in DISPLAY_LEVELS_M])
    seconds["simplify"] = time.perf_counter() - started

    started = time.perf_counter()
    served = DISPLAY_LEVELS_M[-1]
    for metres, simplified in zip(DISPLAY_LEVELS_M, levels, strict=True):
        name = display_name(metres)
        body = _collection(places, simplified, region.region_id, metres)
        sizes[name] = bucket.put_file(region.region_id, folder, name, body, "application/geo+json")
        sizes[f"{name}.raw"] = len(body)
        vertices[str(metres)] = _vertices(simplified)
        if len(body) <= SERVED_MAX_BYTES and metres < served:
            served = metres
    seconds["write_display"] = time.perf_counter() - started
    report("writing", len(DISPLAY_LEVELS_M) + 2, len(DISPLAY_LEVELS_M) + 2)
    files = {"id": folder, "levels": list(DISPLAY_LEVELS_M), "served": served, "bytes": sizes,
             "vertices": vertices, "features": len(features)}
    version = region_store.switch_boundaries(region.region_id, files, note)
    return Published(version=version, files=files, seconds=seconds)


def display_name(metres: int) -> str:
    return f"display-{metres}m.geojson"


# --- reading --------------------------------------------------------------------

class _Lru:
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, load: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = load()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_indexes = _Lru(INDEXES_KEPT)
_display = _Lru(INDEXES_KEPT)
_EMPTY = AreaIndex.build([])


def clear_caches() -> None:
    _indexes.clear()
    _display.clear()


def area_index(region: RegionConfig) -> AreaIndex:
    """The region's routing index at full precision: one GetObject per
    process and version (a version's files never change)."""
    files = region.boundaries_files
    if not files:
        return _EMPTY
    return _indexes.get((region.region_id, files["id"]), lambda: geo_index.decode(
        bucket.get_file(region.region_id, files["id"], "index.bin")))


class _Display(msgspec.Struct):
    features: list[contract.BoundaryFeature]


def boundaries_view(region: RegionConfig) -> contract.Boundaries:
    files = region.boundaries_files
    if not files:
        return contract.Boundaries(type="FeatureCollection", region_id=region.region_id,
                                   version=region.boundaries_version, features=[], tolerance_m=None, links=None)
    served = int(files["served"])
    features = _display.get((region.region_id, files["id"], served), lambda: msgspec.json.decode(
        bucket.get_file(region.region_id, files["id"], display_name(served)), type=_Display).features)
    return contract.Boundaries(type="FeatureCollection", region_id=region.region_id,
                               version=region.boundaries_version, features=features, tolerance_m=served,
                               links=links(region))


def links(region: RegionConfig) -> contract.BoundaryLinks | None:
    files = region.boundaries_files
    if not files:
        return None
    sizes, vertices = files.get("bytes") or {}, files.get("vertices") or {}

    def link(name: str, metres: int | None) -> contract.BoundaryFile:
        return contract.BoundaryFile(
            tolerance_m=metres, url=bucket.file_url(region.region_id, files["id"], name, LINK_SECONDS),
            bytes=int(sizes.get(name, 0)), vertices=int(vertices.get(str(metres) if metres else "full", 0)))

    return contract.BoundaryLinks(full=link("full.geojson", None),
                                  display=[link(display_name(int(m)), int(m)) for m in files.get("levels") or []])


def folder_id() -> str:
    """A new, time-ordered id (32 hex digits): an upload's, and its
    version's folder."""
    import secrets

    return f"{int(time.time() * 1000):012x}{secrets.token_hex(10)}"


