"""Reading official boundary files without pyproj: the worker's UTM inverse
against pyproj, recognising projections in .prj files, and reading zipped
Shapefiles (pyshp) from bytes, including hostile ones.  No AWS."""
from __future__ import annotations

import io
import math
import random
import time
import zipfile

import pyproj
import pytest
import shapefile

from chalicelib.domain.geo.projection import (
    Crs,
    ProjectionError,
    identify,
    inverse_utm,
    project_polygons,
    utm_zone,
)
from chalicelib.domain.geo.shapes import Layer, ShapefileError, read_zip

pytestmark = pytest.mark.filterwarnings("ignore:::shapefile")  # pyshp's Writer, building the fixtures

# --- the inverse transverse Mercator against pyproj --------------------------------------------------------------

DEGREE_TOLERANCE = 1e-8  # about 1 mm


@pytest.mark.parametrize("zone", [46, 49, 54])
@pytest.mark.parametrize("south", [False, True])
def test_inverse_utm_matches_pyproj(zone, south):
    forward = pyproj.Transformer.from_crs(4326, (32700 if south else 32600) + zone, always_xy=True)
    lon0 = 6 * zone - 183
    offsets = [-3.0, -2.9999, -2.5, -1.7, -1.0, -0.3, 0.0, 1e-7, 0.4, 1.1, 2.2, 2.9999, 3.0]
    latitudes = [-11.0, -9.3, -7.25, -5.0, -2.6, -1.0, -1e-6, 0.0, 1e-6, 0.5, 1.9, 3.3, 4.7, 6.0]
    points = [(lon0 + d, lat) for d in offsets for lat in latitudes]
    eastings, northings = forward.transform([p[0] for p in points], [p[1] for p in points])
    worst = 0.0
    for (lon, lat), easting, northing in zip(points, eastings, northings, strict=True):
        got_lon, got_lat = inverse_utm(easting, northing, zone, south)
        worst = max(worst, abs(got_lon - lon), abs(got_lat - lat))
    assert worst < DEGREE_TOLERANCE, worst


def test_inverse_utm_far_from_the_zone_and_the_equator():
    """The series stays exact well outside a zone (sheets that spill over)."""
    forward = pyproj.Transformer.from_crs(4326, 32749, always_xy=True)
    points = [(111 + d, lat) for d in (-8.0, -5.5, 5.5, 8.0) for lat in (-60.0, -35.0, -11.0, 0.0, 6.0, 30.0)]
    eastings, northings = forward.transform([p[0] for p in points], [p[1] for p in points])
    for (lon, lat), easting, northing in zip(points, eastings, northings, strict=True):
        got = inverse_utm(easting, northing, 49, True)
        assert abs(got[0] - lon) < DEGREE_TOLERANCE and abs(got[1] - lat) < DEGREE_TOLERANCE, (lon, lat, got)


def test_inverse_utm_origin_and_refusals():
    assert inverse_utm(500000, 0, 49, False) == pytest.approx((111.0, 0.0), abs=1e-12)
    assert inverse_utm(500000, 10000000, 54, True) == pytest.approx((141.0, 0.0), abs=1e-12)
    for easting, northing in ((math.nan, 0.0), (500000.0, math.inf), (1e300, 9e6), (2_000_000.0, 9e6)):
        with pytest.raises(ProjectionError, match="UTM zone 49S"):
            inverse_utm(easting, northing, 49, True)
    for zone in (0, 61, True, 49.0):
        with pytest.raises(ValueError):
            inverse_utm(500000, 9e6, zone, True)


