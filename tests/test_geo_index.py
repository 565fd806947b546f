"""The routing index (domain.geo.index): exact point location, its compact
file, and agreement with shapely on detailed, realistic polygons."""
import random

import pytest
import shapely

from chalicelib.domain.geo import index as geo_index
from chalicelib.domain.geo.index import AreaIndex, IndexFileError, Place


def place(code):
    return Place(code, f"Desa {code}", code[:8], f"Kec {code[:8]}")


def noisy_ring(cx, cy, radius, vertices, seed):
    import math

    rng = random.Random(seed)
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius * (0.6 + 0.4 * rng.random())
        ring.append([round(cx + r * math.cos(angle), 7), round(cy + r * math.sin(angle), 7)])
    ring.append(ring[0])
    return ring


def test_a_30000_vertex_ring_agrees_with_shapely_everywhere():
    ring = noisy_ring(111.6, -8.2, 0.05, 30_000, seed=3)
    hole = noisy_ring(111.6, -8.2, 0.01, 500, seed=4)
    index = AreaIndex.build([(place("35.03.01.2001"), [[ring, hole]])])
    oracle = shapely.Polygon(ring, [hole])
    rng = random.Random(5)
    for _ in range(3000):
        lon, lat = 111.6 + rng.uniform(-0.06, 0.06), -8.2 + rng.uniform(-0.06, 0.06)
        expected = oracle.contains(shapely.Point(lon, lat))
        found = index.locate(lon, lat) is not None
        if expected != found:  # only a point within rounding (1e-7 degree) of the border may disagree
            assert oracle.exterior.distance(shapely.Point(lon, lat)) < 2e-7 or \
                oracle.interiors[0].distance(shapely.Point(lon, lat)) < 2e-7
    # every vertex is on the border, which counts as inside
    assert all(index.locate(x, y) is not None for x, y in ring[::997])


def test_a_point_on_a_shared_border_goes_to_the_lowest_code_every_time():
    left = [[0.0, 0.0], [1.0, 0.0], [1.0, 0.5], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    right = [[1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0], [1.0, 0.5], [1.0, 0.0]]
    index = AreaIndex.build([(place("35.03.01.2002"), [[right]]), (place("35.03.01.2001"), [[left]])])
    assert index.locate(1.0, 0.25).kelurahan_code == "35.03.01.2001"
    assert index.locate(1.0, 0.5).kelurahan_code == "35.03.01.2001"
    assert index.locate(1.5, 0.5).kelurahan_code == "35.03.01.2002"
    assert index.locate(2.5, 0.5) is None


def test_the_file_round_trips_and_refuses_what_is_not_one():
    areas = [(place(f"35.03.01.{2001 + i}"), [[noisy_ring(111 + i * 0.1, -8, 0.04, 2000, seed=i)]])
             for i in range(10)]
    index = AreaIndex.build(areas)
    again = geo_index.decode(index.encode())
    assert len(again) == 10 and again.vertices == index.vertices == 10 * 2001
    rng = random.Random(1)
    for _ in range(500):
        lon, lat = rng.uniform(110.9, 112.1), rng.uniform(-8.1, -7.9)
        assert index.locate(lon, lat) == again.locate(lon, lat)
    data = index.encode()
    for broken in (b"", b"ADB1", data[:len(data) // 2], b"XXXX" + data[4:], b"ADB1" + b"\x00" * 100):
        with pytest.raises(IndexFileError):
            geo_index.decode(broken)


def test_a_lookup_looks_at_few_candidates():
    areas = []
    for row in range(20):
        for col in range(20):
            x, y = 111 + col * 0.01, -8 + row * 0.01
            areas.append((place(f"35.03.{row:02d}.{2000 + col}"),
                          [[[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]]]))
    index = AreaIndex.build(areas)
    assert index.locate(111.055, -7.945).kelurahan_code == "35.03.05.2005"
    assert max(index.candidates(111 + i * 0.00731, -8 + i * 0.00517) for i in range(27)) <= 9
