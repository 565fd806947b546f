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


def post(api, path, payload, source="203.0.113.7", headers=None):
    """From the caller's IP ``source`` (the request context's ``identity.sourceIp``)."""
    from chalice.local import LambdaEventConverter

    default = LambdaEventConverter.LOCAL_SOURCE_IP
    LambdaEventConverter.LOCAL_SOURCE_IP = source
    try:
        return api.post(path, payload, headers=headers, as_=None)
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


ORIGIN_SECRET = "originSecretOfTheConsoleDistribution0123456789abcdefghijklmnop"


def test_viewers_behind_one_cloudfront_edge_have_their_own_limit_only_with_the_origin_secret(api, monkeypatch):
    """Through the console's distribution every viewer behind an edge arrives
    from the edge's address; CloudFront-Viewer-Address tells them apart, and
    is believed only with the origin secret the distribution adds."""
    monkeypatch.setenv(resources.CONSOLE_ORIGIN_SECRET.environment, ORIGIN_SECRET)
    phones = iter(f"+628135555{n:04d}" for n in range(100))

    def via_edge(edge, viewer, secret=ORIGIN_SECRET):
        headers = {resources.VIEWER_ADDRESS_HEADER: viewer}
        if secret is not None:
            headers[resources.CONSOLE_ORIGIN_SECRET.header] = secret
        return post(api, SIGNUP, body(api, phone=next(phones)), source=edge, headers=headers).status_code

    # with the secret: one viewer reaches its own limit, the next viewer behind the same edge does not
    first = [via_edge("130.176.1.1", "198.51.100.20:50123") for _ in range(21)]
    assert first[:20] == [202] * 20 and first[20] == 429
    assert via_edge("130.176.1.1", "2001:db8::20:443") == 202
    assert via_edge("130.176.1.1", "198.51.100.21:40000") == 202
    # without it (a forged header, or a wrong secret), or with a viewer header that is not ip:port, the
    # viewers share the edge's limit
    shared = [via_edge("130.176.2.2", f"198.51.100.{30 + n}:443", secret=None) for n in range(18)]
    shared += [via_edge("130.176.2.2", "198.51.100.60:443", secret="wrong"),
               via_edge("130.176.2.2", "not-an-address")]
    assert shared == [202] * 20
    assert via_edge("130.176.2.2", "198.51.100.61:443", secret=None) == 429
    assert via_edge("130.176.2.2", "198.51.100.62:443", secret=ORIGIN_SECRET[:-1]) == 429
    # the counters hold no address, the viewers' no more than the edges'
    text = json.dumps(boto3.client("dynamodb", region_name=REGION).scan(TableName=resources.COUNTERS.name)["Items"])
    for address in ("198.51.100", "2001:db8", "130.176"):
        assert address not in text


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


# --- resending a staff account's invitation -------------------------------------------

STAFF = "/v1/regions/trenggalek/staff"


def test_an_invitation_is_resent_to_an_account_that_has_not_signed_in(api, world):
    created = api.post("/v1/regions/trenggalek/accounts", {"name": "Undangan Hilang", "email": "hilang@dlh.demo",
                                                           "role": "verifier"}, as_="region_admin")
    assert created.status_code == 201
    entry = {e["username"]: e for e in api.get(f"{STAFF}?limit=100", as_="region_admin").json_body["items"]}
    assert entry["hilang@dlh.demo"]["awaiting_first_sign_in"] is True
    assert entry["verifikator@trenggalek.demo"]["awaiting_first_sign_in"] is False  # the seed set its password

    # moto keeps no record of Cognito's invitation messages: watch what its backend is asked instead
    from moto.cognitoidp.models import CognitoIdpBackend

    calls = []

    original = CognitoIdpBackend.admin_create_user

    def watching(self, user_pool_id, username, message_action, temporary_password, attributes):
        calls.append((username, message_action))
        return original(self, user_pool_id, username, message_action, temporary_password, attributes)

    CognitoIdpBackend.admin_create_user = watching
    try:
        resent = api.post(f"{STAFF}/hilang%40dlh.demo/resend-invite", as_="region_admin",
                          headers={"Accept-Language": "en"})
    finally:
        CognitoIdpBackend.admin_create_user = original
    assert resent.status_code == 200, resent.json_body
    body = resent.json_body
    assert body["username"] == "hilang@dlh.demo" and body["delivery"] == "email"
    assert body["entry"]["awaiting_first_sign_in"] is True and body["entry"]["active"] is True
    # moto records no invitation message; what it shows: Cognito was asked to RESEND, and the account still
    # waits for its first sign-in with a (new) temporary password
    assert calls == [("hilang@dlh.demo", "RESEND")]
    user = world.cognito.admin_get_user(UserPoolId=world.pool_id, Username="hilang@dlh.demo")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_a_directory_page_asks_cognito_once_and_only_while_someone_has_not_signed_in(api):
    from chalicelib.adapters import aws

    for n in range(3):
        assert api.post("/v1/regions/trenggalek/accounts", {"name": f"Baru {n}", "email": f"baru{n}@dlh.demo",
                                                               "role": "verifier"}, as_="region_admin").status_code == 201
    asked = []
    events = aws.client("cognito-idp").meta.events
    watch = lambda model, **_: asked.append(model.name)  # noqa: E731
    events.register("before-call.cognito-idp", watch)
    try:
        page = api.get(f"{STAFF}?limit=100", as_="region_admin").json_body["items"]
        assert [e["username"] for e in page if e["awaiting_first_sign_in"]] == [f"baru{n}@dlh.demo" for n in range(3)]
        assert asked == ["ListUsers"]  # one call for the page, not one per entry
        asked.clear()
        signed_in = [e["username"] for e in page if not e["awaiting_first_sign_in"]]
        only_known = api.get(f"{STAFF}?limit=100&q=verifikator", as_="region_admin").json_body["items"]
        assert only_known and all(e["username"] in signed_in for e in only_known)
        assert asked == []  # every entry of the page is known to have signed in: Cognito is not asked
    finally:
        events.unregister("before-call.cognito-idp", watch)


