"""Onboarding regions, their boundaries and categories, the six-month pilot,
usage metering, and tenant isolation."""
import csv
import io
import os
import time
from datetime import datetime, timedelta, timezone

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.domain import areas, pilot
from devstack import demo_region
from support.data import REGION, new_report


def test_official_list_covers_every_province():
    trenggalek = areas.regency("35.03")
    assert (trenggalek.name, len(trenggalek.kecamatan), trenggalek.village_count) == ("Kabupaten Trenggalek", 14, 157)
    kupang = areas.regency("53.71")
    assert (len(kupang.kecamatan), kupang.village_count, kupang.time_zone) == (6, 51, "WITA")
    assert areas.regency("32.71").name == "Kota Bogor" and areas.regency("32.71").time_zone == "WIB"
    assert areas.regency("99.99") is None and areas.regency("35.03.01") is None
    firsts = {}
    for code, _ in areas.regencies():
        firsts.setdefault(code[:2], code)
    assert len(firsts) == 38  # every province
    for code in firsts.values():
        regency = areas.regency(code)
        assert regency.kecamatan and regency.village_count > 0, code
    assert areas.regency(firsts["94"]).time_zone == "WIT"  # Papua Tengah


def test_trial_arithmetic():
    start = datetime(2026, 8, 31, 10, tzinfo=timezone.utc)
    assert pilot.add_months(start, 6).date().isoformat() == "2027-02-28"
    wib = timezone(timedelta(hours=7))
    end = pilot.trial_end(start, 6, wib)
    assert end.isoformat() == "2027-02-28T23:59:59+07:00"
    assert pilot.days_left(end, end - timedelta(days=29, hours=1)) == 30
    assert pilot.due_reminder(end, end - timedelta(days=40), []) is None
    assert pilot.due_reminder(end, end - timedelta(days=29), []) == 30
    assert pilot.due_reminder(end, end - timedelta(days=6), [f"{end.isoformat()}#30"]) == 7


def create_region(api, code="53.71", region_id="kupang", as_="platform_admin", **extra):
    return api.post("/v1/regions", {"kemendagri_code": code, "region_id": region_id, **extra}, as_=as_)


def test_platform_admin_onboards_a_region(api):
    created = create_region(api)
    assert created.status_code == 201, created.json_body
    region = created.json_body
    assert region["name"] == "Kota Kupang" and region["time_zone"] == "WITA" and region["status"] == "trial"
    assert 180 <= region["days_left"] <= 185 and region["trial_ends_at"].endswith("+08:00")
    assert create_region(api).status_code == 409
    assert create_region(api, region_id="bogor", as_="region_admin").status_code == 403
    bad = create_region(api, code="99.99", region_id="nowhere")
    assert bad.status_code == 400 and bad.json_body["error"]["code"] == "unknown_kemendagri_code"
    assert create_region(api, region_id="Bad Id").json_body["error"]["code"] == "invalid_region_id"
    public = api.get("/v1/regions/kupang").json_body
    assert public == {"region_id": "kupang", "name": "Kota Kupang", "status": "trial", "kemendagri_code": "53.71",
                      "time_zone": "WITA", "map_tiles": None}
    areas_view = api.get("/v1/regions/kupang/areas").json_body
    assert len(areas_view["kecamatan"]) == 6 and "ODbL" in areas_view["attribution"]
    categories = api.get("/v1/regions/kupang/categories").json_body["categories"]
    assert {c["team"] for c in categories} == {"pink", "white", "orange", "yellow", "blue"}


def test_region_admin_sees_days_left_public_does_not(api):
    staff = api.get("/v1/regions/trenggalek", as_="region_admin").json_body
    assert staff["days_left"] > 170 and staff["sla_days"] == {"verify": 3, "respond": 5, "resolve": 10,
                                                              "emergency_respond_hours": 1,
                                                              "emergency_resolve_hours": 24}
    assert "days_left" not in api.get("/v1/regions/trenggalek", as_="citizen").json_body


