"""Whether a region's desa polygons are usable: valid rings, holes inside
their outer ring, positions in Indonesia and near the rest of the file, and no
two desa overlapping by more than a tolerance.

Pure Python (the Lambda package stays small), fast enough for a desa of 30,000
vertices and a province of thousands of desa:

* crossings are decided on the coordinates as given (WGS84 [lon, lat]
  floats) with robust orientation predicates: a floating-point filter with
  Shewchuk's error bound, and exact rational arithmetic (``fractions``) when
  the filter cannot decide, so collinear and touching cases are exact;
* segments are hashed into a uniform grid (cell about twice the mean segment
  length; a long segment goes into every cell it passes through) and only
  segments sharing a cell are compared;
* distances and tolerances are in metres, in a local equirectangular frame
  (x = lon·cos(lat0)·111320, y = lat·110574, lat0 the middle latitude of the
  data): within 11 degrees of the equator and at a province's scale the error
  is well under one percent, far below any tolerance used here.

Conventions: a ring is a list of [lon, lat] positions, closed (first == last);
a polygon is a list of rings (outer first, then holes); a feature's geometry is
a list of polygons.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Iterable, Iterator, Sequence

Position = Sequence[float]
Ring = Sequence[Position]
Polygon = Sequence[Ring]
Geometry = Sequence[Polygon]
Box = tuple[float, float, float, float]  # west, south, east, north

INDONESIA: Box = (94.0, -11.5, 142.0, 6.5)
M_PER_DEG_LON = 111_320.0  # at the equator; times cos(lat0)
M_PER_DEG_LAT = 110_574.0
MIN_AREA_M2 = 1.0  # a ring smaller than a square metre is a digitising slip, not a desa, hole or island

_ORIENT_BOUND = 3.3306690738754716e-16  # (3 + 16 eps) eps: Shewchuk's orient2d filter
_SLACK = 1e-7  # of a cell: rounding in the grid arithmetic never drops a cell a segment touches
_K = 1 << 32  # a grid cell's key: column * _K + row


class LocalFrame:
    """Metres in a local equirectangular frame around latitude ``lat0``."""

    __slots__ = ("lat0", "kx", "ky")

    def __init__(self, lat0: float) -> None:
        self.lat0 = max(-85.0, min(85.0, lat0))
        self.kx = math.cos(math.radians(self.lat0)) * M_PER_DEG_LON
        self.ky = M_PER_DEG_LAT

    @classmethod
    def around(cls, geometries: Sequence[Geometry]) -> LocalFrame:
        """The frame at the middle latitude of the geometries' outer rings."""
        low, high = math.inf, -math.inf
        for geometry in geometries:
            for polygon in geometry:
                if polygon and polygon[0]:
                    lats = [p[1] for p in polygon[0]]
                    low, high = min(low, min(lats)), max(high, max(lats))
        return cls((low + high) / 2 if low <= high and math.isfinite(low + high) else 0.0)

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        return x / self.kx, y / self.ky


# --- exact predicates ---------------------------------------------------------------

