"""Test data and small AWS helpers shared by the tests."""
from __future__ import annotations

from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent.parent
REGION = "ap-southeast-3"


def queue_messages(queue_url: str, limit: int = 10) -> list[dict]:
    sqs = boto3.client("sqs", region_name=REGION)
    got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=limit, WaitTimeSeconds=0,
                              MessageAttributeNames=["All"], AttributeNames=["All"])
    return got.get("Messages", [])


def count_items(logical: str) -> int:
    from chalicelib import resources

    table = {t.logical: t for t in resources.TABLES}[logical]
    return boto3.client("dynamodb", region_name=REGION).scan(TableName=table.name, Select="COUNT")["Count"]


# A point inside the demo polygons, and one outside the regency.
INSIDE = {"lat": -8.10, "lon": 111.70}
OUTSIDE = {"lat": -6.20, "lon": 106.80}  # Jakarta


def new_report(**overrides):
    body = {"category": "jalan-rusak", "description": "Jalan berlubang besar di depan pasar.", **INSIDE}
    body.update(overrides)
    return body


def assert_error(response, status, code=None):
    """A reply in our error shape, with this status (and code); the error."""
    assert response.status_code == status, (response.status_code, response.body[:300])
    error = response.json_body["error"]
    assert set(error) >= {"code", "message"} and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error
