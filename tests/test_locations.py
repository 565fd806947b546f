"""The desk sets a report's point (``POST /v1/reports/{id}/location``): a
partner's or an SMS report placed by its desa code alone has no point, so
it was on no map; once placed it shows on the map and in the public view
like a report created with a point.  Hostile values, the wrong roles, a
point outside the region and a closed report change nothing."""
from __future__ import annotations

import json

import pytest

from support.data import OUTSIDE, assert_error, count_items, new_report

INTAKE = "/v1/partner/reports"
PARTNERS = "/v1/regions/trenggalek/partners"
MAP = "/v1/regions/trenggalek/reports/map"
DESA = "35.03.01.2001"
OTHER_DESA = "35.03.01.2002"


def centre(code: str) -> dict[str, float]:
    """The middle of a desa's demo polygon (a rectangle): a point inside it."""
    from devstack.demo_region import demo_boundaries

    for feature in demo_boundaries()["features"]:
        if feature["properties"]["kelurahan_code"] == code:
            ring = feature["geometry"]["coordinates"][0]
            lons, lats = [p[0] for p in ring], [p[1] for p in ring]
            return {"lat": round((min(lats) + max(lats)) / 2, 6), "lon": round((min(lons) + max(lons)) / 2, 6)}
    raise AssertionError(code)


def location(api, report_id, body=None, raw=None, as_="verifier", **headers):
    return api.post(f"/v1/reports/{report_id}/location", body, raw=raw, headers=headers or None, as_=as_)


def desa_only(api, pipeline, tracking_id="CC-1", channel="call_centre", **extra):
    """A partner's report placed by its desa code alone, routed."""
    made = api.post(PARTNERS, {"name": "Call centre", "channel": channel}, as_="region_admin")
    assert made.status_code == 201, made.json_body
    body = {"category": "jalan-rusak", "description": "Jalan berlubang di depan balai desa (telepon warga).",
            "tracking_id": tracking_id, "kelurahan_code": DESA, **extra}
    created = api.client.http.post(INTAKE, body=json.dumps(body),
                                   headers={"Content-Type": "application/json", "X-Api-Key": made.json_body["api_key"]})
    assert created.status_code == 201, created.json_body
    pipeline.run()
    return created.json_body["id"]


def on_map(api):
    return {f["properties"]["id"]: f["geometry"]["coordinates"] for f in api.get(MAP).json_body["features"]}


def item(report_id):
    from chalicelib.store.models import ReportModel

    return ReportModel.get(report_id, consistent_read=True).attribute_values


def test_a_desa_only_report_gets_a_point_and_then_shows_on_the_map(api, pipeline):
    report_id = desa_only(api, pipeline)
    point = centre(DESA)
    placed = location(api, report_id, {**point, "note": "Ditelepon ulang: depan balai desa."})
    assert placed.status_code == 200, placed.json_body
    view = placed.json_body
    assert (view["lat"], view["lon"]) == (point["lat"], point["lon"])
    assert view["kelurahan_code"] == DESA and view["status"] == "waiting" and view["out_of_area"] is False
    last = view["history"][-1]
    assert last["comment"] == "Ditelepon ulang: depan balai desa." and last["actor_role"] == "verifier"
    assert "Titik lokasi ditetapkan" in last["note"]["id"] and last["status"] == "waiting"
    queue = api.get("/v1/regions/trenggalek/verification-queue", as_="verifier").json_body["items"]
    assert [(q["lat"], q["lon"]) for q in queue if q["id"] == report_id] == [(point["lat"], point["lon"])]
    assert report_id not in on_map(api)  # still waiting: not yet verified
    assert api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    pipeline.run()
    assert on_map(api)[report_id] == [point["lon"], point["lat"]]
    public = api.get(f"/v1/reports/{report_id}").json_body
    assert (public["lat"], public["lon"]) == (point["lat"], point["lon"])
    assert "comment" not in public["history"][-2] and "actor_role" not in public["history"][-2]  # staff only
    # exactly as a report created with a point: the same map attributes
    assert item(report_id).get("off_map") is None and item(report_id)["map_key"] == "trenggalek"


def test_a_waiting_report_is_re_placed_in_the_desa_of_its_point(api, pipeline):
    report_id = desa_only(api, pipeline)
    before = item(report_id)
    placed = location(api, report_id, centre(OTHER_DESA), as_="region_admin")
    assert placed.status_code == 200, placed.json_body
    view = placed.json_body
    assert view["kelurahan_code"] == OTHER_DESA and view["kecamatan_code"] == before["kecamatan_code"]
    assert view["agency"] == before["agency"]  # routing by category unchanged
    assert item(report_id)["kelurahan_key"] == f"trenggalek#{OTHER_DESA}"


def test_an_sms_report_with_no_place_is_placed(api, pipeline):
    from chalicelib.services import intake, partners

    made = api.post(PARTNERS, {"name": "SMS gateway", "channel": "sms"}, as_="region_admin").json_body
    partner = partners.authenticate(made["api_key"], count=False)
    submitted = intake.submit(partner, intake.Submission(
        category="jalan-rusak", description="LAPOR jalan rusak dekat pasar", tracking_id="sms-9",
        reporter_phone="0812 3456 7890"), channel="sms")
    pipeline.run()
    report_id = submitted.report_id
    staff = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body
    assert staff["out_of_area"] is True and staff["kelurahan_code"] is None and staff["lat"] is None
    placed = location(api, report_id, centre(DESA))
    assert placed.status_code == 200, placed.json_body
    assert placed.json_body["kelurahan_code"] == DESA and placed.json_body["out_of_area"] is False
    assert api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    pipeline.run()
    assert report_id in on_map(api)