def _orient(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> int:
    """+1 if a, b, c turn counter-clockwise, -1 clockwise, 0 if collinear:
    exact for floats and ints (rational arithmetic when the filter cannot tell)."""
    left = (ax - cx) * (by - cy)
    right = (ay - cy) * (bx - cx)
    det = left - right
    bound = _ORIENT_BOUND * (abs(left) + abs(right))
    if det > bound:
        return 1
    if -det > bound:
        return -1
    if bound == 0 or isinstance(det, int):
        return (det > 0) - (det < 0)  # both products exactly zero, or integers: exact already
    exact = (Fraction(ax) - Fraction(cx)) * (Fraction(by) - Fraction(cy)) \
        - (Fraction(ay) - Fraction(cy)) * (Fraction(bx) - Fraction(cx))
    return (exact > 0) - (exact < 0)


def _contact(ax: float, ay: float, bx: float, by: float,
             cx: float, cy: float, dx: float, dy: float) -> tuple[str, float, float] | None:
    """How segments a-b and c-d meet (neither of zero length): None, or
    ("cross", x, y) where they cross at a point inside both, ("touch", x, y)
    where an end of one lies on the other, ("overlap", x, y) where they run
    along each other for a positive length."""
    d1 = _orient(cx, cy, dx, dy, ax, ay)
    d2 = _orient(cx, cy, dx, dy, bx, by)
    if d1 == d2 and d1 != 0:
        return None
    d3 = _orient(ax, ay, bx, by, cx, cy)
    d4 = _orient(ax, ay, bx, by, dx, dy)
    if d3 == d4 and d3 != 0:
        return None
    if d1 == 0 and d2 == 0:  # all four on one line: compare along it (exact comparisons)
        if ax != bx:
            ends = sorted(((ax, ay), (bx, by), (cx, cy), (dx, dy)))
            lo1, hi1 = min(ax, bx), max(ax, bx)
            lo2, hi2 = min(cx, dx), max(cx, dx)
            index = 0
        else:
            ends = sorted(((ay, ax), (by, bx), (cy, cx), (dy, dx)))
            ends = [(x, y) for y, x in ends]
            lo1, hi1 = min(ay, by), max(ay, by)
            lo2, hi2 = min(cy, dy), max(cy, dy)
            index = 1
        lo, hi = max(lo1, lo2), min(hi1, hi2)
        if lo > hi:
            return None
        x, y = next(p for p in ends if p[index] == lo)
        return ("overlap" if lo < hi else "touch"), x, y
    if d1 and d2 and d3 and d4:
        ux, uy = bx - ax, by - ay
        vx, vy = dx - cx, dy - cy
        t = ((cx - ax) * vy - (cy - ay) * vx) / (ux * vy - uy * vx)
        return "cross", ax + t * ux, ay + t * uy
    if d1 == 0:
        return "touch", ax, ay
    if d2 == 0:
        return "touch", bx, by
    if d3 == 0:
        return "touch", cx, cy
    return "touch", dx, dy


# --- the segment grid ---------------------------------------------------------------

def _cells(ax: float, ay: float, bx: float, by: float, ox: float, oy: float, size: float) -> list[int]:
    """Keys of the grid cells (origin ox, oy; side ``size``) that the segment
    passes through, with a sliver of slack at cell sides."""
    inv = 1.0 / size
    if bx < ax:
        ax, ay, bx, by = bx, by, ax, ay
    c0, c1 = int((ax - ox) * inv), int((bx - ox) * inv)
    low, high = (ay, by) if ay <= by else (by, ay)
    r0, r1 = int((low - oy) * inv - _SLACK), int((high - oy) * inv + _SLACK)
    if c0 == c1:
        return list(range(c0 * _K + r0, c0 * _K + r1 + 1))
    if r0 == r1:
        return [c * _K + r0 for c in range(c0, c1 + 1)]
    slope = (by - ay) / (bx - ax)
    out: list[int] = []
    for c in range(c0, c1 + 1):
        xa = ax if c == c0 else ox + c * size
        xb = bx if c == c1 else ox + (c + 1) * size
        ya, yb = ay + (xa - ax) * slope, ay + (xb - ax) * slope
        if ya > yb:
            ya, yb = yb, ya
        ra = max(r0, int((ya - oy) * inv - _SLACK))
        rb = min(r1, int((yb - oy) * inv + _SLACK))
        out.extend(range(c * _K + ra, c * _K + rb + 1))
    return out


def _grid(x1: list[float], y1: list[float], x2: list[float], y2: list[float],
          size: float = 0.0) -> tuple[dict[int, list[int]], float, float, float]:
    """Segment numbers by grid cell (each cell's list in increasing order);
    the cell side defaults to twice the mean segment length.  Returns
    (cells, origin x, origin y, side)."""
    n = len(x1)
    ox, oy = min(min(x1), min(x2)), min(min(y1), min(y2))
    if size <= 0:
        total = sum(map(math.hypot, [b - a for a, b in zip(x1, x2, strict=False)], [b - a for a, b in zip(y1, y2, strict=False)]))
        size = 2.0 * total / n if n else 1.0
        span = max(max(x1), max(x2)) - ox + max(max(y1), max(y2)) - oy
        size = max(size, span * 1e-9, 1e-12)
    inv = 1.0 / size
    cells: dict[int, list[int]] = {}
    get = cells.get
    ca = [int((x - ox) * inv) for x in x1]
    ra = [int((y - oy) * inv) for y in y1]
    cb = [int((x - ox) * inv) for x in x2]
    rb = [int((y - oy) * inv) for y in y2]
    for i in range(n):
        c, r = ca[i], ra[i]
        if c == cb[i] and r == rb[i]:
            key = c * _K + r
            members = get(key)
            if members is None:
                cells[key] = [i]
            else:
                members.append(i)
        else:
            for key in _cells(x1[i], y1[i], x2[i], y2[i], ox, oy, size):
                members = get(key)
                if members is None:
                    cells[key] = [i]
                else:
                    members.append(i)
    return cells, ox, oy, size


def _close_pairs(x1: list[float], y1: list[float], x2: list[float], y2: list[float]) -> Iterator[tuple[int, int]]:
    """Pairs (i < j) of segments sharing a grid cell whose boxes meet; a pair
    sharing several cells comes several times."""
    if len(x1) < 2:
        return
    cells, _, _, _ = _grid(x1, y1, x2, y2)
    lx = [a if a < b else b for a, b in zip(x1, x2, strict=False)]
    hx = [b if a < b else a for a, b in zip(x1, x2, strict=False)]
    ly = [a if a < b else b for a, b in zip(y1, y2, strict=False)]
    hy = [b if a < b else a for a, b in zip(y1, y2, strict=False)]
    for members in cells.values():
        m = len(members)
        if m < 2:
            continue
        for p in range(m - 1):
            i = members[p]
            ilx, ihx, ily, ihy = lx[i], hx[i], ly[i], hy[i]
            for q in range(p + 1, m):
                j = members[q]
                if lx[j] > ihx or hx[j] < ilx or ly[j] > ihy or hy[j] < ily:
                    continue
                yield i, j


# --- rings and polygons -------------------------------------------------------------

def _xy(ring: Ring) -> tuple[list[float], list[float]] | None:
    """The ring as closed coordinate lists without consecutive repeats, or
    None if a position is not a pair of finite numbers."""
    try:
        xs = [float(p[0]) for p in ring]
        ys = [float(p[1]) for p in ring]
    except (TypeError, ValueError, IndexError):
        return None
    if not xs or not all(map(math.isfinite, xs)) or not all(map(math.isfinite, ys)):
        return None
    if xs[0] != xs[-1] or ys[0] != ys[-1]:
        xs.append(xs[0])
        ys.append(ys[0])
    keep = [0] + [i for i in range(1, len(xs)) if xs[i] != xs[i - 1] or ys[i] != ys[i - 1]]
    if len(keep) < len(xs):
        xs = [xs[i] for i in keep]
        ys = [ys[i] for i in keep]
    return xs, ys


def _area_m2(xs: list[float], ys: list[float]) -> float:
    """Absolute area (shoelace, in the frame at the ring's middle latitude)."""
    x0, y0 = xs[0], ys[0]
    twice = 0.0
    for i in range(len(xs) - 1):
        twice += (xs[i] - x0) * (ys[i + 1] - y0) - (xs[i + 1] - x0) * (ys[i] - y0)
    frame = LocalFrame((min(ys) + max(ys)) / 2)
    return abs(twice) / 2 * frame.kx * frame.ky


def _self_contact(xs: list[float], ys: list[float]) -> tuple[float, float] | None:
    """The first place (lowest pair of segment numbers) where a closed ring
    without consecutive repeats touches or crosses itself."""
    n = len(xs) - 1  # segments; segment i runs from vertex i to vertex i + 1
    best: tuple[int, int] | None = None
    where = (0.0, 0.0)
    # neighbours share a vertex; they only go wrong by folding back along each other
    for v in range(n):
        u = v - 1 if v else n - 1
        w = v + 1
        bx, by = xs[v], ys[v]
        if _orient(xs[u], ys[u], bx, by, xs[w], ys[w]) == 0:
            ux, wx = xs[u], xs[w]
            if ux != bx:
                back = (ux > bx) == (wx > bx)
            else:
                back = (ys[u] > by) == (ys[w] > by)
            if back:
                pair = (u, v) if u < v else (v, u)
                if best is None or pair < best:
                    best, where = pair, (bx, by)
    x1, y1, x2, y2 = xs[:-1], ys[:-1], xs[1:], ys[1:]
    for i, j in _close_pairs(x1, y1, x2, y2):
        if j == i + 1 or (i == 0 and j == n - 1):
            continue
        if best is not None and (i, j) >= best:
            continue
        hit = _contact(x1[i], y1[i], x2[i], y2[i], x1[j], y1[j], x2[j], y2[j])
        if hit is not None:
            best, where = (i, j), (hit[1], hit[2])
    return where if best is not None else None


def ring_problems(ring: Ring) -> list[str]:
    """Why a ring is not a valid ring; empty if it is.

    Checked: at least 4 positions, closed (first == last), an area of at
    least ``MIN_AREA_M2``, and no self-intersection: two segments that are
    not neighbours along the ring must not cross or touch, and neighbours
    (which share a vertex) must not fold back along each other.  The first
    such place (by position along the ring) is reported.  Consecutive
    repeated positions are allowed (and ignored).  A not-closed ring is
    reported and then checked as if closed.
    """
    if len(ring) < 4:
        return [f"ring has {len(ring)} positions: at least 4 are needed"]
    xy = _xy(ring)
    if xy is None:
        return ["ring has a position that is not a pair of finite numbers"]
    problems = []
    if list(ring[0][:2]) != list(ring[-1][:2]):
        problems.append("ring is not closed (its first and last positions differ)")
    xs, ys = xy
    if len(xs) < 4:
        problems.append("ring has zero area (fewer than 3 distinct positions)")
        return problems
    spot = _self_contact(xs, ys)
    if spot is not None:
        problems.append(f"self-intersection near {spot[0]:.6f}, {spot[1]:.6f}")
    else:
        area = _area_m2(xs, ys)
        if area < MIN_AREA_M2:
            problems.append(f"ring has zero or near-zero area ({area:.2g} m²)")
    return problems


class _Index:
    """The segments of some closed rings in one planar frame, for many
    queries: even-odd containment (horizontal bands), and distance to the
    nearest segment (a uniform grid, built on first use)."""

    def __init__(self, rings: Sequence[tuple[list[float], list[float]]], size: float = 0.0) -> None:
        x1: list[float] = []
        y1: list[float] = []
        x2: list[float] = []
        y2: list[float] = []
        for xs, ys in rings:
            x1 += xs[:-1]
            y1 += ys[:-1]
            x2 += xs[1:]
            y2 += ys[1:]
        self.x1, self.y1, self.x2, self.y2 = x1, y1, x2, y2
        n = len(x1)
        self.minx, self.miny = min(min(x1), min(x2)), min(min(y1), min(y2))
        self.maxx, self.maxy = max(max(x1), max(x2)), max(max(y1), max(y2))
        if size <= 0:
            total = sum(map(math.hypot, [b - a for a, b in zip(x1, x2, strict=False)], [b - a for a, b in zip(y1, y2, strict=False)]))
            size = 2.0 * total / n
        self.size = max(size, (self.maxx - self.minx + self.maxy - self.miny) * 1e-9, 1e-12)
        inv = self.inv = 1.0 / self.size
        oy = self.miny
        bands: dict[int, list[int]] = {}
        get = bands.get
        starts = [int((y - oy) * inv) for y in y1]
        ends = [int((y - oy) * inv) for y in y2]
        for i, (first, last) in enumerate(zip(starts, ends, strict=False)):
            if y1[i] == y2[i]:
                continue  # a horizontal edge never crosses a horizontal ray
            if first == last:
                band = get(first)
                if band is None:
                    bands[first] = [i]
                else:
                    band.append(i)
                continue
            for row in range(first, last + 1) if first < last else range(last, first + 1):
                band = get(row)
                if band is None:
                    bands[row] = [i]
                else:
                    band.append(i)
        self.bands = bands
        self._cells: dict[int, list[int]] | None = None

    def contains(self, px: float, py: float) -> bool:
        """Even-odd: inside an odd number of the rings (a point on a segment
        may go either way: ask only for points off the border)."""
        if py < self.miny or py > self.maxy or px < self.minx or px > self.maxx:
            return False
        x1, y1, x2, y2 = self.x1, self.y1, self.x2, self.y2
        inside = False
        for i in self.bands.get(int((py - self.miny) * self.inv), ()):
            ya, yb = y1[i], y2[i]
            if (ya > py) != (yb > py):
                xa = x1[i]
                if px < xa + (py - ya) * (x2[i] - xa) / (yb - ya):
                    inside = not inside
        return inside

    @property
    def cells(self) -> dict[int, list[int]]:
        if self._cells is None:
            self._cells = _grid(self.x1, self.y1, self.x2, self.y2, self.size)[0]
        return self._cells

    def _nearest_in(self, keys: Sequence[int], px: float, py: float, best: float) -> float:
        """The smaller of ``best`` and the squared distance to the segments of these cells."""
        cells = self.cells
        for key in keys:
            best = self._nearest_of(cells.get(key, ()), px, py, best)
        return best

    def _nearest_of(self, segments: Iterable[int], px: float, py: float, best: float) -> float:
        """The smaller of ``best`` and the squared distance to these segments."""
        x1, y1, x2, y2 = self.x1, self.y1, self.x2, self.y2
        for i in segments:
            ax, ay = x1[i], y1[i]
            dx, dy = x2[i] - ax, y2[i] - ay
            qx, qy = px - ax, py - ay
            t = qx * dx + qy * dy
            if t > 0:
                length = dx * dx + dy * dy
                if t >= length:
                    qx, qy = qx - dx, qy - dy
                else:
                    cross = qx * dy - qy * dx
                    d = cross * cross / length
                    if d < best:
                        best = d
                    continue
            d = qx * qx + qy * qy
            if d < best:
                best = d
        return best

    def near(self, px: float, py: float, radius: float) -> bool:
        """Some segment is within ``radius`` of the point (its own cell first)."""
        inv, ox, oy = self.inv, self.minx, self.miny
        own = int((px - ox) * inv) * _K + int((py - oy) * inv)
        c0, c1 = int((px - radius - ox) * inv), int((px + radius - ox) * inv)
        r0, r1 = int((py - radius - oy) * inv), int((py + radius - oy) * inv)
        keys = [own]
        if c0 != c1 or r0 != r1:
            keys += [key for key in (c * _K + r for c in range(c0, c1 + 1) for r in range(r0, r1 + 1)) if key != own]
        cells = self.cells
        x1, y1, x2, y2 = self.x1, self.y1, self.x2, self.y2
        limit = radius * radius
        for key in keys:
            for i in cells.get(key, ()):
                ax, ay = x1[i], y1[i]
                dx, dy = x2[i] - ax, y2[i] - ay
                qx, qy = px - ax, py - ay
                t = qx * dx + qy * dy
                if t > 0:
                    length = dx * dx + dy * dy
                    if t >= length:
                        qx, qy = qx - dx, qy - dy
                    else:
                        cross = qx * dy - qy * dx
                        if cross * cross <= limit * length:
                            return True
                        continue
                if qx * qx + qy * qy <= limit:
                    return True
        return False

    def distance(self, px: float, py: float) -> float:
        """Distance to the nearest segment: searching outwards, ring of cells
        by ring, while that reads fewer cells than there are segments; then
        every segment."""
        inv, size = self.inv, self.size
        c0, r0 = int((px - self.minx) * inv), int((py - self.miny) * inv)
        best = math.inf
        k = 0
        while (2 * k + 1) ** 2 <= max(9, len(self.x1) // 2):
            if k == 0:
                keys = [c0 * _K + r0]
            else:
                keys = [(c0 + dc) * _K + r0 + dr for dc in (-k, k) for dr in range(-k, k + 1)]
                keys += [(c0 + dc) * _K + r0 + dr for dc in range(-k + 1, k) for dr in (-k, k)]
            best = self._nearest_in(keys, px, py, best)
            if best <= (k * size) ** 2:
                return math.sqrt(best)
            k += 1
        return math.sqrt(self._nearest_of(range(len(self.x1)), px, py, best))


def polygon_problems(polygon: Polygon) -> list[str]:
    """Why a polygon (outer ring, then holes) is not valid; empty if it is.

    Each ring's ``ring_problems`` (prefixed "outer ring: " or "hole N: "),
    then, for rings usable as such: a hole that crosses its outer ring or runs
    along it, or lies outside it; two holes that cross, run along each other,
    or lie one inside the other; rings touching each other so that the
    interior is cut in two (a hole touching its outer ring at two points...).
    Rings may otherwise touch each other at single points, as the OGC model
    allows (the same verdict as GEOS/shapely ``is_valid``, but for rings
    smaller than ``MIN_AREA_M2``).
    """
    if not polygon:
        return ["polygon has no rings"]
    problems: list[str] = []
    rings: dict[int, tuple[list[float], list[float]]] = {}
    for number, ring in enumerate(polygon):
        name = "outer ring" if number == 0 else f"hole {number}"
        found = ring_problems(ring)
        problems.extend(f"{name}: {text}" for text in found)
        if len(ring) >= 4:
            xy = _xy(ring)
            if xy is not None and len(xy[0]) >= 4:
                rings[number] = xy
    if len(rings) > 1:
        problems.extend(_ring_relations(rings))
    return problems


def _ring_relations(rings: dict[int, tuple[list[float], list[float]]]) -> list[str]:
    numbers = sorted(rings)
    x1: list[float] = []
    y1: list[float] = []
    x2: list[float] = []
    y2: list[float] = []
    owner: list[int] = []
    for number in numbers:
        xs, ys = rings[number]
        x1 += xs[:-1]
        y1 += ys[:-1]
        x2 += xs[1:]
        y2 += ys[1:]
        owner += [number] * (len(xs) - 1)
    crossing: dict[tuple[int, int], tuple[float, float]] = {}
    touching: dict[tuple[int, int], set[tuple[float, float]]] = {}
    for i, j in _close_pairs(x1, y1, x2, y2):
        a, b = owner[i], owner[j]
        if a == b or (a, b) in crossing:
            continue
        hit = _contact(x1[i], y1[i], x2[i], y2[i], x1[j], y1[j], x2[j], y2[j])
        if hit is None:
            continue
        if hit[0] == "touch":
            touching.setdefault((a, b), set()).add((hit[1], hit[2]))
        else:
            crossing[a, b] = (hit[1], hit[2])
    boxes = {n: (min(xs), min(ys), max(xs), max(ys)) for n, (xs, ys) in rings.items()}
    indexes: dict[int, _Index] = {}

    def index(number: int) -> _Index:
        if number not in indexes:
            indexes[number] = _Index([rings[number]])
        return indexes[number]

    def sides(inner: int, outer: int) -> tuple[bool, bool, tuple[float, float] | None]:
        """Whether vertices of ``inner`` lie inside and outside ``outer``
        (vertices where the two touch are skipped; when they do not touch,
        one vertex tells); an outside vertex."""
        skip = touching.get((min(inner, outer), max(inner, outer)), set())
        xs, ys = rings[inner]
        found_in = found_out = False
        out_at = None
        for k in range(len(xs) - 1):
            if (xs[k], ys[k]) in skip:
                continue
            if index(outer).contains(xs[k], ys[k]):
                found_in = True
            else:
                found_out, out_at = True, out_at or (xs[k], ys[k])
            if not skip or (found_in and found_out):
                break
        return found_in, found_out, out_at

    problems = []
    if 0 in rings:
        for hole in numbers[1:] if numbers[0] == 0 else []:
            spot = crossing.get((0, hole))
            if spot is None:
                inside, out, spot = sides(hole, 0)
                if inside and out:
                    problems.append(f"hole {hole} crosses the outer ring near {spot[0]:.6f}, {spot[1]:.6f}")  # type: ignore[index]
                elif out:
                    problems.append(f"hole {hole} lies outside the outer ring")
            else:
                problems.append(f"hole {hole} crosses or runs along the outer ring near {spot[0]:.6f}, {spot[1]:.6f}")
    holes = [n for n in numbers if n != 0]
    holes.sort(key=lambda n: boxes[n][0])
    for p, a in enumerate(holes):
        for b in holes[p + 1:]:
            if boxes[b][0] > boxes[a][2]:
                break
            if boxes[b][1] > boxes[a][3] or boxes[a][1] > boxes[b][3]:
                continue
            first, second = min(a, b), max(a, b)
            spot = crossing.get((first, second))
            if spot is not None:
                problems.append(f"holes {first} and {second} overlap near {spot[0]:.6f}, {spot[1]:.6f}")
                continue
            for inner, outer in ((first, second), (second, first)):
                inside, _, _ = sides(inner, outer)
                if inside:
                    problems.append(f"holes {first} and {second} overlap (hole {inner} lies inside hole {outer})")
                    break
    cut = _cut_at(touching)
    if cut is not None:
        problems.append(f"rings touching each other cut the polygon in two near {cut[0]:.6f}, {cut[1]:.6f}")
    return problems


def _cut_at(touching: dict[tuple[int, int], set[tuple[float, float]]]) -> tuple[float, float] | None:
    """Where the rings' touches close a loop (a hole touching its outer ring
    twice, three holes touching in a ring...), which cuts the interior in
    two: a cycle in the graph of rings and the points where they touch."""
    parent: dict[object, object] = {}

    def root(node: object) -> object:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    links = sorted({(ring, point) for pair, points in touching.items() for point in points for ring in pair})
    for ring, point in links:
        a, b = root(ring), root(("at", point))
        if a == b:
            return point
        parent[a] = b
    return None


# --- the file as a whole ------------------------------------------------------------

def _bounds(geometry: Geometry) -> Box | None:
    """The box of a feature's outer rings (holes lie inside them), or None."""
    west = south = math.inf
    east = north = -math.inf
    for polygon in geometry:
        if not polygon or not polygon[0]:
            continue
        lons = [p[0] for p in polygon[0]]
        lats = [p[1] for p in polygon[0]]
        west, east = min(west, min(lons)), max(east, max(lons))
        south, north = min(south, min(lats)), max(north, max(lats))
    return (west, south, east, north) if west <= east else None


def outside(geometries: Sequence[Geometry], box: Box = INDONESIA) -> list[int]:
    """Features with any position outside ``box`` (west, south, east, north;
    Indonesia by default), or one that is not a pair of finite numbers."""
    west, south, east, north = box
    found = []
    for number, geometry in enumerate(geometries):
        try:
            bad = any(not (west <= p[0] <= east and south <= p[1] <= north)
                      for polygon in geometry for ring in polygon for p in ring)
        except (TypeError, IndexError):
            bad = True
        if bad:
            found.append(number)
    return found


def far_from_rest(geometries: Sequence[Geometry], km: float = 100.0) -> list[int]:
    """Features whose box lies farther than ``km`` from the box of all the
    other features together: a stray desa digitised in the wrong place, or
    with longitude and latitude swapped.  (With only two features, both are
    far from "the rest" when they are far apart.)"""
    boxes = [_bounds(g) for g in geometries]
    present = [i for i, b in enumerate(boxes) if b is not None]
    if len(present) < 2:
        return []

    def union(a: Box | None, b: Box) -> Box:
        if a is None:
            return b
        return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])

    before: list[Box | None] = [None]
    for i in present:
        before.append(union(before[-1], boxes[i]))  # type: ignore[arg-type]
    after: list[Box | None] = [None]
    for i in reversed(present):
        after.append(union(after[-1], boxes[i]))  # type: ignore[arg-type]
    after.reverse()
    found = []
    for k, i in enumerate(present):
        west, south, east, north = boxes[i]  # type: ignore[misc]
        rest = before[k]
        if after[k + 1] is not None:
            rest = union(rest, after[k + 1])  # type: ignore[arg-type]
        assert rest is not None  # noqa: S101 -- at least two features are present
        lat = max(-85.0, min(85.0, (south + north) / 2))
        dx = max(0.0, rest[0] - east, west - rest[2]) * M_PER_DEG_LON * math.cos(math.radians(lat))
        dy = max(0.0, rest[1] - north, south - rest[3]) * M_PER_DEG_LAT
        if math.hypot(dx, dy) > km * 1000:
            found.append(i)
    return found


