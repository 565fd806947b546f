"""Open311 GeoReport v2: the read side driven by a published client library
(``georeport`` from PyPI, over ``requests`` into the app's test client), the
write side by spec-form POSTs as FixMyStreet sends them; every reply is
checked against the GeoReport v2 document structure, every hostile request
gets the spec's error and stores nothing."""
from __future__ import annotations

import io
import json
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from support.data import count_items, new_report
from support.images import jpeg_with_gps

georeport = pytest.importorskip("georeport", reason="make installs it (pip install --no-deps georeport)")

ROOT = "http://aduan.test/open311/v2"
PARTNERS = "/v1/regions/trenggalek/partners"
LIST_TAGS = {"services": "service", "service_requests": "request", "errors": "error", "endpoints": "endpoint",
             "formats": "format", "attributes": "attribute", "values": "value"}


# --- the client library, over requests, into the Chalice test client ---------------------------

class ChaliceAdapter(BaseAdapter):
    """A requests transport that hands each request to the app's test client
    (whose every reply is checked against /openapi.json)."""

    def __init__(self, client):
        super().__init__()
        self.client = client

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        headers = {"Host": url.netloc, **dict(request.headers)}
        body = request.body or b""
        reply = self.client.http.request(request.method, path, headers=headers,
                                         body=body if isinstance(body, bytes) else body.encode())
        response = requests.Response()
        response.status_code = reply.status_code
        response.headers = CaseInsensitiveDict(reply.headers)
        response._content = reply.body
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


@pytest.fixture
def http(client, monkeypatch):
    adapter = ChaliceAdapter(client)
    original = requests.sessions.Session.get_adapter

    def get_adapter(self, url):
        return adapter if url.startswith("http://aduan.test/") else original(self, url)

    monkeypatch.setattr(requests.sessions.Session, "get_adapter", get_adapter)
    return requests


def library(fmt, api_key=None):
    return georeport.GeoReport(ROOT, jurisdiction="trenggalek", api_key=api_key, output_format=fmt)


# --- the GeoReport v2 document structure -------------------------------------------------------

def parse(response, fmt):
    """A reply as builtins: JSON as sent, XML with its list elements as lists
    (and every leaf as text, empty ones as None)."""
    content_type = response.headers["Content-Type"]
    if fmt == "json":
        assert content_type == "application/json; charset=utf-8", content_type
        return json.loads(_body(response))
    assert content_type == "text/xml; charset=utf-8", content_type
    root = ElementTree.fromstring(_body(response))  # noqa: S314 - the app's own reply
    return root.tag, _element(root)


def _body(response):
    """requests' or the Chalice test client's reply body."""
    return response.content if hasattr(response, "content") else response.body


def _element(element):
    children = list(element)
    if element.tag in LIST_TAGS:
        assert all(child.tag == LIST_TAGS[element.tag] for child in children), element.tag
        return [_element(child) for child in children]
    if not children:
        return element.text
    result = {}
    for child in children:
        assert child.tag not in result, f"{child.tag} repeated in {element.tag}"
        result[child.tag] = _element(child)
    return result


def _text(value):
    return isinstance(value, str) and value != ""


def _bool(value):
    return value in (True, False, "true", "false")


def _number(value):
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _datetime(value):
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except (TypeError, ValueError):
        return False


def _optional(check):
    return lambda value: value is None or value == "" or check(value)


