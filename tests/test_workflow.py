"""The service the articles describe: verify, dispatch, take, finish with
evidence, rate, reopen; illegal transitions; races; notifications."""
import json
import threading

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.contract.reports import TransitionRequest
from support.data import REGION, new_report
from support.images import jpeg_with_gps, upload


def create(api, **overrides):
    response = api.post("/v1/regions/trenggalek/reports", new_report(**overrides))
    assert response.status_code == 201, response.json_body
    return response.json_body["id"]


def move(api, report_id, as_, **body):
    return api.post(f"/v1/reports/{report_id}/transitions", body, as_=as_)


def view(api, report_id, as_=None):
    return api.get(f"/v1/reports/{report_id}", as_=as_).json_body


def evidence(api, pipeline, report_id, as_="officer"):
    grant = api.post(f"/v1/reports/{report_id}/photos", {"content_type": "image/jpeg", "kind": "evidence"}, as_=as_)
    assert grant.status_code == 201, grant.json_body
    upload(report_id, grant.json_body["photo_id"], jpeg_with_gps())
    pipeline.run()


def sns_messages():
    backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
    published = []
    for topic in backend.topics.values():
        published += [m for m in getattr(topic, "sent_notifications", [])]
    return published, list(backend.sms_messages.values())


def test_the_whole_lifecycle(api, pipeline):
    report_id = create(api, category="jalan-rusak")
    pipeline.run()

    queue = api.get("/v1/regions/trenggalek/verification-queue", as_="verifier").json_body
    [item] = [i for i in queue["items"] if i["id"] == report_id]
    assert item["agency"] == "dpupr" and item["kelurahan"] and item["routed"] is True

    # nobody but a verifier moves a waiting report
    taken_too_early = move(api, report_id, "officer", to="in_process")
    assert taken_too_early.status_code == 409
    assert taken_too_early.json_body["error"]["allowed_transitions"] == []

    verified = move(api, report_id, "verifier", to="verified", note="Lokasi benar")
    assert verified.status_code == 200
    assert verified.json_body["status"] == "verified" and verified.json_body["due_at"]
    pipeline.run()  # dispatch: delivered to the agency, reporter notified

    inbox = api.get("/v1/me/inbox?status=verified", as_="officer").json_body
    assert [i["id"] for i in inbox["items"]] == [report_id]
    assert api.get("/v1/me/inbox?status=verified", as_="agency_head").json_body["items"][0]["id"] == report_id

    taken = move(api, report_id, "officer", to="in_process")
    assert taken.status_code == 200
    assert taken.json_body["assignee_name"] == "Petugas PUPR Demo"
    assert api.get("/v1/me/inbox?assigned=me", as_="officer").json_body["items"][0]["id"] == report_id
    assert api.get("/v1/me/inbox?status=verified", as_="officer").json_body["items"] == []

    note = api.post(f"/v1/reports/{report_id}/notes", {"note": "Material dipesan"}, as_="officer")
    assert note.status_code == 201

    no_evidence = move(api, report_id, "officer", to="done")
    assert no_evidence.status_code == 409 and no_evidence.json_body["error"]["code"] == "evidence_required"
    other_officer = move(api, report_id, "officer2", to="done")
    assert other_officer.status_code == 403 and other_officer.json_body["error"]["code"] == "not_assignee"

    evidence(api, pipeline, report_id)
    done = move(api, report_id, "officer", to="done", note="Jalan sudah ditambal")
    assert done.status_code == 200 and done.json_body["status"] == "done"
    assert [p["kind"] for p in done.json_body["photos"]] == ["evidence"]
    pipeline.run()

    low = api.post(f"/v1/reports/{report_id}/rating", {"stars": 2, "comment": "Masih berlubang"})
    assert low.status_code == 201
    review = api.get("/v1/regions/trenggalek/verification-queue?queue=review", as_="verifier").json_body
    assert [i["id"] for i in review["items"]] == [report_id]

    reopened = move(api, report_id, "verifier", to="in_process", note="Dicek ulang")
    assert reopened.status_code == 200 and reopened.json_body["reopen_count"] == 1
    assert api.get("/v1/regions/trenggalek/verification-queue?queue=review", as_="verifier").json_body["items"] == []
    again = move(api, report_id, "officer", to="done")
    assert again.status_code == 200
    pipeline.run()
    assert api.post(f"/v1/reports/{report_id}/rating", {"stars": 5}).status_code == 201

    final = view(api, report_id, as_="citizen")
    statuses = [h["status"] for h in final["history"]]
    assert statuses[0] == "waiting" and statuses[-1] == "done"
    assert statuses.count("in_process") >= 3  # taken, note, reopened
    assert final["rating"]["stars"] == 5 and final["reopen_count"] == 1

    topic_messages, sms = sns_messages()
    texts = [m[1] if isinstance(m, tuple) else str(m) for m in topic_messages]
    assert any("Diproses" in t for t in texts) and any("Selesai" in t for t in texts)
    assert all("Warga Demo" not in t for t in texts)
    assert any(number == "+6281200000001" for number, *_ in sms)  # the account's verified phone


