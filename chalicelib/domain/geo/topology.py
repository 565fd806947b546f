"""Simplifying a region's desa polygons for maps without opening gaps or
slivers between neighbours: topology-preserving simplification, as TopoJSON
and mapshaper do it.  Pure Python.

1. Positions are quantised to 1e-7 degree (about 1 cm), so that a vertex two
   desa share is the same key in both.  Consecutive repeats are dropped.
2. Junctions: a vertex is a junction when the rings passing through it do not
   all come from and go to the same two neighbouring vertices — where three
   desa meet, where a border meets the coast, where a ring touches another (or
   itself) at a point.  Every ring is cut at its junctions into arcs.  An arc
   and its reverse are one arc, so the border two desa share is ONE arc.  A
   ring without a junction is one closed arc: an island, a lake, a coast
   alone; a desa filling another's hole (an enclave) and that hole are the
   same closed arc, known by its smallest vertex and its direction.
3. Each arc is simplified once per tolerance with Douglas–Peucker, in metres
   in a local equirectangular frame, keeping its ends (a closed arc keeps its
   start and the vertex farthest from it, and at least four positions).  The
   Douglas–Peucker tree of every arc is computed once (each vertex's
   "importance": the largest tolerance that keeps it), so each tolerance, and
   each retry below, is a filter.  Distance is measured to the segment, so
   the Hausdorff distance between an arc and its simplification is at most
   the tolerance.
4. Rings are rebuilt from the simplified arcs, so neighbours keep an
   identical border.  Then, per tolerance, until nothing is wrong:

   * a ring that would collapse or become invalid (``validity.ring_problems``:
     fewer than four positions, no area, a self-intersection);
   * two arcs that would cross or touch anywhere but at a junction they
     share (a border cutting a neighbour's other border, an outer ring
     cutting its hole: the check is over all arcs at once, with an exact
     integer test);
   * a ring that would swallow, or let go of, a part of the map it does
     not touch (a coast simplified across an offshore island, an outer ring
     across a lake: one vertex of every connected group of rings is
     located in every other ring around it, before and after);

   get their arcs simplified less: half the tolerance, again, down to a
   sixteenth, and finally not at all (the arcs they share change for the
   neighbours too, so borders stay identical).  For a valid input whose
   neighbours share their vertices, the output is valid and tiles as the
   input did.  Desa digitised separately, whose common border is two close
   polylines rather than shared vertices, have no arc in common: each is
   simplified on its own, and the checks above keep them from crossing.

Output positions are rounded to 6 decimals (about 10 cm): well below any
display tolerance (metres), and it makes the GeoJSON files a third smaller
than 1e-7.  The rounding is applied before the checks, so what is checked is
what is written; the Hausdorff bound grows by at most 8 cm.
"""
from __future__ import annotations

import math
from typing import Sequence

from . import validity

Geometry = Sequence[Sequence[Sequence[Sequence[float]]]]
Output = list[list[list[list[float]]]]  # one feature: polygons of rings of [lon, lat]

QUANTUM = 10_000_000  # input positions: integers of 1e-7 degree
OUT_DIVISOR = 10  # output positions: integers of 1e-6 degree
MAX_HALVINGS = 4  # then unsimplified
_SHIFT = 32
_HALF = 1 << 31
_INF = math.inf


def _unkey(key: int) -> tuple[int, int]:
    x = (key + _HALF) >> _SHIFT
    return x, key - (x << _SHIFT)


