"""Sign-up tells no one who has an account, is limited per address and per
source, and records consent to the privacy notice."""
import json

import boto3

from chalicelib import resources
from support.data import REGION

SIGNUP = "/v1/regions/trenggalek/signup"


def body(api, **overrides):
    version = api.get("/v1/privacy-notice").json_body["version"]
    return {"name": "Sari", "password": "rahasia123", "consent": {"notice_version": version}, **overrides}


def post(api, path, payload, source="203.0.113.7"):
    """From the caller's IP ``source`` (the request context's ``identity.sourceIp``)."""
    from chalice.local import LambdaEventConverter

    default = LambdaEventConverter.LOCAL_SOURCE_IP
    LambdaEventConverter.LOCAL_SOURCE_IP = source
    try:
        return api.post(path, payload, as_=None)
    finally:
        LambdaEventConverter.LOCAL_SOURCE_IP = default


def test_a_new_and_an_existing_address_are_answered_alike(api, world):
    new = post(api, SIGNUP, body(api, phone="+6281366660001"))
    existing = post(api, SIGNUP, body(api, phone="+6281200000001", name="Someone Else"))  # the seeded citizen
    assert new.status_code == existing.status_code == 202, (new.json_body, existing.json_body)
    assert set(new.json_body) == set(existing.json_body)
    assert new.json_body["message"] == existing.json_body["message"]
    assert {k: v for k, v in new.headers.items() if k.lower() not in ("content-length",)} == \
        {k: v for k, v in existing.headers.items() if k.lower() not in ("content-length",)}
    # no second account, and the existing one is unchanged
    users = [u for page in world.cognito.get_paginator("list_users").paginate(UserPoolId=world.pool_id)
             for u in page["Users"] if u["Username"] == "+6281200000001"]
    assert len(users) == 1
    names = {a["Name"]: a["Value"] for a in users[0]["Attributes"]}
    assert names["name"] == "Warga Demo"
    # the same for e-mail addresses, and a bad password fails alike for both
    for email in ("baru@example.id", "verifikator@trenggalek.demo"):
        weak = post(api, SIGNUP, body(api, email=email, password="pendek"))
        assert (weak.status_code, weak.json_body["error"]["code"]) == (400, "invalid_password")


def test_consent_to_the_current_notice_is_required_and_recorded(api, world):
    missing = post(api, SIGNUP, {"name": "Sari", "password": "rahasia123", "phone": "+6281366660002"})
    assert missing.status_code == 400 and missing.json_body["error"]["code"] == "missing_field"
    old = post(api, SIGNUP, body(api, phone="+6281366660002", consent={"notice_version": "2020-01"}))
    assert old.status_code == 422 and old.json_body["error"]["code"] == "privacy_notice_outdated"
    assert post(api, SIGNUP, body(api, phone="+6281366660002")).status_code == 202
    user = world.cognito.admin_get_user(UserPoolId=world.pool_id, Username="+6281366660002")
    consent = {a["Name"]: a["Value"] for a in user["UserAttributes"]}["custom:consent"]
    assert consent.startswith(api.get("/v1/privacy-notice").json_body["version"] + "@")


def test_the_privacy_notice_in_both_languages(api):
    notice = api.get("/v1/privacy-notice")
    assert notice.status_code == 200 and "max-age" in notice.headers["Cache-Control"]
    assert "GET /v1/me/data" in notice.json_body["text"]["id"] and "DELETE /v1/me" in notice.json_body["text"]["en"]


def test_codes_are_limited_per_address_and_per_source(api):
    for n in range(3):
        assert post(api, SIGNUP, body(api, phone="+6281200000002"), source=f"198.51.100.{n}").status_code == 202
    limited = post(api, SIGNUP, body(api, phone="+6281200000002"), source="198.51.100.9")
    assert limited.status_code == 429 and limited.json_body["error"]["code"] == "too_many_requests"
    assert 0 < int(limited.headers["Retry-After"]) <= 3600
    assert post(api, "/v1/signup/resend", {"username": "+6281200000002"}, source="198.51.100.10").status_code == 429
    # one source, many addresses
    answers = [post(api, SIGNUP, body(api, phone=f"+62813777700{n:02d}"), source="192.0.2.1").status_code
               for n in range(21)]
    assert answers[:20] == [202] * 20 and answers[20] == 429
    # the counters hold no address, no IP
    items = boto3.client("dynamodb", region_name=REGION).scan(TableName=resources.COUNTERS.name)["Items"]
    text = json.dumps(items)
    assert "limit#" in text
    for secret in ("6281200000002", "198.51.100", "192.0.2.1", "6281377770"):
        assert secret not in text


