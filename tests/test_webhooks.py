"""Status back to partner systems: every change of a partner's report reaches
its webhook once per event id, signed, in order; retries back off and end in
the dead-letter queue; nothing reaches an address inside; "not our
authority" forwards a report to a partner and closes it here.

A real HTTP receiver (``http.server`` on 127.0.0.1, in a thread) plays the
partner: it records each request and can fail the first N with 500.  Its
plain-http loopback URL is let through only by the local-only setting
(``ADUAN_WEBHOOKS_ALLOW_LOCAL``), as the local stack's own receiver would be."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest

from chalicelib import resources
from chalicelib.domain import webhooks as rules
from support.data import REGION, new_report
from support.images import jpeg_with_gps, upload

PARTNERS = "/v1/regions/trenggalek/partners"


class Receiver:
    """A partner's webhook endpoint: records every request (time, headers,
    raw body); the first ``fail_first`` are answered ``fail_status``."""

    def __init__(self, fail_first: int = 0, fail_status: int = 500) -> None:
        self.requests: list[tuple[float, dict[str, str], bytes]] = []
        self.fail_first, self.fail_status = fail_first, fail_status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append((time.monotonic(), dict(self.headers.items()), body))
                status = receiver.fail_status if len(receiver.requests) <= receiver.fail_first else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/aduan"

    def events(self) -> list[dict]:
        return [json.loads(body) for _, _, body in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(monkeypatch):
    monkeypatch.setenv("ADUAN_WEBHOOKS_ALLOW_LOCAL", "1")
    monkeypatch.setenv("ADUAN_WEBHOOK_BACKOFF_SECONDS", "1")
    made = Receiver()
    yield made
    made.close()


def make_partner(api, url, name="LAPOR! SP4N", channel="lapor"):
    """A partner created through the API (https only), then pointed at the
    test receiver as the local-only setting allows."""
    from chalicelib.store.models import PartnerModel

    made = api.post(PARTNERS, {"name": name, "channel": channel, "webhook_url": "https://lapor.example.go.id/hook"},
                    as_="region_admin")
    assert made.status_code == 201, made.json_body
    item = PartnerModel.get("trenggalek", made.json_body["id"])
    item.update(actions=[PartnerModel.webhook_url.set(url)])
    return made.json_body["id"], made.json_body["webhook_secret"]


def partner_report(api, partner_id, ref="LAPOR-2025-0001"):
    """A report as the partner intake leaves it: the partner and its tracking id."""
    response = api.post("/v1/regions/trenggalek/reports", new_report())
    assert response.status_code == 201, response.json_body
    report_id = response.json_body["id"]
    boto3.client("dynamodb", region_name=REGION).update_item(
        TableName=resources.REPORTS.name, Key={"id": {"S": report_id}},
        UpdateExpression="SET partner_id = :p, partner_ref = :r, channel = :c",
        ExpressionAttributeValues={":p": {"S": partner_id}, ":r": {"S": ref}, ":c": {"S": "lapor"}})
    return report_id


def move(api, report_id, as_, **body):
    response = api.post(f"/v1/reports/{report_id}/transitions", body, as_=as_)
    assert response.status_code == 200, response.json_body
    return response.json_body


def queued(logical):
    sqs = boto3.client("sqs", region_name=REGION)
    decl = next(q for q in resources.QUEUES if logical in (q.logical, f"{q.logical}-dlq"))
    url = sqs.get_queue_url(QueueName=decl.dlq_name if logical.endswith("-dlq") else decl.name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                                                        "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(v) for v in attributes["Attributes"].values())


def run_until(pipeline, done, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pipeline.run()
        if done():
            return
        time.sleep(0.2)
    raise AssertionError("not delivered in time")


def check_signed(receiver, secret):
    for _, headers, body in receiver.requests:
        assert rules.verify_signature(secret, headers["X-Aduan-Signature"], body)  # as the partner does
        assert headers["X-Aduan-Event-Id"] == json.loads(body)["event_id"]
        assert headers["X-Aduan-Signature"].startswith(f"t={headers['X-Aduan-Timestamp']},v1=")


# --- the status of a partner's report ------------------------------------------------

def test_every_change_of_a_partner_report_arrives_once_signed_and_in_order(api, pipeline, receiver):
    partner_id, secret = make_partner(api, receiver.url)
    report_id = partner_report(api, partner_id)
    pipeline.run()  # routed: the routing entry is a change the partner sees (a note)
    move(api, report_id, "verifier", to="verified")
    pipeline.run()
    move(api, report_id, "officer", to="in_process")
    pipeline.run()
    assert api.post(f"/v1/reports/{report_id}/notes", {"note": "Tim sudah di lokasi"}, as_="officer").status_code == 201
    pipeline.run()
    grant = api.post(f"/v1/reports/{report_id}/photos", {"content_type": "image/jpeg", "kind": "evidence"},
                     as_="officer")
    upload(report_id, grant.json_body["photo_id"], jpeg_with_gps())
    pipeline.run()  # a photo is no event
    move(api, report_id, "officer", to="done")
    pipeline.run()

    events = receiver.events()
    assert [(e["type"], e["report"]["status"]) for e in events] == [
        ("report.note_added", "waiting"), ("report.status_changed", "verified"),
        ("report.status_changed", "in_process"), ("report.note_added", "in_process"),
        ("report.status_changed", "done")]
    assert len({e["event_id"] for e in events}) == len(events)
    check_signed(receiver, secret)
    done = events[-1]["report"]
    assert done["id"] == report_id and done["tracking_id"] == "LAPOR-2025-0001" and done["agency"]
    assert done["status_label"] == {"id": "Selesai", "en": "Done"} and done["open311_status"] == "closed"
    assert events[1]["report"]["expected_datetime"] and done["expected_datetime"] is None
    assert events[3]["report"]["note"]["id"]  # the public note of the change, not the staff's comment
    sent = json.dumps(events)
    assert "Tim sudah di lokasi" not in sent  # a staff comment stays with staff
    for private in ("reporter", "assignee", "actor", "phone", "email"):
        assert f'"{private}' not in sent, private
    # a stale timestamp (a replayed request) and a tampered body are refused by the same check
    _, headers, body = receiver.requests[-1]
    stamp = int(headers["X-Aduan-Timestamp"])
    assert not rules.verify_signature(secret, headers["X-Aduan-Signature"], body, now=stamp + 301)
    assert rules.verify_signature(secret, headers["X-Aduan-Signature"], body, now=stamp + 299)
    assert not rules.verify_signature(secret, headers["X-Aduan-Signature"], body.replace(b"done", b"dona"))
    assert not rules.verify_signature("another-secret", headers["X-Aduan-Signature"], body)


def test_a_failing_receiver_gets_it_on_the_third_attempt_after_a_backoff(api, pipeline, receiver, capsys):
    partner_id, secret = make_partner(api, receiver.url)
    report_id = partner_report(api, partner_id)
    pipeline.run()
    receiver.requests.clear()
    receiver.fail_first = 2  # the partner answers 500 twice
    move(api, report_id, "verifier", to="verified")
    run_until(pipeline, lambda: len(receiver.requests) == 3)
    times = [at for at, _, _ in receiver.requests]
    ids = {json.loads(body)["event_id"] for _, _, body in receiver.requests}
    attempts = [headers["X-Aduan-Attempt"] for _, headers, _ in receiver.requests]
    gaps = [round(b - a, 2) for a, b in zip(times, times[1:], strict=False)]
    with capsys.disabled():
        print(f"\nwebhook fault test: attempts {attempts}, answers 500, 500, 200; "
              f"waits between attempts {gaps} s (backoff 1 s, 2 s at ADUAN_WEBHOOK_BACKOFF_SECONDS=1; "
              f"60 s, 120 s … 3600 s deployed)")
    assert len(ids) == 1 and attempts == ["1", "2", "3"]
    assert gaps[0] >= 1.0 and gaps[1] >= 2.0  # exponential backoff
    check_signed(receiver, secret)
    time.sleep(0.2)
    pipeline.run()
    assert len(receiver.requests) == 3 and queued("partner_webhooks") == 0  # delivered once, nothing left


def test_a_retry_holds_back_the_later_events_of_its_report(api, pipeline, receiver):
    """The queue is FIFO, one group per partner and report: the partner gets
    `verified` (refused once, then accepted) before `in_process`, although
    both were queued before the first attempt."""
    partner_id, _ = make_partner(api, receiver.url)
    report_id = partner_report(api, partner_id)
    pipeline.run()
    receiver.requests.clear()
    receiver.fail_first = 1
    move(api, report_id, "verifier", to="verified")
    move(api, report_id, "officer", to="in_process")
    run_until(pipeline, lambda: len(receiver.requests) == 3)
    sent = [(json.loads(body)["report"]["status"], headers["X-Aduan-Attempt"]) for _, headers, body in receiver.requests]
    assert sent == [("verified", "1"), ("verified", "2"), ("in_process", "1")]
    assert queued("partner_webhooks") == 0


def test_a_fifo_batch_returns_the_rest_of_a_failed_group_unhandled():
    from chalicelib.workers import batch

    handled = []

    def handle(record):
        handled.append(record["messageId"])
        if record["messageId"] == "a1":
            raise RuntimeError("partner down")

    records = [{"messageId": m, "body": "{}", "attributes": {"MessageGroupId": g}}
               for m, g in (("a1", "A"), ("b1", "B"), ("a2", "A"), ("b2", "B"))]
    result = batch.process({"Records": records}, handle)
    assert [f["itemIdentifier"] for f in result["batchItemFailures"]] == ["a1", "a2"]
    assert handled == ["a1", "b1", "b2"]  # a2 never ran before a1 succeeded


def test_a_delivery_that_keeps_failing_is_dead_lettered(api, pipeline, receiver, monkeypatch):
    from chalicelib.domain import webhooks

    monkeypatch.setattr(webhooks, "BACKOFF_MAX", 0)  # no wait: the dead-letter path, not the schedule
    monkeypatch.setenv("ADUAN_WEBHOOK_BACKOFF_SECONDS", "0")
    partner_id, _ = make_partner(api, receiver.url)
    report_id = partner_report(api, partner_id)
    receiver.fail_first = 100
    pipeline.run()
    run_until(pipeline, lambda: queued("partner_webhooks-dlq") == 1)
    assert len(receiver.requests) == resources.PARTNER_WEBHOOKS_QUEUE.max_receive_count
    assert queued("partner_webhooks") == 0 and report_id


def test_a_redelivered_stream_record_queues_the_same_event_ids(api, pipeline, receiver):
    partner_id, _ = make_partner(api, receiver.url)
    report_id = partner_report(api, partner_id)
    pipeline.run()
    move(api, report_id, "verifier", to="verified")
    pipeline.run()
    first = [e["event_id"] for e in receiver.events()]
    assert len(first) == 2
    # the stream delivers the whole shard again (a retried batch): the same events, the same ids
    stream = pipeline.pollers["push_report_changes"]
    shard = stream.streams.describe_stream(StreamArn=stream.arn)["StreamDescription"]["Shards"][0]["ShardId"]
    stream.iterators = {shard: stream.streams.get_shard_iterator(
        StreamArn=stream.arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]}
    pipeline.run()
    again = [e["event_id"] for e in receiver.events()]
    assert len(again) > len(first)  # delivered twice: the partner deduplicates by id
    assert set(again) == set(first)  # the set of event ids is the set of changes


def test_a_revoked_partner_gets_nothing_and_nothing_loops(api, pipeline, receiver, caplog):
    partner_id, _ = make_partner(api, receiver.url)
    report_id = partner_report(api, partner_id)
    pipeline.run()
    receiver.requests.clear()
    assert api.post(f"{PARTNERS}/{partner_id}/revoke", as_="region_admin").status_code == 200
    move(api, report_id, "verifier", to="verified")
    pipeline.run()
    assert receiver.requests == []
    assert queued("partner_webhooks") == 0 and queued("partner_webhooks-dlq") == 0  # recorded, not retried
    assert "not sent: revoked" in caplog.text


def test_a_report_of_no_partner_queues_nothing(api, pipeline, receiver):
    make_partner(api, receiver.url)
    response = api.post("/v1/regions/trenggalek/reports", new_report())
    pipeline.run()
    move(api, response.json_body["id"], "verifier", to="verified")
    pipeline.run()
    assert receiver.requests == [] and pipeline.pollers["partner_webhooks"].handled == 0


def test_a_refusing_partner_is_not_retried(api, pipeline, receiver):
    partner_id, _ = make_partner(api, receiver.url)
    receiver.fail_first, receiver.fail_status = 100, 410
    partner_report(api, partner_id)
    pipeline.run()
    assert len(receiver.requests) == 1
    assert queued("partner_webhooks") == 0 and queued("partner_webhooks-dlq") == 0


# --- SSRF --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://169.254.169.254/latest/meta-data/", "https://127.0.0.1/hook", "https://localhost/hook",
    "https://10.0.0.8/hook", "https://[::1]/hook", "https://[::ffff:169.254.169.254]/hook",
    "https://192.168.1.1/hook", "https://100.64.0.1/hook", "https://0.0.0.0/hook",
    "http://lapor.example.go.id/hook", "ftp://lapor.example.go.id/hook", "https://user:pw@lapor.example.go.id/",
])
def test_a_webhook_inside_is_refused_at_send_time(api, pipeline, url, monkeypatch):
    from chalicelib.adapters import webhook_http
    from chalicelib.store.models import PartnerModel

    monkeypatch.delenv("ADUAN_WEBHOOKS_ALLOW_LOCAL", raising=False)
    called = []
    monkeypatch.setattr(webhook_http.socket, "create_connection", lambda *a, **k: called.append(a))
    partner_id, _ = make_partner(api, "https://lapor.example.go.id/hook")
    PartnerModel("trenggalek", partner_id).update(actions=[PartnerModel.webhook_url.set(url)])
    partner_report(api, partner_id)
    pipeline.run()
    assert called == []  # never connected
    assert queued("partner_webhooks") == 0 and queued("partner_webhooks-dlq") == 0


def test_loopback_is_refused_without_the_local_only_setting(monkeypatch):
    from chalicelib.adapters import webhook_http

    monkeypatch.setenv("ADUAN_WEBHOOKS_ALLOW_LOCAL", "1")
    assert webhook_http.local_receivers_allowed()
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "aduan-prod-send_partner_webhooks")
    assert not webhook_http.local_receivers_allowed()  # ignored inside Lambda
    with pytest.raises(webhook_http.Unsafe):
        webhook_http.post("http://127.0.0.1:9/hook", b"{}", {})
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    monkeypatch.setenv("ADUAN_STAGE", "prod")
    assert not webhook_http.local_receivers_allowed()  # and on any deployed stage


def test_public_addresses_only():
    inside = ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1",
              "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1", "240.0.0.1",  # noqa: S104
              "nonsense")
    for address in inside:
        assert not rules.address_allowed(address), address
    for address in ("8.8.8.8", "103.10.20.30", "2001:4860:4860::8888"):
        assert rules.address_allowed(address), address
    assert rules.address_allowed("127.0.0.1", allow_loopback=True)
    assert not rules.address_allowed("169.254.169.254", allow_loopback=True)


def test_signature_backoff_and_outcomes():
    body = b'{"event_id":"x"}'
    header = rules.signature_header("s3cret", 1_700_000_000, body)
    assert rules.verify_signature("s3cret", header, body, now=1_700_000_100)
    assert not rules.verify_signature("s3cret", header, body, now=1_700_000_301)  # stale: a replay
    assert not rules.verify_signature("s3cret", header, body, now=1_699_999_699)  # from the future
    for bad in (None, "", "t=abc,v1=00", "v1=" + header.split("v1=")[1], header.replace("v1=", "v0=")):
        assert not rules.verify_signature("s3cret", bad, body, now=1_700_000_000), bad
    assert [rules.backoff(n) for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert [rules.outcome(s) for s in (200, 204, 301, 400, 408, 410, 429, 500, 503)] == [
        "delivered", "delivered", "refused", "refused", "retry", "refused", "retry", "retry", "retry"]


# --- forwarding (not our authority) --------------------------------------------------------

def forward(api, report_id, as_="verifier", **body):
    return api.post(f"/v1/reports/{report_id}/forward", body, as_=as_)


def test_a_report_not_our_authority_is_forwarded_and_closed(api, pipeline, receiver):
    partner_id, secret = make_partner(api, receiver.url)
    report_id = partner_report(api, partner_id, ref="LAPOR-77")
    pipeline.run()
    move(api, report_id, "verifier", to="verified")
    pipeline.run()
    receiver.requests.clear()
    before = api.get("/v1/regions/trenggalek/stats?group_by=status", as_="verifier").json_body

    response = forward(api, report_id, partner_id=partner_id, reason="Jalan nasional: wewenang BBPJN")
    assert response.status_code == 200, response.json_body
    assert response.json_body["status"] == "forwarded" and response.json_body["due_at"] is None
    pipeline.run()

    public = api.get(f"/v1/reports/{report_id}").json_body
    assert public["status"] == "forwarded" and public["status_label"] == {"id": "Diteruskan", "en": "Forwarded"}
    assert public["history"][-1]["note"]["id"] == "Diteruskan ke LAPOR! SP4N: bukan wewenang daerah."
    assert "BBPJN" not in json.dumps(public)  # the reason is for staff and the partner
    [event] = receiver.events()  # the report came from this partner: one event, the hand-off
    assert event["type"] == "report.forwarded"
    report = event["report"]
    assert report["tracking_id"] == "LAPOR-77" and report["status"] == "forwarded"
    assert report["open311_status"] == "closed" and report["reason"] == "Jalan nasional: wewenang BBPJN"
    assert report["description"] and report["category"] and report["lat"] is not None
    assert isinstance(report["photos"], list)
    assert "reporter" not in report and "phone" not in json.dumps(event)
    check_signed(receiver, secret)
    # stats: closed, like a rejection
    after = api.get("/v1/regions/trenggalek/stats?group_by=status", as_="verifier").json_body
    groups = {g["key"]: g["count"] for g in after["groups"]}
    assert groups["forwarded"] == 1 and groups["verified"] == 0
    assert after["now"]["waiting"] == before["now"]["waiting"] - 1
    # the item keeps the partner and its tracking id
    from chalicelib.store import reports as store

    stored = store.get(report_id)
    assert stored.forwarded_to == partner_id and stored.partner_ref == "LAPOR-77" and stored.queue_key is None


def test_an_app_report_forwarded_reaches_the_partner_without_the_reporter(api, pipeline, receiver):
    partner_id, secret = make_partner(api, receiver.url)
    response = api.post("/v1/regions/trenggalek/reports", new_report(description="Jembatan provinsi retak"))
    report_id = response.json_body["id"]
    pipeline.run()
    assert forward(api, report_id, as_="region_admin", partner_id=partner_id,
                   reason="Jembatan milik provinsi").status_code == 200
    pipeline.run()
    [event] = receiver.events()
    assert event["type"] == "report.forwarded" and event["report"]["tracking_id"] is None
    assert event["report"]["description"] == "Jembatan provinsi retak"
    assert event["report"]["photos"] == []  # never verified: no photo is public
    check_signed(receiver, secret)


def test_hostile_forwards_change_nothing(api, pipeline, receiver):
    from chalicelib.store import reports as store
    from chalicelib.store.models import PartnerModel

    partner_id, _ = make_partner(api, receiver.url)
    revoked, _ = make_partner(api, receiver.url, name="Lama")
    assert api.post(f"{PARTNERS}/{revoked}/revoke", as_="region_admin").status_code == 200
    silent = api.post(PARTNERS, {"name": "Call centre", "channel": "call_centre"}, as_="region_admin").json_body["id"]
    PartnerModel(region_id="kupang", partner_id="abcdef0123456789", name="LAPOR! Kupang", channel="lapor",
                 secret_hash="0" * 64, webhook_url="https://lapor.example.go.id/hook", rate_per_minute=10,
                 created_by="x", created_at="2025-01-01T00:00:00.000000Z").save()
    report_id = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    pipeline.run()
    version = store.get(report_id).version
    reason = "Bukan wewenang"
    cases = [
        ({"partner_id": "f" * 16, "reason": reason}, "verifier", 400),  # unknown partner
        ({"partner_id": "abcdef0123456789", "reason": reason}, "verifier", 400),  # another region's partner
        ({"partner_id": revoked, "reason": reason}, "verifier", 422),
        ({"partner_id": silent, "reason": reason}, "verifier", 422),  # no webhook to take it
        ({"partner_id": partner_id, "reason": reason}, "citizen", 403),
        ({"partner_id": partner_id, "reason": reason}, "officer", 403),
        ({"partner_id": partner_id, "reason": reason}, None, 401),
        ({"partner_id": partner_id}, "verifier", 400),
        ({"partner_id": partner_id, "reason": "x"}, "verifier", 400),
        ({"partner_id": partner_id, "reason": reason, "extra": 1}, "verifier", 400),
        ({"partner_id": "../" * 30, "reason": reason}, "verifier", 400),
        ({"partner_id": 7, "reason": reason}, "verifier", 400),
    ]
    for body, who, status in cases:
        reply = api.post(f"/v1/reports/{report_id}/forward", body, as_=who)
        assert reply.status_code == status, (body, who, reply.json_body)
        assert set(reply.json_body["error"]) >= {"code", "message"}
    assert forward(api, "0" * 26, partner_id=partner_id, reason=reason).status_code in (400, 404)
    assert store.get(report_id).version == version and store.get(report_id).status == "waiting"
    # a closed report cannot be forwarded
    move(api, report_id, "verifier", to="rejected", reason="spam")
    version = store.get(report_id).version
    reply = forward(api, report_id, partner_id=partner_id, reason=reason)
    assert reply.status_code == 409 and reply.json_body["error"]["code"] == "forward_not_open"
    assert store.get(report_id).version == version
    pipeline.run()
    assert receiver.requests == []


# --- emergencies -----------------------------------------------------------------------------

def test_an_emergency_reaches_a_partner_responder_signed(api, pipeline, receiver):
    partner_id, secret = make_partner(api, receiver.url, name="PSC 119", channel="psc119")
    agencies = api.get("/v1/regions/trenggalek", as_="region_admin").json_body["agencies"]
    table = [{"code": a["code"], "name_id": a["name"]["id"], "name_en": a["name"]["en"]} for a in agencies]
    for row in table:
        if row["code"] == "damkar":
            row["responder"] = {"kind": "webhook", "partner_id": partner_id}
    reply = api.client.http.patch("/v1/regions/trenggalek", body=json.dumps({"agencies": table}), headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {api.tokens['region_admin']}"})
    assert reply.status_code == 200, reply.json_body
    created = api.post("/v1/regions/trenggalek/reports", new_report(category="kebakaran"))
    assert created.status_code == 201, created.json_body
    pipeline.run()
    [event] = [e for e in receiver.events() if e["type"] == "emergency.dispatched"]
    assert event["report"]["report_id"] == created.json_body["id"] and "reporter" not in event["report"]
    check_signed(receiver, secret)
