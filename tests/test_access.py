"""Who may do what, where: role × endpoint × own/other region, and tokens
that must not be trusted."""
import base64
import json
import os
import time
from datetime import datetime

import boto3
import pytest

from support.data import INSIDE, REGION, new_report

KUPANG = "kupang"
KUPANG_ACCOUNTS = {
    "kupang_citizen": ("+6281300000001", "citizen", {}),
    "kupang_verifier": ("verifikator@kupang.demo", "verifier", {}),
    "kupang_officer": ("petugas.pupr@kupang.demo", "officer", {"agency": "dpupr"}),
    "kupang_admin": ("admin@kupang.demo", "region_admin", {}),
}


@pytest.fixture
def two_regions(world, api, tokens, pipeline):
    """Trenggalek (seeded) and Kota Kupang with its own staff; both use the
    same agency codes, so only the region tells them apart.  Built once per
    module and put back before each test (support/world.py, World.scene)."""
    return world.scene("two_regions", lambda: build_two_regions(world, api, tokens, pipeline))


def build_two_regions(world, api, tokens, pipeline):
    from chalicelib.store import regions as region_store
    from devstack import demo_region
    from devstack.seed import DEMO_PASSWORD, sign_in

    region_store.put(demo_region.region_record(KUPANG, "53.71"))
    from chalicelib.domain.regions import RegionConfig
    from chalicelib.services.boundaries import uploads

    uploads.publish_seed(RegionConfig.from_record(region_store.get(KUPANG)),
                         demo_region.demo_boundaries("53.71", box=(123.52, -10.25, 123.68, -10.12)), "demo")
    cognito = boto3.client("cognito-idp", region_name=REGION)
    pool = os.environ["ADUAN_USER_POOL_ID"]
    for key, (username, group, custom) in KUPANG_ACCOUNTS.items():
        attrs = [{"Name": "custom:region_id", "Value": KUPANG}, {"Name": "name", "Value": key}]
        attrs += [{"Name": f"custom:{k}", "Value": v} for k, v in custom.items()]
        cognito.admin_create_user(UserPoolId=pool, Username=username, UserAttributes=attrs, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(UserPoolId=pool, Username=username, Password=DEMO_PASSWORD, Permanent=True)
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=group)
        world.tokens[key] = sign_in(cognito, os.environ["ADUAN_USER_POOL_CLIENT_ID"], username)
    waiting = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    verified = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    pipeline.run()
    assert api.post(f"/v1/reports/{verified}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    return {"waiting": waiting, "verified": verified}


def fresh_waiting(api, pipeline):
    report_id = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    pipeline.run()
    return report_id


# (what, method, path template, body, role, expected status); {waiting}/{verified} are Trenggalek reports.
MATRIX = [
    ("create report", "POST", "/v1/regions/trenggalek/reports", new_report(), "citizen", 201),
    ("create report", "POST", "/v1/regions/trenggalek/reports", new_report(), "kupang_citizen", 403),
    ("create report", "POST", "/v1/regions/trenggalek/reports", new_report(), "verifier", 403),
    ("create report", "POST", "/v1/regions/trenggalek/reports", new_report(), "officer", 403),
    ("create report", "POST", "/v1/regions/trenggalek/reports", new_report(), None, 401),
    ("queue", "GET", "/v1/regions/trenggalek/verification-queue", None, "verifier", 200),
    ("queue", "GET", "/v1/regions/trenggalek/verification-queue", None, "region_admin", 200),
    ("queue", "GET", "/v1/regions/trenggalek/verification-queue", None, "platform_admin", 200),
    ("queue", "GET", "/v1/regions/trenggalek/verification-queue", None, "kupang_verifier", 403),
    ("queue", "GET", "/v1/regions/trenggalek/verification-queue", None, "officer", 403),
    ("queue", "GET", "/v1/regions/trenggalek/verification-queue", None, "citizen", 403),
    ("queue", "GET", "/v1/regions/trenggalek/verification-queue", None, None, 401),
    ("inbox", "GET", "/v1/me/inbox", None, "officer", 200),
    ("inbox", "GET", "/v1/me/inbox", None, "agency_head", 200),
    ("inbox", "GET", "/v1/me/inbox", None, "kupang_officer", 200),
    ("inbox", "GET", "/v1/me/inbox", None, "verifier", 403),
    ("inbox", "GET", "/v1/me/inbox", None, "citizen", 403),
    ("verify", "POST", "/v1/reports/{waiting}/transitions", {"to": "verified"}, "verifier", 200),
    ("verify", "POST", "/v1/reports/{waiting}/transitions", {"to": "verified"}, "kupang_verifier", 404),
    ("verify", "POST", "/v1/reports/{waiting}/transitions", {"to": "verified"}, "officer", 409),
    ("verify", "POST", "/v1/reports/{waiting}/transitions", {"to": "verified"}, "citizen", 403),
    ("take", "POST", "/v1/reports/{verified}/transitions", {"to": "in_process"}, "officer", 200),
    ("take", "POST", "/v1/reports/{verified}/transitions", {"to": "in_process"}, "kupang_officer", 404),
    ("take", "POST", "/v1/reports/{verified}/transitions", {"to": "in_process"}, "kelurahan_officer", 403),
    ("take", "POST", "/v1/reports/{verified}/transitions", {"to": "in_process"}, "verifier", 409),
    ("location", "POST", "/v1/reports/{waiting}/location", INSIDE, "verifier", 200),
    ("location", "POST", "/v1/reports/{verified}/location", INSIDE, "region_admin", 200),
    ("location", "POST", "/v1/reports/{waiting}/location", INSIDE, "kupang_verifier", 404),
    ("location", "POST", "/v1/reports/{waiting}/location", INSIDE, "kupang_admin", 404),
    ("location", "POST", "/v1/reports/{waiting}/location", INSIDE, "officer", 403),
    ("location", "POST", "/v1/reports/{waiting}/location", INSIDE, "citizen", 403),
    ("location", "POST", "/v1/reports/{waiting}/location", INSIDE, None, 401),
    ("note", "POST", "/v1/reports/{verified}/notes", {"note": "dicek"}, "officer", 201),
    ("note", "POST", "/v1/reports/{verified}/notes", {"note": "dicek"}, "kupang_officer", 404),
    ("note", "POST", "/v1/reports/{verified}/notes", {"note": "dicek"}, "citizen", 403),
    ("rate", "POST", "/v1/reports/{verified}/rating", {"stars": 5}, "verifier", 403),
    ("rate", "POST", "/v1/reports/{verified}/rating", {"stars": 5}, "kupang_citizen", 403),
    ("rate", "POST", "/v1/reports/{verified}/rating", {"stars": 5}, "citizen2", 403),
    ("rate", "POST", "/v1/reports/{verified}/rating", {"stars": 5}, "citizen", 409),
    ("evidence", "POST", "/v1/reports/{verified}/photos", {"content_type": "image/png", "kind": "evidence"},
     "kupang_officer", 404),
    ("evidence", "POST", "/v1/reports/{verified}/photos", {"content_type": "image/png", "kind": "evidence"},
     "citizen", 403),
    ("photo", "POST", "/v1/reports/{verified}/photos", {"content_type": "image/png"}, "citizen", 201),
    ("photo", "POST", "/v1/reports/{verified}/photos", {"content_type": "image/png"}, "citizen2", 403),
    ("photo", "POST", "/v1/reports/{verified}/photos", {"content_type": "image/png"}, "officer", 403),
    ("staff", "POST", "/v1/regions/trenggalek/accounts",
     {"name": "N", "email": "n@x.id", "role": "verifier"}, "region_admin", 201),
    ("staff", "POST", "/v1/regions/trenggalek/accounts",
     {"name": "N", "email": "n@x.id", "role": "verifier"}, "kupang_admin", 403),
    ("staff", "POST", "/v1/regions/trenggalek/accounts",
     {"name": "N", "email": "n@x.id", "role": "verifier"}, "officer", 403),
    ("my reports", "GET", "/v1/me/reports", None, "citizen", 200),
    ("my reports", "GET", "/v1/me/reports", None, "officer", 403),
    ("me", "GET", "/v1/me", None, "kupang_officer", 200),
    ("new region", "POST", "/v1/regions", {"kemendagri_code": "32.71", "region_id": "bogor"}, "platform_admin", 201),
    ("new region", "POST", "/v1/regions", {"kemendagri_code": "32.71", "region_id": "bogor"}, "region_admin", 403),
    ("new region", "POST", "/v1/regions", {"kemendagri_code": "32.71", "region_id": "bogor"}, "citizen", 403),
    ("new region", "POST", "/v1/regions", {"kemendagri_code": "32.71", "region_id": "bogor"}, None, 401),
    ("usage", "GET", "/v1/regions/trenggalek/usage", None, "region_admin", 200),
    ("usage", "GET", "/v1/regions/trenggalek/usage", None, "platform_admin", 200),
    ("usage", "GET", "/v1/regions/trenggalek/usage", None, "kupang_admin", 403),
    ("usage", "GET", "/v1/regions/trenggalek/usage", None, "verifier", 403),
    ("lifecycle", "POST", "/v1/regions/trenggalek/lifecycle", {"action": "extend_trial", "months": 1},
     "platform_admin", 200),
    ("lifecycle", "POST", "/v1/regions/trenggalek/lifecycle", {"action": "extend_trial", "months": 1},
     "region_admin", 403),
    ("lifecycle", "POST", "/v1/regions/trenggalek/lifecycle", {"action": "extend_trial", "months": 1},
     "kupang_admin", 403),
    ("boundaries", "PUT", "/v1/regions/trenggalek/boundaries", "DEMO_BOUNDARIES", "region_admin", 200),
    ("boundaries", "PUT", "/v1/regions/trenggalek/boundaries", "DEMO_BOUNDARIES", "kupang_admin", 403),
    ("boundaries", "PUT", "/v1/regions/trenggalek/boundaries", "DEMO_BOUNDARIES", "officer", 403),
    ("categories", "PUT", "/v1/regions/trenggalek/categories", {"categories": []}, "kupang_admin", 403),
    ("categories", "PUT", "/v1/regions/trenggalek/categories", {"categories": []}, "verifier", 403),
    ("region", "GET", "/v1/regions/trenggalek", None, "kupang_admin", 200),
    ("me", "GET", "/v1/me", None, None, 401),
]


@pytest.mark.parametrize("what,method,path,body,role,expected", MATRIX,
                         ids=[f"{m[0]}-{m[4]}-{m[5]}" for m in MATRIX])
def test_access_matrix(api, two_regions, what, method, path, body, role, expected):
    url = path.format(**two_regions)
    if body == "DEMO_BOUNDARIES":
        from devstack.demo_region import demo_boundaries

        body = demo_boundaries()
    if method == "GET":
        response = api.get(url, as_=role)
    elif method == "PUT":
        headers = {"Content-Type": "application/json"}
        if role:
            headers["Authorization"] = f"Bearer {api.tokens[role]}"
        response = api.client.http.put(url, body=json.dumps(body), headers=headers)
    else:
        response = api.post(url, body, as_=role)
    assert response.status_code == expected, response.json_body
    if expected >= 400:
        assert set(response.json_body) == {"error"}  # no data, only the error


def test_other_regions_admin_sees_only_the_public_region(api, two_regions):
    foreign = api.get("/v1/regions/trenggalek", as_="kupang_admin").json_body
    assert foreign == api.get("/v1/regions/trenggalek").json_body and "days_left" not in foreign


def test_other_regions_staff_see_only_the_public_view(api, two_regions):
    report_id = two_regions["verified"]
    staff = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body
    foreign = api.get(f"/v1/reports/{report_id}", as_="kupang_verifier").json_body
    anonymous = api.get(f"/v1/reports/{report_id}").json_body
    assert "assignee" in staff and "review_pending" in staff
    # the photo links' expiry is counted from each request: the two may be a second apart
    expiries = [datetime.fromisoformat(view.pop("photo_urls_expire_at")) for view in (foreign, anonymous)]
    assert abs((expiries[0] - expiries[1]).total_seconds()) <= 2
    assert foreign == anonymous


def test_inboxes_do_not_leak_across_regions(api, two_regions):
    assert api.get("/v1/me/inbox", as_="kupang_officer").json_body["items"] == []
    assert [i["id"] for i in api.get("/v1/me/inbox", as_="officer").json_body["items"]] == [two_regions["verified"]]
    kupang_queue = api.get("/v1/regions/kupang/verification-queue", as_="kupang_verifier").json_body
    assert kupang_queue["items"] == []


# --- tokens that must be refused --------------------------------------------

def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _claims(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _moto_key():
    from joserfc.jwk import RSAKey
    from moto.utilities.utils import load_resource

    return RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))


