"""The regions endpoints' contract: hostile bodies are refused with a 4xx in
our error shape and change nothing stored; replies match the generated
OpenAPI document exactly; boundaries keep only canonical GeoJSON."""
import json

import pytest

from devstack import demo_region

HUGE = "1" + "0" * 399  # an integer of 400 digits


def send(api, method, path, raw, as_):
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {api.tokens[as_]}"}
    return getattr(api.client.http, method)(path, body=raw, headers=headers)


def state(api, region="trenggalek"):
    """Everything the region endpoints store, as its readers see it."""
    region_view = api.get(f"/v1/regions/{region}", as_="platform_admin")
    if region_view.status_code == 404:
        return None
    view = dict(region_view.json_body)
    view.pop("days_left", None)  # moves with the clock
    boundaries = json.loads(api.get(f"/v1/regions/{region}/boundaries").body)
    boundaries.pop("links", None)  # presigned: they carry the time they were signed
    return {"region": view, "categories": api.get(f"/v1/regions/{region}/categories").json_body,
            "boundaries": boundaries}


def assert_refused(response, status=400, code=None):
    assert response.status_code == status, response.body
    body = response.json_body
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


# --- 1. time_zone of the wrong type --------------------------------------------------

@pytest.mark.parametrize("value", [["WIB"], {"zone": "WIB"}, 7, True])
def test_time_zone_of_the_wrong_type_is_refused(api, value):
    before = state(api)
    patched = send(api, "patch", "/v1/regions/trenggalek", json.dumps({"time_zone": value}), "region_admin")
    assert assert_refused(patched, code="wrong_type")["params"]["field"] == "time_zone"
    created = api.post("/v1/regions", {"kemendagri_code": "53.71", "region_id": "kupang", "time_zone": value},
                       as_="platform_admin")
    assert_refused(created, code="wrong_type")
    assert state(api) == before and state(api, "kupang") is None


def test_unknown_time_zone_lists_the_allowed_ones(api):
    before = state(api)
    response = send(api, "patch", "/v1/regions/trenggalek", json.dumps({"time_zone": "UTC"}), "region_admin")
    params = assert_refused(response, code="invalid_value")["params"]
    assert params["field"] == "time_zone" and set(params["allowed"].split(", ")) == {"WIB", "WITA", "WIT"}
    assert state(api) == before


# --- 2. lone surrogates, and no write before validation -------------------------------

def test_lone_surrogate_in_a_lifecycle_note_moves_nothing(api):
    before = state(api)
    raw = '{"action": "extend_trial", "months": 1, "note": "\\ud800"}'
    assert_refused(api.post("/v1/regions/trenggalek/lifecycle", raw=raw, as_="platform_admin"), code="invalid_text")
    after = state(api)
    assert after["region"]["trial_ends_at"] == before["region"]["trial_ends_at"]
    assert after == before


@pytest.mark.parametrize("method,path,raw", [
    ("patch", "/v1/regions/trenggalek",
     '{"agencies": [{"code": "dishub", "name_id": "Dinas \\udfff", "name_en": "Transport"}]}'),
    ("put", "/v1/regions/trenggalek/categories",
     '{"categories": [{"code": "sampah", "name_id": "\\ud83d", "name_en": "Garbage", "agency": "dlh", '
     '"team": "yellow"}]}'),
    ("post", "/v1/regions", '{"kemendagri_code": "53.71", "region_id": "kupang\\ud800"}'),
])
def test_lone_surrogates_anywhere_change_nothing(api, method, path, raw):
    before = state(api)
    assert_refused(send(api, method, path, raw, "platform_admin"), code="invalid_text")
    assert state(api) == before


def test_extend_trial_without_months_changes_nothing(api):
    before = state(api)
    response = api.post("/v1/regions/trenggalek/lifecycle", {"action": "extend_trial"}, as_="platform_admin")
    assert assert_refused(response, code="out_of_range")["params"] == {"field": "months", "min": 1, "max": 24}
    assert state(api) == before


# --- 3. boundaries: numeric positions, canonical geometry only -------------------------

def put_boundaries(api, collection, as_="region_admin"):
    raw = collection if isinstance(collection, str) else json.dumps(collection)
    return send(api, "put", "/v1/regions/trenggalek/boundaries", raw, as_)


XSS = "<img src=x onerror=alert(1)>"


