"""Requests fired truly at once against the local stack (what ``make run``
runs: ``devstack.stack.LocalStack`` with moto's server as the embedded AWS)
get only the outcomes DynamoDB's conditional writes allow: of two officers
taking the same report exactly one wins; concurrent disbursements are all
recorded when answered 201 and never exceed the contract value.

moto's server alone answers requests on threads without serialising
conditional writes; ``devstack/serial.py`` makes it keep DynamoDB's promise.
Without it these tests fail.

The stack runs in a child process (``python -m devstack run`` on free ports,
exactly ``make run``): starting ``LocalStack`` inside the test process would
point this process's AWS settings and the app's cached clients at it, which
the in-memory AWS of the other test modules must not inherit."""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import boto3
import pytest
import requests

from devstack.stack import REGION
from support.data import new_report
from support.localstack import running_stack, wait_until

TIMEOUT = 30  # seconds: any single request, barrier or wait
TAKE_ROUNDS = 10
PAYMENTS = 20
ROLES = ("citizen", "verifier", "officer", "officer2", "finance")


def at_once(stack, calls):
    """Run ``call(session)`` for each call on its own thread, released
    together by a barrier; their results in order (bounded: every wait has a
    timeout).  Each session's connection is opened beforehand, one at a time,
    so the release sends requests, not a burst of connections (the local API
    server listens with a backlog of 5, and resets connections beyond it)."""
    sessions = [requests.Session() for _ in calls]
    for session in sessions:
        assert session.get(f"{stack.base}/health", timeout=TIMEOUT).status_code == 200
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT)

    def released(call, session):
        barrier.wait()
        return call(session)

    try:
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            futures = [pool.submit(released, call, session) for call, session in zip(calls, sessions, strict=True)]
            return [future.result(timeout=2 * TIMEOUT) for future in futures]
    finally:
        for session in sessions:
            session.close()


class Stack:
    def __init__(self, base, tokens):
        self.base = base
        self.tokens = tokens

    def headers(self, role):
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def get(self, path, as_=None, params=None):
        response = requests.get(f"{self.base}{path}", params=params, headers=self.headers(as_), timeout=TIMEOUT)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, path, body, as_, headers=None, session=requests):
        return session.post(f"{self.base}{path}", json=body, timeout=TIMEOUT,
                            headers={**self.headers(as_), **(headers or {})})


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("stack"), "--retry-delay", "0", "--schedule-seconds", "60") as running:
        yield Stack(running.base, {role: running.token(role) for role in ROLES})


def verified_reports(stack, count):
    """Reports created by the citizen, routed by the worker, verified."""
    ids = []
    for n in range(count):
        created = stack.post("/v1/regions/trenggalek/reports", new_report(
            description=f"Jalan berlubang nomor {n} di depan pasar."), "citizen")
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    for report_id in ids:
        wait_until(lambda report_id=report_id: stack.get(f"/v1/reports/{report_id}")["routed"])
        verified = stack.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, "verifier")
        assert verified.status_code == 200, verified.text
    return ids


def test_two_officers_taking_the_same_report_exactly_one_wins(stack):
    from devstack.seed import DEMO_ACCOUNTS

    officers = ("officer", "officer2")
    outcomes = []
    for report_id in verified_reports(stack, TAKE_ROUNDS):
        replies = at_once(stack, [
            lambda session, role=role, path=f"/v1/reports/{report_id}/transitions": stack.post(
                path, {"to": "in_process"}, role, session=session)
            for role in officers])
        codes = dict(zip(officers, (reply.status_code for reply in replies), strict=True))
        outcomes.append((report_id, codes, stack.get(f"/v1/reports/{report_id}", as_="verifier")))
    for report_id, codes, report in outcomes:
        history = [h["status"] for h in report["history"]]
        assert sorted(codes.values()) == [200, 409], (report_id, codes, history)
        assert history.count("in_process") == 1, (report_id, codes, history)
        [winner] = [role for role, code in codes.items() if code == 200]
        assert report["status"] == "in_process"
        assert report.get("assignee_name", DEMO_ACCOUNTS[winner][3]) == DEMO_ACCOUNTS[winner][3], (report_id, codes)