def test_an_account_that_set_its_password_or_is_deactivated_gets_409(api, world):
    # the seeded accounts have set their passwords
    done = api.post(f"{STAFF}/petugas.pupr@trenggalek.demo/resend-invite", as_="region_admin")
    assert (done.status_code, done.json_body["error"]["code"]) == (409, "invitation_not_pending")
    assert "petugas.pupr" not in done.json_body["error"]["message"]  # no address in the message
    # an invited account that then signed in: 409 as well, and the directory says so from then on
    api.post("/v1/regions/trenggalek/accounts", {"name": "Sudah Masuk", "phone": "+6281377770001",
                                                 "role": "verifier"}, as_="region_admin")
    world.cognito.admin_set_user_password(UserPoolId=world.pool_id, Username="+6281377770001",
                                          Password="rahasia-baru-1", Permanent=True)
    joined = api.post(f"{STAFF}/%2B6281377770001/resend-invite", as_="region_admin",
                      headers={"Accept-Language": "en"})
    assert (joined.status_code, joined.json_body["error"]["code"]) == (409, "invitation_not_pending")
    assert joined.json_body["error"]["message"].startswith("This account has already set")
    entry = {e["username"]: e for e in api.get(f"{STAFF}?limit=100", as_="region_admin").json_body["items"]}
    assert entry["+6281377770001"]["awaiting_first_sign_in"] is False
    # a deactivated account waiting for its first sign-in: reactivate it first
    api.post("/v1/regions/trenggalek/accounts", {"name": "Nonaktif", "email": "nonaktif@dlh.demo",
                                                 "role": "verifier"}, as_="region_admin")
    assert api.post(f"{STAFF}/nonaktif@dlh.demo/deactivate", as_="region_admin").status_code == 200
    off = api.post(f"{STAFF}/nonaktif@dlh.demo/resend-invite", as_="region_admin")
    assert (off.status_code, off.json_body["error"]["code"]) == (409, "staff_inactive")
    assert api.post(f"{STAFF}/nonaktif@dlh.demo/reactivate", as_="region_admin").status_code == 200
    assert api.post(f"{STAFF}/nonaktif@dlh.demo/resend-invite", as_="region_admin").status_code == 200


def test_who_may_resend_and_unknown_or_hostile_usernames_are_the_same_404(api, world):
    api.post("/v1/regions/trenggalek/accounts", {"name": "Menunggu", "email": "menunggu@dlh.demo",
                                                 "role": "verifier"}, as_="region_admin")
    for role in ("verifier", "officer", "citizen", "agency_head"):
        assert api.post(f"{STAFF}/menunggu@dlh.demo/resend-invite", as_=role).status_code == 403, role
    assert api.post(f"{STAFF}/menunggu@dlh.demo/resend-invite", as_=None).status_code == 401
    # another region's admin is refused before anything is looked up
    assert api.post("/v1/regions/nowhere/staff/menunggu@dlh.demo/resend-invite",
                    as_="region_admin").status_code in (403, 404)
    before = world.cognito.admin_get_user(UserPoolId=world.pool_id, Username="menunggu@dlh.demo")
    # another region's staff account, waiting for its first sign-in (in that region's directory only)
    from chalicelib.services.accounts import register_staff

    other = world.cognito.admin_create_user(
        UserPoolId=world.pool_id, Username="petugas@lain.demo", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "petugas@lain.demo"},
                        {"Name": "custom:region_id", "Value": "kabupaten-lain"}])["User"]
    register_staff("kabupaten-lain", "petugas@lain.demo", other["Username"], "Petugas Lain", "verifier", None, None,
                   None, "test")
    # a citizen's account, the platform admin (in no region's directory), unknown, hostile: one 404, no detail
    hostile = ["petugas@lain.demo", "petugas%40lain.demo", "nobody@x.id", "+6281200000001", "platform@aduan.demo",
               "%ED%A0%80", "\ud800", "\udcff", "a" * 300, "%25252F", "%00", "menunggu%40dlh.demo%00",
               "..%2F..%2Fetc", "x" * 2000 + "%40y.id", "%F0%9F%98%80" * 100]
    messages = set()
    for username in hostile:
        path = f"{STAFF}/{username}/resend-invite"
        response = api.client.http.request("POST", path, body=b"",
                                           headers={"Authorization": f"Bearer {api.tokens['region_admin']}"})
        assert response.status_code == 404, (username[:40], response.status_code, response.body[:200])
        error = response.json_body["error"]
        assert error["code"] == "staff_not_found"
        messages.add(error["message"])
    assert len(messages) == 1
    after = world.cognito.admin_get_user(UserPoolId=world.pool_id, Username="menunggu@dlh.demo")
    assert after["UserCreateDate"] == before["UserCreateDate"]  # nothing was resent
