"""The generated desa boundaries (tests/support/boundaries.py) are what they
claim, with shapely as the oracle: valid, tiling without overlaps or gaps,
neighbours sharing their borders, the specials present, the probe points where
they say, the shapefile writer faithful.  No AWS."""
from __future__ import annotations

import io
import math
import re
import time
import zipfile

import numpy as np
import pyproj
import pytest
import shapefile
import shapely
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

from chalicelib.domain import areas
from support import boundaries

BOX = boundaries.TRENGGALEK_BBOX
CELL = 0.05  # degrees: larger than any Trenggalek cell's side (about 0.044)
MARGIN = boundaries.AMPLITUDE * CELL  # how far a border may stray from its straight edge
TIMES: dict[str, float] = {}


@pytest.fixture(scope="module")
def fc():
    started = time.perf_counter()
    generated = boundaries.realistic_region()
    TIMES["realistic"] = time.perf_counter() - started
    return generated


@pytest.fixture(scope="module")
def geoms(fc):
    return {f["properties"]["KDEPUM"]: shape(f["geometry"]) for f in fc["features"]}


@pytest.fixture(scope="module")
def union(geoms):
    return shapely.union_all(list(geoms.values()))


def _timing() -> str:
    return ", ".join(f"{name} generated in {seconds:.2f} s" for name, seconds in TIMES.items())


def _vertices(geometry: dict) -> int:
    rings = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return sum(len(ring) for polygon in rings for ring in polygon)


def test_one_feature_per_official_desa_with_big_properties(fc):
    regency = areas.regency("35.03")
    official = {kel["code"]: (kel["name"], kec["name"]) for kec in regency.kecamatan for kel in kec["kelurahan"]}
    features = fc["features"]
    assert len(features) == len(official) == 157, _timing()
    for feature in features:
        props = feature["properties"]
        assert set(props) == {"KDEPUM", "WADMKD", "WADMKC", "LUAS", "REMARK"}
        assert (props["WADMKD"], props["WADMKC"]) == official[props["KDEPUM"]]
    assert [f["properties"]["KDEPUM"] for f in features] == sorted(official)