def test_project_polygons():
    forward = pyproj.Transformer.from_crs(4326, 32750, always_xy=True)
    ring_lonlat = [(117.0, -8.0), (117.1, -8.0), (117.1, -7.9), (117.0, -8.0)]
    xs, ys = forward.transform([p[0] for p in ring_lonlat], [p[1] for p in ring_lonlat])
    polygons = [[[[x, y, 12.5] for x, y in zip(xs, ys, strict=True)]]]  # a Z value is dropped
    projected = project_polygons(polygons, utm_zone(50, True))
    assert len(projected) == 1 and len(projected[0]) == 1 and len(projected[0][0]) == 4
    for (lon, lat), position in zip(ring_lonlat, projected[0][0], strict=True):
        assert len(position) == 2 and position == pytest.approx([lon, lat], abs=DEGREE_TOLERANCE)
    assert projected[0][0][0] == projected[0][0][-1]  # still closed
    geographic = [[[[111, -8, 3], [111.5, -8], [111.5, -7.5], [111, -8, 3]]]]
    assert project_polygons(geographic, identify("EPSG:4326")) == [[[[111.0, -8.0], [111.5, -8.0], [111.5, -7.5],
                                                                      [111.0, -8.0]]]]
    with pytest.raises(ProjectionError):
        project_polygons([[[[math.nan, 9e6], [500000, 9e6], [500000, 9.1e6], [math.nan, 9e6]]]], utm_zone(50, True))


def test_inverse_speed():
    """Not a benchmark: a guard against a slow rewrite (the worker runs
    millions of positions).  About 300,000 positions/s on one 2024 core."""
    rng = random.Random(7)
    ring = [[rng.uniform(300000, 700000), rng.uniform(8_800_000, 9_990_000)] for _ in range(50_000)]
    started = time.perf_counter()
    project_polygons([[ring]], utm_zone(49, True))
    rate = len(ring) / (time.perf_counter() - started)
    assert rate > 20_000, rate


# --- identify --------------------------------------------------------------------------------------------------------

WGS84_UTM = [*range(32646, 32655), *range(32746, 32755)]
DGN95_UTM = [*range(23866, 23873), *range(23877, 23885)]
WKT_VERSIONS = ["WKT1_ESRI", "WKT1_GDAL", "WKT2_2015", "WKT2_2019"]


def wkt(code, version):
    return pyproj.CRS.from_epsg(code).to_wkt(version)


@pytest.mark.parametrize("version", WKT_VERSIONS)
@pytest.mark.parametrize("code", [4326, 4755, *WGS84_UTM, *DGN95_UTM])
def test_identify_recognises_pyprojs_wkt(code, version):
    crs = identify(wkt(code, version))
    assert crs is not None and crs.epsg == code
    name = pyproj.CRS.from_epsg(code).name
    assert crs.name == name
    if code in (4326, 4755):
        assert crs.zone is None and crs.geographic
    else:
        assert crs.zone == int(name[-3:-1]) and crs.south is name.endswith("S") and not crs.geographic


def test_identify_codes_crs84_and_renamed_layers():
    assert identify(pyproj.CRS("OGC:CRS84").to_wkt()) == Crs(4326, None, False, "WGS 84")
    assert identify(pyproj.CRS("OGC:CRS84").to_wkt("WKT1_ESRI")).epsg == 4326
    assert identify("urn:ogc:def:crs:OGC:1.3:CRS84").epsg == 4326
    assert identify("EPSG:32749") == Crs(32749, 49, True, "WGS 84 / UTM zone 49S")
    assert identify(" urn:ogc:def:crs:EPSG::23879\n").epsg == 23879
    # An unfamiliar name: identified by datum, ellipsoid, method and parameters.
    renamed = wkt(32750, "WKT1_ESRI").replace("WGS_1984_UTM_Zone_50S", "Batas_Desa_Kab_Lombok")
    assert identify(renamed) == Crs(32750, 50, True, "WGS 84 / UTM zone 50S")
    assert identify("\ufeff" + wkt(32749, "WKT1_ESRI") + "\r\n\x00") is not None
    # A DGN95 zone the EPSG dataset does not define is the WGS 84 one.
    zone46s = wkt(23879, "WKT1_ESRI").replace("Zone_49S", "Zone_46S").replace('"Central_Meridian",111.0',
                                                                               '"Central_Meridian",93.0')
    assert identify(zone46s) == Crs(32746, 46, True, "DGN95 / UTM zone 46S")


@pytest.mark.parametrize("code", [
    3857,  # Web Mercator
    23830,  # DGN95 / Indonesia TM-3 zone 46.2
    23845,  # DGN95 / Indonesia TM-3 zone 54.1
    32631,  # WGS 84 / UTM zone 31N: outside Indonesia
    32760,  # WGS 84 / UTM zone 60S
    4230,  # ED50
    23849,  # ID74 / UTM zone 49N: another ellipsoid
    4238,  # ID74
    9470,  # SRGI2013
    32661,  # UPS North
    2154,  # RGF93 / Lambert-93
])
def test_identify_refuses_other_systems(code):
    for version in WKT_VERSIONS:
        try:
            text = wkt(code, version)
        except pyproj.exceptions.CRSError:
            continue  # pyproj cannot write this one in that version
        assert text is None or identify(text) is None, (code, version)