def test_confirming_an_unknown_address_answers_as_a_wrong_code(api):
    # (moto accepts any code for a waiting sign-up, so a wrong code itself can only be tested on AWS, where
    # Cognito answers CodeMismatchException: mapped to the same invalid_code)
    response = post(api, "/v1/signup/confirm", {"username": "+6281366669999", "code": "000000"})
    assert (response.status_code, response.json_body["error"]["code"]) == (400, "invalid_code")


def test_the_staff_directory_lists_searches_deactivates_and_reactivates(api, world):
    directory = api.get("/v1/regions/trenggalek/staff?limit=100", as_="region_admin").json_body["items"]
    names = {e["username"]: e for e in directory}
    assert "petugas.pupr@trenggalek.demo" in names and "+6281200000001" not in names  # staff only
    assert all(e["active"] for e in directory)
    officers = api.get("/v1/regions/trenggalek/staff?role=officer&q=pupr", as_="region_admin").json_body["items"]
    assert {e["username"] for e in officers} == {"petugas.pupr@trenggalek.demo", "petugas2.pupr@trenggalek.demo"}
    # a new staff account joins the directory
    created = api.post("/v1/regions/trenggalek/accounts", {"name": "Petugas Baru DLH", "email": "baru@dlh.demo",
                                                           "role": "officer", "agency": "dlh"}, as_="region_admin")
    assert created.status_code == 201
    found = api.get("/v1/regions/trenggalek/staff?q=baru%20dlh", as_="region_admin").json_body["items"]
    assert [e["username"] for e in found] == ["baru@dlh.demo"]

    path = "/v1/regions/trenggalek/staff/petugas2.pupr@trenggalek.demo"
    off = api.post(f"{path}/deactivate", as_="region_admin")
    assert off.status_code == 200 and off.json_body["active"] is False
    user = world.cognito.admin_get_user(UserPoolId=world.pool_id, Username="petugas2.pupr@trenggalek.demo")
    assert user["Enabled"] is False
    inactive = api.get("/v1/regions/trenggalek/staff?active=false", as_="region_admin").json_body["items"]
    assert [e["username"] for e in inactive] == ["petugas2.pupr@trenggalek.demo"]
    # the username percent-encoded in the path, as a browser's encodeURIComponent sends it (API Gateway's REST
    # APIs pass path parameters still encoded)
    on = api.post("/v1/regions/trenggalek/staff/petugas2.pupr%40trenggalek.demo/reactivate", as_="region_admin")
    assert on.status_code == 200 and on.json_body["active"] is True
    assert world.cognito.admin_get_user(UserPoolId=world.pool_id,
                                        Username="petugas2.pupr@trenggalek.demo")["Enabled"] is True


def test_who_may_use_the_staff_directory(api):
    for role in ("verifier", "officer", "citizen", "agency_head"):
        assert api.get("/v1/regions/trenggalek/staff", as_=role).status_code == 403, role
        assert api.post("/v1/regions/trenggalek/staff/petugas.pupr@trenggalek.demo/deactivate",
                        as_=role).status_code == 403, role
    own = api.post("/v1/regions/trenggalek/staff/admin@trenggalek.demo/deactivate", as_="region_admin")
    assert own.status_code == 403 and own.json_body["error"]["code"] == "cannot_deactivate_self"
    for username in ("nobody@x.id", "+6281200000001", "platform@aduan.demo"):
        response = api.post(f"/v1/regions/trenggalek/staff/{username}/deactivate", as_="region_admin")
        assert response.status_code == 404, username
    assert api.get("/v1/regions/trenggalek/staff?cursor=abc", as_="region_admin").status_code == 400
