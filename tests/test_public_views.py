"""What the public, other citizens and staff see of a report's photos and of
the officer handling it: photos are public only once a verifier has seen
the report and did not hide them; citizens see the agency, not the person."""
import pytest

from support.data import new_report
from support.images import jpeg_with_gps, request_upload, upload

PUBLIC = (None, "citizen2")  # anonymous, another citizen


def report_with_photo(api, pipeline):
    report_id = api.post("/v1/regions/trenggalek/reports", new_report(category="jalan-rusak")).json_body["id"]
    photo_id = request_upload(api, report_id).json_body["photo_id"]
    upload(report_id, photo_id, jpeg_with_gps())
    pipeline.run()
    return report_id, photo_id


def photos(api, report_id, as_):
    return api.get(f"/v1/reports/{report_id}", as_=as_).json_body["photos"]


def test_photos_are_public_only_once_verified(api, pipeline):
    report_id, photo_id = report_with_photo(api, pipeline)
    for as_ in PUBLIC:
        assert photos(api, report_id, as_) == [], as_
    assert [(p["id"], p["public"]) for p in photos(api, report_id, "citizen")] == [(photo_id, False)]
    assert [(p["id"], p["public"]) for p in photos(api, report_id, "verifier")] == [(photo_id, False)]
    assert api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    for as_ in PUBLIC:
        assert [p["id"] for p in photos(api, report_id, as_)] == [photo_id], as_
        assert "public" not in photos(api, report_id, as_)[0]


def test_a_rejected_reports_photos_never_become_public(api, pipeline):
    report_id, _ = report_with_photo(api, pipeline)
    moved = api.post(f"/v1/reports/{report_id}/transitions", {"to": "rejected", "reason": "spam"}, as_="verifier")
    assert moved.status_code == 200
    for as_ in PUBLIC:
        assert photos(api, report_id, as_) == []


def test_a_verifier_hides_a_photo_from_the_public_and_shows_it_again(api, pipeline):
    report_id, photo_id = report_with_photo(api, pipeline)
    api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier")
    hidden = api.post(f"/v1/reports/{report_id}/photos/{photo_id}/hide", as_="verifier")
    assert hidden.status_code == 200 and hidden.json_body["photos"][0]["public"] is False
    for as_ in PUBLIC:
        assert photos(api, report_id, as_) == []
    # staff of the region and the reporter still see it
    for as_ in ("verifier", "officer", "citizen"):
        assert [p["id"] for p in photos(api, report_id, as_)] == [photo_id], as_
    shown = api.post(f"/v1/reports/{report_id}/photos/{photo_id}/show", as_="region_admin")
    assert shown.status_code == 200 and shown.json_body["photos"][0]["public"] is True
    assert [p["id"] for p in photos(api, report_id, None)] == [photo_id]


@pytest.mark.parametrize("as_,status,code", [
    ("officer", 403, "forbidden"), ("agency_head", 403, "forbidden"), ("citizen", 403, "forbidden"),
    (None, 401, "unauthorized"),
])
def test_only_the_verification_desk_hides_photos(api, pipeline, as_, status, code):
    report_id, photo_id = report_with_photo(api, pipeline)
    before = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body["version"]
    response = api.post(f"/v1/reports/{report_id}/photos/{photo_id}/hide", as_=as_)
    assert response.status_code == status, response.json_body
    assert response.json_body["error"]["code"] == code
    assert api.get(f"/v1/reports/{report_id}", as_="verifier").json_body["version"] == before


def test_hiding_an_unknown_photo_or_another_regions_report_is_not_found(api, pipeline):
    report_id, photo_id = report_with_photo(api, pipeline)
    for path in (f"/v1/reports/{report_id}/photos/{'0' * 32}/hide", f"/v1/reports/{report_id}/photos/x/hide",
                 f"/v1/reports/{'f' * 32}/photos/{photo_id}/hide"):
        response = api.post(path, as_="verifier")
        assert response.status_code == 404, path
        assert response.json_body["error"]["code"] in ("photo_not_found", "report_not_found")


def test_citizens_see_the_agency_never_the_officer(api, pipeline):
    report_id, _ = report_with_photo(api, pipeline)
    api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier")
    pipeline.run()
    taken = api.post(f"/v1/reports/{report_id}/transitions", {"to": "in_process"}, as_="officer")
    assert taken.json_body["assignee_name"] == "Petugas PUPR Demo"  # staff see who
    [mine] = [i for i in api.get("/v1/me/reports", as_="citizen").json_body["items"] if i["id"] == report_id]
    assert mine["agency"] == "dpupr" and "assignee_name" not in mine
    for as_ in ("citizen",) + PUBLIC:
        body = api.get(f"/v1/reports/{report_id}", as_=as_).json_body
        assert "Petugas PUPR Demo" not in str(body) and "assignee_name" not in body, as_
    inbox = api.get("/v1/me/inbox?assigned=me", as_="officer").json_body["items"]
    assert inbox[0]["assignee_name"] == "Petugas PUPR Demo"