SHAPES = {
    "service": {"service_code": _text, "service_name": _text, "metadata": _bool,
                "type": lambda v: v in ("realtime", "batch", "blackbox"), "description": _optional(_text),
                "keywords": _optional(_text), "group": _optional(_text)},
    "request": {"service_request_id": _text, "status": lambda v: v in ("open", "closed"),
                "service_code": _text, "requested_datetime": _datetime, "updated_datetime": _datetime,
                "status_notes": _optional(_text), "service_name": _optional(_text), "description": _optional(_text),
                "agency_responsible": _optional(_text), "service_notice": _optional(_text),
                "expected_datetime": _optional(_datetime), "address": _optional(_text),
                "address_id": _optional(_text), "zipcode": _optional(_text), "lat": _optional(_number),
                "long": _optional(_number), "media_url": _optional(lambda v: v.startswith("http"))},
    "created": {"service_request_id": _text, "service_notice": _optional(_text), "account_id": _optional(_text)},
    "token": {"token": _text, "service_request_id": _text},
    "error": {"code": lambda v: str(v).isdigit() and 400 <= int(v) < 500, "description": _text},
    "attribute": {"variable": _bool, "code": _text, "required": _bool, "order": lambda v: str(v).isdigit(),
                  "datatype": lambda v: v in ("string", "number", "datetime", "text", "singlevaluelist",
                                              "multivaluelist"),
                  "datatype_description": _optional(_text), "description": _text, "values": lambda v: True},
    "endpoint": {"specification": _text, "url": lambda v: v.startswith("http"), "changeset": _datetime,
                 "type": lambda v: v in ("production", "test"), "formats": lambda v: True},
}
REQUIRED = {"service": ("service_code", "service_name", "metadata", "type"),
            "request": ("service_request_id", "status", "service_code", "requested_datetime"),
            "created": (), "token": ("token", "service_request_id"), "error": ("code", "description"),
            "attribute": ("variable", "code", "datatype", "required", "order", "description"),
            "endpoint": ("specification", "url", "changeset", "type", "formats")}


def _item(kind, item):
    assert isinstance(item, dict), (kind, item)
    unknown = set(item) - set(SHAPES[kind])
    assert not unknown, f"{kind}: elements not in GeoReport v2: {unknown}"
    missing = [name for name in REQUIRED[kind] if item.get(name) in (None, "")]
    assert not missing, f"{kind}: required elements missing: {missing}"
    for name, value in item.items():
        assert SHAPES[kind][name](value), f"{kind}.{name}: {value!r}"
    if kind == "created":
        assert item.get("service_request_id") or item.get("token")


def check(document, kind, fmt):
    """Assert that ``document`` (``parse``'s result) is a GeoReport v2
    ``kind``: its root (XML), its required elements and their types, no
    element the spec does not define."""
    roots = {"services": ("services", "service"), "requests": ("service_requests", "request"),
             "created": ("service_requests", "created"), "token": ("service_requests", "token"),
             "errors": ("errors", "error")}
    if fmt == "xml":
        tag, body = document
        expected = roots.get(kind, (kind,))[0]
        assert tag == expected, (tag, expected)
    else:
        body = document
    if kind in roots:
        items = body or []
        assert isinstance(items, list), items
        for item in items:
            _item(roots[kind][1], item)
        return items
    if kind == "service_definition":
        assert _text(body["service_code"]) and set(body) == {"service_code", "attributes"}
        for attribute in body["attributes"] or []:
            _item("attribute", attribute)
            for value in attribute["values"] or []:
                assert set(value) == {"key", "name"} and _text(value["key"]) and _text(value["name"])
        return body
    assert kind == "discovery"
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"} and _datetime(body["changeset"])
    for endpoint in body["endpoints"]:
        _item("endpoint", endpoint)
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    return body


def spec_error(response, status, fmt="json"):
    assert response.status_code == status, (response.status_code, _body(response)[:300])
    errors = check(parse(response, fmt), "errors", fmt)
    assert len(errors) == 1 and int(errors[0]["code"]) == status
    assert "error" not in json.dumps(errors)[:8]  # never our {"error": …} shape
    return errors[0]["description"]


# --- helpers ------------------------------------------------------------------------------------

def open311_key(api, channel="open311"):
    reply = api.post(PARTNERS, {"name": "FixMyStreet Indonesia", "channel": channel}, as_="region_admin")
    assert reply.status_code == 201, reply.json_body
    return reply.json_body["api_key"], reply.json_body["id"]


