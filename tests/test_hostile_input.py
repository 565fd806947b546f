"""Requests a hostile client sends: each gets a 4xx ``{"error": {"code",
"message"}}`` in the caller's language, never a 500, and changes nothing."""
from __future__ import annotations

import base64
import json
import re

import pytest

from support.data import assert_error, count_items, new_report

REPORTS = "/v1/regions/trenggalek/reports"
SETTINGS = "/v1/regions/trenggalek"
TABLES = ("reports", "regions", "projects", "budget")
HUGE = "1" + "0" * 400


def stored():
    return {logical: count_items(logical) for logical in TABLES}


def raw_post(api, path, raw, as_="citizen", method="POST", **headers):
    headers = {"Content-Type": "application/json", **headers}
    if as_:
        headers["Authorization"] = f"Bearer {api.tokens[as_]}"
    return api.client.http.request(method, path, headers=headers, body=raw.encode("utf-8", "surrogatepass"))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def forged(api, header=None, claims=None, role="citizen"):
    """A real token with its header or claims part replaced."""
    head, body, signature = api.tokens[role].split(".")
    if header is not None:
        head = b64(json.dumps(header).encode())
    if claims is not None:
        body = b64(claims)
    return f"{head}.{body}.{signature}"


# --- 1 and 11: tokens ---------------------------------------------------------------

@pytest.mark.parametrize("case", ["kid list", "kid object", "non-ascii claims", "tampered signature", "not bearer",
                                  "garbage"])
def test_a_bad_token_is_401_on_public_reads_and_private_ones(api, case):
    created = api.post(REPORTS, new_report())
    assert created.status_code == 201
    report_id = created.json_body["id"]
    token = {
        "kid list": lambda: forged(api, header={"alg": "RS256", "kid": ["a", "b"]}),
        "kid object": lambda: forged(api, header={"alg": "RS256", "kid": {"a": 1}}),
        "non-ascii claims": lambda: forged(api, claims="{\"sub\": \"é\"}".encode("utf-8")).replace(
            ".", ".é", 1),
        "tampered signature": lambda: api.tokens["citizen"][:-4] + ("AAAA" if not api.tokens["citizen"].endswith(
            "AAAA") else "BBBB"),
        "not bearer": lambda: None,
        "garbage": lambda: "x.y.z",
    }[case]()
    header = {"Authorization": f"Basic {b64(b'a:b')}"} if token is None else {"Authorization": f"Bearer {token}"}
    for path in (f"/v1/reports/{report_id}", "/v1/regions/trenggalek", "/v1/me", "/v1/me/reports"):
        for language, fragment in (("en", "token"), ("id", "token")):
            response = api.client.http.get(path, headers={**header, "Accept-Language": language})
            assert_error(response, 401, "invalid_token")
            assert fragment in response.json_body["error"]["message"].lower()
            assert response.headers.get("WWW-Authenticate") == "Bearer"
    # a public read without a token is still public
    assert api.get(f"/v1/reports/{report_id}").status_code == 200
    # a public endpoint that never reads tokens ignores one
    assert api.client.http.get("/v1/regions/trenggalek/categories", headers=header).status_code == 200


# --- 2: deep JSON on every body endpoint --------------------------------------------

def _body_operations():
    """Every operation that takes a JSON body (Open311's POST takes a form, tested in test_open311.py)."""
    from app import app  # noqa: F401 - registers every operation
    from chalicelib.api.openapi import document

    for path, item in document()["paths"].items():
        for method, operation in item.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                yield path, method, operation


def _concrete(path):
    return re.sub(r"\{(\w+)\}", lambda m: "trenggalek" if m.group(1) == "region_id" else "0" * 32, path)


def _role(operation):
    if "security" not in operation:
        return None
    roles = operation.get("x-roles") or ["citizen"]
    return "platform_admin" if "platform_admin" in roles else roles[0]


def test_json_nested_5000_deep_is_400_on_every_body_endpoint(api):
    before = stored()
    deep = "[" * 5000 + "]" * 5000
    deep_object = '{"a":' * 5000 + "1" + "}" * 5000
    tried = 0
    for path, method, operation in _body_operations():
        for raw in (deep, deep_object):
            response = raw_post(api, _concrete(path), raw, as_=_role(operation), method=method.upper())
            assert response.status_code == 400, (method, path, response.status_code, response.body[:200])
            assert response.json_body["error"]["code"] in ("too_deep", "body_not_object")
            tried += 1
    assert tried >= 2 * 15  # every body endpoint, signup included
    assert stored() == before


def test_deep_json_inside_an_object_field_is_too_deep(api):
    raw = json.dumps(new_report())[:-1] + ', "address": ' + '{"name": ' * 100 + '"x"' + "}" * 100 + "}"
    assert_error(raw_post(api, REPORTS, raw), 400, "too_deep")


# --- 3 and 4: numbers -----------------------------------------------------------------

@pytest.mark.parametrize("field", ["lat", "lon"])
@pytest.mark.parametrize("sign", ["", "-"])
def test_an_integer_too_large_for_a_float_is_out_of_range(api, field, sign):
    before = stored()
    body = new_report()
    body[field] = 0
    raw = json.dumps(body).replace(f'"{field}": 0', f'"{field}": {sign}{HUGE}')
    response = raw_post(api, REPORTS, raw, **{"Accept-Language": "en"})
    assert_error(response, 400, "out_of_range")
    assert response.json_body["error"]["params"]["field"] == field
    assert "between" in response.json_body["error"]["message"]
    assert stored() == before


