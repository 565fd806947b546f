"""A region's official boundaries at real size, end to end: a presigned
upload of a GeoJSON or a zipped UTM Shapefile, the boundaries worker, the
upload's status, the switch to the new version only when it is whole,
routing at full precision, and maps served simplified from S3."""
import gzip
import json
import math

import boto3
import pytest
import requests
import shapely

from chalicelib import resources
from support import boundaries as gen
from support.data import new_report

REGION = "ap-southeast-3"


@pytest.fixture(scope="module")
def realistic():
    """157 desa of ~2,000 vertices, one of 30,000, an island, a lake."""
    return gen.realistic_region()


@pytest.fixture(scope="module")
def light():
    """The same region with ~150 vertices a desa: for the refusal cases."""
    return gen.realistic_region(vertices_per_desa=150, big_desa_vertices=3000, seed=2)


def grant(api, content_type="application/geo+json", as_="region_admin", region="trenggalek", **extra):
    return api.post(f"/v1/regions/{region}/boundaries/uploads", {"content_type": content_type, **extra}, as_=as_)


def send_file(granted, data, filename):
    """What the GIS officer's browser does with the form: a multipart POST."""
    form = granted["form"]
    response = requests.post(form["url"], data=form["fields"], files={"file": (filename, data)}, timeout=60)
    assert response.status_code in (200, 201, 204), response.text


def upload(api, pipeline, data, content_type="application/geo+json", filename="batas.geojson", **extra):
    granted = grant(api, content_type, **extra)
    assert granted.status_code == 201, granted.json_body
    send_file(granted.json_body, data, filename)
    pipeline.run()
    status = api.get(granted.json_body["status_url"], as_="region_admin")
    assert status.status_code == 200
    return status.json_body


def served(api):
    return json.loads(api.get("/v1/regions/trenggalek/boundaries").body)


def fetch(url):
    body = requests.get(url, timeout=30).content
    return json.loads(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)


def metres(lon1, lat1, lon2, lat2):
    x = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(x, (lat2 - lat1) * 110_574)


def assert_routes_like_the_probes(fc):
    from chalicelib.services import regions
    from chalicelib.services.boundaries import files

    index = files.area_index(regions.get_region("trenggalek", fresh=True))
    for name, (lon, lat, expected) in gen.probe_points(fc).items():
        found = index.locate(lon, lat)
        code = found.kelurahan_code if found else None
        if expected is not None and "|" in expected:
            assert code in expected.split("|"), name
        else:
            assert code == expected, name


def test_a_real_size_geojson_is_accepted_routed_and_served_simplified(api, pipeline, realistic):
    data = gen.geojson_bytes(realistic)
    assert len(data) > 6 * 2**20  # more than a Lambda request may carry
    before = served(api)
    status = upload(api, pipeline, data)
    assert status["status"] == "accepted", status["problems"]
    assert status["version"] == before["version"] + 1 and status["problems"] == []
    summary = status["summary"]
    assert summary["features"] == 157 and summary["vertices"] > 300_000 and summary["code_field"] == "KDEPUM"
    assert summary["projection"] == "WGS 84" and summary["bytes"] == len(data)

    # routing at full precision: inside, on a shared border, in the lake, at sea, on the island
    assert_routes_like_the_probes(realistic)
    lon, lat, expected = gen.probe_points(realistic)["big"]
    report = api.post("/v1/regions/trenggalek/reports", new_report(lat=lat, lon=lon)).json_body["id"]
    lon, lat, _ = gen.probe_points(realistic)["sea"]
    at_sea = api.post("/v1/regions/trenggalek/reports", new_report(lat=lat, lon=lon)).json_body["id"]
    pipeline.run()
    assert api.get(f"/v1/reports/{report}").json_body["kelurahan_code"] == expected
    assert api.get(f"/v1/reports/{at_sea}", as_="verifier").json_body["out_of_area"] is True

    # no item holds geometry: every item the upload wrote stays far below DynamoDB's 400 KB
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    for table in resources.TABLES:
        for item in dynamodb.scan(TableName=table.name)["Items"]:  # a test may scan
            assert len(json.dumps(item)) < 100_000, table.logical

    # the map: simplified, small, every level linked, shared borders kept
    collection = served(api)
    reply = api.get("/v1/regions/trenggalek/boundaries")
    assert len(reply.body) < 1_500_000 < len(data)
    assert collection["version"] == status["version"] and len(collection["features"]) == 157
    links = collection["links"]
    assert [d["tolerance_m"] for d in links["display"]] == [10, 50, 200]
    assert collection["tolerance_m"] in (10, 50, 200)
    full = fetch(links["full"]["url"])
    assert len(full["features"]) == 157 and links["full"]["vertices"] == summary["vertices"]
    original = {f["properties"]["KDEPUM"]: shapely.geometry.shape(f["geometry"]) for f in realistic["features"]}
    for level in links["display"]:
        display = fetch(level["url"])
        assert level["vertices"] < summary["vertices"] / 3 and level["bytes"] < links["full"]["bytes"]
        shapes = {f["properties"]["kelurahan_code"]: shapely.geometry.shape(f["geometry"]) for f in display["features"]}
        assert all(s.is_valid for s in shapes.values())
        # no gaps, no slivers: the pieces still tile what they tiled (sum of areas == area of the union)
        total = sum(s.area for s in shapes.values())
        assert abs(shapely.union_all(list(shapes.values())).area - total) < total * 1e-6
        # no border moved further than the tolerance (+ 1 m: rounding, and degrees taken as metres)
        for code in sorted(shapes)[::20]:
            distance = shapes[code].hausdorff_distance(original[code])  # in degrees
            assert distance * 110_574 <= level["tolerance_m"] + 1.0, (code, level["tolerance_m"])