def test_a_verified_report_gets_its_point_in_its_own_desa_only(api, pipeline):
    report_id = desa_only(api, pipeline)
    assert api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    pipeline.run()
    assert report_id not in on_map(api)
    before = item(report_id)
    error = assert_error(location(api, report_id, centre(OTHER_DESA), **{"Accept-Language": "en"}), 422,
                         "point_in_other_kelurahan")
    assert "Hand the report over" in error["message"]
    assert item(report_id) == before
    placed = location(api, report_id, centre(DESA))
    assert placed.status_code == 200, placed.json_body
    assert placed.json_body["status"] == "verified" and placed.json_body["kelurahan_code"] == DESA
    assert report_id in on_map(api)
    # a correction moves it
    moved = {"lat": centre(DESA)["lat"] + 0.0001, "lon": centre(DESA)["lon"]}
    assert location(api, report_id, moved).status_code == 200
    assert on_map(api)[report_id] == [moved["lon"], moved["lat"]]


def test_a_confidential_report_gets_a_point_and_stays_off_the_map(api, pipeline):
    report_id = desa_only(api, pipeline, confidential=True)
    assert location(api, report_id, centre(DESA)).status_code == 200
    assert api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    pipeline.run()
    assert report_id not in on_map(api)
    assert item(report_id)["map_key"] == "trenggalek#off-map"


@pytest.mark.parametrize("role,status", [(None, 401), ("citizen", 403), ("officer", 403), ("agency_head", 403),
                                         ("kelurahan_officer", 403), ("finance", 403)])
def test_only_the_desk_sets_a_point(api, pipeline, role, status):
    report_id = desa_only(api, pipeline)
    before = item(report_id)
    assert_error(location(api, report_id, centre(DESA), as_=role), status)
    assert item(report_id) == before


HOSTILE = [
    ('{"lat": NaN, "lon": 111.7}', "invalid_json"),
    ('{"lat": -8.1, "lon": Infinity}', "invalid_json"),
    ('{"lat": 1e309, "lon": 111.7}', None),
    ('{"lat": -91, "lon": 111.7}', "out_of_range"),
    ('{"lat": -8.1, "lon": 181}', "out_of_range"),
    ('{"lat": "-8.1", "lon": "111.7"}', None),
    ('{"lat": -8.1}', "missing_field"),
    ('{"lon": 111.7}', "missing_field"),
    ('{"lat": null, "lon": 111.7}', None),
    ('{"lat": -8.1, "lon": 111.7, "kelurahan_code": "35.03.01.2002"}', "unknown_field"),
    ('{"lat": -8.1, "lon": 111.7, "lat": -8.2}', "duplicate_field"),
    ('{"lat": ' + "9" * 400 + ', "lon": 111.7}', "out_of_range"),
    ('[-8.1, 111.7]', None),
    ('', None),
]


@pytest.mark.parametrize("raw,code", HOSTILE, ids=[h[0][:40] for h in HOSTILE])
def test_hostile_values_are_400_and_change_nothing(api, pipeline, raw, code):
    report_id = desa_only(api, pipeline)
    before = item(report_id)
    assert_error(location(api, report_id, raw=raw), 400, code)
    assert item(report_id) == before


def test_a_point_outside_the_region_is_422_and_changes_nothing(api, pipeline):
    report_id = desa_only(api, pipeline)
    before = item(report_id)
    for point in (OUTSIDE, {"lat": 0, "lon": 0}, {"lat": -90, "lon": 180}):
        assert_error(location(api, report_id, point), 422, "point_outside_region")
    assert item(report_id) == before


def test_a_closed_report_cannot_be_moved(api, pipeline):
    report_id = desa_only(api, pipeline)
    assert api.post(f"/v1/reports/{report_id}/transitions", {"to": "rejected", "reason": "spam"},
                    as_="verifier").status_code == 200
    before = item(report_id)
    assert_error(location(api, report_id, centre(DESA)), 409, "location_closed")
    assert item(report_id) == before


def test_an_unknown_report_is_404(api):
    before = count_items("reports")
    assert_error(location(api, "0" * 32, centre(DESA)), 404, "report_not_found")
    assert_error(location(api, "not-an-id", centre(DESA)), 404, "report_not_found")
    assert count_items("reports") == before


def test_an_app_report_keeps_its_map_place_when_corrected(api, pipeline):
    report_id = api.post("/v1/regions/trenggalek/reports", new_report(**centre(DESA))).json_body["id"]
    pipeline.run()
    assert api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    pipeline.run()
    moved = {"lat": centre(DESA)["lat"] - 0.0002, "lon": centre(DESA)["lon"] + 0.0002}
    assert location(api, report_id, moved).status_code == 200
    assert on_map(api)[report_id] == [moved["lon"], moved["lat"]]