def test_a_tiny_coordinate_is_stored_to_seven_decimals(api):
    body = new_report()
    raw = json.dumps(body).replace(f'"lat": {body["lat"]}', '"lat": 1e-200')
    response = raw_post(api, REPORTS, raw)
    assert response.status_code == 201, response.body[:300]
    assert response.json_body["lat"] == 0.0
    assert api.get(response.headers["Location"]).json_body["lat"] == 0.0


def test_nan_and_infinity_literals_are_not_json(api):
    for literal in ("NaN", "Infinity", "-Infinity"):
        raw = json.dumps(new_report()).replace('"lat": -8.1', f'"lat": {literal}')
        assert_error(raw_post(api, REPORTS, raw), 400, "invalid_json")


# --- 5: lone surrogates ---------------------------------------------------------------

def test_a_lone_surrogate_is_refused_where_stored_and_where_echoed(api):
    before = stored()
    raw = json.dumps(new_report(description="Jalan \ud800 rusak"))  # json.dumps escapes it as \ud800
    assert "\\ud800" in raw
    assert_error(raw_post(api, REPORTS, raw), 400, "invalid_text")
    # echoed back: an unknown category named with a lone surrogate
    raw = json.dumps(new_report(category="\udfff"))
    assert_error(raw_post(api, REPORTS, raw, **{"Accept-Language": "en"}), 400, "invalid_text")
    # a key holding one
    raw = '{"\\udc00": 1}'
    assert_error(raw_post(api, REPORTS, raw), 400, "invalid_text")
    # a properly paired surrogate (an emoji, as ensure_ascii writes it) is text
    ok = raw_post(api, REPORTS, json.dumps(new_report(description="Banjir \U0001F30A di jalan")))
    assert ok.status_code == 201 and "\U0001F30A" in ok.json_body["description"]
    assert stored()["reports"] == before["reports"] + 1


def test_a_lone_surrogate_in_a_transition_note_changes_nothing(api, pipeline):
    report_id = api.post(REPORTS, new_report()).json_body["id"]
    pipeline.run()
    before = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body
    raw = '{"to": "verified", "note": "ok \\ud800"}'
    assert_error(raw_post(api, f"/v1/reports/{report_id}/transitions", raw, as_="verifier"), 400, "invalid_text")
    after = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body
    assert after["version"] == before["version"] and after["status"] == "waiting"


def test_a_path_parameter_that_is_not_text_is_answered(api):
    for path in ("/v1/reports/%ED%A0%80", "/v1/reports/\udcff", "/v1/projects/\ud800"):
        response = api.client.http.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert response.json_body["error"]["code"] in ("report_not_found", "project_not_found", "not_found")


# --- 10: one rule for our JSON bodies ---------------------------------------------------

def test_duplicate_keys_are_refused(api):
    before = stored()
    raw = json.dumps(new_report())[:-1] + ', "description": "the second one"}'
    response = raw_post(api, REPORTS, raw, **{"Accept-Language": "en"})
    assert_error(response, 400, "duplicate_field")
    assert response.json_body["error"]["params"]["field"] == "description"
    nested = '{"sla": {"verify": 2, "verify": 3}}'
    assert_error(raw_post(api, SETTINGS, nested, as_="region_admin", method="PATCH"), 400, "duplicate_field")
    assert stored() == before


def test_unknown_fields_are_refused_at_every_level(api):
    assert_error(api.post(REPORTS, new_report(colour="red")), 400, "unknown_field")
    # a report body no longer takes contact details: the account's verified phone is the only one
    assert_error(api.post(REPORTS, new_report(reporter={"phone": "+19005550100"})), 400, "unknown_field")
    response = raw_post(api, SETTINGS, '{"sla": {"verify": 2, "shoe_size": 42}}', as_="region_admin", method="PATCH")
    assert_error(response, 400, "unknown_field")
    assert response.json_body["error"]["params"]["field"] == "sla.shoe_size"


@pytest.mark.parametrize("raw,code", [
    ("", "invalid_json"),
    ("null", "body_not_object"),
    ("[]", "body_not_object"),
    ('"text"', "body_not_object"),
    ("{", "invalid_json"),
    ('{"category": "jalan-rusak"}', "missing_field"),
    ('{"category": 5, "description": "x", "lat": 0, "lon": 0}', "wrong_type"),
    ('{"category": "jalan-rusak", "description": "   ", "lat": 0, "lon": 0}', "empty_field"),
    ('{"category": "jalan-rusak", "description": "x", "lat": true, "lon": 0}', "wrong_type"),
    ('{"category": "jalan-rusak", "description": "x", "lat": "1", "lon": 0}', "wrong_type"),
    ('{"category": "jalan-rusak", "description": "x", "lat": 0, "lon": 0, "anonymous": "yes"}', "wrong_type"),
])
def test_malformed_bodies(api, raw, code):
    assert_error(raw_post(api, REPORTS, raw), 400, code)


def test_a_body_that_is_not_utf8(api):
    response = api.client.http.post(REPORTS, body=b'{"description": "\xff\xfe"}', headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {api.tokens['citizen']}"})
    assert_error(response, 400, "invalid_json")


def test_an_idempotency_key_that_is_not_visible_ascii(api):
    response = api.post(REPORTS, new_report(), headers={"Idempotency-Key": "kunci rahasia"})
    assert_error(response, 400, "invalid_idempotency_key")
    assert count_items("reports") == 0
