"""The partner intake: partner systems (LAPOR! SP4N, call centres, PSC 119)
send reports with their API key into the same pipeline as the app's; a
retry with the same tracking id creates nothing new; anonymous reports hide
their reporter from staff too; confidential ones appear in no public view."""
from __future__ import annotations

import base64
import json

import pytest

from support.data import INSIDE, assert_error, count_items
from support.images import jpeg_with_gps

INTAKE = "/v1/partner/reports"
PARTNERS = "/v1/regions/trenggalek/partners"
DESA = "35.03.01.2001"
TABLES = ("reports", "regions", "partners")


def new_partner(api, channel="lapor", **body):
    reply = api.post(PARTNERS, {"name": "LAPOR! SP4N", "channel": channel, **body}, as_="region_admin")
    assert reply.status_code == 201, reply.json_body
    return reply.json_body


def send(api, key, body=None, raw=None):
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["X-Api-Key"] = key
    data = raw if raw is not None else json.dumps(body)
    return api.client.http.post(INTAKE, body=data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data,
                                headers=headers)


def follow(api, key, tracking_id):
    return api.client.http.get(f"{INTAKE}/{tracking_id}", headers={"X-Api-Key": key})


def report(**overrides):
    body = {"category": "jalan-rusak", "description": "Jalan berlubang di depan balai desa (telepon warga).",
            "tracking_id": "LAPOR-2026-0001", **INSIDE}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def stored():
    return {logical: count_items(logical) for logical in TABLES}


def test_a_report_is_created_once_per_tracking_id(api, pipeline):
    key = new_partner(api)["api_key"]
    before = count_items("reports")
    first = send(api, key, report())
    assert first.status_code == 201, first.json_body
    assert first.json_body["created"] is True and first.json_body["tracking_id"] == "LAPOR-2026-0001"
    assert first.json_body["status"] == "waiting"
    again = send(api, key, report())
    assert again.status_code == 200 and again.json_body["created"] is False
    assert again.json_body["id"] == first.json_body["id"]
    assert count_items("reports") == before + 1
    pipeline.run()
    staff = api.get(f"/v1/reports/{first.json_body['id']}", as_="verifier").json_body
    assert staff["routed"] is True and staff["kelurahan_code"] and staff["channel"] == "lapor"
    assert staff["partner_ref"] == "LAPOR-2026-0001" and staff["confidential"] is False


def test_the_interface_other_channels_call(api, pipeline):
    from chalicelib.services import intake, partners
    from chalicelib.store.models import ReportModel

    made = new_partner(api, channel="sms", name="SMS gateway")
    partner = partners.authenticate(made["api_key"], count=False)
    submitted = intake.submit(partner, intake.Submission(
        category="jalan-rusak", description="LAPOR jalan rusak", kelurahan_code=DESA, tracking_id="sms-1",
        reporter_phone="0812 3456 7890"), channel="sms")
    assert submitted.created is True and submitted.status == "waiting"
    again = intake.submit(partner, intake.Submission(
        category="jalan-rusak", description="LAPOR jalan rusak", kelurahan_code=DESA, tracking_id="sms-1",
        reporter_phone="0812 3456 7890"), channel="sms")
    assert again == intake.Submitted(report_id=submitted.report_id, created=False, status="waiting")
    item = ReportModel.get(submitted.report_id)
    assert (item.channel, item.partner_id, item.partner_ref) == ("sms", made["id"], "sms-1")
    assert item.reporter.as_dict() == {"phone": "+6281234567890"}  # the sender: status SMS go there
    assert item.lat is None and item.lon is None and item.map_key is None


def test_the_same_tracking_id_with_another_body_is_422_and_changes_nothing(api):
    key = new_partner(api)["api_key"]
    first = send(api, key, report())
    assert first.status_code == 201
    before = stored()
    for changed in (report(description="Another complaint entirely."), report(confidential=True),
                    report(category="sampah")):
        assert_error(send(api, key, changed), 422, "tracking_id_reused")
    assert stored() == before
    # another partner's same tracking id is its own report
    other = new_partner(api, channel="call_centre", name="Call centre")["api_key"]
    mine = send(api, other, report())
    assert mine.status_code == 201 and mine.json_body["id"] != first.json_body["id"]