def test_every_feature_is_a_valid_polygon_of_about_the_asked_detail(fc, geoms):
    for code, geom in geoms.items():
        assert geom.geom_type in ("Polygon", "MultiPolygon"), code
        assert geom.is_valid, (code, explain_validity(geom))
    counts = sorted(_vertices(f["geometry"]) for f in fc["features"])
    median = counts[len(counts) // 2]
    assert 1800 <= median <= 2200, (median, _timing())
    assert counts[0] >= 1500, counts[:5]


def test_no_overlaps_and_no_gaps(fc, geoms, union):
    total = sum(g.area for g in geoms.values())
    assert abs(total - union.area) <= 1e-9 * union.area, (total, union.area)
    # the mainland and the island; the mainland's only hole is the lake
    assert union.geom_type == "MultiPolygon" and len(union.geoms) == 2
    mainland, island = sorted(union.geoms, key=lambda g: -g.area)
    assert len(mainland.interiors) == 1
    west, south, east, north = BOX
    inner = shapely.box(west + MARGIN, south + MARGIN, east - MARGIN, north - MARGIN)
    outer = shapely.box(west - MARGIN, south - boundaries.COAST_OUT * CELL, east + MARGIN, north + MARGIN)
    assert shapely.Polygon(mainland.exterior).contains(inner)
    assert outer.contains(mainland)
    assert island.bounds[3] < south


def test_neighbours_share_their_borders_vertex_for_vertex(fc, geoms):
    features = fc["features"]
    codes = [f["properties"]["KDEPUM"] for f in features]
    items = [geoms[c] for c in codes]
    tree = shapely.STRtree(items)
    sharing: dict[str, int] = dict.fromkeys(codes, 0)
    for i, j in zip(*tree.query(items, predicate="intersects"), strict=True):
        if i >= j:
            continue
        common = items[i].intersection(items[j])
        assert common.area == 0, (codes[i], codes[j])
        if common.length > 0:
            sharing[codes[i]] += 1
            sharing[codes[j]] += 1
    assert min(sharing.values()) >= 2, sorted(sharing.items(), key=lambda kv: kv[1])[:3]
    assert sum(sharing.values()) / len(codes) > 3.5  # an inner cell has 4 or more
    # consecutive cells of a row: the same vertices along their common side
    rows_apart = 0
    for a, b in zip(features, features[1:], strict=False):
        ga, gb = geoms[a["properties"]["KDEPUM"]], geoms[b["properties"]["KDEPUM"]]
        if abs(ga.centroid.y - gb.centroid.y) > CELL / 2:
            rows_apart += 1  # the next row starts
            continue
        ring_a = {tuple(p) for p in (a["geometry"]["coordinates"] if a["geometry"]["type"] == "Polygon"
                                     else a["geometry"]["coordinates"][0])[0]}
        ring_b = {tuple(p) for p in (b["geometry"]["coordinates"] if b["geometry"]["type"] == "Polygon"
                                     else b["geometry"]["coordinates"][0])[0]}
        shared = ring_a & ring_b
        assert len(shared) > 200, (a["properties"]["KDEPUM"], len(shared))
        assert ga.intersection(gb).length > 0.9 * (max(y for _, y in shared) - min(y for _, y in shared))
    assert rows_apart >= 10


def test_the_big_coastal_desa(fc, geoms):
    specials = boundaries.special_desa(fc)
    big = next(f for f in fc["features"] if f["properties"]["KDEPUM"] == specials["big"])
    assert _vertices(big["geometry"]) >= 30000, _timing()
    assert big["geometry"]["type"] == "Polygon"
    ring = big["geometry"]["coordinates"][0]
    below = sum(1 for _, y in ring if y < BOX[1])
    assert below > 10000  # its coast reaches into the sea
    others = sorted((_vertices(f["geometry"]) for f in fc["features"] if f is not big), reverse=True)
    assert others[0] < 5000


def test_the_island_and_the_lake(fc, geoms):
    specials = boundaries.special_desa(fc)
    island_desa = geoms[specials["island"]]
    assert island_desa.geom_type == "MultiPolygon" and len(island_desa.geoms) == 2
    mainland, island = sorted(island_desa.geoms, key=lambda g: g.bounds[1], reverse=True)
    offshore_km = (BOX[1] - island.bounds[3]) * 111.32
    assert 2 < offshore_km < 10, offshore_km
    assert mainland.bounds[1] < BOX[1] + MARGIN
    assert not any(g.intersects(island) for code, g in geoms.items() if code != specials["island"])

    lake_desa = geoms[specials["lake"]]
    assert lake_desa.geom_type == "Polygon" and len(lake_desa.interiors) == 1
    lake = shapely.Polygon(lake_desa.interiors[0])
    assert lake.area > 0.0001  # about 1 km2 and more
    assert shapely.Polygon(lake_desa.exterior).buffer(-MARGIN).contains(lake)
    assert not any(g.intersects(lake.buffer(-1e-9)) for g in geoms.values())


def test_probe_points_are_where_they_claim(fc, geoms):
    probes = boundaries.probe_points(fc)
    assert {"hole", "sea", "island", "big"} <= set(probes)
    assert sum(name.startswith("inside:") for name in probes) >= 4
    assert sum(name.startswith("border:") for name in probes) >= 1
    for name, (lon, lat, expected) in probes.items():
        point = Point(lon, lat)
        containing = [code for code, g in geoms.items() if g.contains(point)]
        touching = sorted(code for code, g in geoms.items() if g.touches(point))
        if expected is None:
            assert containing == [] and touching == [], name
        elif "|" in expected:
            assert containing == [] and touching == sorted(expected.split("|")), (name, touching)
        else:
            assert containing == [expected] and touching == [], (name, containing, touching)
    assert probes["big"][2] == boundaries.special_desa(fc)["big"]
    assert probes["sea"][1] < BOX[1]


def test_shapefile_zip_reads_back_to_the_same_geometry(fc):
    data = boundaries.shapefile_zip(fc)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        assert names == [f"batas_desa.{ext}" for ext in ("cpg", "dbf", "prj", "shp", "shx")]
        members = {name.rsplit(".", 1)[1]: archive.read(name) for name in names}
    prj = members["prj"].decode()
    assert "WGS_1984_UTM_Zone_49S" in prj and prj == pyproj.CRS.from_epsg(32749).to_wkt("WKT1_ESRI")
    assert members["cpg"] == b"UTF-8"

    back = pyproj.Transformer.from_crs(32749, 4326, always_xy=True)
    reader = shapefile.Reader(shp=io.BytesIO(members["shp"]), shx=io.BytesIO(members["shx"]),
                              dbf=io.BytesIO(members["dbf"]), encoding="utf-8")
    assert reader.shapeType == shapefile.POLYGON
    assert [f.name for f in reader.fields[1:]] == ["KDEPUM", "WADMKD", "WADMKC", "LUAS", "REMARK"]
    assert len(reader) == len(fc["features"])
    worst = 0.0
    for feature, record in zip(fc["features"], reader.iterShapeRecords(), strict=True):
        props = feature["properties"]
        assert record.record.as_dict() == {k: str(v) for k, v in props.items()}
        geometry = feature["geometry"]
        assert record.shape.__geo_interface__["type"] == geometry["type"], props["KDEPUM"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = [ring for polygon in polygons for ring in polygon]
        holes = [k > 0 for polygon in polygons for k in range(len(polygon))]
        points = np.asarray(record.shape.points)
        parts = [*record.shape.parts, len(points)]
        assert len(parts) - 1 == len(rings)
        for k, ring in enumerate(rings):
            part = points[parts[k]:parts[k + 1]]
            assert shapefile.is_cw(part.tolist()) != holes[k]  # ESRI: outer clockwise, holes counter-clockwise
            lon, lat = back.transform(part[:, 0], part[:, 1])
            original = np.asarray(ring)[::-1]  # GeoJSON's orientation is the reverse
            metres = np.hypot((lon - original[:, 0]) * 111_320 * math.cos(math.radians(original[0, 1])),
                              (lat - original[:, 1]) * 111_320)
            worst = max(worst, float(metres.max()))
    assert worst < 0.001, worst


def test_shapefile_zip_options_and_truncation(fc):
    small = {**fc, "features": fc["features"][:3]}
    data = boundaries.shapefile_zip(small, epsg=4326, code_field="KODE_DESA", prj=None, cpg=None, folder="BATAS/")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["BATAS/batas_desa.dbf", "BATAS/batas_desa.shp", "BATAS/batas_desa.shx"]
        reader = shapefile.Reader(shp=io.BytesIO(archive.read("BATAS/batas_desa.shp")),
                                  dbf=io.BytesIO(archive.read("BATAS/batas_desa.dbf")))
        assert reader.record(0).as_dict()["KODE_DESA"] == small["features"][0]["properties"]["KDEPUM"]
        x, y = reader.shape(0).points[0]
        assert BOX[0] - 0.1 < x < BOX[2] + 0.1 and BOX[1] - 0.1 < y < BOX[3] + 0.1  # lon/lat kept
    with pytest.raises(ValueError):
        boundaries.shapefile_zip(small, code_field="KODE_DESA_BIG")
    cut = boundaries.truncated(data)
    assert len(cut) == len(data) // 2
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(cut))


def test_broken_variants(fc, geoms):
    codes = [f["properties"]["KDEPUM"] for f in fc["features"]]
    code, neighbour = codes[20], codes[21]
    before = boundaries.geojson_bytes(fc)

    twisted = boundaries.with_self_intersection(fc, code)
    bad = shape(next(f for f in twisted["features"] if f["properties"]["KDEPUM"] == code)["geometry"])
    assert not bad.is_valid and "Self-intersection" in explain_validity(bad)
    assert sum(not shape(f["geometry"]).is_valid for f in twisted["features"][15:25]) == 1

    renamed = boundaries.with_unknown_code(fc)
    renamed_codes = [f["properties"]["KDEPUM"] for f in renamed["features"]]
    assert len(set(renamed_codes) - set(codes)) == 1 and len(renamed_codes) == len(codes)
    official = {kel["code"] for kec in areas.regency("35.03").kecamatan for kel in kec["kelurahan"]}
    assert not (set(renamed_codes) - set(codes)) & official

    moved = boundaries.shifted(fc, code, 500)
    moved_geom = shape(next(f for f in moved["features"] if f["properties"]["KDEPUM"] == code)["geometry"])
    assert moved_geom.is_valid
    overlap = moved_geom.intersection(geoms[neighbour]).area
    assert overlap > 0.5 * 500 / 111_320 * 0.04, overlap  # a 500 m strip along the east side

    far = boundaries.far_away(fc, code)
    far_geom = shape(next(f for f in far["features"] if f["properties"]["KDEPUM"] == code)["geometry"])
    assert far_geom.centroid.distance(geoms[code].centroid) * 111.32 > 300
    assert boundaries.geojson_bytes(fc) == before  # the original is untouched


def test_generation_is_deterministic_and_seeded():
    one = boundaries.realistic_region(vertices_per_desa=100, big_desa_vertices=1000)
    again = boundaries.realistic_region(vertices_per_desa=100, big_desa_vertices=1000)
    other = boundaries.realistic_region(vertices_per_desa=100, big_desa_vertices=1000, seed=2)
    assert boundaries.geojson_bytes(one) == boundaries.geojson_bytes(again)
    assert boundaries.geojson_bytes(one) != boundaries.geojson_bytes(other)


def test_small_province_grid_tiles_its_box():
    box = (112.0, -8.3, 113.0, -7.5)
    started = time.perf_counter()
    grid = boundaries.province_grid(70, 300, box=box, big_desa_vertices=3000)
    seconds = time.perf_counter() - started
    codes = [f["properties"]["KDEPUM"] for f in grid["features"]]
    assert len(codes) == len(set(codes)) == 70, f"generated in {seconds:.2f} s"
    assert all(re.fullmatch(r"99\.99\.\d\d\.\d{4}", c) for c in codes)
    geoms = [shape(f["geometry"]) for f in grid["features"]]
    assert all(g.is_valid for g in geoms)
    union = shapely.union_all(geoms)
    assert abs(sum(g.area for g in geoms) - union.area) <= 1e-9 * union.area
    mainland = max(union.geoms, key=lambda g: g.area)
    assert len(union.geoms) == 2 and len(mainland.interiors) == 1
    probes = boundaries.probe_points(grid)
    for name, (lon, lat, expected) in probes.items():
        hits = [c for c, g in zip(codes, geoms, strict=True) if g.intersects(Point(lon, lat))]
        assert hits == (sorted(expected.split("|")) if expected else []), name


@pytest.mark.integration
def test_province_sized_grid():
    started = time.perf_counter()
    grid = boundaries.province_grid()
    seconds = time.perf_counter() - started
    features = grid["features"]
    counts = sorted(_vertices(f["geometry"]) for f in features)
    size = len(boundaries.geojson_bytes(grid))
    message = f"3,000 x 2,000 generated in {seconds:.1f} s, {size / 1e6:.0f} MB of GeoJSON"
    assert len(features) == 3000, message
    assert len({f["properties"]["KDEPUM"] for f in features}) == 3000, message
    assert 1800 <= counts[len(counts) // 2] <= 2200 and counts[-1] >= 30000, message
    sample = [shape(f["geometry"]) for f in features[::50]]
    assert all(g.is_valid for g in sample), message