def test_a_zipped_utm_shapefile_is_accepted_and_routes_the_same(api, pipeline, light):
    data = gen.shapefile_zip(light, epsg=32749, folder="BATAS_DESA/")
    status = upload(api, pipeline, data, "application/zip", "batas.zip")
    assert status["status"] == "accepted", status["problems"]
    assert status["summary"]["projection"].endswith("UTM zone 49S")
    assert_routes_like_the_probes(light)
    # positions came back to WGS84 within a few millimetres
    full = fetch(served(api)["links"]["full"]["url"])
    theirs = {f["properties"]["kelurahan_code"]: f["geometry"] for f in full["features"]}
    for feature in light["features"][::40]:
        ours = feature["geometry"]["coordinates"]
        ring = ours[0] if feature["geometry"]["type"] == "Polygon" else ours[0][0]
        back = theirs[feature["properties"]["KDEPUM"]]["coordinates"]
        back_ring = back[0] if theirs[feature["properties"]["KDEPUM"]]["type"] == "Polygon" else back[0][0]
        assert len(back_ring) == len(ring)  # the same vertices (a Shapefile may start and turn otherwise)
        assert max(min(metres(*a, *b) for b in back_ring) for a in ring) < 0.05


def test_a_broken_file_is_refused_with_every_problem_and_nothing_switches(api, pipeline, light):
    before = served(api)
    codes = sorted(f["properties"]["KDEPUM"] for f in light["features"])
    broken = gen.with_self_intersection(light, codes[3])
    broken = gen.with_unknown_code(broken, codes[10])
    broken = gen.shifted(broken, codes[20], 80)
    broken = gen.far_away(broken, codes[30])
    status = upload(api, pipeline, gen.geojson_bytes(broken))
    assert status["status"] == "rejected" and status["version"] is None
    found = {p["code"] for p in status["problems"]}
    assert {"geometry", "unknown_code", "missing", "overlap", "far"} <= found, status["problems"]
    messages = " | ".join(p["message"] for p in status["problems"])
    assert "self-intersection" in messages.lower() and codes[10] in messages
    assert status["problems_total"] == len(status["problems"])
    after = served(api)
    after.pop("links"), before.pop("links")
    assert after == before  # the old version stays in force, whole


@pytest.mark.parametrize("case", ["wrong_projection", "degrees_said_utm", "truncated", "no_prj", "not_json",
                                  "names_as_codes"])
def test_unreadable_files_are_refused_and_say_why(api, pipeline, light, case):
    before = served(api)["version"]
    if case == "wrong_projection":
        status = upload(api, pipeline, gen.shapefile_zip(light, epsg=3857), "application/zip", "b.zip")
        assert [p["code"] for p in status["problems"]] == ["projection"]
        assert "onboard" in status["problems"][0]["message"]
    elif case == "degrees_said_utm":  # a crs member that does not match the coordinates
        document = json.loads(gen.geojson_bytes(light))
        document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32749"}}
        status = upload(api, pipeline, json.dumps(document).encode())
        assert {p["code"] for p in status["problems"]} == {"projection"}
        assert "32749" in status["problems"][0]["message"] or "49S" in status["problems"][0]["message"]
    elif case == "truncated":
        status = upload(api, pipeline, gen.truncated(gen.shapefile_zip(light)), "application/zip", "b.zip")
        assert [p["code"] for p in status["problems"]] == ["file"]
    elif case == "no_prj":
        status = upload(api, pipeline, gen.shapefile_zip(light, prj=None), "application/zip", "b.zip")
        assert "prj" in status["problems"][0]["message"]
    elif case == "not_json":
        status = upload(api, pipeline, b'{"type": "FeatureCollection", "features": [' * 50)
        assert [p["code"] for p in status["problems"]] == ["file"]
    else:  # the desa names where the codes should be: 157 unknown + 157 missing, all listed
        status = upload(api, pipeline, gen.geojson_bytes(light), code_field="WADMKD")
        assert status["problems_total"] == 314 and len(status["problems"]) == 100
        every = fetch(status["problems_url"])["problems"]
        assert len(every) == 314 and {p["code"] for p in every} == {"unknown_code", "missing"}
    assert status["status"] == "rejected"
    assert served(api)["version"] == before


