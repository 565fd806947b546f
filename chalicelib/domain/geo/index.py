"""Locating a point among a region's desa/kelurahan polygons at full
precision, and the compact file the index is loaded from.

The file (``encode``/``decode``) is what a worker or the API reads from S3
once per cold start: a JSON header with each area's names, bounding box and
ring offsets, then every position as a pair of little-endian 32-bit integers
in units of 1e-7 degree (about 1 cm), the whole zlib-compressed.  A regency of
157 desa of 2,000 vertices is about 2.5 MB before compression; the positions
stay in one ``array`` (8 bytes a vertex), never in Python lists (about 60
bytes a vertex), so a province of 3,000 such desa fits in a Lambda too.

Locating a point (``AreaIndex.locate``):

* a uniform grid over the region's extent lists, per cell, the areas whose
  bounding box meets it: a point looks only at its cell's few candidates;
* within a candidate, each ring with many vertices gets (on first use) a band
  index: its edges bucketed by horizontal band, so the ray-casting test reads
  only the edges that can cross the point's latitude — a coastal desa of
  30,000 vertices costs a few dozen edge tests, not 30,000;
* the arithmetic is on integers, so it is exact: a point on a border is in
  both neighbours, and the one with the lowest code is answered, every time.
"""
from __future__ import annotations

import json
import struct
import sys
import zlib
from array import array
from typing import Any, Iterable, Sequence

import msgspec

MAGIC = b"ADB1"
SCALE = 10_000_000  # units per degree: 1e-7 degree is about 1.1 cm
GRID_CELLS_PER_AREA = 4
BAND_MIN_VERTICES = 64  # rings shorter than this are scanned whole
BAND_VERTICES = 8  # about this many edges per band

Position = Sequence[float]
Ring = Sequence[Position]
Polygon = Sequence[Ring]


class IndexFileError(ValueError):
    """The bytes are not an index file this code can read."""


class Place(msgspec.Struct, frozen=True):
    """What routing records of the area a point is in."""

    kelurahan_code: str
    kelurahan: str
    kecamatan_code: str
    kecamatan: str


class _Ring(msgspec.Struct):
    start: int  # index of its first vertex in the coordinate array
    count: int  # vertices, the closing one included
    box: tuple[int, int, int, int]
    bands: list[list[int]] | None = None
    band_low: int = 0
    band_height: float = 1.0


class _Area(msgspec.Struct):
    place: Place
    box: tuple[int, int, int, int]
    polygons: list[list[_Ring]]  # outer ring first, then holes


def _to_int(value: float) -> int:
    return int(round(value * SCALE))


