"""A citizen takes everything the system holds about them, then erases
themselves: afterwards no table, no object and no Cognito user holds their
phone, e-mail, name or account id; their reports stay, anonymised, and
still move; each request is recorded by a keyed hash only."""
import io
import json
import zipfile

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib import resources
from devstack.seed import DEMO_PASSWORD, sign_in
from support.data import REGION, new_report
from support.images import jpeg_with_gps, upload

PHONE, EMAIL, NAME = "+6281377770001", "rina.erasure@example.id", "Rina Hapus Akun"


@pytest.fixture
def rina(world, tokens):
    """A citizen of her own (so that her erasure touches no seeded account)."""
    cognito = world.cognito
    created = cognito.admin_create_user(
        UserPoolId=world.pool_id, Username=PHONE, MessageAction="SUPPRESS", UserAttributes=[
            {"Name": "phone_number", "Value": PHONE}, {"Name": "phone_number_verified", "Value": "true"},
            {"Name": "email", "Value": EMAIL}, {"Name": "name", "Value": NAME},
            {"Name": "custom:region_id", "Value": "trenggalek"}])
    sub = next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
    cognito.admin_set_user_password(UserPoolId=world.pool_id, Username=PHONE, Password=DEMO_PASSWORD, Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=world.pool_id, Username=PHONE, GroupName="citizen")
    tokens["rina"] = sign_in(cognito, world.client_id, PHONE)
    return sub


def everything_stored(world):
    """Every item of every table, every object (key, metadata, body) and every
    Cognito user, as text."""
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    texts = []
    for table in resources.TABLES:
        for page in dynamodb.get_paginator("scan").paginate(TableName=table.name):
            texts += [json.dumps(item, ensure_ascii=False) for item in page["Items"]]
    s3 = boto3.client("s3", region_name=REGION)
    for listed in s3.list_objects_v2(Bucket=resources.PHOTOS_BUCKET.name).get("Contents", []):
        got = s3.get_object(Bucket=resources.PHOTOS_BUCKET.name, Key=listed["Key"])
        texts += [listed["Key"], json.dumps(got["Metadata"]), got["Body"].read().decode("latin-1")]
    for page in world.cognito.get_paginator("list_users").paginate(UserPoolId=world.pool_id):
        texts += [json.dumps(user, default=str) for user in page["Users"]]
    return "\n".join(texts)