def projects_of(stack):
    items, cursor = [], None
    while True:
        page = stack.get("/v1/regions/trenggalek/projects", params={"cursor": cursor} if cursor else None)
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def test_concurrent_disbursements_are_all_recorded_and_never_overshoot(stack):
    [project] = [p for p in projects_of(stack) if p["title"].endswith("(demo)")]
    pid, value = project["id"], project["value"]
    room = value - project["disbursed"]
    amount = room // (PAYMENTS // 5) + 1  # fewer than a fifth of them fit
    fit = room // amount
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
    run = uuid.uuid4().hex[:8]

    def pay(n, session):
        reference = f"SP2D {run}/{n}"
        reply = stack.post(f"/v1/projects/{pid}/disbursements",
                           {"amount": amount, "date": today, "reference": reference}, "finance",
                           headers={"Idempotency-Key": f"{run}-{n}"}, session=session)
        return reference, reply

    # fired at once; those answered "busy, retry" (409 project_busy) fire again, at once
    answers, pending = {}, list(range(PAYMENTS))
    for _ in range(PAYMENTS):
        if not pending:
            break
        for reference, reply in at_once(stack, [lambda session, n=n: pay(n, session) for n in pending]):
            answers[reference] = reply
        pending = [n for n in pending if answers[f"SP2D {run}/{n}"].status_code == 409
                   and answers[f"SP2D {run}/{n}"].json()["error"]["code"] == "project_busy"]
    assert not pending, "still busy after as many rounds as payments"

    codes = {reference: (reply.status_code, reply.json().get("error", {}).get("code"))
             for reference, reply in answers.items()}
    assert set(codes.values()) <= {(201, None), (400, "over_contract_value")}, codes
    answered_201 = {reference for reference, (status, _) in codes.items() if status == 201}

    page = stack.get(f"/v1/projects/{pid}")
    recorded = [d for d in page["disbursements"] if d["reference"].startswith(f"SP2D {run}/")]
    assert sorted(d["reference"] for d in recorded) == sorted(answered_201)  # no 201 unrecorded, none unanswered
    assert len(answered_201) == fit
    assert page["disbursed"] == sum(d["amount"] for d in page["disbursements"]) <= value
    assert page["disbursed"] == project["disbursed"] + fit * amount

    projects = projects_of(stack)
    budget = stack.get("/v1/regions/trenggalek/budget")
    assert budget["totals"]["projects"] == len(projects)
    assert budget["totals"]["contract_value"] == sum(p["value"] for p in projects)
    assert budget["totals"]["disbursed"] == sum(p["disbursed"] for p in projects)
    for agency in budget["agencies"]:
        mine = [p for p in projects if p["agency"] == agency["agency"]]
        assert (agency["projects"], agency["disbursed"]) == (len(mine), sum(p["disbursed"] for p in mine))


class Meter:
    """How many threads are inside ``enter()`` (each stays ``hold`` seconds)
    at the same moment, at most."""

    def __init__(self, hold=0.05):
        self.hold, self.inside, self.most, self.guard = hold, 0, 0, threading.Lock()

    def enter(self):
        with self.guard:
            self.inside += 1
            self.most = max(self.most, self.inside)
        time.sleep(self.hold)
        with self.guard:
            self.inside -= 1


def most_at_once(call, meter, threads=8):
    """``call()`` on ``threads`` threads released together; the meter's peak."""
    barrier = threading.Barrier(threads, timeout=TIMEOUT)

    def released():
        barrier.wait()
        call()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(released) for _ in range(threads)]:
            future.result(timeout=TIMEOUT)
    return meter.most


def test_the_middleware_serialises_dynamodb_and_nothing_else():
    from devstack.serial import SerialDynamoDB

    def moto(environ, start_response):
        environ["meter"].enter()
        start_response("200 OK", [])
        return [b"{}"]

    app = SerialDynamoDB(moto)

    def peak(**headers):
        meter = Meter()
        return most_at_once(lambda: app({"meter": meter, **headers}, lambda *_: None), meter)

    assert peak(HTTP_X_AMZ_TARGET="DynamoDB_20120810.UpdateItem") == 1
    assert peak(HTTP_X_AMZ_TARGET="DynamoDB_20120810.GetItem") == 1
    assert peak(HTTP_X_AMZ_TARGET="AmazonSQS.ReceiveMessage") > 1  # long polls do not hold DynamoDB up
    assert peak() > 1  # S3: no target


@pytest.mark.integration  # the in-memory AWS
def test_in_process_moto_serialised_by_the_support_hook(monkeypatch):
    """What ``tests/support/serial_dynamodb.py`` gives ``mock_aws``."""
    from moto import mock_aws
    from moto.dynamodb.models import DynamoDBBackend

    from support.serial_dynamodb import serial_dynamodb

    meter, real = Meter(), DynamoDBBackend.list_tables

    def list_tables(self, *args, **kwargs):
        meter.enter()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "list_tables", list_tables)
    with mock_aws(), serial_dynamodb():
        assert most_at_once(lambda: boto3.client("dynamodb", region_name=REGION).list_tables(), meter) == 1