def test_notifications_are_sent_once_per_change(api, aws, client, pipeline):
    report_id = create(api)
    pipeline.run()
    move(api, report_id, "verifier", to="verified")
    sqs = boto3.client("sqs", region_name=REGION)
    message = sqs.receive_message(QueueUrl=aws["dispatch"])["Messages"][0]
    from devstack import lambda_events

    event = lambda_events.sqs_event([message["Body"]] * 3, "arn:aws:sqs:x:1:aduan-test-dispatch", REGION)
    assert client.lambda_.invoke("dispatch_reports", event).payload == {"batchItemFailures": []}
    topic_messages, _ = sns_messages()
    assert len(topic_messages) == 1


def test_reject_and_duplicate_need_their_details(api, pipeline):
    first, second = create(api), create(api)
    missing = move(api, first, "verifier", to="rejected")
    assert missing.status_code == 400 and missing.json_body["error"]["code"] == "missing_field"
    wrong = move(api, first, "verifier", to="rejected", reason="boring")
    assert wrong.status_code == 400 and wrong.json_body["error"]["code"] == "invalid_value"
    assert "not_actionable" in wrong.json_body["error"]["params"]["allowed"]
    rejected = move(api, first, "verifier", to="rejected", reason="spam")
    assert rejected.status_code == 200 and rejected.json_body["rejection_reason"] == "spam"
    self_dup = move(api, second, "verifier", to="duplicate", duplicate_of=second)
    assert self_dup.status_code == 422
    dup = move(api, second, "verifier", to="duplicate", duplicate_of=first)
    assert dup.status_code == 200 and dup.json_body["duplicate_of"] == first
    again = move(api, second, "verifier", to="verified")
    assert again.status_code == 409
    assert again.json_body["error"]["current_status"] == "duplicate"


def test_verifier_corrects_agency_and_kelurahan(api, pipeline):
    report_id = create(api, category="sampah")
    pipeline.run()
    bad = move(api, report_id, "verifier", to="verified", agency="nasa")
    assert bad.status_code == 400 and bad.json_body["error"]["code"] == "unknown_agency"
    fixed = move(api, report_id, "verifier", to="verified", agency="dpupr", kelurahan_code="35.03.01.2001")
    assert fixed.status_code == 200
    body = fixed.json_body
    assert body["agency"] == "dpupr" and body["kelurahan_code"] == "35.03.01.2001" and body["kecamatan"] == "Panggul"
    # the kelurahan's own staff see it too
    kelurahan_inbox = api.get("/v1/me/inbox", as_="kelurahan_officer").json_body
    assert [i["id"] for i in kelurahan_inbox["items"]] == [report_id]


def test_unrouted_report_needs_an_agency_to_be_verified(api):
    report_id = create(api)  # the routing worker has not run
    response = move(api, report_id, "verifier", to="verified")
    assert response.status_code == 409 and response.json_body["error"]["code"] == "not_routed_yet"
    assert move(api, report_id, "verifier", to="verified", agency="dpupr").status_code == 200


