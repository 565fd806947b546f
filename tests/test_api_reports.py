"""The report endpoints through Chalice's test client, on moto."""
import json

import pytest

from support.data import INSIDE, OUTSIDE, count_items, new_report, queue_messages


def create(api, body=None, **headers):
    return api.post("/v1/regions/trenggalek/reports", body if body is not None else new_report(), headers=headers)


def test_health(api):
    response = api.get("/health")
    assert response.status_code == 200
    assert response.json_body == {"status": "ok"}


def test_create_report_stores_it_waiting_and_enqueues_routing(api, aws):
    response = create(api)
    assert response.status_code == 201
    report = response.json_body
    assert report["status"] == "waiting"
    assert report["status_label"] == {"id": "Menunggu", "en": "Waiting"}
    assert len(report["id"]) == 32
    assert response.headers["Location"] == f"/v1/reports/{report['id']}"
    assert report["routed"] is False
    assert [h["status"] for h in report["history"]] == ["waiting"]
    assert report["history"][0]["at"].endswith("+07:00")  # Trenggalek is WIB
    messages = queue_messages(aws["routing"])
    assert [json.loads(m["Body"]) for m in messages] == [{"report_id": report["id"]}]
    assert count_items("reports") == 1


def test_get_report_has_the_named_fields_and_hides_contact(api):
    body = new_report(address="Jl. Soekarno-Hatta")
    created = create(api, body).json_body
    response = api.get(f"/v1/reports/{created['id']}")
    assert response.status_code == 200
    report = response.json_body
    for name in ("id", "region_id", "status", "category", "agency", "kelurahan", "kecamatan", "photos", "history"):
        assert name in report
    assert report["region_id"] == "trenggalek"
    assert report["category_name"] == {"id": "Jalan rusak", "en": "Damaged road"}
    assert report["address"] == "Jl. Soekarno-Hatta"
    text = json.dumps(report)
    assert "6281200000001" not in text and "Warga Demo" not in text


def test_idempotency_key_returns_the_same_report_once(api, aws):
    first = create(api, **{"Idempotency-Key": "k-123"})
    second = create(api, **{"Idempotency-Key": "k-123"})
    assert first.status_code == second.status_code == 201
    assert first.json_body["id"] == second.json_body["id"]
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert count_items("reports") == 1
    # The retry of an unrouted report re-sends its routing message (the
    # write-then-send gap); routing is idempotent, so two messages are fine.
    bodies = [json.loads(m["Body"]) for m in queue_messages(aws["routing"])]
    assert {b["report_id"] for b in bodies} == {first.json_body["id"]}


def test_idempotency_key_scoped_and_reuse_with_other_body_rejected(api):
    first = create(api, **{"Idempotency-Key": "same-key"})
    other = create(api, new_report(description="Sesuatu yang lain"), **{"Idempotency-Key": "same-key"})
    assert first.status_code == 201
    assert other.status_code == 422
    assert other.json_body["error"]["code"] == "idempotency_key_reused"
    assert count_items("reports") == 1
    without_key = create(api)
    assert without_key.json_body["id"] != first.json_body["id"]


BAD_INPUTS = [
    ("wrong type of lat", new_report(lat="-8.1"), 400, "wrong_type"),
    ("boolean as number", new_report(lon=True), 400, "wrong_type"),
    ("wrong type of description", new_report(description=42), 400, "wrong_type"),
    ("wrong type of anonymous", new_report(anonymous="yes"), 400, "wrong_type"),
    ("missing category", {k: v for k, v in new_report().items() if k != "category"}, 400, "missing_field"),
    ("missing lat", {k: v for k, v in new_report().items() if k != "lat"}, 400, "missing_field"),
    ("missing description", {k: v for k, v in new_report().items() if k != "description"}, 400, "missing_field"),
    ("blank description", new_report(description="   "), 400, "empty_field"),
    ("lat above 90", new_report(lat=90.5), 400, "out_of_range"),
    ("lat below -90", new_report(lat=-91), 400, "out_of_range"),
    ("lon above 180", new_report(lon=180.01), 400, "out_of_range"),
    ("lon below -180", new_report(lon=-200), 400, "out_of_range"),
    ("unknown category", new_report(category="ufo"), 400, "unknown_category"),
    ("unknown kelurahan", new_report(kelurahan_code="99.99.99.9999"), 400, "unknown_kelurahan"),
    ("description too long", new_report(description="x" * 4001), 400, "too_long"),
    ("unknown field", new_report(priority="high"), 400, "unknown_field"),
    ("array body", [new_report()], 400, "body_not_object"),
    ("contact details are the account's", new_report(reporter={"phone": "+6281234567890"}), 400, "unknown_field"),
]