@pytest.mark.parametrize("text", [
    "",
    "   ",
    "garbage",
    "EPSG:3857",
    "EPSG:99999999999",
    "urn:ogc:def:crs:OGC:1.3:CRS83",
    'PROJCS["WGS_1984_UTM_Zone_49S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"',  # truncated
    'GEOGCS["x"]]]]]]',
    "[" * 100_000,
    "A[" * 10_000 + "1" + "]" * 10_000,
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],UNIT["degree",1e999]]',
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],'
    'UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","nan"]]',
    "\x00\xff\xfe" * 1000,
    "x" * 10_000_000,
])
def test_identify_never_raises(text):
    assert identify(text) is None


def test_identify_refuses_doctored_utm():
    good = wkt(32749, "WKT1_GDAL")
    assert identify(good) is not None
    for doctored in (
        good.replace('"false_northing",10000000', '"false_northing",10000001'),
        good.replace('"scale_factor",0.9996', '"scale_factor",0.9999'),
        good.replace('"central_meridian",111', '"central_meridian",112'),
        good.replace('AUTHORITY["EPSG","32749"]]', 'AUTHORITY["EPSG","32750"]]'),  # contradicts the parameters
        good.replace('UNIT["metre",1,', 'UNIT["US survey foot",0.304800609601219,'),
        good.replace("298.257223563", "298.257222101"),  # GRS 1980
        good.replace('SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]]',
                     'SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],TOWGS84[1,2,3,0,0,0,0]'),
        good.replace('"WGS_1984"', '"Indonesian_1974"').replace('AUTHORITY["EPSG","6326"]', 'AUTHORITY["EPSG","6238"]'),
        good.replace("Transverse_Mercator", "Transverse_Mercator_South_Orientated"),
    ):
        assert doctored != good
        assert identify(doctored) is None, doctored
    assert identify(good.replace('AUTHORITY["EPSG","6326"]', 'TOWGS84[0,0,0,0,0,0,0],AUTHORITY["EPSG","6326"]')) \
        == Crs(32749, 49, True, "WGS 84 / UTM zone 49S")
    assert identify(None) is None  # type: ignore[arg-type]
    assert identify(b"EPSG:4326") is None  # type: ignore[arg-type]


def test_identify_fuzz():
    rng = random.Random(1)
    texts = [wkt(code, version) for code in (32749, 4326, 23879) for version in WKT_VERSIONS]
    for _ in range(2000):
        text = rng.choice(texts)
        cut = rng.randrange(len(text))
        mutation = rng.choice(["cut", "flip", "insert"])
        if mutation == "cut":
            text = text[:cut]
        elif mutation == "flip":
            text = text[:cut] + chr(rng.randrange(0, 0x3000)) + text[cut + 1:]
        else:
            text = text[:cut] + rng.choice(['[', ']', '"', ",", "1e308", "-", "(", ")", "ID[", "\x00"]) + text[cut:]
        result = identify(text)
        assert result is None or isinstance(result, Crs)


# --- read_zip --------------------------------------------------------------------------------------------------------

PRJ_49S = wkt(32749, "WKT1_ESRI")


def square(x0, y0, size, clockwise=True):
    """A closed square ring; shapefile outer rings run clockwise."""
    ring = [[x0, y0], [x0, y0 + size], [x0 + size, y0 + size], [x0 + size, y0], [x0, y0]]
    return ring if clockwise else ring[::-1]


def shapefile_parts(features, *, shape_type=shapefile.POLYGON, encoding="utf-8", fields=None):
    """.shp, .shx and .dbf bytes of features ``(rings or None, record)``."""
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shape_type, encoding=encoding)
    for name, kind, size in fields or [("KDEPUM", "C", 10), ("WADMKD", "C", 50)]:
        writer.field(name, kind, size)
    for rings, record in features:
        if rings is None:
            writer.null()
        elif shape_type == shapefile.POINT:
            writer.point(*rings)
        elif shape_type == shapefile.POLYGONZ:
            writer.polyz([[[x, y, 7.0] for x, y in ring] for ring in rings])
        else:
            writer.poly(rings)
        writer.record(*record)
    writer.close()
    return shp.getvalue(), shx.getvalue(), dbf.getvalue()