def test_a_non_numeric_position_is_refused(api):
    before = state(api)
    for junk in (XSS, None, True, [1], {"x": 1}):
        collection = demo_region.demo_boundaries()
        collection["features"][3]["geometry"]["coordinates"][0][1].append(junk)
        error = assert_refused(put_boundaries(api, collection), code="wrong_type")
        assert error["params"]["field"] == "features[3].geometry.coordinates[0][1][2]"
    collection = demo_region.demo_boundaries()
    collection["features"][0]["geometry"]["coordinates"][0][0] = ["111.4", "-7.9"]
    assert_refused(put_boundaries(api, collection), code="wrong_type")
    collection["features"][0]["geometry"]["coordinates"][0][0] = [111.4, -7.9, 0, 0]
    assert_refused(put_boundaries(api, collection), code="too_many")
    collection["features"][0]["geometry"] = {"type": "Point", "coordinates": [111.4, -7.9]}
    assert assert_refused(put_boundaries(api, collection))["params"]["field"] == "features[0].geometry.type"
    assert state(api) == before


def test_foreign_members_are_tolerated_but_not_stored_or_served(api):
    collection = demo_region.demo_boundaries()
    feature = collection["features"][0]
    feature["geometry"]["style"] = {"onload": XSS}  # a foreign member of the geometry
    feature["geometry"]["bbox"] = [111.4, -7.94, 111.43, -7.9]
    for position in feature["geometry"]["coordinates"][0]:
        position.append(250.0)  # an altitude
    feature["id"] = "feature-0"
    feature["popup"] = XSS  # a foreign member of the feature
    feature["properties"]["kelurahan"] = XSS  # a property we do not take from the file
    feature["properties"]["html"] = XSS
    collection["features"][1]["geometry"] = {
        "type": "MultiPolygon", "note": XSS,
        "coordinates": [collection["features"][1]["geometry"]["coordinates"]]}
    response = put_boundaries(api, collection)
    assert response.status_code == 200, response.json_body
    served = api.get("/v1/regions/trenggalek/boundaries")
    assert XSS.encode() not in served.body
    collection = json.loads(served.body)
    first = next(f for f in collection["features"] if f["properties"]["kelurahan_code"] == "35.03.01.2001")
    assert set(first) == {"type", "properties", "geometry"}
    assert set(first["geometry"]) == {"type", "coordinates"}
    assert first["properties"] == {"kelurahan_code": "35.03.01.2001", "kelurahan": "Besuki",
                                   "kecamatan_code": "35.03.01", "kecamatan": "Panggul"}
    assert all(len(p) == 2 for p in first["geometry"]["coordinates"][0])  # boundaries are 2D: altitudes dropped
    second = next(f for f in collection["features"] if f["properties"]["kelurahan_code"] == "35.03.01.2002")
    # a MultiPolygon of one polygon is served as that Polygon
    assert set(second["geometry"]) == {"type", "coordinates"} and second["geometry"]["type"] == "Polygon"
    # nor in any file of the version: the full-precision one and every display level
    import gzip

    import requests

    for link in [collection["links"]["full"], *collection["links"]["display"]]:
        body = requests.get(link["url"], timeout=10).content
        body = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
        assert b"35.03.01.2001" in body and XSS.encode() not in body and b"feature-0" not in body