# --- overlaps between desa ----------------------------------------------------------

class _Feature:
    """One feature in metres, prepared on first use for the overlap test."""

    CHUNK = 32  # edges per chunk: a chunk whose box misses the other feature's is skipped whole

    def __init__(self, geometry: Geometry, frame: LocalFrame, size: float) -> None:
        kx, ky = frame.kx, frame.ky
        self.rings: list[tuple[list[float], list[float]]] = []
        self.polygons: list[list[int]] = []
        for polygon in geometry:
            numbers = []
            for ring in polygon:
                xy = _xy(ring)
                if xy is None or len(xy[0]) < 4:
                    continue
                numbers.append(len(self.rings))
                self.rings.append(([x * kx for x in xy[0]], [y * ky for y in xy[1]]))
            if numbers:
                self.polygons.append(numbers)
        if self.rings:
            self.box = (min(min(xs) for xs, _ in self.rings), min(min(ys) for _, ys in self.rings),
                        max(max(xs) for xs, _ in self.rings), max(max(ys) for _, ys in self.rings))
        # grid cells: at least twice the tolerance (a nearness query reads 2 x 2 cells at most)
        # and four times the mean edge (a few edges a cell, most in one cell)
        edges = sum(len(xs) - 1 for xs, _ in self.rings)
        length = sum(math.hypot(xs[k + 1] - xs[k], ys[k + 1] - ys[k])
                     for xs, ys in self.rings for k in range(len(xs) - 1))
        self.size = max(size, 4.0 * length / max(edges, 1))
        self._index: _Index | None = None
        self._vertices: set[tuple[float, float]] | None = None
        self._edges: set[tuple[float, float, float, float]] | None = None
        self._chunks: list[tuple[int, int, int, float, float, float, float]] | None = None
        self._inner: list[tuple[float, float]] | None = None

    @property
    def index(self) -> _Index:
        if self._index is None:
            self._index = _Index(self.rings, self.size)
        return self._index

    @property
    def vertices(self) -> set[tuple[float, float]]:
        if self._vertices is None:
            self._vertices = {p for xs, ys in self.rings for p in zip(xs, ys, strict=False)}
        return self._vertices

    @property
    def edges(self) -> set[tuple[float, float, float, float]]:
        """Every edge, from its smaller end."""
        if self._edges is None:
            edges = set()
            for xs, ys in self.rings:
                for e in zip(xs, ys, xs[1:], ys[1:], strict=False):
                    edges.add(e if (e[0], e[1]) <= (e[2], e[3]) else (e[2], e[3], e[0], e[1]))
            self._edges = edges
        return self._edges

    @property
    def chunks(self) -> list[tuple[int, int, int, float, float, float, float]]:
        """Runs of edges with their box: (ring, first edge, end, west, south, east, north)."""
        if self._chunks is None:
            self._chunks = []
            for number, (xs, ys) in enumerate(self.rings):
                for first in range(0, len(xs) - 1, self.CHUNK):
                    end = min(first + self.CHUNK, len(xs) - 1)
                    part_x, part_y = xs[first:end + 1], ys[first:end + 1]
                    self._chunks.append((number, first, end, min(part_x), min(part_y), max(part_x), max(part_y)))
        return self._chunks

    @property
    def inner(self) -> list[tuple[float, float]]:
        """One point inside each polygon, well inside: on three horizontal
        lines across the polygon, the middle of the widest stretch inside it
        (the widest of the three)."""
        if self._inner is None:
            self._inner = []
            for numbers in self.polygons:
                outer_ys = self.rings[numbers[0]][1]
                low, high = min(outer_ys), max(outer_ys)
                best: tuple[float, float, float] | None = None
                for fraction in (0.5 + 1e-7 * math.pi, 0.3 + 1e-7 * math.e, 0.7 - 1e-7 * math.pi):
                    y = low + (high - low) * fraction
                    crossings = []
                    for number in numbers:
                        xs, ys = self.rings[number]
                        for k in range(len(xs) - 1):
                            ya, yb = ys[k], ys[k + 1]
                            if (ya > y) != (yb > y):
                                crossings.append(xs[k] + (y - ya) * (xs[k + 1] - xs[k]) / (yb - ya))
                    crossings.sort()
                    for k in range(0, len(crossings) - 1, 2):
                        width = crossings[k + 1] - crossings[k]
                        if best is None or width > best[0]:
                            best = (width, (crossings[k] + crossings[k + 1]) / 2, y)
                if best is not None:
                    self._inner.append((best[1], best[2]))
        return self._inner