def ask_questions(api):
    """jalan-rusak asks how deep the hole is (required list) and its width (number)."""
    categories = api.get("/v1/regions/trenggalek/categories").json_body["categories"]
    table = [{"code": c["code"], "name_id": c["name"]["id"], "name_en": c["name"]["en"], "agency": c["agency"],
              "team": c["team"], "emergency": c["emergency"]} for c in categories]
    for category in table:
        if category["code"] == "jalan-rusak":
            category["questions"] = [
                {"code": "kedalaman", "datatype": "singlevaluelist", "required": True,
                 "description_id": "Seberapa dalam lubangnya?", "description_en": "How deep is the hole?",
                 "values": [{"key": "dangkal", "name_id": "Dangkal", "name_en": "Shallow"},
                            {"key": "dalam", "name_id": "Dalam", "name_en": "Deep"}]},
                {"code": "lebar", "datatype": "number", "description_id": "Lebar (m)", "description_en": "Width (m)"},
            ]
    reply = api.client.http.put("/v1/regions/trenggalek/categories", body=json.dumps({"categories": table}),
                                headers={"Content-Type": "application/json",
                                         "Authorization": f"Bearer {api.tokens['region_admin']}"})
    assert reply.status_code == 200, reply.json_body


def verified_report(api, pipeline, **overrides):
    report_id = api.post("/v1/regions/trenggalek/reports", new_report(**overrides)).json_body["id"]
    pipeline.run()
    moved = api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier")
    assert moved.status_code == 200, moved.json_body
    return report_id


def fms_form(api_key, **fields):
    """The fields FixMyStreet's Open311.pm posts (urlencoded), jurisdiction and key included."""
    form = {"jurisdiction_id": "trenggalek", "api_key": api_key, "service_code": "sampah",
            "description": "Tumpukan sampah di pinggir jalan\n\nhttps://fms.example/report/1", "lat": "-8.1",
            "long": "111.7", "email": "warga@example.com", "first_name": "Siti", "last_name": "Rahayu",
            "phone": "+6281234567890"}
    form.update(fields)
    return {k: v for k, v in form.items() if v is not None}