@pytest.mark.parametrize("label,body,status,code", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_a_4xx_and_writes_nothing(api, aws, label, body, status, code):
    response = create(api, body)
    assert response.status_code == status
    error = response.json_body["error"]
    assert error["code"] == code
    assert error["message"]
    assert count_items("reports") == 0
    assert queue_messages(aws["routing"]) == []


def test_description_of_exactly_4000_characters_is_accepted(api):
    assert create(api, new_report(description="y" * 4000)).status_code == 201


def test_body_that_is_not_json(api, aws):
    response = api.post("/v1/regions/trenggalek/reports", raw="category=jalan-rusak&lat=1")
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "invalid_json"
    empty = api.post("/v1/regions/trenggalek/reports", raw="")
    assert empty.status_code == 400
    as_text = api.post("/v1/regions/trenggalek/reports", raw="hello", headers={"Content-Type": "text/plain"})
    assert as_text.status_code == 400 and as_text.json_body["error"]["code"] == "invalid_json"
    assert count_items("reports") == 0


def test_unsupported_media_type_has_our_error_shape(api):
    response = api.post("/v1/regions/trenggalek/reports", new_report(), as_="citizen",
                        headers={"Content-Type": "image/png"})
    assert response.status_code == 415
    assert response.json_body["error"]["code"] == "unsupported_media_type"
    assert count_items("reports") == 0


def test_a_read_ignores_the_content_type_it_does_not_need():
    """A GET has no body: a Content-Type on it (XML clients send text/xml) changes nothing."""
    from chalice.test import Client

    from app import app

    with Client(app) as client:
        plain = client.http.get("/v1/regions/trenggalek/categories")
        odd = client.http.get("/v1/regions/trenggalek/categories", headers={"Content-Type": "image/png"})
    assert odd.status_code == plain.status_code and odd.body == plain.body


def test_categories_are_kept_by_clients_no_longer_than_by_the_api(api):
    """An admin's edit reaches every client within the API's own cache time
    plus the client's: both are ADUAN_CONFIG_TTL's default, 60 s."""
    assert api.get("/v1/regions/trenggalek/categories").headers["Cache-Control"] == "public, max-age=60"


def test_unknown_region(api):
    response = api.post("/v1/regions/atlantis/reports", new_report())
    assert response.status_code == 404
    assert response.json_body["error"]["code"] == "region_not_found"
    assert count_items("reports") == 0
    assert api.get("/v1/regions/atlantis/categories").status_code == 404
    assert api.get("/v1/regions/NOT%20VALID/boundaries").status_code == 404


def test_unknown_report_id(api):
    for report_id in ("0" * 32, "not-an-id", "x" * 300):
        response = api.get(f"/v1/reports/{report_id}")
        assert response.status_code == 404
        assert response.json_body["error"]["code"] == "report_not_found"


def test_messages_in_indonesian_by_default_and_english_on_request(api):
    body = new_report(lat=123)
    default = create(api, body).json_body["error"]["message"]
    english = create(api, body, **{"Accept-Language": "en-US,en;q=0.9"}).json_body["error"]["message"]
    indonesian = create(api, body, **{"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"}).json_body["error"]["message"]
    assert default == indonesian == "Kolom 'lat' harus antara -90 dan 90."
    assert english == "The field 'lat' must be between -90 and 90."


def test_categories_have_code_names_agency_and_team(api):
    response = api.get("/v1/regions/trenggalek/categories")
    assert response.status_code == 200
    categories = {c["code"]: c for c in response.json_body["categories"]}
    assert categories["parkir-liar"]["agency"] == "dishub"
    assert categories["parkir-liar"]["team"] == "blue"
    assert categories["sampah"]["team"] == "yellow"
    assert categories["anak-jalanan"]["team"] == "pink"
    assert categories["banjir"]["agency"] == "bpbd" and categories["banjir"]["team"] == "orange"
    assert categories["fogging"]["team"] == "white"
    for category in categories.values():
        assert set(category["name"]) == {"id", "en"}


def test_boundaries_are_a_feature_collection_of_every_desa(api):
    response = api.get("/v1/regions/trenggalek/boundaries")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/geo+json")
    collection = response.json_body if response.json_body else json.loads(response.body)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 157
    props = collection["features"][0]["properties"]
    assert set(props) >= {"kelurahan_code", "kelurahan", "kecamatan_code", "kecamatan"}
    assert len({f["properties"]["kecamatan_code"] for f in collection["features"]}) == 14


def test_points_outside_the_region_are_accepted_for_later_flagging(api):
    assert create(api, new_report(**OUTSIDE)).status_code == 201
    assert create(api, new_report(**INSIDE)).status_code == 201