def _penetration(a: _Feature, b: _Feature, tolerance: float, step: float) -> list[tuple[float, float, float]]:
    """The witnesses that ``a`` reaches into ``b`` deeper than ``tolerance``:
    (depth in metres, x, y)."""
    # a witness lies in a's box and farther than the tolerance inside b's
    x0, y0 = max(a.box[0], b.box[0] + tolerance), max(a.box[1], b.box[1] + tolerance)
    x1, y1 = min(a.box[2], b.box[2] - tolerance), min(a.box[3], b.box[3] - tolerance)
    if x0 > x1 or y0 > y1:
        return []
    index = b.index
    vertices, edges = b.vertices, b.edges
    near, contains = index.near, index.contains
    found: list[tuple[float, float]] = []
    # Along a's border, two consecutive points both farther than the tolerance from b's
    # border and at most twice the tolerance apart are on the same side of it: the side
    # is carried along such a run instead of asked again.
    reach = (2 * tolerance) ** 2
    side: bool | None = None  # of the previous point, when the run goes on
    lx = ly = 0.0
    for number, first, end, west, south, east, north in a.chunks:
        if west > x1 or east < x0 or south > y1 or north < y0:
            side = None
            continue
        xs, ys = a.rings[number]
        if first == 0:
            side = None
        for k in range(first, end):
            px, py, qx, qy = xs[k], ys[k], xs[k + 1], ys[k + 1]
            if (px < x0 and qx < x0) or (px > x1 and qx > x1) or (py < y0 and qy < y0) or (py > y1 and qy > y1):
                side = None
                continue
            if not (x0 <= px <= x1 and y0 <= py <= y1) or (px, py) in vertices or near(px, py, tolerance):
                side = None
            else:
                if side is None or (px - lx) ** 2 + (py - ly) ** 2 > reach:
                    side = contains(px, py)
                lx, ly = px, py
                if side:
                    found.append((px, py))
            dx, dy = qx - px, qy - py
            length = math.hypot(dx, dy)
            if length <= step:
                continue
            if ((px, py, qx, qy) if (px, py) <= (qx, qy) else (qx, qy, px, py)) in edges:
                side = None  # an edge of b too: on its border
                continue
            parts = math.ceil(length / step)
            for t in range(1, parts):
                sx, sy = px + dx * t / parts, py + dy * t / parts
                if not (x0 <= sx <= x1 and y0 <= sy <= y1) or near(sx, sy, tolerance):
                    side = None
                    continue
                if side is None or (sx - lx) ** 2 + (sy - ly) ** 2 > reach:
                    side = contains(sx, sy)
                lx, ly = sx, sy
                if side:
                    found.append((sx, sy))
    witnesses = [(index.distance(x, y), x, y) for x, y in found]
    for x, y in a.inner:
        if x0 <= x <= x1 and y0 <= y <= y1 and contains(x, y) and not near(x, y, tolerance) \
                and not a.index.near(x, y, tolerance):
            witnesses.append((min(a.index.distance(x, y), index.distance(x, y)), x, y))
    return witnesses