def test_a_citizen_takes_their_data_then_erases_themselves(api, pipeline, world, rina):
    def report(**body):
        response = api.post("/v1/regions/trenggalek/reports", new_report(**body), as_="rina")
        assert response.status_code == 201, response.json_body
        return response.json_body["id"]

    named = report(category="jalan-rusak", description="Jalan berlubang di depan pasar")
    anonymous = report(anonymous=True, description="Anak jalanan di perempatan")
    duplicate = report(description="Sampah menumpuk lagi")
    original = api.post("/v1/regions/trenggalek/reports", new_report(), as_="citizen2").json_body["id"]
    photo_id = api.post(f"/v1/reports/{named}/photos", {"content_type": "image/jpeg"}, as_="rina").json_body["photo_id"]
    upload(named, photo_id, jpeg_with_gps())
    pipeline.run()
    move = lambda rid, as_, **body: api.post(f"/v1/reports/{rid}/transitions", body, as_=as_)  # noqa: E731
    assert move(duplicate, "verifier", to="duplicate", duplicate_of=original).status_code == 200
    assert move(named, "verifier", to="verified").status_code == 200
    pipeline.run()
    assert move(named, "officer", to="in_process").status_code == 200
    evidence = api.post(f"/v1/reports/{named}/photos", {"content_type": "image/jpeg", "kind": "evidence"},
                        as_="officer").json_body["photo_id"]
    upload(named, evidence, jpeg_with_gps())
    pipeline.run()
    assert move(named, "officer", to="done").status_code == 200
    rated = api.post(f"/v1/reports/{named}/rating", {"stars": 2, "comment": f"Hubungi saya, {NAME}"}, as_="rina")
    assert rated.status_code == 201
    assert move(named, "verifier", to="in_process").status_code == 200  # reopened after the low rating
    pipeline.run()

    # --- what she takes -----------------------------------------------------------------
    data = api.get("/v1/me/data?photos=zip", as_="rina").json_body
    assert data["account"]["phone"] == PHONE and data["account"]["name"] == NAME
    assert {r["id"] for r in data["reports"]} == {named, anonymous, duplicate}
    mine = {r["id"]: r for r in data["reports"]}
    assert mine[duplicate]["duplicate_of"] == original
    assert [r["comment"] for r in mine[named]["ratings"]] == [f"Hubungi saya, {NAME}"]
    assert [p["id"] for p in mine[named]["photos"]] == [photo_id]  # hers, not the officer's evidence
    text = json.dumps(data)
    assert "Petugas PUPR Demo" not in text and "Warga Demo Dua" not in text and "+6281200000002" not in text
    assert "actor" not in text
    assert len(mine[named]["history"]) >= 6 and all(set(h) == {"status", "at", "note"} for h in mine[named]["history"])
    s3 = boto3.client("s3", region_name=REGION)
    [export_key] = [o["Key"] for o in s3.list_objects_v2(Bucket=resources.PHOTOS_BUCKET.name,
                                                         Prefix="exports/").get("Contents", [])]
    assert export_key in data["photos_zip"]
    archive = zipfile.ZipFile(io.BytesIO(s3.get_object(
        Bucket=resources.PHOTOS_BUCKET.name, Key=export_key)["Body"].read()))
    assert [name.split("/")[0] for name in archive.namelist()] == [named]

    sms_before = len(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages)
    before = everything_stored(world)
    assert all(secret in before for secret in (PHONE, EMAIL, NAME, rina, "Hubungi saya"))  # the search can find them

    # --- she erases herself ----------------------------------------------------------------
    erased = api.client.http.request("DELETE", "/v1/me", headers={"Authorization": f"Bearer {api.tokens['rina']}"})
    assert erased.status_code == 200, erased.body
    record = json.loads(erased.body)
    assert record["kind"] == "erasure" and record["reports"] == 3 and rina not in json.dumps(record)

    stored = everything_stored(world)
    for secret in (PHONE, PHONE.lstrip("+"), EMAIL, NAME, rina, "Hubungi saya"):
        assert secret not in stored, secret

    # the reports stay, anonymised, and still move; nobody is told any more
    for report_id in (named, anonymous, duplicate):
        assert api.get(f"/v1/reports/{report_id}", as_="verifier").status_code == 200
    evidence2 = api.post(f"/v1/reports/{named}/photos", {"content_type": "image/jpeg", "kind": "evidence"},
                         as_="officer").json_body["photo_id"]
    upload(named, evidence2, jpeg_with_gps())
    pipeline.run()
    assert move(named, "officer", to="done").status_code == 200
    pipeline.run()
    assert len(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages) == sms_before

    # the requests are on record, by hash
    listed = api.get("/v1/regions/trenggalek/privacy-requests", as_="region_admin").json_body["items"]
    assert [r["kind"] for r in listed] == ["erasure", "export"]
    assert len({r["subject"] for r in listed}) == 1 and rina not in json.dumps(listed)
    assert api.get("/v1/regions/trenggalek/privacy-requests", as_="verifier").status_code == 403


def test_staff_cannot_erase_themselves(api):
    for role in ("officer", "verifier", "region_admin"):
        response = api.client.http.request("DELETE", "/v1/me",
                                           headers={"Authorization": f"Bearer {api.tokens[role]}"})
        assert response.status_code == 403, role
        assert json.loads(response.body)["error"]["code"] == "staff_erased_by_admin"
    assert api.get("/v1/me", as_="officer").status_code == 200


def test_data_rights_need_a_valid_token(api):
    assert api.get("/v1/me/data").status_code == 401
    assert api.get("/v1/me/data", headers={"Authorization": "Bearer eyJ.x.y"}).status_code == 401
    assert api.client.http.request("DELETE", "/v1/me").status_code == 401