def test_two_officers_take_the_same_report_exactly_one_wins(api, pipeline, monkeypatch):
    from chalicelib.auth.identity import Identity
    from chalicelib.domain.errors import AppError
    from chalicelib.services import workflow
    from chalicelib.store import reports as store

    report_id = create(api)
    pipeline.run()
    move(api, report_id, "verifier", to="verified")
    officers = [Identity(sub=f"officer-{n}", username=f"o{n}", role="officer", region_id="trenggalek",
                         agency="dpupr") for n in (1, 2)]
    # Officer 2 plans its write while the report is verified, then officer 1
    # takes it, then officer 2 writes what it planned: the interleaving that
    # loses updates unless the write is conditional.  (DynamoDB serialises
    # writes to one item; moto's in-memory backend does not, so the writes
    # themselves are not raced.)
    second_has_planned, first_done = threading.Event(), threading.Event()
    real_get, real_apply = store.get, store.apply

    def apply(rid, change):
        if threading.current_thread().name == "officer-2":
            second_has_planned.set()
            first_done.wait(timeout=10)
        return real_apply(rid, change)

    monkeypatch.setattr(store, "apply", apply)
    outcomes = {}

    def take(officer):
        if officer.sub == "officer-1":
            second_has_planned.wait(timeout=10)
        try:
            workflow.transition(report_id, TransitionRequest(to="in_process"), officer)
            outcomes[officer.sub] = 200
        except AppError as error:
            outcomes[officer.sub] = (error.status, error.code)
        finally:
            if officer.sub == "officer-1":
                first_done.set()

    threads = [threading.Thread(target=take, args=(o,), name=o.sub) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    monkeypatch.setattr(store, "apply", real_apply)
    assert second_has_planned.is_set()
    assert outcomes == {"officer-1": 200, "officer-2": (409, "illegal_transition")}
    report = real_get(report_id)
    assert report.assignee in {o.sub for o in officers}
    assert [h["status"] for h in report.history].count("in_process") == 1


@pytest.fixture
def aws_calls(monkeypatch):
    """The requests a handler makes: DynamoDB operations on the reports table
    (with their parameters) and messages sent to a queue."""
    from pynamodb.connection.base import Connection

    from chalicelib import resources
    from chalicelib.adapters import aws as adapter

    calls = []
    real_call, real_send = Connection._make_api_call, adapter.send

    def call(self, operation, kwargs):
        if kwargs.get("TableName") == resources.REPORTS.name or operation == "TransactWriteItems":
            calls.append((operation, kwargs))
        return real_call(self, operation, kwargs)

    def send(queue, body, attributes=None):
        calls.append(("SendMessage", {"queue": queue.logical}))
        return real_send(queue, body, attributes)

    monkeypatch.setattr(Connection, "_make_api_call", call)
    monkeypatch.setattr(adapter, "send", send)
    return calls


def test_each_change_is_one_conditional_write(api, pipeline, aws_calls):
    """At the floor: a transition is one conditional UpdateItem returning the
    report (ALL_NEW) and one message; a note or a rating one UpdateItem; only
    a failed condition reads the report, once, to say why."""
    first, second, third = create(api), create(api), create(api)
    pipeline.run()

    def measured(response, status):
        assert response.status_code == status, response.json_body
        made = [operation for operation, _ in aws_calls]
        for operation, params in aws_calls:
            if operation == "UpdateItem":
                assert params["ReturnValues"] == "ALL_NEW" and params["ConditionExpression"]
        aws_calls.clear()
        return made

    aws_calls.clear()
    write, transition = ["UpdateItem"], ["UpdateItem", "SendMessage"]
    assert measured(move(api, first, "verifier", to="verified"), 200) == transition
    pipeline.run()
    aws_calls.clear()
    assert measured(move(api, first, "officer", to="in_process"), 200) == transition
    assert measured(move(api, first, "officer2", to="in_process"), 409) == ["UpdateItem", "GetItem"]
    assert measured(api.post(f"/v1/reports/{first}/notes", {"note": "dicek"}, as_="officer"), 201) == write
    assert measured(move(api, first, "officer", to="done"), 409) == ["UpdateItem", "GetItem"]  # no evidence
    evidence(api, pipeline, first)
    aws_calls.clear()
    assert measured(move(api, first, "officer", to="done"), 200) == transition
    assert measured(api.post(f"/v1/reports/{first}/rating", {"stars": 1}), 201) == write
    assert measured(api.post(f"/v1/reports/{first}/rating", {"stars": 1}), 409) == ["UpdateItem", "GetItem"]
    assert measured(move(api, first, "verifier", to="in_process"), 200) == transition  # reopen
    assert measured(move(api, first, "officer", to="done"), 200) == transition
    assert measured(api.post(f"/v1/reports/{first}/rating", {"stars": 2}), 201) == write  # a new cycle
    assert measured(move(api, first, "verifier", to="done"), 200) == transition  # confirm
    assert measured(move(api, second, "verifier", to="rejected", reason="spam"), 200) == transition
    # the original of a duplicate is another item: it is read
    assert measured(move(api, third, "verifier", to="duplicate", duplicate_of=second), 200) == \
        ["GetItem", "UpdateItem", "SendMessage"]
    # a role no rule lets reach the status: nothing to write, one read to say why
    assert measured(move(api, second, "region_admin", to="verified"), 409) == ["GetItem"]
    report = view(api, first, as_="verifier")
    # received, routed, verified, taken, note, done, rated, reopened, done, rated, confirmed
    assert [h["status"] for h in report["history"]] == [
        "waiting", "waiting", "verified", "in_process", "in_process", "done", "done", "in_process", "done", "done",
        "done"]


def test_history_and_inboxes_after_writes_that_read_nothing(api, pipeline):
    """A note records the status the report is in, a verification that keeps
    the proposed agency names it, and each inbox shows its status by due
    time, without any write having read the report."""
    report_id = create(api, category="jalan-rusak")
    pipeline.run()
    assert api.post(f"/v1/reports/{report_id}/notes", {"note": "Dicek di lokasi"}, as_="verifier").status_code == 201
    # the kelurahan corrected, the proposed agency kept
    verified = move(api, report_id, "verifier", to="verified", kelurahan_code="35.03.01.2001").json_body
    note, forwarded = verified["history"][-2:]
    assert note["status"] == "waiting" and note["comment"] == "Dicek di lokasi"
    assert forwarded["status"] == "verified" and "Dinas Pekerjaan Umum" in forwarded["note"]["id"]
    assert move(api, report_id, "officer", to="in_process").status_code == 200
    taken = api.post(f"/v1/reports/{report_id}/notes", {"note": "Material dipesan"}, as_="officer").json_body
    assert taken["history"][-1]["status"] == "in_process"
    # finishing is due 10 working days after verification, not after taking
    assert taken["due_stage"] == "resolve" and taken["due_at"] > verified["due_at"]
    for as_ in ("officer", "agency_head", "kelurahan_officer"):
        for status, expected in (("verified", []), ("in_process", [report_id]), ("done", [])):
            inbox = api.get(f"/v1/me/inbox?status={status}", as_=as_).json_body["items"]
            assert [i["id"] for i in inbox] == expected, (as_, status)
    assert api.get("/v1/regions/trenggalek/verification-queue", as_="verifier").json_body["items"] == []


@pytest.mark.parametrize("body,code", [
    ({"stars": 0}, "out_of_range"), ({"stars": 6}, "out_of_range"), ({"stars": "5"}, "wrong_type"),
    ({"stars": 4.5}, "wrong_type"), ({}, "missing_field"), ({"stars": 3, "comment": "x" * 1001}, "too_long"),
])
def test_rating_bad_input(api, body, code):
    report_id = create(api)
    response = api.post(f"/v1/reports/{report_id}/rating", body)
    assert response.status_code == 400 and response.json_body["error"]["code"] == code


def test_rating_only_by_the_reporter_once_and_only_when_done(api, pipeline):
    report_id = create(api)
    assert api.post(f"/v1/reports/{report_id}/rating", {"stars": 4}).status_code == 409  # not done
    pipeline.run()
    move(api, report_id, "verifier", to="verified")
    move(api, report_id, "officer", to="in_process")
    evidence(api, pipeline, report_id)
    assert move(api, report_id, "officer", to="done").status_code == 200
    assert api.post(f"/v1/reports/{report_id}/rating", {"stars": 4}, as_="citizen2").status_code == 403
    assert api.post(f"/v1/reports/{report_id}/rating", {"stars": 4}, as_="verifier").status_code == 403
    assert api.post(f"/v1/reports/{report_id}/rating", {"stars": 4}).status_code == 201
    twice = api.post(f"/v1/reports/{report_id}/rating", {"stars": 1})
    assert twice.status_code == 409 and twice.json_body["error"]["code"] == "already_rated"
    # a good rating does not send it back
    assert api.get("/v1/regions/trenggalek/verification-queue?queue=review", as_="verifier").json_body["items"] == []


def test_anonymous_reporter_is_never_revealed(api, pipeline):
    report_id = create(api, anonymous=True)
    pipeline.run()
    for as_ in (None, "verifier", "officer", "agency_head", "region_admin", "citizen2"):
        text = json.dumps(view(api, report_id, as_=as_))
        assert "Warga Demo" not in text and "6281200000001" not in text, as_
        assert "reporter_id" not in text
    own = view(api, report_id, as_="citizen")
    # the reporter sees the one contact kept: their account's verified phone
    assert own["reporter"] == {"phone": "+6281200000001"} and own["mine"] is True


def test_my_reports_newest_first_with_cursor(api):
    ids = [create(api, description=f"laporan {n}") for n in range(3)]
    other = api.post("/v1/regions/trenggalek/reports", new_report(), as_="citizen2").json_body["id"]
    first = api.get("/v1/me/reports?limit=2", as_="citizen").json_body
    assert [i["id"] for i in first["items"]] == ids[::-1][:2]
    second = api.get(f"/v1/me/reports?limit=2&cursor={first['next_cursor']}", as_="citizen").json_body
    assert [i["id"] for i in second["items"]] == [ids[0]]
    assert other not in [i["id"] for i in first["items"] + second["items"]]
    bad = api.get("/v1/me/reports?cursor=!!!", as_="citizen")
    assert bad.status_code == 400 and bad.json_body["error"]["code"] == "invalid_cursor"
    assert api.get("/v1/me/reports?limit=0", as_="citizen").status_code == 400


def test_verification_queue_is_oldest_first_and_paginated(api):
    ids = [create(api) for _ in range(3)]
    page = api.get("/v1/regions/trenggalek/verification-queue?limit=2", as_="verifier").json_body
    assert [i["id"] for i in page["items"]] == ids[:2]
    rest = api.get(f"/v1/regions/trenggalek/verification-queue?cursor={page['next_cursor']}", as_="verifier").json_body
    assert [i["id"] for i in rest["items"]] == ids[2:]


def test_staff_accounts_and_citizen_signup(api):
    created = api.post("/v1/regions/trenggalek/accounts", {"name": "Petugas Baru", "email": "baru@dlh.demo",
                                                           "role": "officer", "agency": "dlh"}, as_="region_admin")
    assert created.status_code == 201, created.json_body
    assert created.json_body["role"] == "officer"
    dup = api.post("/v1/regions/trenggalek/accounts", {"name": "X", "email": "baru@dlh.demo", "role": "officer",
                                                       "agency": "dlh"}, as_="region_admin")
    assert dup.status_code == 409
    assert api.post("/v1/regions/trenggalek/accounts", {"name": "X", "email": "y@z.id", "role": "platform_admin"},
                    as_="region_admin").status_code == 400
    assert api.post("/v1/regions/trenggalek/accounts", {"name": "X", "email": "y@z.id", "role": "officer",
                                                        "agency": "dlh"}, as_="verifier").status_code == 403
    consent = {"notice_version": api.get("/v1/privacy-notice").json_body["version"]}
    signup = api.post("/v1/regions/trenggalek/signup", {"name": "Sari", "phone": "+6281355554444",
                                                        "password": "rahasia123", "consent": consent}, as_=None)
    assert signup.status_code == 202, signup.json_body
    assert api.post("/v1/regions/trenggalek/signup", {"name": "Sari", "phone": "0813", "password": "rahasia123",
                                                      "consent": consent},
                    as_=None).json_body["error"]["code"] == "invalid_phone"
    confirm = api.post("/v1/signup/confirm", {"username": "+6281355554444", "code": "123456"}, as_=None)
    assert confirm.status_code == 200
    import os

    from devstack.seed import sign_in

    token = sign_in(boto3.client("cognito-idp", region_name=REGION), os.environ["ADUAN_USER_POOL_CLIENT_ID"],
                    "+6281355554444", "rahasia123")
    me = api.client.http.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).json_body
    assert me["role"] == "citizen" and me["region_id"] == "trenggalek" and me["name"] == "Sari"


def test_me_describes_staff(api):
    me = api.get("/v1/me", as_="officer").json_body
    assert me == {"sub": me["sub"], "username": "petugas.pupr@trenggalek.demo", "name": "Petugas PUPR Demo",
                  "role": "officer", "region_id": "trenggalek", "agency": "dpupr", "kelurahan_code": None}