def _out(value: int) -> int:
    """1e-7 degree to 1e-6 degree, rounding half up (the same for every ring)."""
    return (value + OUT_DIVISOR // 2) // OUT_DIVISOR


def _importance(xs: list[float], ys: list[float]) -> list[float]:
    """Douglas–Peucker, all the way down: for each vertex the largest
    tolerance (metres) at which Douglas–Peucker keeps it (its distance to the
    segment of its split, capped by its parent's), infinite for the ends and,
    on a closed arc, for the vertex farthest from the start."""
    n = len(xs)
    importance = [0.0] * n
    importance[0] = importance[-1] = _INF
    if n < 3:
        return importance
    if xs[0] == xs[-1] and ys[0] == ys[-1]:
        x0, y0 = xs[0], ys[0]
        far = max(range(1, n - 1), key=lambda k: (xs[k] - x0) ** 2 + (ys[k] - y0) ** 2)
        importance[far] = _INF
        stack = [(0, far, _INF), (far, n - 1, _INF)]
    else:
        stack = [(0, n - 1, _INF)]
    sqrt = math.sqrt
    while stack:
        first, last, cap = stack.pop()
        if last - first < 2:
            continue
        ax, ay = xs[first], ys[first]
        dx, dy = xs[last] - ax, ys[last] - ay
        length = dx * dx + dy * dy
        best, where = -1.0, first + 1
        for k in range(first + 1, last):
            qx, qy = xs[k] - ax, ys[k] - ay
            t = qx * dx + qy * dy
            if t <= 0:
                d = qx * qx + qy * qy
            elif t >= length:
                ex, ey = qx - dx, qy - dy
                d = ex * ex + ey * ey
            else:
                cross = qx * dy - qy * dx
                d = cross * cross / length
            if d > best:
                best, where = d, k
        value = sqrt(best)
        if value > cap:
            value = cap
        importance[where] = value
        stack.append((first, where, value))
        stack.append((where, last, value))
    return importance


def _inside(px: int, py: int, ring: Sequence[tuple[int, int]]) -> bool:
    """Exact even-odd test of an integer point against a closed integer ring
    (a point on the ring counts as outside)."""
    inside = False
    ax, ay = ring[0]
    for bx, by in ring[1:]:
        if (ay > py) != (by > py):
            side = (bx - ax) * (py - ay) - (px - ax) * (by - ay)
            if (side > 0) == (by > ay) and side != 0:
                inside = not inside
        ax, ay = bx, by
    return inside


class _Topology:
    """The arcs of all the rings, built once for every tolerance."""

    def __init__(self, geometries: Sequence[Geometry]) -> None:
        frame = validity.LocalFrame.around(geometries)
        self.rings: list[list[int]] = []  # keys, closed, without consecutive repeats
        self.loose: dict[int, list[list[float]]] = {}  # rings with no area: written as they are (rounded)
        self.shape: list[list[list[int]]] = []  # feature -> polygon -> ring numbers
        for geometry in geometries:
            polygons = []
            for polygon in geometry:
                numbers = []
                for ring in polygon:
                    number = len(self.rings)
                    keys = [(round(p[0] * QUANTUM) << _SHIFT) + round(p[1] * QUANTUM) for p in ring]
                    keys = [key for key, before in zip(keys, [None, *keys], strict=False) if key != before]
                    if keys and keys[0] != keys[-1]:
                        keys.append(keys[0])
                    if len(keys) < 4:
                        self.loose[number] = [[round(p[0], 6), round(p[1], 6)] for p in ring]
                        keys = []
                    self.rings.append(keys)
                    numbers.append(number)
                polygons.append(numbers)
            self.shape.append(polygons)
        self._junctions()
        self._cut()
        self._geometry(frame)
        self._components()

    def _junctions(self) -> None:
        seen: dict[int, tuple[int, int]] = {}
        junctions: set[int] = set()
        for keys in self.rings:
            if not keys:
                continue
            before = keys[-2]
            for i in range(len(keys) - 1):
                key, after = keys[i], keys[i + 1]
                pair = (before, after) if before < after else (after, before)
                known = seen.get(key)
                if known is None:
                    seen[key] = pair
                    if before == after:  # a spike's tip
                        junctions.add(key)
                elif known != pair:
                    junctions.add(key)
                before = key
        self.junctions = junctions

    def _cut(self) -> None:
        """Arcs (key lists) and, per ring, its arcs as (arc number, reversed)."""
        junctions = self.junctions
        self.arcs: list[list[int]] = []
        self.ring_arcs: list[list[tuple[int, bool]]] = []
        known: dict[tuple[int, ...], int] = {}
        closed: dict[tuple[int, ...], list[int]] = {}  # canonical closed arc -> rings
        for number, keys in enumerate(self.rings):
            pieces: list[tuple[int, bool]] = []
            self.ring_arcs.append(pieces)
            if not keys:
                continue
            body = keys[:-1]
            cuts = [i for i, key in enumerate(body) if key in junctions]
            if not cuts:
                start = body.index(min(body))
                forward = body[start:] + body[:start]
                forward.append(forward[0])
                if forward[-2] < forward[1]:
                    forward.reverse()
                closed.setdefault(tuple(forward), []).append(number)
                continue
            m = len(body)
            cuts.append(cuts[0] + m)
            doubled = body + body
            for a, b in zip(cuts, cuts[1:], strict=False):
                path = tuple(doubled[a:b + 1])
                back = path[::-1]
                reverse = back < path
                ident = back if reverse else path
                arc = known.get(ident)
                if arc is None:
                    arc = known[ident] = len(self.arcs)
                    self.arcs.append(list(ident))
                pieces.append((arc, reverse))
        for canonical, numbers in closed.items():
            arc = len(self.arcs)
            if len(numbers) == 1:  # its own: from its own first position
                self.arcs.append(self.rings[numbers[0]])
                self.ring_arcs[numbers[0]].append((arc, False))
                continue
            self.arcs.append(list(canonical))
            for number in numbers:
                keys = self.rings[number]
                body = keys[:-1]
                start = body.index(canonical[0])
                self.ring_arcs[number].append((arc, body[(start + 1) % len(body)] != canonical[1]))

    def _geometry(self, frame: validity.LocalFrame) -> None:
        kx, ky = frame.kx / QUANTUM, frame.ky / QUANTUM
        self.importance: list[list[float]] = []
        self.out: list[list[tuple[int, int]]] = []  # each arc's vertices in 1e-6 degree
        self.arc_boxes: list[tuple[int, int, int, int]] = []  # in 1e-7 degree
        half, shift, up, divisor = _HALF, _SHIFT, OUT_DIVISOR // 2, OUT_DIVISOR
        for keys in self.arcs:
            xs = [(key + half) >> shift for key in keys]
            ys = [key - (x << shift) for key, x in zip(keys, xs, strict=False)]
            self.importance.append(_importance([x * kx for x in xs], [y * ky for y in ys]))
            self.out.append([((x + up) // divisor, (y + up) // divisor) for x, y in zip(xs, ys, strict=False)])
            self.arc_boxes.append((min(xs), min(ys), max(xs), max(ys)))
        self.users: list[list[int]] = [[] for _ in self.arcs]
        for number, pieces in enumerate(self.ring_arcs):
            for arc, _ in pieces:
                self.users[arc].append(number)

    def _components(self) -> None:
        """Groups of rings connected through shared arcs or junctions; for
        each, a vertex that every simplification keeps, and the rings of
        other groups whose box holds it (with whether it is inside them)."""
        parent = list(range(len(self.rings)))

        def root(n: int) -> int:
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        for numbers in self.users:
            for other in numbers[1:]:
                parent[root(other)] = root(numbers[0])
        at: dict[int, int] = {}
        for number, pieces in enumerate(self.ring_arcs):
            for arc, _ in pieces:
                for key in (self.arcs[arc][0], self.arcs[arc][-1]):
                    if key in self.junctions:
                        parent[root(number)] = root(at.setdefault(key, number))
        groups: dict[int, int] = {}  # root -> a kept vertex's key
        for number, pieces in enumerate(self.ring_arcs):
            if pieces:
                groups.setdefault(root(number), self.arcs[pieces[0][0]][0])
        boxes = []
        for pieces in self.ring_arcs:
            parts = [self.arc_boxes[arc] for arc, _ in pieces]
            if parts:
                boxes.append((min(b[0] for b in parts), min(b[1] for b in parts),
                              max(b[2] for b in parts), max(b[3] for b in parts)))
            else:
                boxes.append((1, 1, 0, 0))  # empty: holds nothing
        # (vertex in 1e-6 degree, ring, inside it at full precision)
        self.probes: list[tuple[tuple[int, int], int, bool]] = []
        order = sorted(range(len(boxes)), key=lambda n: boxes[n][0])
        for group, key in groups.items():
            x, y = _unkey(key)
            for number in order:
                west, south, east, north = boxes[number]
                if west > x:
                    break
                if x <= east and south <= y <= north and root(number) != group:
                    inside = _inside(x, y, [_unkey(k) for k in self.rings[number]])
                    self.probes.append(((_out(x), _out(y)), number, inside))


class _Level:
    """The features simplified at one tolerance (see the module docstring)."""

    def __init__(self, topology: _Topology, tolerance: float) -> None:
        self.topology = topology
        self.tolerance = tolerance
        count = len(topology.arcs)
        self.arc_tolerance = [tolerance] * count
        self.points: list[list[tuple[int, int]]] = [[] for _ in range(count)]
        self.rings: dict[int, list[tuple[int, int]]] = {}
        # the segments of the arcs as simplified, in a grid; a segment is live while
        # its number lies in its arc's current range
        self.sx1: list[int] = []
        self.sy1: list[int] = []
        self.sx2: list[int] = []
        self.sy2: list[int] = []
        self.s_arc: list[int] = []
        self.s_pos: list[int] = []
        self.live: list[tuple[int, int]] = [(0, 0)] * count
        self.cells: dict[int, list[int]] = {}
        self.grid: tuple[int, int, float] | None = None

    def _select(self, arc: int) -> None:
        topology = self.topology
        out = topology.out[arc]
        tolerance = self.arc_tolerance[arc]
        if tolerance < 0:
            chosen = list(range(len(out)))
        else:
            importance = topology.importance[arc]
            chosen = [k for k, value in enumerate(importance) if value > tolerance]
            if out[0] == out[-1] and len(chosen) < 4 <= len(out):  # a loop keeps some area
                extra = sorted((k for k in range(len(out)) if importance[k] <= tolerance),
                               key=lambda k: -importance[k])
                chosen = sorted(chosen + extra[:4 - len(chosen)])
        points = [out[chosen[0]]]
        for k in chosen[1:]:
            if out[k] != points[-1]:
                points.append(out[k])
        self.points[arc] = points

    def _ring(self, number: int) -> list[tuple[int, int]]:
        ring: list[tuple[int, int]] = []
        for arc, reverse in self.topology.ring_arcs[number]:
            points = self.points[arc][::-1] if reverse else self.points[arc]
            for point in points:
                if not ring or ring[-1] != point:
                    ring.append(point)
        if ring and ring[0] != ring[-1]:
            ring.append(ring[0])
        return ring

    def features(self) -> list[Output]:
        topology = self.topology
        changed = set(range(len(topology.arcs)))
        rounds = 0
        while changed:
            rounds += 1
            for arc in changed:
                self._select(arc)
            bad = self._check_rings(changed) | self._check_crossings(changed) | self._check_containment(changed)
            if rounds > 8 * (MAX_HALVINGS + 2):  # cannot happen for sane input: stop making it worse
                break
            changed = set()
            floor = self.tolerance / 2 ** MAX_HALVINGS
            for arc in bad:
                value = self.arc_tolerance[arc]
                if value >= 0:
                    self.arc_tolerance[arc] = value / 2 if value / 2 >= floor and value > 0 else -1.0
                    changed.add(arc)
        scale = 10 ** 6
        result: list[Output] = []
        for polygons in topology.shape:
            feature: Output = []
            for numbers in polygons:
                rings = []
                for number in numbers:
                    if number in topology.loose:
                        rings.append(topology.loose[number])
                    else:
                        rings.append([[x / scale, y / scale] for x, y in self.rings[number]])
                feature.append(rings)
            result.append(feature)
        return result

    def _check_rings(self, changed: set[int]) -> set[int]:
        """Rebuild the rings using changed arcs; the arcs of those that collapse
        or are not valid rings."""
        topology = self.topology
        numbers = {n for arc in changed for n in topology.users[arc]}
        bad: set[int] = set()
        scale = 10 ** 6
        for number in numbers:
            ring = self.rings[number] = self._ring(number)
            if len(ring) < 4 or validity.ring_problems([[x / scale, y / scale] for x, y in ring]):
                bad.update(arc for arc, _ in topology.ring_arcs[number])
        return bad

    def _check_containment(self, changed: set[int]) -> set[int]:
        """The arcs of rings that now hold (or no longer hold) a group of rings
        they do not touch."""
        topology = self.topology
        touched = {n for arc in changed for n in topology.users[arc]}
        bad: set[int] = set()
        for (x, y), number, inside in topology.probes:
            if number in touched and _inside(x, y, self.rings[number]) != inside:
                bad.update(arc for arc, _ in topology.ring_arcs[number])
        return bad

    def _check_crossings(self, changed: set[int]) -> set[int]:
        """Add the changed arcs' segments to the grid; the arcs whose segments
        meet anywhere but where they should (consecutive segments of an arc, the
        end segments of arcs at their shared end)."""
        points = self.points
        sx1, sy1, sx2, sy2, s_arc, s_pos = self.sx1, self.sy1, self.sx2, self.sy2, self.s_arc, self.s_pos
        first_new = len(sx1)
        for arc in sorted(changed):
            start = len(sx1)
            path = points[arc]
            for k in range(len(path) - 1):
                (ax, ay), (bx, by) = path[k], path[k + 1]
                sx1.append(ax)
                sy1.append(ay)
                sx2.append(bx)
                sy2.append(by)
                s_arc.append(arc)
                s_pos.append(k)
            self.live[arc] = (start, len(sx1))
        if self.grid is None:
            if not sx1:
                return set()
            count = len(sx1)
            total = sum(math.hypot(sx2[i] - sx1[i], sy2[i] - sy1[i]) for i in range(count))
            ox = min(min(sx1), min(sx2))
            oy = min(min(sy1), min(sy2))
            self.grid = (ox, oy, max(2.0 * total / max(count, 1), 1.0))
        ox, oy, size = self.grid
        inv = 1.0 / size
        cells = self.cells
        live = self.live
        bad: set[int] = set()
        for s in range(first_new, len(sx1)):
            ax, ay, bx, by = sx1[s], sy1[s], sx2[s], sy2[s]
            lx, hx = (ax, bx) if ax < bx else (bx, ax)
            ly, hy = (ay, by) if ay < by else (by, ay)
            ca, cb = int((ax - ox) * inv), int((bx - ox) * inv)
            ra, rb = int((ay - oy) * inv), int((by - oy) * inv)
            if ca == cb and ra == rb:
                keys = [(ca << _SHIFT) + ra]
            else:
                keys = validity._cells(ax, ay, bx, by, ox, oy, size)  # the same keys: column << 32 + row
            for key in keys:
                members = cells.get(key)
                if members is None:
                    cells[key] = [s]
                    continue
                for u in members:
                    if u >= first_new and u >= s:
                        continue
                    low, high = live[s_arc[u]]
                    if not low <= u < high:
                        continue  # a segment of an arc since simplified otherwise
                    ux1, uy1, ux2, uy2 = sx1[u], sy1[u], sx2[u], sy2[u]
                    if (ux1 < lx and ux2 < lx) or (ux1 > hx and ux2 > hx) \
                            or (uy1 < ly and uy2 < ly) or (uy1 > hy and uy2 > hy):
                        continue
                    hit = validity._contact(ax, ay, bx, by, ux1, uy1, ux2, uy2)
                    if hit is not None and not self._allowed(s, u, hit):
                        bad.add(s_arc[s])
                        bad.add(s_arc[u])
                members.append(s)
        return bad

    def _allowed(self, s: int, u: int, hit: tuple[str, float, float]) -> bool:
        kind, x, y = hit
        arc_s, arc_u = self.s_arc[s], self.s_arc[u]
        pos_s, pos_u = self.s_pos[s], self.s_pos[u]
        if arc_s == arc_u and abs(pos_s - pos_u) == 1:
            return kind != "overlap"  # consecutive: they share a vertex
        if kind != "touch":
            return False
        return self._at_end(arc_s, pos_s, x, y) and self._at_end(arc_u, pos_u, x, y)

    def _at_end(self, arc: int, pos: int, x: float, y: float) -> bool:
        path = self.points[arc]
        return (pos == 0 and path[0] == (x, y)) or (pos == len(path) - 2 and path[-1] == (x, y))


def simplify(geometries: Sequence[Geometry], tolerances_m: Sequence[float]) -> list[list[Output]]:
    """One simplified copy of all the features per tolerance (metres), the
    topology built once (see the module docstring).  Features, polygons and
    rings keep their order and orientation; a ring with no area is written
    as it is (rounded)."""
    topology = _Topology(geometries)
    return [_Level(topology, float(tolerance)).features() for tolerance in tolerances_m]