def _sign(claims: dict, key, kid="dummy") -> str:
    from joserfc import jwt

    return jwt.encode({"alg": "RS256", "kid": kid}, claims, key)


def status_with(api, token: str) -> int:
    return api.client.http.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_valid_token_is_accepted(api, tokens):
    assert status_with(api, tokens["officer"]) == 200
    # re-signing the same claims with the pool's key is still valid: the checks below are about one thing each
    assert status_with(api, _sign(_claims(tokens["officer"]), _moto_key())) == 200


def test_tampered_claims_are_refused(api, tokens):
    head, body, signature = tokens["citizen"].split(".")
    claims = _claims(tokens["citizen"])
    claims["cognito:groups"] = ["platform_admin"]
    assert status_with(api, f"{head}.{_b64(claims)}.{signature}") == 401


def test_token_signed_by_another_key_is_refused(api, tokens):
    from joserfc.jwk import RSAKey

    assert status_with(api, _sign(_claims(tokens["officer"]), RSAKey.generate_key(2048))) == 401


def test_expired_token_is_refused(api, tokens):
    claims = _claims(tokens["officer"])
    claims["exp"] = int(time.time()) - 120
    assert status_with(api, _sign(claims, _moto_key())) == 401


def test_wrong_audience_issuer_and_token_use_are_refused(api, tokens):
    for change in ({"aud": "another-client"}, {"iss": "https://cognito-idp.ap-southeast-3.amazonaws.com/other"},
                   {"token_use": "access"}):
        claims = {**_claims(tokens["officer"]), **change}
        assert status_with(api, _sign(claims, _moto_key())) == 401, change


def test_token_of_another_pool_is_refused(api, region):
    from devstack.seed import sign_in

    cognito = boto3.client("cognito-idp", region_name=REGION)
    pool = cognito.create_user_pool(PoolName="someone-elses")["UserPool"]["Id"]
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="x",
                                             ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
    cognito.create_group(UserPoolId=pool, GroupName="platform_admin")
    cognito.admin_create_user(UserPoolId=pool, Username="mallory", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username="mallory", Password="Password123!", Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="mallory", GroupName="platform_admin")
    assert status_with(api, sign_in(cognito, client, "mallory", "Password123!")) == 401


def test_malformed_tokens_and_alg_none_are_refused(api, tokens):
    claims = _claims(tokens["officer"])
    none_alg = f"{_b64({'alg': 'none', 'kid': 'dummy'})}.{_b64(claims)}."
    for token in ("garbage", "a.b.c", none_alg, tokens["officer"] + "x"):
        assert status_with(api, token) == 401
    response = api.client.http.get("/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