def zipped(files, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def layer_zip(features=None, *, stem="desa", prj=PRJ_49S, cpg="UTF-8", extra=None, drop=(), **options):
    if features is None:
        features = [([square(500000, 9100000, 1000)], ("3503010001", "Desa Ngadirejo"))]
    shp, shx, dbf = shapefile_parts(features, **options)
    files = {f"{stem}.shp": shp, f"{stem}.shx": shx, f"{stem}.dbf": dbf}
    if prj is not None:
        files[f"{stem}.prj"] = prj.encode("utf-8") if isinstance(prj, str) else prj
    if cpg is not None:
        files[f"{stem}.cpg"] = cpg.encode("ascii")
    for suffix in drop:
        del files[f"{stem}{suffix}"]
    files.update(extra or {})
    return zipped(files)


def problems_of(data, **options):
    with pytest.raises(ShapefileError) as raised:
        read_zip(data, **options)
    problems = raised.value.problems
    assert problems and all(isinstance(p, str) and p.endswith(".") for p in problems)
    return problems


def test_polygon_with_a_hole_and_non_ascii_names():
    outer = square(500000, 9100000, 1000)
    hole = square(500400, 9100400, 200, clockwise=False)
    data = layer_zip([([outer, hole], ("3503010001", "  Desa Pàkis  ")),
                      ([square(502000, 9100000, 500)], ("3503010002", "Kelurahan Ngemplak Ñ"))])
    layer = read_zip(data)
    assert isinstance(layer, Layer)
    assert layer.name == "desa.shp" and layer.prj == PRJ_49S and identify(layer.prj).epsg == 32749
    assert layer.fields == ["KDEPUM", "WADMKD"]
    first, second = layer.records
    assert (first.index, second.index) == (0, 1)
    assert first.attributes == {"KDEPUM": "3503010001", "WADMKD": "Desa Pàkis"}
    assert second.attributes["WADMKD"] == "Kelurahan Ngemplak Ñ"
    assert first.polygons == [[[[float(x), float(y)] for x, y in outer], [[float(x), float(y)] for x, y in hole]]]
    assert all(isinstance(v, float) for ring in first.polygons[0] for p in ring for v in p)
    assert second.polygons == [[square(502000.0, 9100000.0, 500.0)]]


def test_multipolygon_islands_holes_and_an_island_in_a_hole():
    west = square(500000, 9100000, 1000)
    west_hole = square(500200, 9100200, 600, clockwise=False)
    islet = square(500400, 9100400, 100)  # an island inside the west island's hole
    east = square(510000, 9100000, 1000)
    east_hole = [[510000, 9100000], [510500, 9100300], [510300, 9100500], [510000, 9100000]]  # touches east's corner
    east_hole = east_hole if shapefile.signed_area(east_hole) > 0 else east_hole[::-1]
    data = layer_zip([([west, east_hole, islet, east, west_hole], ("3503010003", "Desa Kepulauan"))])
    (record,) = read_zip(data).records
    as_floats = [[[float(x), float(y)] for x, y in ring] for ring in (west, west_hole, islet, east, east_hole)]
    west_f, west_hole_f, islet_f, east_f, east_hole_f = as_floats
    assert sorted(record.polygons) == sorted([[west_f, west_hole_f], [islet_f], [east_f, east_hole_f]])


def test_wrong_winding_is_organised_by_containment():
    outer = square(500000, 9100000, 1000, clockwise=False)  # against the format's rule
    hole = square(500400, 9100400, 200, clockwise=True)
    (record,) = read_zip(layer_zip([([hole, outer], ("1", "x"))])).records
    assert record.polygons == [[[[float(x), float(y)] for x, y in ring] for ring in (outer, hole)]]


def test_two_islands_without_holes_keep_their_order():
    a, b = square(500000, 9100000, 10), square(500100, 9100000, 10)
    (record,) = read_zip(layer_zip([([a, b], ("1", "x"))])).records
    assert record.polygons == [[[[float(x), float(y)] for x, y in a]], [[[float(x), float(y)] for x, y in b]]]


@pytest.mark.parametrize("cpg,encoding,name", [
    ("1252", "cp1252", "Désa Cibeureum"),
    ("ANSI 1252", "cp1252", "Kelurahan Bàru"),
    ("88591", "latin-1", "Desa Sukamaju Ö"),
    (None, "utf-8", "Desa Tanjung Émas"),
    (None, "latin-1", "Desa Tanjung Émas"),  # not UTF-8: each such value falls back to Latin-1
    ("UTF-8", "utf-8", "Desa Ĉirebon 日本"),
    ("rot13", "utf-8", "Desa Ngadi"),  # not a code page: ignored
])
def test_code_pages(cpg, encoding, name):
    layer = read_zip(layer_zip([([square(500000, 9100000, 10)], ("3503", name))], cpg=cpg, encoding=encoding))
    assert layer.records[0].attributes["WADMKD"] == name


def test_value_cut_inside_a_utf8_character():
    """ArcGIS cuts a UTF-8 value at the field's width, even inside a character."""
    shp, shx, dbf = shapefile_parts([([square(0, 0, 1)], ("3503", "Desa Ngadirejo"))])
    position = dbf.index(b"Desa Ngadirejo")
    field_end = position + 50
    dbf = dbf[:field_end - 1] + b"\xc3" + dbf[field_end:]  # the first byte of "é" at the end of the field
    layer = read_zip(zipped({"desa.shp": shp, "desa.dbf": dbf, "desa.prj": PRJ_49S, "desa.cpg": "UTF-8"}))
    assert layer.records[0].attributes["WADMKD"] == "Desa Ngadirejo"


def test_members_in_a_folder_macos_litter_and_polygonz():
    shp, shx, dbf = shapefile_parts([([square(500000, 9100000, 10)], ("1", "x"))], shape_type=shapefile.POLYGONZ)
    data = zipped({"Batas Desa/": b"", "Batas Desa/DESA.SHP": shp, "Batas Desa/DESA.SHX": shx,
                   "Batas Desa/DESA.DBF": dbf, "Batas Desa/DESA.PRJ": PRJ_49S,
                   "__MACOSX/Batas Desa/._DESA.SHP": b"\x00\x05\x16\x07", "Batas Desa/._DESA.shp": b"junk",
                   "Batas Desa/DESA.shp.xml": b"<metadata/>", "Batas Desa/README.txt": b"hello"})
    layer = read_zip(data)
    assert layer.name == "Batas Desa/DESA.SHP"
    assert layer.records[0].polygons == [[square(500000.0, 9100000.0, 10.0)]]


def test_other_field_types_and_no_shx():
    fields = [("KDEPUM", "C", 10), ("LUAS", "N", 12), ("TGL", "D", 8), ("AKTIF", "L", 1), ("X", "F", 12)]
    shp, shx, dbf = shapefile_parts([([square(0, 0, 1)], ("1", 12.5, "20240131", True, None))], fields=fields)
    layer = read_zip(zipped({"desa.shp": shp, "desa.dbf": dbf, "desa.prj": PRJ_49S}))
    attributes = layer.records[0].attributes
    assert attributes["KDEPUM"] == "1" and attributes["LUAS"] == 12 and attributes["AKTIF"] is True
    assert attributes["TGL"].isoformat() == "2024-01-31" and attributes["X"] is None


def test_a_30000_vertex_polygon():
    n = 30_000
    ring = [[500000 + 5000 * math.cos(-2 * math.pi * i / n), 9100000 + 5000 * math.sin(-2 * math.pi * i / n)]
            for i in range(n)]
    ring.append(ring[0])
    data = layer_zip([([ring], ("1", "x"))])
    started = time.perf_counter()
    layer = read_zip(data)
    elapsed = time.perf_counter() - started
    assert len(layer.records[0].polygons[0][0]) == n + 1
    assert elapsed < 5, elapsed


# --- refusals --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"not a zip at all", bytes(range(256)) * 10, b'{"type": "FeatureCollection"}'])
def test_not_a_zip(data):
    (problem,) = problems_of(data)
    assert "not a zip" in problem


def test_truncated_zip():
    data = layer_zip()
    (problem,) = problems_of(data[:len(data) // 2])
    assert "damaged or incomplete" in problem


def test_crc_error():
    shp, shx, dbf = shapefile_parts([([square(0, 0, 1)], ("3503010001", "Desa Ngadirejo"))])
    data = bytearray(zipped({"desa.shp": shp, "desa.dbf": dbf, "desa.prj": PRJ_49S}, method=zipfile.ZIP_STORED))
    at = bytes(data).index(b"Desa Ngadirejo")
    data[at] ^= 0x20
    (problem,) = problems_of(bytes(data))
    assert "desa.dbf" in problem and "checksum" in problem


def test_zip_bombs():
    problems = problems_of(layer_zip(), max_uncompressed=500)
    assert any("would expand to" in p and "more than the" in p for p in problems)
    bomb = layer_zip(extra={"desa.dbf.bak": b"\x00" * (20 * 2**20)})
    (problem,) = problems_of(bomb)
    assert "desa.dbf.bak" in problem and "500:1" in problem and "not opened" in problem


def test_no_shapefile_and_too_many_layers():
    (problem,) = problems_of(zipped({"desa.geojson": b"{}", "notes.txt": b"hi"}))
    assert "no .shp file" in problem and "desa.geojson" in problem
    shp, shx, dbf = shapefile_parts([([square(0, 0, 1)], ("1", "x"))])
    two = zipped({"desa.shp": shp, "desa.dbf": dbf, "desa.prj": PRJ_49S,
                  "kecamatan/kec.shp": shp, "kecamatan/kec.dbf": dbf})
    (problem,) = problems_of(two)
    assert "2 Shapefile layers" in problem and "desa.shp" in problem and "kecamatan/kec.shp" in problem


def test_missing_dbf_and_prj_are_both_reported():
    problems = problems_of(layer_zip(drop=(".dbf",), prj=None))
    assert len(problems) == 2
    assert "no .dbf" in problems[0] and "desa.shp" in problems[0]
    assert "no .prj" in problems[1] and "projection" in problems[1] and "cannot be known" in problems[1]


def test_not_polygons():
    (problem,) = problems_of(layer_zip([((110.5, -7.5), ("1", "x"))], shape_type=shapefile.POINT))
    assert "Point shapes" in problem and "not polygons" in problem


def test_null_shapes_are_problems_naming_the_record():
    features = [([square(0, 0, 1)], ("1", "a")), (None, ("2", "b")), ([square(5, 5, 1)], ("3", "c")),
                (None, ("4", "d"))]
    problems = problems_of(layer_zip(features))
    assert problems == [
        "Record 2 (FID 1) of “desa.shp” has no geometry (a null shape): every desa needs its boundary polygon.",
        "Record 4 (FID 3) of “desa.shp” has no geometry (a null shape): every desa needs its boundary polygon.",
    ]


def test_short_rings_and_non_finite_coordinates():
    problems = problems_of(layer_zip([([[[0, 0], [1, 1], [0, 0]]], ("1", "a")),
                                      ([[[0, 0], [0, math.nan], [1, 1], [0, 0]]], ("2", "b"))]))
    assert "Record 1 (FID 0)" in problems[0] and "ring of 3 points" in problems[0]
    assert "Record 2 (FID 1)" in problems[1] and "not numbers" in problems[1]


def test_unsafe_paths():
    shp, shx, dbf = shapefile_parts([([square(0, 0, 1)], ("1", "x"))])
    for evil in ("../desa.shp", "/etc/desa.shp", "a/../../desa.dbf", "C:\\temp\\desa.shp", "..\\desa.prj"):
        problems = problems_of(zipped({"desa.shp": shp, "desa.dbf": dbf, "desa.prj": PRJ_49S, evil: b"x"}))
        assert len(problems) == 1 and "unsafe path" in problems[0] and evil[:8] in problems[0], evil


def test_encrypted_member():
    shp, shx, dbf = shapefile_parts([([square(0, 0, 1)], ("1", "x"))])
    data = bytearray(zipped({"desa.shp": shp, "desa.dbf": dbf, "desa.prj": PRJ_49S}))
    local, central = data.rindex(b"PK\x03\x04"), data.rindex(b"PK\x01\x02")  # desa.prj's headers
    data[local + 6] |= 0x1  # general purpose flag bit 0: encrypted
    data[central + 8] |= 0x1
    problems = problems_of(bytes(data))
    assert problems == ["“desa.prj” is encrypted (password-protected) in the zip: zip the files again without a "
                        "password."]


def test_shapes_and_records_of_different_layers():
    shp, _, _ = shapefile_parts([([square(0, 0, 1)], ("1", "x")), ([square(2, 0, 1)], ("2", "y"))])
    _, _, dbf = shapefile_parts([([square(0, 0, 1)], ("1", "x"))])
    (problem,) = problems_of(zipped({"desa.shp": shp, "desa.dbf": dbf, "desa.prj": PRJ_49S}))
    assert "2 shapes" in problem and "1 records" in problem


@pytest.mark.parametrize("damage", ["garbage", "truncated header", "truncated shape", "empty", "huge counts"])
def test_damaged_shp(damage):
    shp, shx, dbf = shapefile_parts([([square(0, 0, 1)], ("1", "x")), ([square(5, 5, 1)], ("2", "y"))])
    if damage == "garbage":
        shp = random.Random(3).randbytes(len(shp))
    elif damage == "truncated header":
        shp = shp[:60]
    elif damage == "truncated shape":
        shp = shp[:len(shp) - 20]
    elif damage == "empty":
        shp = b""
    else:  # the last shape (a 5-point ring: 136 bytes) claims 2**31 - 1 parts and points
        counts = len(shp) - 136 + 8 + 4 + 32
        assert shp[counts:counts + 8] == b"\x01\x00\x00\x00\x05\x00\x00\x00"
        shp = shp[:counts] + b"\xff\xff\xff\x7f" * 2 + shp[counts + 8:]
    problems = problems_of(zipped({"desa.shp": shp, "desa.dbf": dbf, "desa.prj": PRJ_49S}))
    assert any("desa.shp" in p for p in problems), problems


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_damaged_dbf(damage):
    shp, shx, dbf = shapefile_parts([([square(0, 0, 1)], ("1", "x"))])
    dbf = {"garbage": random.Random(4).randbytes(len(dbf)), "truncated": dbf[:40], "empty": b""}[damage]
    problems = problems_of(zipped({"desa.shp": shp, "desa.dbf": dbf, "desa.prj": PRJ_49S}))
    assert any("desa.dbf" in p for p in problems), problems


def test_fuzz_members_and_archive():
    """Random damage to the .shp, .dbf and the zip itself: read, or a
    ShapefileError; never another exception."""
    rng = random.Random(5)
    features = [([square(500000, 9100000, 1000), square(500400, 9100400, 200, clockwise=False)], ("1", "Pàkis")),
                ([square(510000, 9100000, 1000), square(520000, 9100000, 1000)], ("2", "Kepulauan"))]
    shp, shx, dbf = shapefile_parts(features)
    outcomes = {"read": 0, "refused": 0}
    for round_ in range(600):
        files = {"desa.shp": bytearray(shp), "desa.shx": shx, "desa.dbf": bytearray(dbf), "desa.prj": PRJ_49S}
        target = files[rng.choice(["desa.shp", "desa.dbf"])]
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(target))
            target[at] = rng.randrange(256) if rng.random() < 0.7 else rng.choice([0, 0xFF, 0x7F, 0x80])
        if rng.random() < 0.2:
            del target[rng.randrange(len(target)):]
        data = zipped({k: bytes(v) if isinstance(v, bytearray) else v for k, v in files.items()})
        if round_ % 3 == 0:  # damage the archive too
            data = bytearray(data)
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data)
        try:
            read_zip(data)
            outcomes["read"] += 1
        except ShapefileError as error:
            assert error.problems and all(isinstance(p, str) for p in error.problems)
            outcomes["refused"] += 1
    assert outcomes["read"] > 50 and outcomes["refused"] > 100, outcomes


def test_random_bytes_never_raise_anything_else():
    rng = random.Random(6)
    for size in (0, 1, 4, 22, 100, 1000, 10_000):
        for _ in range(20):
            data = rng.randbytes(size)
            if rng.random() < 0.5 and size >= 4:
                data = b"PK\x03\x04" + data[4:]
            with pytest.raises(ShapefileError):
                read_zip(data)
