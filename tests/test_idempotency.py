"""One idempotency rule for the four requests that create something: the
same Idempotency-Key with the same body is answered again and applied once;
with another body it is 422 idempotency_key_reused and nothing changes."""
import pytest

from support.projects import day, register


@pytest.fixture
def project(api):
    return register(api)["id"]


def post(api, path, body, as_, key):
    return api.post(path, body, as_=as_, headers={"Idempotency-Key": key})


@pytest.mark.parametrize("path,as_,first,other", [
    ("progress", "region_admin", {"percent": 12, "date": day(0), "correction_reason": "Opname"},
     {"percent": 13, "date": day(0), "correction_reason": "Opname"}),
    ("disbursements", "finance", {"amount": 1_000_000, "date": day(0), "reference": "SP2D 1"},
     {"amount": 2_000_000, "date": day(0), "reference": "SP2D 1"}),
])
def test_a_replay_is_applied_once_and_another_body_under_the_same_key_is_refused(api, project, path, as_, first,
                                                                                 other):
    url = f"/v1/projects/{project}/{path}"
    made = post(api, url, first, as_, "key-1")
    assert made.status_code == 201, made.json_body
    again = post(api, url, first, as_, "key-1")
    assert again.status_code == 201 and again.json_body == made.json_body
    refused = post(api, url, other, as_, "key-1")
    assert refused.status_code == 422 and refused.json_body["error"]["code"] == "idempotency_key_reused"
    now = api.get(f"/v1/projects/{project}").json_body
    assert now["version"] == made.json_body["version"]
    assert (now["disbursed"], now["physical_progress"]) == (made.json_body["disbursed"],
                                                           made.json_body["physical_progress"])


def test_a_key_used_long_ago_is_still_recognised(api, project):
    url = f"/v1/projects/{project}/progress"
    body = {"percent": 10, "date": day(0), "correction_reason": "Opname pertama"}
    assert post(api, url, body, "region_admin", "old-key").status_code == 201
    for n in range(25):  # the first entry leaves the project item's recent ones
        assert api.post(url, {"percent": 11 + n, "date": day(0), "correction_reason": f"Opname {n}"},
                        as_="region_admin").status_code == 201
    before = api.get(f"/v1/projects/{project}").json_body
    assert before["progress_earlier"] > 0
    again = post(api, url, body, "region_admin", "old-key")
    assert again.status_code == 201 and again.json_body["physical_progress"] == before["physical_progress"]
    other = post(api, url, {**body, "percent": 90}, "region_admin", "old-key")
    assert other.status_code == 422 and other.json_body["error"]["code"] == "idempotency_key_reused"
    assert api.get(f"/v1/projects/{project}").json_body["version"] == before["version"]
