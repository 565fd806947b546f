"""Routing and dispatch through real (in-memory) SQS queues: idempotent
redelivery, partial batch failures, the dead-letter queue, and the
write-then-send gap."""
import json

import boto3
import pytest

from devstack import lambda_events
from support.data import INSIDE, OUTSIDE, REGION, new_report, queue_messages


def create(api, **overrides):
    response = api.post("/v1/regions/trenggalek/reports", new_report(**overrides))
    assert response.status_code == 201, response.json_body
    return response.json_body["id"]


def get(api, report_id):
    return api.get(f"/v1/reports/{report_id}").json_body


def invoke(client, name, bodies, queue="routing"):
    """Call a handler as Lambda would, with a batch whose records have
    distinct message ids."""
    arn = f"arn:aws:sqs:{REGION}:123456789012:aduan-test-{queue}"
    event = lambda_events.sqs_event([json.dumps(b) if not isinstance(b, str) else b for b in bodies], arn, REGION)
    result = client.lambda_.invoke(name, event).payload
    ids = [r["messageId"] for r in event["Records"]]
    return ids, result


def test_routing_sets_agency_kelurahan_kecamatan_and_history(api, pipeline):
    report_id = create(api, category="sampah")
    pipeline.run()
    report = get(api, report_id)
    assert report["routed"] is True
    assert report["agency"] == "dlh"
    assert report["agency_name"]["id"] == "Dinas Lingkungan Hidup dan Kebersihan"
    assert report["team"]["code"] == "yellow"
    assert report["kelurahan_code"].startswith("35.03.")
    assert report["kecamatan_code"] == report["kelurahan_code"][:8]
    assert report["kelurahan"] and report["kecamatan"]
    assert report["out_of_area"] is False
    assert report["status"] == "waiting"
    assert len(report["history"]) == 2
    assert report["kecamatan"] in report["history"][1]["note"]["id"]


def test_point_outside_every_polygon_is_flagged_not_guessed(api, pipeline):
    report_id = create(api, **OUTSIDE, kelurahan_code="35.03.01.2001")
    pipeline.run()
    report = get(api, report_id)
    assert report["routed"] is True
    assert report["out_of_area"] is True
    assert report["kelurahan_code"] is None and report["kecamatan"] is None
    assert report["agency"] == "dpupr"


def test_verification_fans_out_to_the_agency_with_attributes_and_counts_once(api, aws, client):
    from chalicelib.store import reports as store

    report_id = create(api, category="parkir-liar")
    routing_messages = queue_messages(aws["routing"])
    ids, result = invoke(client, "route_reports", [json.loads(m["Body"]) for m in routing_messages])
    assert result == {"batchItemFailures": []}
    # Routing only proposes: nothing reaches the agency before a verifier checks it.
    assert queue_messages(aws["dispatch"]) == []
    verified = api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier")
    assert verified.status_code == 200, verified.json_body
    dispatched = queue_messages(aws["dispatch"])
    assert len(dispatched) == 1
    attributes = {k: v["StringValue"] for k, v in dispatched[0]["MessageAttributes"].items()}
    assert attributes == {"region_id": "trenggalek", "agency": "dishub", "event": "status_changed"}
    body = json.loads(dispatched[0]["Body"])
    # The same message delivered twice delivers and counts once.
    _, result = invoke(client, "dispatch_reports", [body, body], queue="dispatch")
    assert result == {"batchItemFailures": []}
    month_scopes = [s for s in _counter_scopes() if s.startswith("trenggalek#")]
    assert len(month_scopes) == 1
    assert store.counter(month_scopes[0], "count#agency#dishub#received") == 1
    assert store.get(report_id).dispatched_at is not None


def _counter_scopes():
    from chalicelib.resources import COUNTERS

    items = boto3.client("dynamodb", region_name=REGION).scan(TableName=COUNTERS.name)["Items"]
    return {item["scope"]["S"] for item in items}