def post_form(client, form, fmt="xml", query="", **headers):
    body = urlencode(form, doseq=True).encode("utf-8", "surrogatepass") if isinstance(form, (dict, list)) else form
    return client.http.post(f"/open311/v2/requests.{fmt}{query}", body=body,
                            headers={"Content-Type": "application/x-www-form-urlencoded", **headers})


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n".encode())
        out.write(value.encode("utf-8") + b"\r\n")
    for name, (filename, content_type, data) in files.items():
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                  f"Content-Type: {content_type}\r\n\r\n".encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# --- the read side, through the client library --------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_library_lists_services_and_reads_a_definition(api, http, fmt):
    ask_questions(api)
    client = library(fmt)
    services = client.get_service_list()
    codes = {s["service_code"]: s for s in services}
    assert "jalan-rusak" in codes and "kebakaran" in codes and len(codes) == 25
    road = codes["jalan-rusak"]
    assert road["service_name"] == "Jalan rusak" and road["group"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert str(road["metadata"]).lower() == "true" and str(codes["sampah"]["metadata"]).lower() == "false"
    check(parse(http.get(f"{ROOT}/services.{fmt}", params={"jurisdiction_id": "trenggalek"}), fmt), "services", fmt)

    definition = client.get_service_definition("jalan-rusak")
    assert definition["service_code"] == "jalan-rusak"
    response = http.get(f"{ROOT}/services/jalan-rusak.{fmt}", params={"jurisdiction_id": "trenggalek"},
                        headers={"Accept-Language": "en"})
    body = check(parse(response, fmt), "service_definition", fmt)
    depth, width = body["attributes"]
    assert (depth["code"], depth["datatype"], str(depth["required"]).lower(), str(depth["order"])) == \
        ("kedalaman", "singlevaluelist", "true", "1")
    assert depth["description"] == "How deep is the hole?"
    assert [(v["key"], v["name"]) for v in depth["values"]] == [("dangkal", "Shallow"), ("dalam", "Deep")]
    assert (width["code"], width["datatype"], str(width["required"]).lower()) == ("lebar", "number", "false")
    discovery = check(parse(http.get(f"{ROOT}/discovery.{fmt}"), fmt), "discovery", fmt)
    assert discovery["endpoints"][0]["url"] == ROOT


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_library_lists_requests_with_filters_and_reads_one_back(api, http, pipeline, fmt):
    from support.images import request_upload, upload

    road = verified_report(api, pipeline, category="jalan-rusak", address="Jl. Soekarno-Hatta 12")
    photo_id = request_upload(api, road).json_body["photo_id"]
    upload(road, photo_id, jpeg_with_gps())
    pipeline.run()
    garbage = verified_report(api, pipeline, category="sampah", anonymous=True, address="Rumah saya, RT 3")
    waiting = api.post("/v1/regions/trenggalek/reports", new_report(category="sampah")).json_body["id"]
    api.post(f"/v1/reports/{garbage}/transitions", {"to": "in_process"}, as_="officer")
    client = library(fmt)

    listed = client.get_service_requests()
    listed = listed if isinstance(listed, list) else [listed]
    ids = [r["service_request_id"] for r in listed]
    assert sorted(ids) == sorted([road, garbage]) and waiting not in ids  # as the public map: verified only
    document = check(parse(http.get(f"{ROOT}/requests.{fmt}", params={"jurisdiction_id": "trenggalek"}), fmt),
                     "requests", fmt)
    for item in document:
        assert item.get("description") in (None, "")  # as the map: no description in a list
        assert not ({"email", "phone", "first_name", "reporter"} & set(item))
    anonymous = next(i for i in document if i["service_request_id"] == garbage)
    assert anonymous.get("address") in (None, "")

    only_roads = client.get_service_requests(service_code="jalan-rusak")
    only_roads = only_roads if isinstance(only_roads, list) else [only_roads]
    assert [r["service_request_id"] for r in only_roads] == [road]
    by_ids = http.get(f"{ROOT}/requests.{fmt}", params={"jurisdiction_id": "trenggalek",
                                                        "service_request_id": f"{waiting},{road}"})
    assert [i["service_request_id"] for i in check(parse(by_ids, fmt), "requests", fmt)] == [waiting, road]
    future = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    later = http.get(f"{ROOT}/requests.{fmt}", params={"jurisdiction_id": "trenggalek", "start_date": future})
    assert check(parse(later, fmt), "requests", fmt) == []
    closed = http.get(f"{ROOT}/requests.{fmt}", params={"jurisdiction_id": "trenggalek", "status": "closed"})
    assert check(parse(closed, fmt), "requests", fmt) == []

    one = client.get_service_request(road)
    assert one["service_request_id"] == road and one["status"] == "open"
    response = http.get(f"{ROOT}/requests/{road}.{fmt}", params={"jurisdiction_id": "trenggalek"},
                        headers={"Accept-Language": "en"})
    item = check(parse(response, fmt), "requests", fmt)[0]
    assert item["description"] == new_report()["description"] and item["address"] == "Jl. Soekarno-Hatta 12"
    assert item["agency_responsible"] == "Public Works and Spatial Planning Agency"
    assert item["service_name"] == "Damaged road" and item["status_notes"]
    assert item["requested_datetime"].endswith("+07:00") and item["expected_datetime"].endswith("+07:00")
    assert float(item["lat"]) == -8.1 and float(item["long"]) == 111.7
    assert item["media_url"] == f"http://aduan.test/v1/reports/{road}/photos/{photo_id}"
    redirect = api.get(f"/v1/reports/{road}/photos/{photo_id}")
    assert redirect.status_code == 302 and photo_id in redirect.headers["Location"]
    assert api.get(f"/v1/reports/{waiting}/photos/{photo_id}").status_code == 404
    waiting_item = check(parse(http.get(f"{ROOT}/requests/{waiting}.{fmt}",
                                        params={"jurisdiction_id": "trenggalek"}), fmt), "requests", fmt)[0]
    assert waiting_item["status"] == "open" and waiting_item.get("media_url") in (None, "")
    token = http.get(f"{ROOT}/tokens/{road}.{fmt}", params={"jurisdiction_id": "trenggalek"})
    assert check(parse(token, fmt), "token", fmt)[0]["service_request_id"] == road


def test_status_is_open_or_closed_and_a_confidential_report_is_never_shown(api, http, pipeline):
    from chalicelib.store.models import ReportModel

    rejected = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    pipeline.run()
    api.post(f"/v1/reports/{rejected}/transitions", {"to": "rejected", "reason": "spam"}, as_="verifier")
    secret = verified_report(api, pipeline)
    ReportModel(secret).update(actions=[ReportModel.confidential.set(True)])
    item = library("json").get_service_request(rejected)
    assert item["status"] == "closed"
    assert [r["service_request_id"] for r in library("json").get_service_requests()] == []
    hidden = http.get(f"{ROOT}/requests/{secret}.json", params={"jurisdiction_id": "trenggalek"})
    spec_error(hidden, 404)
    by_id = http.get(f"{ROOT}/requests.xml", params={"jurisdiction_id": "trenggalek", "service_request_id": secret})
    assert check(parse(by_id, "xml"), "requests", "xml") == []


# --- the write side: spec-form POSTs ----------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_fixmystreet_post_creates_a_report_on_the_open311_channel(api, client, pipeline, fmt):
    from chalicelib.store.models import ReportModel

    ask_questions(api)
    key, partner_id = open311_key(api)
    form = fms_form(key, service_code="jalan-rusak", **{"attribute[kedalaman]": "dalam", "attribute[lebar]": "2.5",
                                                      "attribute[fms_extra_title]": "Lubang"},
                    media_url="https://fms.example/photo/1.full.jpeg")
    reply = post_form(client, form, fmt)
    assert reply.status_code == 201, reply.body
    created = check(parse(reply, fmt), "created", fmt)
    report_id = created[0]["service_request_id"]
    stored = ReportModel.get(report_id)
    assert (stored.region_id, stored.category, stored.channel, stored.partner_id) == \
        ("trenggalek", "jalan-rusak", "open311", partner_id)
    assert dict(stored.attributes.as_dict() if hasattr(stored.attributes, "as_dict") else stored.attributes) == \
        {"kedalaman": "dalam", "lebar": "2.5"}
    assert stored.media_url == "https://fms.example/photo/1.full.jpeg"
    pipeline.run()
    public = client.http.get(f"/open311/v2/requests/{report_id}.json?jurisdiction_id=trenggalek")
    item = check(parse(public, "json"), "requests", "json")[0]
    assert item["status"] == "open" and "Siti" not in public.body.decode() and "warga@" not in public.body.decode()


def test_a_multipart_post_with_a_photo_reaches_the_handler_as_bytes(api, client, pipeline):
    from chalicelib.store.models import ReportModel

    key, _ = open311_key(api)
    photo = jpeg_with_gps()
    body, content_type = multipart(fms_form(key), {"media": ("lubang.jpg", "image/jpeg", photo)})
    reply = client.http.post("/open311/v2/requests.json", body=body, headers={"Content-Type": content_type})
    assert reply.status_code == 201, reply.body
    report_id = check(parse(reply, "json"), "created", "json")[0]["service_request_id"]
    pipeline.run()
    stored = ReportModel.get(report_id)
    assert len(stored.photos) == 1 and stored.photos[0]["content_type"] == "image/jpeg"


def test_the_api_key_may_come_in_the_query(api, client):
    key, _ = open311_key(api)
    form = fms_form(None)
    reply = post_form(client, form, "json", query=f"?api_key={key}")
    assert reply.status_code == 201


# --- hostile requests: the spec's errors, nothing stored ------------------------------------------

def stored():
    return count_items("reports")


@pytest.mark.parametrize("case, status", [
    ("no key", 403), ("bad key", 403), ("revoked key", 403), ("another channel's key", 403),
    ("unknown service", 404), ("non-ascii service", 404), ("no service", 400), ("no description", 400),
    ("description over 4000", 400), ("lone surrogate", 400), ("bad lat", 400), ("lat out of range", 400),
    ("lat without long", 400), ("no location", 400), ("unknown desa", 400), ("required attribute missing", 400),
    ("unlisted attribute value", 400), ("number attribute not a number", 400), ("not utf-8", 400),
    ("no jurisdiction", 400), ("unknown jurisdiction", 404), ("unknown format", 404), ("media over 4 MB", 413),
    ("media_url not https", 400), ("address over 300", 400),
])
def test_hostile_posts_get_the_spec_error_and_store_nothing(api, client, case, status):
    ask_questions(api)
    key, partner_id = open311_key(api)
    fmt = "xml" if len(case) % 2 else "json"
    before = stored()
    form = fms_form(key)
    path_format = fmt
    body = None
    content_type = "application/x-www-form-urlencoded"
    if case == "no key":
        form.pop("api_key")
    elif case == "bad key":
        form["api_key"] = key[:-2] + "xx"
    elif case == "revoked key":
        api.post(f"{PARTNERS}/{partner_id}/revoke", as_="region_admin")
    elif case == "another channel's key":
        form["api_key"] = open311_key(api, channel="lapor")[0]
    elif case == "unknown service":
        form["service_code"] = "tidak-ada"
    elif case == "non-ascii service":
        form["service_code"] = "\u00e9" * 3
    elif case == "no service":
        form.pop("service_code")
    elif case == "no description":
        form["description"] = "   "
    elif case == "description over 4000":
        form["description"] = "a" * 4001
    elif case == "lone surrogate":  # a lone surrogate percent-encoded as CESU-8: not UTF-8
        body = urlencode({**form, "description": "rusak LONE parah"}).encode().replace(b"LONE", b"%ED%A0%80")
    elif case == "bad lat":
        form["lat"] = "NaN-ish"
    elif case == "lat out of range":
        form["lat"] = "-91"
    elif case == "lat without long":
        form.pop("long")
    elif case == "no location":
        form.pop("lat"), form.pop("long")
    elif case == "unknown desa":
        form.pop("lat"), form.pop("long")
        form["address_id"] = "#NOTPINPOINTED#"
    elif case.endswith("attribute missing"):
        form["service_code"] = "jalan-rusak"
    elif case == "unlisted attribute value":
        form.update({"service_code": "jalan-rusak", "attribute[kedalaman]": "sangat-dalam"})
    elif case == "number attribute not a number":
        form.update({"service_code": "jalan-rusak", "attribute[kedalaman]": "dalam", "attribute[lebar]": "1e400"})
    elif case == "not utf-8":
        body = b"service_code=sampah&description=\xff\xfe&jurisdiction_id=trenggalek&api_key=" + key.encode()
    elif case == "no jurisdiction":
        form.pop("jurisdiction_id")
    elif case == "unknown jurisdiction":
        form["jurisdiction_id"] = "atlantis"
    elif case == "unknown format":
        path_format, fmt = "html", "xml"  # an unknown format is answered in the spec's XML
    elif case == "media over 4 MB":
        body, content_type = multipart(form, {"media": ("big.jpg", "image/jpeg", b"\xff\xd8" + b"0" * (4 * 2**20))})
    elif case == "media_url not https":
        form["media_url"] = "javascript:alert(1)"
    elif case == "address over 300":  # a report's address limit, named by the spec's field
        form.pop("lat"), form.pop("long")
        form["address_string"] = "Jl. " + "a" * 297
    payload = body if body is not None else urlencode(form).encode("utf-8", "surrogatepass")
    reply = client.http.post(f"/open311/v2/requests.{path_format}", body=payload,
                             headers={"Content-Type": content_type, "Accept-Language": "en"})
    description = spec_error(reply, status, fmt)
    assert "\ud800" not in description
    if case == "address over 300":
        assert "address_string" in description and "300" in description, description
    assert stored() == before, case


@pytest.mark.parametrize("path, status", [
    ("/open311/v2/services.json", 400),                                     # no jurisdiction_id
    ("/open311/v2/services.json?jurisdiction_id=atlantis", 404),
    ("/open311/v2/services.html?jurisdiction_id=trenggalek", 404),
    ("/open311/v2/services?jurisdiction_id=trenggalek", 404),
    ("/open311/v2/nothing.json?jurisdiction_id=trenggalek", 404),
    ("/open311/v2/services/tidak-ada.json?jurisdiction_id=trenggalek", 404),
    ("/open311/v2/requests/0123456789abcdef0123456789abcdef.json?jurisdiction_id=trenggalek", 404),
    ("/open311/v2/requests/%27%20OR%201%3D1.json?jurisdiction_id=trenggalek", 404),
    ("/open311/v2/tokens/nope.json?jurisdiction_id=trenggalek", 404),
    ("/open311/v2/requests.json?jurisdiction_id=trenggalek&start_date=2026-01-01T00:00:00Z"
     "&end_date=2026-06-01T00:00:00Z", 400),                                # more than 90 days
    ("/open311/v2/requests.json?jurisdiction_id=trenggalek&start_date=yesterday", 400),
    ("/open311/v2/requests.json?jurisdiction_id=trenggalek&status=pending", 400),
    ("/open311/v2/requests.json?jurisdiction_id=trenggalek&service_request_id=" + ",".join(["a" * 32] * 101), 400),
])
def test_hostile_reads_get_the_spec_error(api, client, path, status):
    fmt = "json" if ".json" in path else "xml"
    spec_error(client.http.get(path), status, fmt)


def test_error_descriptions_follow_accept_language(client):
    path = "/open311/v2/services/tidak-ada.xml?jurisdiction_id=trenggalek"
    english = spec_error(client.http.get(path, headers={"Accept-Language": "en"}), 404, "xml")
    indonesian = spec_error(client.http.get(path), 404, "xml")
    assert "not known" in english and "tidak dikenal" in indonesian


def test_xml_carries_no_character_xml_cannot_hold(api, client, pipeline):
    """Control characters a reporter typed are dropped from the XML (still well-formed)."""
    report_id = verified_report(api, pipeline, description="Lubang\x01\x0b di jalan <b>&amp;")
    reply = client.http.get(f"/open311/v2/requests/{report_id}.xml?jurisdiction_id=trenggalek")
    item = check(parse(reply, "xml"), "requests", "xml")[0]
    assert item["description"] == "Lubang di jalan <b>&amp;"


def test_questions_are_bounded_and_kept_when_the_console_leaves_them_out(api):
    from chalicelib.services import regions

    ask_questions(api)
    categories = api.get("/v1/regions/trenggalek/categories").json_body["categories"]
    table = [{"code": c["code"], "name_id": c["name"]["id"], "name_en": c["name"]["en"], "agency": c["agency"],
              "team": c["team"]} for c in categories]
    reply = api.client.http.put("/v1/regions/trenggalek/categories", body=json.dumps({"categories": table}),
                                headers={"Content-Type": "application/json",
                                         "Authorization": f"Bearer {api.tokens['region_admin']}"})
    assert reply.status_code == 200
    regions.clear_caches()
    assert [q.code for q in regions.get_region("trenggalek").categories["jalan-rusak"].questions] == \
        ["kedalaman", "lebar"]
    table[0]["questions"] = [{"code": "x", "datatype": "string", "description_id": "x", "description_en": "x",
                              "values": [{"key": "a", "name_id": "a", "name_en": "a"}]}]
    reply = api.client.http.put("/v1/regions/trenggalek/categories", body=json.dumps({"categories": table}),
                                headers={"Content-Type": "application/json",
                                         "Authorization": f"Bearer {api.tokens['region_admin']}"})
    assert reply.status_code == 400 and reply.json_body["error"]["code"] == "invalid_question"


@pytest.mark.parametrize("content_type", ["text/xml", "application/xml", "image/png", "multipart/form-data"])
def test_a_read_with_any_content_type_is_answered_as_a_read(api, client, content_type):
    """A GET carries no body; clients that still send a Content-Type (XML
    clients send text/xml) get the document, not a 415."""
    reply = client.http.get("/open311/v2/services.xml?jurisdiction_id=trenggalek",
                            headers={"Content-Type": content_type})
    assert reply.status_code == 200, reply.body[:300]
    assert reply.headers["Content-Type"].startswith("text/xml") or reply.headers["Content-Type"].startswith(
        "application/xml")


def test_the_post_form_is_the_documented_request_body():
    from chalicelib.api.openapi import document

    doc = document()
    body = doc["paths"]["/open311/v2/{resource}"]["post"]["requestBody"]
    assert set(body["content"]) == {"application/x-www-form-urlencoded", "multipart/form-data"}
    form = doc["components"]["schemas"]["RequestForm"]
    assert {"service_code", "description"} <= set(form["required"])
    assert form["properties"]["address_string"]["anyOf"][0]["maxLength"] == 300
    assert "media" in form["properties"]