def boundary_file(code="35.03"):
    return demo_region.demo_boundaries(code)


def test_bad_boundaries_are_rejected_whole_and_the_old_ones_stay(api):
    before = api.get("/v1/regions/trenggalek/boundaries").json_body
    collection = boundary_file()
    collection["features"][0]["properties"]["kelurahan_code"] = "35.03.99.9999"
    collection["features"][1]["geometry"]["coordinates"][0].pop()  # ring no longer closed
    collection["features"].append(dict(collection["features"][2]))  # a code twice
    response = api.client.http.put("/v1/regions/trenggalek/boundaries", body=__import__("json").dumps(collection),
                                   headers={"Content-Type": "application/geo+json",
                                            "Authorization": f"Bearer {api.tokens['region_admin']}"})
    assert response.status_code == 422
    error = response.json_body["error"]
    problems = " | ".join(p["message"] for p in error["problems"])
    assert "35.03.99.9999" in problems and "not closed" in problems and "appears twice" in problems
    codes = {p["code"] for p in error["problems"]}
    assert {"unknown_code", "geometry", "duplicate_code", "missing"} <= codes
    after = api.get("/v1/regions/trenggalek/boundaries").json_body
    assert after["version"] == before["version"] and len(after["features"]) == 157


def put_boundaries(api, collection, as_="region_admin", region="trenggalek"):
    import json

    return api.client.http.put(f"/v1/regions/{region}/boundaries", body=json.dumps(collection),
                               headers={"Content-Type": "application/json",
                                        "Authorization": f"Bearer {api.tokens[as_]}"})


def test_new_boundaries_route_the_next_report(api, pipeline):
    from chalicelib.domain.geo.index import AreaIndex

    collection = boundary_file()
    # the desa around the point the tests report from swaps its polygon with another desa's
    here = AreaIndex.from_features(collection["features"]).locate(111.70, -8.10).kelurahan_code
    target = collection["features"][5]["properties"]["kelurahan_code"]
    assert here != target
    for feature in collection["features"]:
        code = feature["properties"]["kelurahan_code"]
        feature["properties"]["kelurahan_code"] = target if code == here else here if code == target else code
    assert put_boundaries(api, collection, as_="verifier").status_code == 403
    response = put_boundaries(api, collection)
    assert response.status_code == 200, response.json_body
    assert response.json_body["version"] == 2 and response.json_body["missing_kelurahan_codes"] == []
    # a file that leaves a desa out is refused, naming it
    dropped = collection["features"].pop(9)["properties"]["kelurahan_code"]
    refused = put_boundaries(api, collection)
    assert refused.status_code == 422
    assert refused.json_body["error"]["missing_kelurahan_codes"] == [dropped]
    report_id = api.post("/v1/regions/trenggalek/reports", new_report(lat=-8.10, lon=111.70)).json_body["id"]
    pipeline.run()
    assert api.get(f"/v1/reports/{report_id}").json_body["kelurahan_code"] == target


def test_categories_are_edited_and_retired_without_losing_history(api, pipeline):
    report_id = api.post("/v1/regions/trenggalek/reports", new_report(category="pkl")).json_body["id"]
    table = api.get("/v1/regions/trenggalek/categories").json_body["categories"]
    body = {"categories": [{"code": c["code"], "name_id": c["name"]["id"], "name_en": c["name"]["en"],
                            "agency": c["agency"], "team": c["team"]} for c in table if c["code"] != "pkl"]}
    body["categories"].append({"code": "pohon-tumbang", "name_id": "Pohon tumbang", "name_en": "Fallen tree",
                               "agency": "bpbd", "team": "orange"})
    body["categories"][0]["name_id"] = "Parkir sembarangan"
    response = api.client.http.put("/v1/regions/trenggalek/categories", body=__import__("json").dumps(body),
                                   headers={"Content-Type": "application/json",
                                            "Authorization": f"Bearer {api.tokens['region_admin']}"})
    assert response.status_code == 200, response.json_body
    assert response.json_body["retired"] == ["pkl"]
    codes = [c["code"] for c in api.get("/v1/regions/trenggalek/categories").json_body["categories"]]
    assert "pkl" not in codes and "pohon-tumbang" in codes
    refused = api.post("/v1/regions/trenggalek/reports", new_report(category="pkl"))
    assert refused.status_code == 400 and refused.json_body["error"]["code"] == "category_retired"
    assert api.post("/v1/regions/trenggalek/reports", new_report(category="pohon-tumbang")).status_code == 201
    pipeline.run()
    old = api.get(f"/v1/reports/{report_id}").json_body
    assert old["category_name"]["id"] == "Pedagang kaki lima di tempat terlarang" and old["agency"] == "satpolpp"