def test_what_get_returns_can_be_put_back(api):
    collection = json.loads(api.get("/v1/regions/trenggalek/boundaries").body)
    collection["bbox"] = [111.4, -8.43, 111.95, -7.9]
    collection["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    response = put_boundaries(api, collection)
    assert response.status_code == 200, response.json_body
    assert response.json_body == {"region_id": "trenggalek", "version": 2, "accepted": 157,
                                  "missing_kelurahan_codes": []}
    # degrees declared as UTM metres: positions no zone has (10,000 km south of its origin)
    collection["crs"] = {"type": "name", "properties": {"name": "EPSG:32749"}}
    error = assert_refused(put_boundaries(api, collection), status=422, code="boundaries_rejected")
    assert {p["code"] for p in error["problems"]} == {"projection"}
    assert "UTM zone 49S" in error["problems"][0]["message"]
    collection["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}
    error = assert_refused(put_boundaries(api, collection), status=422, code="boundaries_rejected")
    assert [p["code"] for p in error["problems"]] == ["projection"] and "onboard" in error["problems"][0]["message"]


# --- 4. unknown top-level members ------------------------------------------------------

def test_unknown_top_level_fields_are_refused(api):
    before = state(api)
    table = before["categories"]["categories"]
    categories = {"categories": [{"code": c["code"], "name_id": c["name"]["id"], "name_en": c["name"]["en"],
                                  "agency": c["agency"], "team": c["team"]} for c in table[:-1]], "retire": False}
    error = assert_refused(send(api, "put", "/v1/regions/trenggalek/categories", json.dumps(categories),
                                "region_admin"), code="unknown_field")
    assert error["params"]["field"] == "retire"
    categories.pop("retire")
    categories["categories"][0]["colour"] = "red"
    assert assert_refused(send(api, "put", "/v1/regions/trenggalek/categories", json.dumps(categories),
                               "region_admin"), code="unknown_field")["params"]["field"] == "categories[0].colour"

    collection = demo_region.demo_boundaries()
    collection["features"] = collection["features"][:5]  # would drop 152 polygons if accepted
    collection["replace"] = True
    assert assert_refused(put_boundaries(api, collection), code="unknown_field")["params"]["field"] == "replace"

    lifecycle = {"action": "extend_trial", "months": 1, "force": True}
    error = assert_refused(api.post("/v1/regions/trenggalek/lifecycle", lifecycle, as_="platform_admin"),
                           code="unknown_field")
    assert error["params"]["field"] == "force"
    for body in ({"sla": {"verify": 2, "escalate": 1}}, {"agencies": [{"code": "x", "name_id": "X", "name_en": "X",
                                                                       "head": "Y"}]}, {"timezone": "WIT"}):
        assert_refused(send(api, "patch", "/v1/regions/trenggalek", json.dumps(body), "region_admin"),
                       code="unknown_field")
    created = api.post("/v1/regions", {"kemendagri_code": "53.71", "region_id": "kupang", "owner": "x"},
                       as_="platform_admin")
    assert_refused(created, code="unknown_field")
    assert state(api) == before and state(api, "kupang") is None


# --- 5. huge numbers ---------------------------------------------------------------------

@pytest.mark.parametrize("method,path,raw,field", [
    ("patch", "/v1/regions/trenggalek", '{"sla": {"verify": %s}}' % HUGE, "sla.verify"),
    ("patch", "/v1/regions/trenggalek", '{"project_rules": {"stale_days": -%s}}' % HUGE, "project_rules.stale_days"),
    ("post", "/v1/regions/trenggalek/lifecycle", '{"action": "extend_trial", "months": %s}' % HUGE, "months"),
    ("post", "/v1/regions", '{"kemendagri_code": "53.71", "region_id": "kupang", "trial_months": %s}' % HUGE,
     "trial_months"),
    ("post", "/v1/regions", '{"kemendagri_code": "53.71", "region_id": "kupang", "sla": {"resolve": %s}}' % HUGE,
     "sla.resolve"),
])
def test_huge_integers_are_out_of_range(api, method, path, raw, field):
    before = state(api)
    error = assert_refused(send(api, method, path, raw, "platform_admin"), code="out_of_range")
    assert error["params"]["field"] == field
    assert state(api) == before and state(api, "kupang") is None


@pytest.mark.parametrize("number", [HUGE, "-" + HUGE, "1e400", "-1e400"])
def test_huge_coordinates_are_refused(api, number):
    before = state(api)
    collection = demo_region.demo_boundaries()
    raw = json.dumps(collection).replace("111.4,", f"{number},", 1)
    error = assert_refused(put_boundaries(api, raw), code="out_of_range")
    assert error["params"]["field"].startswith("features[0].geometry.coordinates[0]")
    assert state(api) == before


def test_sla_day_bounds(api):
    before = state(api)
    for days in (0, 61, 1.5, "3"):
        response = send(api, "patch", "/v1/regions/trenggalek", json.dumps({"sla": {"respond": days}}), "region_admin")
        assert response.status_code == 400 and response.json_body["error"]["params"]["field"] == "sla.respond"
    assert send(api, "patch", "/v1/regions/trenggalek", "{}", "region_admin").json_body["error"]["code"] \
        == "missing_field"
    assert state(api) == before


# --- the replies are exactly what the document says ------------------------------------
# (conftest checks every reply against /openapi.json, objects closed; here each
# reply model is exercised, for every kind of viewer)

def test_replies_match_their_declared_models(api, pipeline):
    public = api.get("/v1/regions/trenggalek").json_body
    assert set(public) == {"region_id", "name", "status", "kemendagri_code", "time_zone", "map_tiles"}
    staff = api.get("/v1/regions/trenggalek", as_="region_admin").json_body
    assert "audit" not in staff and staff["trial_ends_at"] and staff["sla_days"]["verify"] == 3
    platform = api.get("/v1/regions/trenggalek", as_="platform_admin").json_body
    assert platform["audit"][0]["action"] == "create" and platform["audit"][0]["from"] is None
    assert api.get("/v1/regions/trenggalek/categories").json_body
    assert api.get("/v1/regions/trenggalek/areas").json_body
    boundaries = api.get("/v1/regions/trenggalek/boundaries")
    assert boundaries.headers["Content-Type"].startswith("application/geo+json")
    assert api.get("/v1/regions/trenggalek/usage", as_="region_admin").json_body
    csv = api.get("/v1/regions/trenggalek/usage", headers={"Accept": "text/csv"}, as_="region_admin")
    assert csv.headers["Content-Type"].startswith("text/csv")
    created = api.post("/v1/regions", {"kemendagri_code": "53.71", "region_id": "kupang", "time_zone": "WITA",
                                       "sla": {"verify": 2}, "trial_months": 3}, as_="platform_admin")
    assert created.status_code == 201 and created.headers["Location"] == "/v1/regions/kupang"
    assert created.json_body["sla_days"] == {"verify": 2, "respond": 5, "resolve": 10,
                                             "emergency_respond_hours": 1, "emergency_resolve_hours": 24}
    extended = api.post("/v1/regions/kupang/lifecycle", {"action": "extend_trial", "months": 2, "note": "  evaluasi "},
                        as_="platform_admin").json_body
    assert extended["audit"][-1]["note"] == "evaluasi" and extended["audit"][-1]["to"] == "trial"
    active = api.post("/v1/regions/kupang/lifecycle", {"action": "activate"}, as_="platform_admin").json_body
    assert active["trial_ends_at"] is None and active["days_left"] is None and active["activated_at"]
    settings = send(api, "patch", "/v1/regions/trenggalek",
                    json.dumps({"time_zone": "WITA", "project_rules": {"stale_days": 60}}), "region_admin")
    assert settings.json_body["time_zone"] == "WITA"
    assert settings.json_body["project_rules"] == {"money_ahead_points": 20, "behind_schedule_points": 25,
                                                   "stale_days": 60}


def test_contract_enumerations_follow_the_domain():
    import typing

    from chalicelib.contract import regions as contract
    from chalicelib.domain import pilot
    from chalicelib.domain.regions import TEAMS, TIME_ZONES
    from chalicelib.domain.sla import DEFAULT_DAYS

    assert set(typing.get_args(contract.TeamCode)) == set(TEAMS)
    assert set(typing.get_args(contract.TimeZone)) == set(TIME_ZONES)
    assert set(typing.get_args(contract.RegionStatus)) == set(pilot.STATUSES)
    assert contract.SlaRequest() == contract.SlaRequest(**DEFAULT_DAYS)
    assert contract.NewRegion(kemendagri_code="35.03", region_id="x").trial_months == pilot.TRIAL_MONTHS
    action = typing.get_type_hints(contract.LifecycleRequest)["action"]
    assert set(typing.get_args(action)) == set(pilot.ACTIONS)


def test_the_onboarding_tool_uploads_through_the_same_worker(region, pipeline, tmp_path):
    from pathlib import Path

    from tools.onboard import onboard

    def drive(seconds):  # the worker runs where the command would wait for it
        pipeline.run()

    example = Path(__file__).resolve().parent.parent / "examples" / "trenggalek-demo-boundaries.geojson"
    summary = onboard("35.03", "trenggalek-2", example, None, pause=drive)
    assert summary["region"].startswith("created: Kabupaten Trenggalek (WIB), trial until ")
    assert summary["boundaries"].startswith("version 1: 157 polygons, ")
    hostile = tmp_path / "hostile.geojson"
    document = json.loads(example.read_text(encoding="utf-8"))
    document["features"][3]["properties"]["kelurahan_code"] = "99.99.99.9999"
    hostile.write_text(json.dumps(document), encoding="utf-8")
    refused = onboard("35.03", "trenggalek-2", hostile, None, pause=drive)["boundaries"]
    assert refused.startswith("REJECTED: 2 problems: ") and "99.99.99.9999" in refused  # unknown + missing