def _box_pairs(boxes: Sequence[Box | None]) -> Iterator[tuple[int, int]]:
    """Pairs (i < j) of boxes that overlap (sweep along x)."""
    order = sorted((i for i, b in enumerate(boxes) if b is not None), key=lambda i: boxes[i][0])  # type: ignore[index]
    for p, i in enumerate(order):
        west, south, east, north = boxes[i]  # type: ignore[misc]
        for j in order[p + 1:]:
            other = boxes[j]
            assert other is not None  # noqa: S101
            if other[0] > east:
                break
            if other[1] <= north and south <= other[3]:
                yield (i, j) if i < j else (j, i)


def overlaps(geometries: Sequence[Geometry], tolerance_m: float) -> list[tuple[int, int, str]]:
    """Every pair (i, j), i < j, of features whose interiors overlap by more
    than ``tolerance_m`` metres, with "overlap of about N m near lon, lat".

    The definition implemented (penetration depth): features i and j overlap
    when a witness point lies inside one of them farther than the tolerance
    from that one's border, the witness being

    * a point of the other's border: every vertex, and points along every edge
      at most ``max(tolerance_m, 1 m)`` apart (so two rectangles crossing like
      a plus sign, with no vertex inside each other, are found through the
      middle of their edges); or
    * one interior point of each polygon of the other (in the widest stretch
      of the polygon along a horizontal line), when it is itself farther than
      the tolerance from its own feature's border (a duplicated desa, or one
      drawn entirely inside another).

    "Inside" is inside the outer ring and outside every hole, so a desa that
    fills another's hole (an enclave) is not inside it.  N is the largest
    depth found (the distance from the witness to the border it crossed);
    the place is that witness.  Consequences: a border two neighbours
    digitised separately, with jitter smaller than the tolerance, is never
    reported, whatever its shape; a desa pushed over its border by more than
    1.5 times the tolerance always is (with edge points ``tolerance`` apart,
    every border point is within half of it of a sampled point); between 1
    and 1.5 times, it depends on where the samples fall.  A thin spike of
    one desa into another is reported by its depth, not its area.

    Candidate pairs are the features whose bounding boxes meet (a sweep), so
    thousands of desa cost a few neighbours each, not every pair.
    """
    tolerance = max(float(tolerance_m), 0.0)
    if not tolerance < math.inf or len(geometries) < 2:
        return []  # an infinite (or NaN) tolerance: nothing overlaps by more
    frame = LocalFrame.around(geometries)
    boxes = [_bounds(g) for g in geometries]
    step = max(tolerance, 1.0)
    prepared: dict[int, _Feature] = {}

    def feature(number: int) -> _Feature:
        if number not in prepared:
            prepared[number] = _Feature(geometries[number], frame, 2 * tolerance)
        return prepared[number]

    found = []
    for i, j in sorted(_box_pairs(boxes)):
        a, b = feature(i), feature(j)
        if not a.rings or not b.rings:
            continue
        witnesses = _penetration(a, b, tolerance, step) + _penetration(b, a, tolerance, step)
        witnesses = [w for w in witnesses if w[0] > tolerance]
        if witnesses:
            depth, x, y = max(witnesses)
            lon, lat = frame.lonlat(x, y)
            found.append((i, j, f"overlap of about {depth:.0f} m near {lon:.6f}, {lat:.6f}"))
    return found
