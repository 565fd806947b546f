"""What the console's editors of the categories page rely on: the categories
reply carries each category's questions in the shape PUT takes them back
(so the page can show and save them whole), and a refused responder or
question names the row it is in (``params.field``), in the caller's
language."""
from __future__ import annotations

import json

CATEGORIES = "/v1/regions/trenggalek/categories"


def _send(api, method, path, body, lang="id"):
    return api.client.http.request(method, path, body=json.dumps(body).encode(), headers={
        "Content-Type": "application/json", "Accept-Language": lang,
        "Authorization": f"Bearer {api.tokens['region_admin']}"})


def _table(api):
    """The active categories as PUT takes them, questions included."""
    return [{"code": c["code"], "name_id": c["name"]["id"], "name_en": c["name"]["en"], "agency": c["agency"],
             "team": c["team"], "emergency": c["emergency"], "questions": c.get("questions", [])}
            for c in api.get(CATEGORIES).json_body["categories"]]


QUESTION = {"code": "kedalaman", "datatype": "singlevaluelist", "required": True,
            "description_id": "Seberapa dalam lubangnya?", "description_en": "How deep is the hole?",
            "values": [{"key": "dangkal", "name_id": "Dangkal", "name_en": "Shallow"},
                       {"key": "dalam", "name_id": "Dalam", "name_en": "Deep"}]}


def test_the_categories_reply_carries_the_questions_as_put_takes_them(api):
    before = api.get(CATEGORIES).json_body["categories"]
    assert all("questions" not in c for c in before)  # none yet: left out
    table = _table(api)
    road = next(c for c in table if c["code"] == "jalan-rusak")
    road["questions"] = [QUESTION, {"code": "lebar", "datatype": "number", "required": False,
                                    "description_id": "Lebar (m)", "description_en": "Width (m)", "values": []}]
    assert _send(api, "PUT", CATEGORIES, {"categories": table}).status_code == 200
    shown = {c["code"]: c for c in api.get(CATEGORIES).json_body["categories"]}
    assert shown["jalan-rusak"]["questions"] == road["questions"]
    assert "questions" not in shown["sampah"]
    # sent back as read, nothing changes; an empty list removes them
    again = _table(api)
    assert _send(api, "PUT", CATEGORIES, {"categories": again}).status_code == 200
    assert {c["code"]: c for c in api.get(CATEGORIES).json_body["categories"]}["jalan-rusak"]["questions"] == \
        road["questions"]
    for c in again:
        c["questions"] = []
    assert _send(api, "PUT", CATEGORIES, {"categories": again}).status_code == 200
    assert all("questions" not in c for c in api.get(CATEGORIES).json_body["categories"])


def test_a_refused_question_or_responder_names_its_row_in_the_callers_language(api):
    table = _table(api)
    index = next(i for i, c in enumerate(table) if c["code"] == "jalan-rusak")
    table[index]["questions"] = [{**QUESTION, "description_en": "x" * 161}]
    refused = _send(api, "PUT", CATEGORIES, {"categories": table}, lang="en")
    assert refused.status_code == 400
    error = refused.json_body["error"]
    assert (error["code"], error["params"]["field"]) == ("too_long", f"categories[{index}].questions[0].description_en")
    # a list question without its values: named by category and question
    table[index]["questions"] = [{**QUESTION, "values": []}]
    refused = _send(api, "PUT", CATEGORIES, {"categories": table})
    assert refused.status_code == 400 and refused.json_body["error"]["code"] == "invalid_question"
    assert refused.json_body["error"]["params"]["category"] == "jalan-rusak"
    assert "Pertanyaan 'kedalaman' kategori 'jalan-rusak'" in refused.json_body["error"]["message"]

    agencies = [{"code": a["code"], "name_id": a["name"]["id"], "name_en": a["name"]["en"]}
                for a in api.get("/v1/regions/trenggalek", as_="region_admin").json_body["agencies"]]
    at = next(i for i, a in enumerate(agencies) if a["code"] == "bpbd")
    agencies[at]["responder"] = {"kind": "sns", "topic_arn": "arn:aws:sns:ap-southeast-3:123456789012:other"}
    refused = _send(api, "PATCH", "/v1/regions/trenggalek", {"agencies": agencies})
    assert refused.status_code == 400
    error = refused.json_body["error"]
    assert (error["code"], error["params"]["field"]) == ("invalid_pattern", f"agencies[{at}].responder.topic_arn")
    assert error["message"].startswith("Format kolom")
    agencies[at]["responder"] = {"kind": "sms", "to": "+6281234567890"}
    assert _send(api, "PATCH", "/v1/regions/trenggalek", {"agencies": agencies}).status_code == 200
    shown = api.get("/v1/regions/trenggalek", as_="region_admin").json_body["agencies"]
    assert shown[at]["responder"] == {"kind": "sms", "to": "+6281234567890"}