def sns_texts():
    backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
    return [m[1] for topic in backend.topics.values() for m in topic.sent_notifications]


def test_pilot_reminders_expiry_and_conversion(api, monkeypatch):
    from chalicelib.services import pilots, regions

    ends = datetime.fromisoformat(api.get("/v1/regions/trenggalek", as_="region_admin").json_body["trial_ends_at"])
    for days_before, expected in ((40, 0), (29, 1), (29, 0), (6, 1), (0.5, 1), (0.4, 0)):
        result = pilots.sweep_pilots(ends - timedelta(days=days_before))
        assert result == {"expired": 0, "reminders": expected}, days_before
    reminders = [t for t in sns_texts() if "uji coba" in t]
    assert [r.split("dalam ")[1].split(" hari")[0] for r in reminders] == ["29", "6", "1"]

    report_id = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    assert pilots.sweep_pilots(ends + timedelta(seconds=1)) == {"expired": 1, "reminders": 0}
    regions.clear_caches()
    assert api.get("/v1/regions/trenggalek").json_body["status"] == "expired"
    refused = api.post("/v1/regions/trenggalek/reports", new_report(), headers={"Accept-Language": "en"})
    assert refused.status_code == 403
    assert refused.json_body["error"]["message"] == "This region's pilot has ended; new reports cannot be accepted."
    # staff keep read access, nothing is deleted
    assert api.get(f"/v1/reports/{report_id}", as_="verifier").json_body["id"] == report_id
    assert api.get("/v1/regions/trenggalek/verification-queue", as_="verifier").status_code == 200

    assert api.post("/v1/regions/trenggalek/lifecycle", {"action": "activate"}, as_="region_admin").status_code == 403
    bad = api.post("/v1/regions/trenggalek/lifecycle", {"action": "delete"}, as_="platform_admin")
    assert bad.status_code == 400 and bad.json_body["error"]["code"] == "invalid_value"
    assert bad.json_body["error"]["params"]["field"] == "action"
    extended = api.post("/v1/regions/trenggalek/lifecycle", {"action": "extend_trial", "months": 1, "note": "evaluasi"},
                        as_="platform_admin")
    assert extended.status_code == 200 and extended.json_body["status"] == "trial"
    active = api.post("/v1/regions/trenggalek/lifecycle", {"action": "activate", "note": "kontrak 2027"},
                      as_="platform_admin").json_body
    assert active["status"] == "active" and active["days_left"] is None
    assert [a["action"] for a in active["audit"]] == ["create", "expire", "extend_trial", "activate"]
    assert active["audit"][-1]["note"] == "kontrak 2027"
    assert api.post("/v1/regions/trenggalek/lifecycle", {"action": "activate"}, as_="platform_admin").status_code == 409
    assert api.post("/v1/regions/trenggalek/reports", new_report()).status_code == 201


