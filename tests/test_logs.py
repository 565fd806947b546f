"""Logs de-anonymise no one: a whole flow, as every role, with every worker
and a failing SMS, writes JSON lines with a correlation id and not one
phone number, e-mail, name or account id of the seeded accounts."""
import json
import logging

import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters import aws as aws_adapter
from chalicelib.logs import JsonFormatter
from devstack.seed import DEMO_ACCOUNTS
from support.data import new_report
from support.images import jpeg_with_gps, upload


def personal_data(world):
    """Every phone, e-mail, name and sub of the seeded accounts."""
    values = set()
    for page in world.cognito.get_paginator("list_users").paginate(UserPoolId=world.pool_id):
        for user in page["Users"]:
            values.add(user["Username"])
            for attribute in user["Attributes"]:
                if attribute["Name"] in ("sub", "name", "email", "phone_number"):
                    values.add(attribute["Value"])
    values |= {name for _, _, _, name in DEMO_ACCOUNTS.values()}
    values |= {phone.lstrip("+") for phone in values if phone.startswith("+")}
    return values


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.DEBUG, logger="chalicelib")
    formatter = JsonFormatter()
    return lambda: [formatter.format(record) for record in caplog.records if record.name.startswith("chalicelib")]


def test_a_whole_flow_logs_json_with_a_correlation_id_and_no_personal_data(api, pipeline, world, lines, monkeypatch):
    def move(report_id, as_, **body):
        response = api.post(f"/v1/reports/{report_id}/transitions", body, as_=as_)
        assert response.status_code == 200, response.json_body
        pipeline.run()

    def photo(report_id, kind, as_):
        grant = api.post(f"/v1/reports/{report_id}/photos", {"content_type": "image/jpeg", "kind": kind}, as_=as_)
        assert grant.status_code == 201, grant.json_body
        upload(report_id, grant.json_body["photo_id"], jpeg_with_gps())
        pipeline.run()

    named = api.post("/v1/regions/trenggalek/reports", new_report(category="jalan-rusak")).json_body["id"]
    anonymous = api.post("/v1/regions/trenggalek/reports", new_report(anonymous=True)).json_body["id"]
    pipeline.run()
    photo(named, "report", "citizen")
    assert api.get(f"/v1/reports/{named}", headers={"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."}) \
        .status_code == 401  # a refused token is logged by its reason
    move(named, "verifier", to="verified", note="Lokasi benar")
    move(anonymous, "verifier", to="rejected", reason="spam")
    move(named, "officer", to="in_process")
    assert api.post(f"/v1/reports/{named}/notes", {"note": "Dikerjakan besok"}, as_="officer").status_code == 201
    photo(named, "evidence", "officer")
    move(named, "officer", to="done")
    # the next SMS is refused by SNS: a warning, still without the number
    sns = aws_adapter.client("sns")
    real = sns.publish

    def refusing(**params):
        if "PhoneNumber" in params:
            raise ClientError({"Error": {"Code": "InvalidParameter", "Message": "bad number"}}, "Publish")
        return real(**params)

    monkeypatch.setattr(sns, "publish", refusing)
    assert api.post(f"/v1/reports/{named}/rating", {"stars": 2, "comment": "Belum rapi"}).status_code == 201
    move(named, "verifier", to="in_process")
    monkeypatch.setattr(sns, "publish", real)
    move(named, "officer", to="done")

    written = lines()
    assert len(written) >= 10  # the notifications of each change, the refusal, the token
    print(f"\n{len(written)} log lines for the whole flow")  # the figure quoted in the closing note
    secrets = personal_data(world)
    assert len(secrets) >= 30
    for line in written:
        record = json.loads(line)
        assert {"time", "level", "logger", "message"} <= set(record)
        assert "eyJ" not in line
        leaked = [value for value in secrets if value in line]
        assert not leaked, (leaked, line)
    worker_lines = [json.loads(line) for line in written if "notified" in line]
    assert worker_lines and all(record.get("correlation_id") for record in worker_lines)
    assert any("refused by the provider" in json.loads(line)["message"] for line in written)
