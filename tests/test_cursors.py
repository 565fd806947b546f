"""Pagination cursors: the codec every paged list shares (reports' queues and
inboxes, projects) refuses whatever it did not produce, before DynamoDB sees
it, and a crafted cursor is a 400 ``invalid_cursor``, never a 500."""
from __future__ import annotations

import base64
import json

import pytest

from chalicelib.store import reports as store
from chalicelib.store.models import ProjectModel, ReportModel
from support.data import new_report


def encoded(value) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


KEYS = {"region_id": "S", "sort_key": "S", "id": "S"}
GOOD = {"region_id": {"S": "trenggalek"}, "sort_key": {"S": "2026#2026-01-01T00:00:00Z"}, "id": {"S": "a" * 32}}


def test_the_key_attributes_are_the_index_and_the_table_keys():
    assert store.key_attributes(ProjectModel.by_region) == KEYS
    assert store.key_attributes(ProjectModel.by_agency) == {"agency_key": "S", "sort_key": "S", "id": "S"}
    assert store.key_attributes(ReportModel.agency_inbox) == {"agency_key": "S", "inbox_at": "S", "id": "S"}


def test_a_cursor_round_trips():
    assert store.decode_cursor(store.encode_cursor(GOOD), KEYS) == GOOD
    assert store.decode_cursor(None) is None and store.decode_cursor("") is None
    assert store.encode_cursor(None) is None and store.encode_cursor({}) is None
    number = {"n": {"N": "-12.5"}}
    assert store.decode_cursor(encoded(number), {"n": "N"}) == number


@pytest.mark.parametrize("value", [
    [1], "text", 5, None, {}, {"region_id": {"S": 5}}, {"x": {"N": "1"}},
    {**GOOD, "x": {"S": "1"}}, {**GOOD, "id": {"N": "1"}}, {**GOOD, "id": {"B": "AAAA"}},
    {**GOOD, "id": {"S": "a", "N": "1"}}, {**GOOD, "id": {}}, {**GOOD, "id": "a"}, {**GOOD, "id": {"S": ""}},
    {**GOOD, "id": {"S": None}}, {**GOOD, "id": {"S": ["a"]}}, {**GOOD, "id": {"S": "x" * 1025}},
    {**GOOD, "id": {"S": "\ud800"}}, {**GOOD, "id": {"NULL": True}}, {**GOOD, "id": {"BOOL": True}},
    b"\xff\xfe", b"not json", b"{", b"[" * 900,
])
def test_a_crafted_cursor_is_refused(value):
    with pytest.raises(store.BadCursor):
        store.decode_cursor(encoded(value), KEYS)


@pytest.mark.parametrize("number", ["1e5", "NaN", "Infinity", "0x10", " 1", "1 ", "01", "1.", ".5", "--1",
                                    "1" * 39, "1." + "1" * 39, "+1"])
def test_a_number_must_be_a_plain_decimal(number):
    with pytest.raises(store.BadCursor):
        store.decode_cursor(encoded({"n": {"N": number}}), {"n": "N"})


def test_a_cursor_too_long_or_not_base64_text_is_refused():
    with pytest.raises(store.BadCursor):
        store.decode_cursor("A" * (store.CURSOR_MAX + 1))
    for text in ("%%%", "\ud800", "a"):
        with pytest.raises(store.BadCursor):
            store.decode_cursor(text, KEYS)


def test_a_crafted_cursor_on_the_officers_inbox_is_400(api, pipeline):
    """``/v1/me/inbox`` pages with the same codec: a cursor naming the
    inbox's own hash key, but crafted, never reaches DynamoDB."""
    ids = []
    for _ in range(2):
        created = api.post("/v1/regions/trenggalek/reports", new_report())
        assert created.status_code == 201
        ids.append(created.json_body["id"])
    pipeline.run()
    for report_id in ids:
        verified = api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier")
        assert verified.status_code == 200, verified.json_body
    hash_name = ReportModel.agency_inbox._hash_key_attribute().attr_name
    mine = {"S": "trenggalek#dpupr#verified"}
    key = {hash_name: mine, "inbox_at": {"S": "2026-01-01T00:00:00Z"}, "id": {"S": created.json_body["id"]}}
    crafted = [
        {hash_name: {"S": 5}}, {"x": {"N": "1"}}, [key], "inbox", {**key, "inbox_at": {"S": 5}},
        {**key, "inbox_at": {"N": "1"}}, {**key, "x": {"N": "1"}}, {hash_name: mine, "id": key["id"]},
        {**key, hash_name: {"S": "trenggalek#dinkes#verified"}}, {**key, "id": {"S": "\udfff"}},
        {**key, "sort_key": {"S": "x"}},
    ]
    for value in crafted:
        response = api.get(f"/v1/me/inbox?cursor={encoded(value)}", as_="officer", headers={"Accept-Language": "en"})
        assert response.status_code == 400, (value, response.body[:300])
        error = response.json_body["error"]
        assert error["code"] == "invalid_cursor" and error["message"], error
    # the inbox is as it was, and a cursor it produced still pages
    first = api.get("/v1/me/inbox?limit=1", as_="officer").json_body
    second = api.get(f"/v1/me/inbox?limit=1&cursor={first['next_cursor']}", as_="officer").json_body
    assert sorted(item["id"] for item in first["items"] + second["items"]) == sorted(ids)