class AreaIndex:
    """Finds the desa/kelurahan containing a point (see the module's
    docstring)."""

    def __init__(self, areas: list[_Area], coords: array) -> None:
        self._areas = sorted(areas, key=lambda a: a.place.kelurahan_code)
        self._coords = coords
        self._build_grid()

    # --- building ---------------------------------------------------------

    @classmethod
    def build(cls, features: Iterable[tuple[Place, Sequence[Polygon]]]) -> "AreaIndex":
        """From (place, polygons in [lon, lat]) pairs."""
        coords = array("i")
        areas = []
        for place, polygons in features:
            built = []
            for polygon in polygons:
                rings = []
                for ring in polygon:
                    start = len(coords) // 2
                    for position in ring:
                        coords.append(_to_int(position[0]))
                        coords.append(_to_int(position[1]))
                    rings.append(_ring(coords, start, len(ring)))
                if rings:
                    built.append(rings)
            if built:
                areas.append(_Area(place, _union([p[0].box for p in built]), built))
        return cls(areas, coords)

    @classmethod
    def from_features(cls, features: Iterable[dict[str, Any]]) -> "AreaIndex":
        """From GeoJSON features whose properties name the place."""
        pairs = []
        for feature in features:
            props = feature["properties"]
            geometry = feature["geometry"]
            polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            pairs.append((Place(props["kelurahan_code"], props["kelurahan"], props["kecamatan_code"],
                                props["kecamatan"]), polygons))
        return cls.build(pairs)

    def _build_grid(self) -> None:
        if not self._areas:
            self._extent = (0, 0, 0, 0)
            self._nx = self._ny = 1
            self._cells: list[list[int]] = [[]]
            return
        self._extent = _union([a.box for a in self._areas])
        x0, y0, x1, y1 = self._extent
        width, height = max(x1 - x0, 1), max(y1 - y0, 1)
        cells = max(1, GRID_CELLS_PER_AREA * len(self._areas))
        # square-ish cells over the extent
        self._nx = max(1, min(4096, int(round((cells * width / height) ** 0.5))))
        self._ny = max(1, min(4096, -(-cells // self._nx)))
        self._cw = width / self._nx
        self._ch = height / self._ny
        self._cells = [[] for _ in range(self._nx * self._ny)]
        for number, area in enumerate(self._areas):
            ax0, ay0, ax1, ay1 = area.box
            for cy in range(self._cell_y(ay0), self._cell_y(ay1) + 1):
                row = cy * self._nx
                for cx in range(self._cell_x(ax0), self._cell_x(ax1) + 1):
                    self._cells[row + cx].append(number)

    def _cell_x(self, x: int) -> int:
        return min(self._nx - 1, max(0, int((x - self._extent[0]) / self._cw)))

    def _cell_y(self, y: int) -> int:
        return min(self._ny - 1, max(0, int((y - self._extent[1]) / self._ch)))

    # --- answering --------------------------------------------------------

    def locate(self, lon: float, lat: float) -> Place | None:
        x, y = _to_int(lon), _to_int(lat)
        x0, y0, x1, y1 = self._extent
        if not (x0 <= x <= x1 and y0 <= y <= y1) or not self._areas:
            return None
        # candidates in code order (areas are sorted by code): a point on a
        # shared border resolves to the lowest code
        for number in self._cells[self._cell_y(y) * self._nx + self._cell_x(x)]:
            area = self._areas[number]
            bx0, by0, bx1, by1 = area.box
            if not (bx0 <= x <= bx1 and by0 <= y <= by1):
                continue
            for polygon in area.polygons:
                if self._in_ring(polygon[0], x, y) and not any(self._in_ring(h, x, y) == 1 for h in polygon[1:]):
                    return area.place
        return None

    def candidates(self, lon: float, lat: float) -> int:
        """How many areas a lookup of this point looks at (for measuring)."""
        x, y = _to_int(lon), _to_int(lat)
        x0, y0, x1, y1 = self._extent
        if not (x0 <= x <= x1 and y0 <= y <= y1) or not self._areas:
            return 0
        return len(self._cells[self._cell_y(y) * self._nx + self._cell_x(x)])

    def _in_ring(self, ring: _Ring, x: int, y: int) -> int:
        """0 outside, 1 strictly inside, 2 on the ring (which counts as
        inside an outer ring and as outside a hole: a point on a hole's
        edge belongs to the area around the hole)."""
        bx0, by0, bx1, by1 = ring.box
        if not (bx0 <= x <= bx1 and by0 <= y <= by1):
            return 0
        c = self._coords
        if ring.count < BAND_MIN_VERTICES:
            edges: Iterable[int] = range(ring.start, ring.start + ring.count - 1)
        else:
            bands = ring.bands if ring.bands is not None else _band(ring, c)
            edges = bands[min(len(bands) - 1, max(0, int((y - ring.band_low) / ring.band_height)))]
        inside = False
        for i in edges:
            xi, yi, xj, yj = c[2 * i], c[2 * i + 1], c[2 * i + 2], c[2 * i + 3]
            if (yi > y) != (yj > y):
                # which side of the edge the point is, exactly, in integers
                side = (x - xi) * (yj - yi) - (xj - xi) * (y - yi)
                if side == 0:
                    return 2
                if (side < 0) == (yj > yi):
                    inside = not inside
            elif yi == y == yj and min(xi, xj) <= x <= max(xi, xj):
                return 2  # on a horizontal edge
            elif (yi == y and xi == x) or (yj == y and xj == x):
                return 2  # on a vertex
        return 1 if inside else 0

    def __len__(self) -> int:
        return len(self._areas)

    @property
    def places(self) -> list[Place]:
        return [a.place for a in self._areas]

    @property
    def vertices(self) -> int:
        return len(self._coords) // 2

    # --- the file ---------------------------------------------------------

    def encode(self) -> bytes:
        header = {
            "format": 1, "scale": SCALE,
            "areas": [
                {"code": a.place.kelurahan_code, "name": a.place.kelurahan,
                 "kecamatan_code": a.place.kecamatan_code, "kecamatan": a.place.kecamatan,
                 "polygons": [[[r.start, r.count] for r in polygon] for polygon in a.polygons]}
                for a in self._areas
            ],
        }
        text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
        coords = self._coords
        if sys.byteorder != "little":  # pragma: no cover - every Lambda and CI host is little-endian
            coords = array("i", coords)
            coords.byteswap()
        return MAGIC + zlib.compress(struct.pack("<I", len(text)) + text + coords.tobytes(), 6)


def decode(data: bytes) -> AreaIndex:
    """The index written by ``AreaIndex.encode``; ``IndexFileError`` if the
    bytes are not one."""
    if not data.startswith(MAGIC):
        raise IndexFileError("not an area index file")
    try:
        raw = zlib.decompress(data[len(MAGIC):])
        (length,) = struct.unpack_from("<I", raw)
        header = json.loads(raw[4:4 + length])
        coords = array("i")
        coords.frombytes(raw[4 + length:])
    except (zlib.error, struct.error, ValueError) as error:
        raise IndexFileError(f"unreadable area index file: {error}") from None
    if sys.byteorder != "little":  # pragma: no cover
        coords.byteswap()
    if header.get("format") != 1 or header.get("scale") != SCALE:
        raise IndexFileError("unknown area index format")
    areas = []
    for entry in header["areas"]:
        polygons = [[_ring(coords, start, count) for start, count in polygon] for polygon in entry["polygons"]]
        if polygons:
            areas.append(_Area(Place(entry["code"], entry["name"], entry["kecamatan_code"], entry["kecamatan"]),
                               _union([p[0].box for p in polygons]), polygons))
    return AreaIndex(areas, coords)


def _ring(coords: array, start: int, count: int) -> _Ring:
    xs = coords[2 * start:2 * (start + count):2]
    ys = coords[2 * start + 1:2 * (start + count):2]
    if not xs:
        return _Ring(start, 0, (1, 1, 0, 0))  # an empty ring contains nothing
    return _Ring(start, count, (min(xs), min(ys), max(xs), max(ys)))


def _band(ring: _Ring, coords: array) -> list[list[int]]:
    """Bucket the ring's edges by horizontal band (see the module docstring)."""
    _, y0, _, y1 = ring.box
    count = max(1, ring.count // BAND_VERTICES)
    height = max(1.0, (y1 - y0) / count)
    bands: list[list[int]] = [[] for _ in range(count)]
    last = count - 1
    for i in range(ring.start, ring.start + ring.count - 1):
        yi, yj = coords[2 * i + 1], coords[2 * i + 3]
        low, high = (yi, yj) if yi <= yj else (yj, yi)
        first = min(last, int((low - y0) / height))
        for band in range(first, min(last, int((high - y0) / height)) + 1):
            bands[band].append(i)
    ring.band_low, ring.band_height, ring.bands = y0, height, bands
    return bands


def _union(boxes: Sequence[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