def test_region_configuration_changes_take_effect_within_the_cache_lifetime(api, monkeypatch):
    from chalicelib.services import regions
    from chalicelib.store import regions as region_store

    monkeypatch.setenv("ADUAN_CONFIG_TTL", "1")
    regions.clear_caches()  # a fresh container with a 1 s lifetime
    assert api.post("/v1/regions/trenggalek/reports", new_report()).status_code == 201
    # another process (the sweep, another Lambda) expires the region
    region_store.update("trenggalek", {"status": "expired"}, {})
    assert api.post("/v1/regions/trenggalek/reports", new_report()).status_code == 201  # cached, at most 1 s
    time.sleep(1.1)
    assert api.post("/v1/regions/trenggalek/reports", new_report()).status_code == 403


def test_usage_is_metered_per_month_and_exported(api, pipeline):
    from support.images import jpeg_with_gps, upload

    report_id = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    api.post("/v1/regions/trenggalek/reports", new_report())
    grant = api.post(f"/v1/reports/{report_id}/photos", {"content_type": "image/jpeg"}).json_body
    upload(report_id, grant["photo_id"], jpeg_with_gps())
    pipeline.run()
    api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier")
    api.post(f"/v1/reports/{report_id}/transitions", {"to": "in_process"}, as_="officer")
    pipeline.run()
    usage = api.get("/v1/regions/trenggalek/usage", as_="region_admin").json_body
    assert usage["reports_received"] == 2 and usage["active_citizens"] == 1
    assert usage["photos_stored"] == 1 and usage["photo_bytes"] > 0
    assert usage["active_staff"] == 2 and usage["notifications_sent"] == 2 and usage["sms_sent"] == 2
    assert usage["reports_by_agency"] == {"dpupr": 1}
    month = usage["month"]
    exported = api.get(f"/v1/regions/trenggalek/usage?month={month}&format=csv", as_="platform_admin")
    assert exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.body.decode() if isinstance(exported.body, bytes) else exported.body)))
    assert rows[0]["reports_received"] == "2" and rows[0]["month"] == month
    empty = api.get("/v1/regions/trenggalek/usage?month=2020-01", as_="region_admin").json_body
    assert empty["reports_received"] == 0
    bad_month = api.get("/v1/regions/trenggalek/usage?month=2026-13", as_="region_admin")
    assert bad_month.status_code == 400 and bad_month.json_body["error"]["code"] == "invalid_pattern"
    assert api.get("/v1/regions/trenggalek/usage", as_="verifier").status_code == 403