def test_a_missing_bad_or_revoked_key_is_403(api):
    made = new_partner(api)
    before = stored()
    for key in (None, "", "nonsense", made["api_key"] + "x", "a b", "\u00e9" * 3):
        response = send(api, key, report()) if key is None or key.isascii() else \
            api.client.http.post(INTAKE, body=json.dumps(report()),
                                 headers={"Content-Type": "application/json", "X-Api-Key": key})
        assert_error(response, 403, "invalid_api_key")
    assert api.post(f"{PARTNERS}/{made['id']}/revoke", as_="region_admin").status_code == 200
    before = stored()
    assert_error(send(api, made["api_key"], report()), 403, "invalid_api_key")
    assert_error(follow(api, made["api_key"], "LAPOR-2026-0001"), 403, "invalid_api_key")
    assert stored() == before


def test_over_the_keys_limit_is_429_with_retry_after(api):
    key = new_partner(api, rate_per_minute=1)["api_key"]
    assert send(api, key, report()).status_code == 201
    response = send(api, key, report(tracking_id="LAPOR-2"))
    assert_error(response, 429, "too_many_requests")
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_an_unknown_category_or_desa_is_400_naming_what_is_allowed(api):
    key = new_partner(api)["api_key"]
    before = stored()
    error = assert_error(send(api, key, report(category="no-such")), 400, "partner_unknown_category")
    assert "jalan-rusak" in error["allowed_codes"] and "jalan-rusak" in error["message"]
    error = assert_error(send(api, key, report(lat=None, lon=None, kelurahan_code="99.99.99.9999")), 400,
                         "partner_unknown_kelurahan")
    assert "/v1/regions/trenggalek/areas" in error["message"]
    assert_error(send(api, key, report(lat=None, lon=None)), 400, "location_required")
    assert_error(send(api, key, report(lon=None)), 400, "missing_field")
    assert stored() == before


def test_a_desa_code_only_report_is_placed_by_its_desa_and_the_verifier_can_correct_it(api, pipeline):
    key = new_partner(api, channel="call_centre", name="Call centre")["api_key"]
    created = send(api, key, report(lat=None, lon=None, kelurahan_code=DESA, address="RT 02 RW 01"))
    assert created.status_code == 201, created.json_body
    pipeline.run()
    report_id = created.json_body["id"]
    staff = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body
    assert staff["lat"] is None and staff["lon"] is None and staff["routed"] is True
    assert staff["kelurahan_code"] == DESA and staff["out_of_area"] is False and staff["agency"]
    queue = api.get("/v1/regions/trenggalek/verification-queue", as_="verifier").json_body["items"]
    assert report_id in [item["id"] for item in queue]
    other_desa = "35.03.01.2002"
    moved = api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified", "kelurahan_code": other_desa},
                     as_="verifier")
    assert moved.status_code == 200, moved.json_body
    assert moved.json_body["kelurahan_code"] == other_desa and moved.json_body["lat"] is None
    pipeline.run()
    # no point to draw: never on the public map, though verified
    features = api.get("/v1/regions/trenggalek/reports/map").json_body["features"]
    assert report_id not in [f["properties"]["id"] for f in features]
    assert api.get(f"/v1/reports/{report_id}").status_code == 200  # not confidential: public page


