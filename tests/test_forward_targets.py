"""What the verification desk may forward a report to (*bukan wewenang*):
the region's active partners with a webhook, id, name and channel only;
for the desk of the region alone."""
import json

PARTNERS = "/v1/regions/trenggalek/partners"
TARGETS = "/v1/regions/trenggalek/forward-targets"
HOOK = "https://lapor.example.go.id/hooks/aduan"


def create(api, name, channel="lapor", **body):
    reply = api.post(PARTNERS, {"name": name, "channel": channel, **body}, as_="region_admin")
    assert reply.status_code == 201, reply.json_body
    return reply.json_body


def test_the_desk_sees_active_partners_with_a_webhook_and_nothing_secret(api):
    lapor = create(api, "LAPOR! SP4N", webhook_url=HOOK, rate_per_minute=77)
    bpbd = create(api, "BPBD Jatim", channel="bpbd", webhook_url="https://bpbd.example.go.id/hook")
    revoked = create(api, "LAPOR! lama", webhook_url=HOOK)
    assert api.post(f"{PARTNERS}/{revoked['id']}/revoke", as_="region_admin").status_code == 200
    silent = create(api, "Call centre 112", channel="call_centre")  # no webhook: could not receive a report
    for who in ("verifier", "region_admin", "platform_admin"):
        reply = api.get(TARGETS, as_=who)
        assert reply.status_code == 200, (who, reply.json_body)
        assert reply.json_body == {"items": [
            {"id": bpbd["id"], "name": "BPBD Jatim", "channel": "bpbd"},
            {"id": lapor["id"], "name": "LAPOR! SP4N", "channel": "lapor"},
        ]}, who
    text = json.dumps(reply.json_body)
    assert revoked["id"] not in text and silent["id"] not in text
    for made in (lapor, bpbd):
        for secret in (made["api_key"], made["api_key"].rsplit("_", 1)[-1], made["webhook_secret"],
                       made["webhook_url"], made["key_hint"]):
            assert secret not in text
    assert "key_hint" not in text and "webhook" not in text and "rate_per_minute" not in text


def test_a_region_without_partners_has_no_targets(api):
    assert api.get(TARGETS, as_="verifier").json_body == {"items": []}


def test_only_the_desk_of_the_region_may_list_them(api):
    from chalicelib.store import regions as region_store
    from devstack import demo_region

    create(api, "LAPOR! SP4N", webhook_url=HOOK)
    assert api.get(TARGETS).status_code == 401
    assert api.get(TARGETS, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    for who in ("citizen", "officer", "agency_head", "contractor", "finance"):
        reply = api.get(TARGETS, as_=who)
        assert reply.status_code == 403, (who, reply.json_body)
        assert set(reply.json_body["error"]) >= {"code", "message"} and "LAPOR" not in json.dumps(reply.json_body)
    region_store.put(demo_region.region_record("kupang", "53.71"))
    reply = api.get("/v1/regions/kupang/forward-targets", as_="verifier")
    assert reply.status_code == 403 and reply.json_body["error"]["code"] == "other_region"
    english = api.get("/v1/regions/kupang/forward-targets", as_="verifier", headers={"Accept-Language": "en"})
    assert english.json_body["error"]["message"] == "Your account belongs to another region."
    assert api.get("/v1/regions/nowhere/forward-targets", as_="verifier").status_code == 404
    assert api.get("/v1/regions/" + "%2e%2e%2f" * 20 + "/forward-targets", as_="verifier").status_code in (400, 404)


def test_the_targets_are_in_the_generated_document(api):
    document = api.get("/openapi.json").json_body
    operation = document["paths"]["/v1/regions/{region_id}/forward-targets"]["get"]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
    assert set(document["components"]["schemas"]["ForwardTarget"]["properties"]) == {"id", "name", "channel"}