def test_two_regions_with_identical_kelurahan_codes_share_nothing(api, pipeline):
    from chalicelib.store import regions as region_store
    from devstack.seed import DEMO_PASSWORD, sign_in

    twin = create_region(api, code="35.03", region_id="trenggalek-twin")
    assert twin.status_code == 201
    assert put_boundaries(api, boundary_file(), as_="platform_admin", region="trenggalek-twin").status_code == 200
    cognito = boto3.client("cognito-idp", region_name=REGION)
    pool, client = os.environ["ADUAN_USER_POOL_ID"], os.environ["ADUAN_USER_POOL_CLIENT_ID"]
    for key, username, group, extra in (("twin_citizen", "+6281400000001", "citizen", {}),
                                        ("twin_officer", "pupr@twin.demo", "officer", {"agency": "dpupr"}),
                                        ("twin_verifier", "verif@twin.demo", "verifier", {}),
                                        ("twin_admin", "admin@twin.demo", "region_admin", {})):
        attrs = [{"Name": "custom:region_id", "Value": "trenggalek-twin"}]
        attrs += [{"Name": f"custom:{k}", "Value": v} for k, v in extra.items()]
        cognito.admin_create_user(UserPoolId=pool, Username=username, UserAttributes=attrs, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(UserPoolId=pool, Username=username, Password=DEMO_PASSWORD, Permanent=True)
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=group)
        api.tokens[key] = sign_in(cognito, client, username)

    ours = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    theirs = api.post("/v1/regions/trenggalek-twin/reports", new_report(), as_="twin_citizen").json_body["id"]
    pipeline.run()
    ours_view = api.get(f"/v1/reports/{ours}").json_body
    theirs_view = api.get(f"/v1/reports/{theirs}").json_body
    assert ours_view["kelurahan_code"] == theirs_view["kelurahan_code"]  # same codes, different regions
    for as_, region, other in (("verifier", "trenggalek", theirs), ("twin_verifier", "trenggalek-twin", ours)):
        queue = api.get(f"/v1/regions/{region}/verification-queue", as_=as_).json_body["items"]
        assert other not in [i["id"] for i in queue]
        assert api.post(f"/v1/reports/{other}/transitions", {"to": "verified"}, as_=as_).status_code == 404
    assert api.post(f"/v1/reports/{theirs}/transitions", {"to": "verified"}, as_="twin_verifier").status_code == 200
    assert api.post(f"/v1/reports/{ours}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    assert [i["id"] for i in api.get("/v1/me/inbox", as_="officer").json_body["items"]] == [ours]
    assert [i["id"] for i in api.get("/v1/me/inbox", as_="twin_officer").json_body["items"]] == [theirs]
    # counters, boundaries and accounts stay apart
    assert api.get("/v1/regions/trenggalek/usage", as_="region_admin").json_body["reports_received"] == 1
    assert api.get("/v1/regions/trenggalek-twin/usage", as_="twin_admin").json_body["reports_received"] == 1
    assert api.get("/v1/regions/trenggalek-twin/usage", as_="region_admin").status_code == 403
    assert api.get("/v1/regions/trenggalek/boundaries").json_body["version"] == 1
    assert api.get("/v1/regions/trenggalek-twin/boundaries").json_body["version"] == 1
    assert api.get("/v1/me", as_="twin_officer").json_body["region_id"] == "trenggalek-twin"
    assert api.post("/v1/regions/trenggalek/reports", new_report(), as_="twin_citizen").status_code == 403
    assert region_store.get("trenggalek-twin")["areas"] == region_store.get("trenggalek")["areas"]


def test_region_admin_edits_sla_time_zone_and_agencies(api, pipeline):
    import json

    def patch(body, as_="region_admin"):
        return api.client.http.patch("/v1/regions/trenggalek", body=json.dumps(body), headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {api.tokens[as_]}"})

    assert patch({"sla": {"verify": 1}}, as_="verifier").status_code == 403
    zero = patch({"sla": {"verify": 0}})
    assert zero.status_code == 400 and zero.json_body["error"]["code"] == "out_of_range"
    updated = patch({"sla": {"verify": 1, "resolve": 14}})
    assert updated.status_code == 200
    assert updated.json_body["sla_days"] == {"verify": 1, "respond": 5, "resolve": 14,
                                             "emergency_respond_hours": 1, "emergency_resolve_hours": 24}
    report = api.post("/v1/regions/trenggalek/reports", new_report()).json_body
    created = datetime.fromisoformat(report["created_at"])
    assert (datetime.fromisoformat(report["due_at"]).date() - created.date()).days <= 3  # one working day
    agencies = api.get("/v1/regions/trenggalek", as_="region_admin").json_body["agencies"]
    table = [{"code": a["code"], "name_id": a["name"]["id"], "name_en": a["name"]["en"]} for a in agencies]
    in_use = patch({"agencies": [a for a in table if a["code"] != "dlh"]})
    assert in_use.status_code == 409 and in_use.json_body["error"]["code"] == "agency_in_use"
    table[0]["name_id"] = "Dinas Perhubungan Kabupaten Trenggalek"
    table.append({"code": "diskominfo", "name_id": "Dinas Komunikasi dan Informatika", "name_en": "Communications"})
    renamed = patch({"agencies": table}).json_body
    names = {a["code"]: a["name"]["id"] for a in renamed["agencies"]}
    assert names["dishub"] == "Dinas Perhubungan Kabupaten Trenggalek" and "diskominfo" in names
    audit = api.get("/v1/regions/trenggalek", as_="platform_admin").json_body["audit"]
    assert [a["action"] for a in audit][-2:] == ["settings", "settings"]