def test_a_confidential_report_is_in_no_public_view(api, pipeline):
    key = new_partner(api)["api_key"]
    created = send(api, key, report(confidential=True))
    public_twin = send(api, key, report(tracking_id="LAPOR-public"))
    report_id, twin_id = created.json_body["id"], public_twin.json_body["id"]
    pipeline.run()
    for rid in (report_id, twin_id):
        assert api.post(f"/v1/reports/{rid}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    pipeline.run()
    for as_ in (None, "citizen", "citizen2"):
        assert_error(api.get(f"/v1/reports/{report_id}", as_=as_), 404, "report_not_found")
        assert_error(api.get(f"/v1/reports/{report_id}/earlier-history", as_=as_), 404, "report_not_found")
        assert api.get(f"/v1/reports/{twin_id}", as_=as_).status_code == 200
    unknown = api.get(f"/v1/reports/{'0' * 32}").json_body["error"]["code"]
    assert unknown == "report_not_found"
    features = [f["properties"]["id"] for f in api.get("/v1/regions/trenggalek/reports/map").json_body["features"]]
    assert twin_id in features and report_id not in features
    staff = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body
    assert staff["confidential"] is True and staff["status"] == "verified"
    # figures count it, and say nothing else of it
    stats = api.get("/v1/regions/trenggalek/stats?group_by=status").json_body
    assert stats["total"]["received"] >= 2 and report_id not in json.dumps(stats)
    rankings = api.get("/v1/regions/trenggalek/rankings?level=agency").json_body
    assert report_id not in json.dumps(rankings)


def test_an_anonymous_report_hides_its_reporter_from_staff(api, pipeline):
    key = new_partner(api)["api_key"]
    named = send(api, key, report(tracking_id="named", reporter_name="Siti Aminah", reporter_phone="081234567890",
                                  reporter_email="siti@example.id"))
    hidden = send(api, key, report(tracking_id="anon", anonymous=True, reporter_name="Budi Santoso",
                                   reporter_phone="081298765432", reporter_email="budi@example.id"))
    pipeline.run()
    seen = api.get(f"/v1/reports/{named.json_body['id']}", as_="verifier").json_body
    assert seen["reporter_contact"] == {"name": "Siti Aminah", "phone": "081234567890", "email": "siti@example.id"}
    for as_ in ("verifier", "officer", "agency_head", "region_admin", None, "citizen"):
        view = api.get(f"/v1/reports/{hidden.json_body['id']}", as_=as_)
        assert view.status_code == 200
        text = view.body.decode()
        assert view.json_body["anonymous"] is True
        assert view.json_body.get("reporter_contact") is None and "reporter" not in view.json_body
        for secret in ("Budi", "081298765432", "budi@example.id"):
            assert secret not in text, (as_, secret)
    queue = api.get("/v1/regions/trenggalek/verification-queue", as_="verifier").body.decode()
    assert "Budi" not in queue and "081298765432" not in queue


def test_the_partner_follows_its_own_reports_only(api, pipeline):
    key = new_partner(api)["api_key"]
    other = new_partner(api, channel="call_centre", name="Call centre")["api_key"]
    created = send(api, key, report())
    pipeline.run()
    api.post(f"/v1/reports/{created.json_body['id']}/transitions", {"to": "verified", "note": "Segera ditangani"},
             as_="verifier")
    status = follow(api, key, "LAPOR-2026-0001")
    assert status.status_code == 200, status.json_body
    body = status.json_body
    assert body["id"] == created.json_body["id"] and body["status"] == "verified" and body["agency"]
    assert body["tracking_id"] == "LAPOR-2026-0001" and body["channel"] == "lapor"
    assert [h["status"] for h in body["history"]][-1] == "verified"
    assert "actor_role" not in json.dumps(body)
    assert_error(follow(api, other, "LAPOR-2026-0001"), 404, "report_not_found")
    assert_error(follow(api, key, "never-sent"), 404, "report_not_found")


def test_the_channel_is_counted_in_the_statistics(api, pipeline):
    key = new_partner(api, channel="psc119", name="PSC 119")["api_key"]
    assert send(api, key, report()).status_code == 201
    assert api.post("/v1/regions/trenggalek/reports", {"category": "jalan-rusak", "description": "Dari aplikasi",
                                                       **INSIDE}).status_code == 201
    pipeline.run()
    stats = api.get("/v1/regions/trenggalek/stats?group_by=channel").json_body
    counts = {g["key"]: g["count"] for g in stats["groups"]}
    assert counts.get("psc119") == 1 and counts.get("app") == 1


def test_a_photo_goes_through_the_photo_worker(api, pipeline):
    key = new_partner(api)["api_key"]
    photo = base64.b64encode(jpeg_with_gps()).decode()
    created = send(api, key, report(photo_base64=photo, photo_type="image/jpeg",
                                    media_url="https://lapor.example.go.id/files/123.mp4"))
    assert created.status_code == 201, created.json_body
    again = send(api, key, report(photo_base64=photo, photo_type="image/jpeg",
                                  media_url="https://lapor.example.go.id/files/123.mp4"))
    assert again.status_code == 200
    pipeline.run()
    staff = api.get(f"/v1/reports/{created.json_body['id']}", as_="verifier").json_body
    assert len(staff["photos"]) == 1 and staff["photos"][0]["content_type"] == "image/jpeg"
    assert staff["rejected_photos"] == []


HUGE = "1" + "0" * 400


@pytest.mark.parametrize("raw, status", [
    ('{"a":' * 70 + "1" + "}" * 70, 400),
    ('{"category":"jalan-rusak","description":"\\ud800","lat":-8.1,"lon":111.7}', 400),
    ('{"category":"jalan-rusak","description":"x","lat":' + HUGE + ',"lon":111.7}', 400),
    ('{"category":"jalan-rusak","description":"x","lat":1e400,"lon":111.7}', 400),
    ('{"category":"jalan-rusak","description":"x","lat":"-8.1","lon":111.7}', 400),
    ('{"category":"jalan-rusak","description":"x","lat":-8.1,"lon":111.7,"extra":1}', 400),
    ('{"category":"jalan-rusak","category":"sampah","description":"x","lat":-8.1,"lon":111.7}', 400),
    ('[1,2]', 400),
    ('not json', 400),
    ('{"category":"jalan-rusak","description":"x","lat":-8.1,"lon":111.7,"tracking_id":"a b"}', 400),
    ('{"category":"jalan-rusak","description":"x","lat":-8.1,"lon":111.7,"media_url":"http://x.id/a"}', 400),
    ('{"category":"jalan-rusak","description":"x","lat":-8.1,"lon":111.7,"photo_base64":"!!!!",'
     '"photo_type":"image/jpeg"}', 400),
    ('{"category":"jalan-rusak","description":"x","lat":-8.1,"lon":111.7,"photo_base64":"aGVsbG8=",'
     '"photo_type":"image/gif"}', 400),
    ('{"category":"jalan-rusak","description":"x","lat":-8.1,"lon":111.7,"photo_base64":"aGVsbG8="}', 400),
    ('{"category":"jalan-rusak","description":"' + "x" * 4001 + '","lat":-8.1,"lon":111.7}', 400),
    ('{"category":"jalan-rusak","description":"x","lat":-8.1,"lon":111.7,"attributes":{"a":{"b":1}}}', 400),
])
def test_hostile_bodies_are_4xx_and_store_nothing(api, raw, status):
    key = new_partner(api)["api_key"]
    before = stored()
    assert_error(send(api, key, raw=raw), status)
    assert stored() == before


def test_a_photo_over_4_mb_is_413_and_stores_nothing(api):
    key = new_partner(api)["api_key"]
    before = stored()
    big = base64.b64encode(b"\xff" * (5 * 1024 * 1024)).decode()
    error = assert_error(send(api, key, report(photo_base64=big, photo_type="image/jpeg")), 413, "photo_over_limit")
    assert "media_url" in error["message"]
    assert stored() == before


def test_an_sms_with_no_place_is_left_for_the_verifier_and_other_channels_must_give_one(api, pipeline):
    from chalicelib.domain.errors import InvalidInput
    from chalicelib.services import intake, partners

    sms = partners.authenticate(new_partner(api, channel="sms", name="SMS gateway")["api_key"], count=False)
    call = partners.authenticate(new_partner(api, channel="call_centre", name="Call centre")["api_key"], count=False)
    unplaced = intake.Submission(category="jalan-rusak", description="jalan berlubang dekat masjid", tracking_id="x1")
    with pytest.raises(InvalidInput) as refused:
        intake.submit(call, unplaced)
    assert refused.value.code == "location_required"
    submitted = intake.submit(sms, unplaced)
    pipeline.run()
    staff = api.get(f"/v1/reports/{submitted.report_id}", as_="verifier").json_body
    assert staff["routed"] is True and staff["out_of_area"] is True and staff["kelurahan_code"] is None
    moved = api.post(f"/v1/reports/{submitted.report_id}/transitions", {"to": "verified", "kelurahan_code": DESA},
                     as_="verifier")
    assert moved.status_code == 200 and moved.json_body["kelurahan_code"] == DESA
    assert moved.json_body["out_of_area"] is False