def test_redelivery_routes_once_and_adds_one_history_entry(api, client):
    report_id = create(api)
    message = {"report_id": report_id}
    _, first = invoke(client, "route_reports", [message])
    _, again = invoke(client, "route_reports", [message, message])
    assert first == again == {"batchItemFailures": []}
    report = get(api, report_id)
    assert len(report["history"]) == 2


def test_a_failing_record_does_not_fail_the_batch(api, client):
    good = create(api)
    ids, result = invoke(client, "route_reports", [{"report_id": good}, {"report_id": "f" * 32}, "not json"])
    assert result == {"batchItemFailures": [{"itemIdentifier": ids[1]}, {"itemIdentifier": ids[2]}]}
    assert get(api, good)["routed"] is True


def test_poison_message_reaches_the_dead_letter_queue(api, aws, pipeline):
    from chalicelib.resources import ROUTING_QUEUE

    sqs = boto3.client("sqs", region_name=REGION)
    sqs.send_message(QueueUrl=aws["routing"], MessageBody=json.dumps({"report_id": "e" * 32}))
    good = create(api)
    pipeline.run(max_rounds=ROUTING_QUEUE.max_receive_count + 5)
    dead = queue_messages(aws["routing-dlq"])
    assert [json.loads(m["Body"]) for m in dead] == [{"report_id": "e" * 32}]
    assert int(dead[0]["Attributes"]["ApproximateReceiveCount"]) >= ROUTING_QUEUE.max_receive_count
    assert pipeline.pollers["routing"].failed == ROUTING_QUEUE.max_receive_count
    assert get(api, good)["routed"] is True
    assert queue_messages(aws["routing"]) == []


def sweep(client):
    return client.lambda_.invoke("sweep_unrouted", lambda_events.scheduled_event("arn:aws:events:rule/sweep", REGION)).payload


def test_failed_send_after_write_is_recovered_by_the_sweep(api, aws, client, pipeline, monkeypatch):
    from chalicelib.adapters import aws as adapter

    real_send = adapter.send

    def broken_send(queue, body, attributes=None):
        raise ConnectionError("SQS unreachable")

    monkeypatch.setattr(adapter, "send", broken_send)
    report_id = create(api)  # stored, accepted, but its routing message is lost
    monkeypatch.setattr(adapter, "send", real_send)
    assert queue_messages(aws["routing"]) == []
    assert get(api, report_id)["routed"] is False

    # Too recent for the sweep...
    assert sweep(client) == {"requeued": 0}
    # ...but once it is older than the threshold, the sweep re-enqueues it.
    monkeypatch.setenv("ADUAN_UNROUTED_AFTER_MINUTES", "0")
    assert sweep(client) == {"requeued": 1}
    pipeline.run()
    assert get(api, report_id)["routed"] is True
    # Routed reports leave the sparse index: nothing left to sweep.
    assert sweep(client) == {"requeued": 0}


def test_failed_send_is_recovered_by_the_clients_retry(api, aws, pipeline, monkeypatch):
    from chalicelib.adapters import aws as adapter

    real_send = adapter.send
    monkeypatch.setattr(adapter, "send", lambda *a, **k: (_ for _ in ()).throw(ConnectionError("down")))
    headers = {"Idempotency-Key": "flaky-1"}
    first = api.post("/v1/regions/trenggalek/reports", new_report(), headers=headers)
    monkeypatch.setattr(adapter, "send", real_send)
    retry = api.post("/v1/regions/trenggalek/reports", new_report(), headers=headers)
    assert first.json_body["id"] == retry.json_body["id"]
    pipeline.run()
    assert get(api, first.json_body["id"])["routed"] is True


@pytest.mark.parametrize("category,agency", [("banjir", "bpbd"), ("anak-jalanan", "dinsos"), ("pungli", "inspektorat")])
def test_agency_comes_from_the_regions_category_table(api, client, category, agency):
    report_id = create(api, category=category, **INSIDE)
    invoke(client, "route_reports", [{"report_id": report_id}])
    assert get(api, report_id)["agency"] == agency