def test_progress_and_the_old_version_until_the_new_one_is_whole(api, pipeline, light):
    before = served(api)["version"]
    granted = grant(api).json_body
    waiting = api.get(granted["status_url"], as_="region_admin").json_body
    assert waiting["status"] == "waiting_for_file" and waiting["progress"] is None
    send_file(granted, gen.geojson_bytes(light), "b.geojson")
    assert served(api)["version"] == before  # nothing switches before the worker is done
    pipeline.run()
    done = api.get(granted["status_url"], as_="region_admin").json_body
    assert done["status"] == "accepted" and done["version"] == before + 1
    assert set(done["summary"]["seconds"]) >= {"read", "check", "simplify"}
    # the raw upload is gone; a redelivered notification changes nothing
    s3 = boto3.client("s3", region_name=REGION)
    key = f"{resources.BOUNDARY_UPLOAD_PREFIX}trenggalek/{granted['upload_id']}.geojson"
    assert "Contents" not in s3.list_objects_v2(Bucket=resources.PHOTOS_BUCKET.name, Prefix=key)
    from chalicelib.services.boundaries import uploads

    assert uploads.process(key)["outcome"] == "already_accepted"
    assert served(api)["version"] == before + 1


def test_who_may_upload_and_hostile_requests(api):
    assert grant(api, as_="verifier").status_code == 403
    assert grant(api, as_="citizen").status_code == 403
    assert grant(api, region="nowhere").status_code == 404
    for body in ({"content_type": "text/csv"}, {"content_type": "application/zip", "code_field": "a\"b"},
                 {"content_type": "application/zip", "overlap_tolerance_m": 1e400},
                 {"content_type": "application/zip", "extra": 1}, {}):
        response = api.post("/v1/regions/trenggalek/boundaries/uploads", body, as_="region_admin")
        assert response.status_code == 400 and set(response.json_body["error"]) >= {"code", "message"}
    granted = grant(api).json_body
    fields = granted["form"]["fields"]
    assert fields["key"] == f"boundary-uploads/trenggalek/{granted['upload_id']}.geojson"
    assert api.get(granted["status_url"], as_="verifier").status_code == 403
    for upload_id in ("0" * 32, "nope", "../../etc", granted["upload_id"].upper()):
        response = api.get(f"/v1/regions/trenggalek/boundaries/uploads/{upload_id}", as_="region_admin")
        assert response.status_code == 404, upload_id


def test_a_key_nobody_granted_is_deleted_and_records_nothing(api, pipeline):
    s3 = boto3.client("s3", region_name=REGION)
    key = f"{resources.BOUNDARY_UPLOAD_PREFIX}trenggalek/{'ab' * 16}.geojson"
    s3.put_object(Bucket=resources.PHOTOS_BUCKET.name, Key=key, Body=b"{}")
    pipeline.run()
    assert "Contents" not in s3.list_objects_v2(Bucket=resources.PHOTOS_BUCKET.name, Prefix=key)
    assert api.get(f"/v1/regions/trenggalek/boundaries/uploads/{'ab' * 16}", as_="region_admin").status_code == 404


def test_the_onboarding_command_reprojects_what_the_worker_cannot_read(api, pipeline, light, tmp_path):
    """A Shapefile in Indonesia's TM-3 grid (EPSG:23830) is refused by the
    worker, and accepted once the operator's command reprojects it."""
    from tools.boundaries import reproject

    path = tmp_path / "batas_tm3.zip"
    path.write_bytes(gen.shapefile_zip(light, epsg=23830))
    refused = upload(api, pipeline, path.read_bytes(), "application/zip", "b.zip")
    assert [p["code"] for p in refused["problems"]] == ["projection"]
    data = reproject(path)
    document = json.loads(data)
    assert len(document["features"]) == len(light["features"])
    original = light["features"][0]["geometry"]
    ring = (original["coordinates"][0] if original["type"] == "Polygon" else original["coordinates"][0][0])
    back = document["features"][0]["geometry"]
    back_ring = back["coordinates"][0] if back["type"] == "Polygon" else back["coordinates"][0][0]
    assert max(min(metres(*a, *b) for b in back_ring) for a in ring) < 0.05
    accepted = upload(api, pipeline, data)
    assert accepted["status"] == "accepted", accepted["problems"]
    assert_routes_like_the_probes(light)
