"""Shared fixtures: an in-memory AWS (moto's ``mock_aws``) provisioned from the
same declarations as the local stack and production, the demo region seeded,
and the Chalice test client."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Settings are read at import time: fix them before the app is imported.
for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
    os.environ.pop(name, None)
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "ap-southeast-3",
    "AWS_REGION": "ap-southeast-3",
    "ADUAN_STAGE": "test",
})
for name in list(os.environ):
    if name.startswith("ADUAN_QUEUE_URL_"):
        del os.environ[name]

import boto3  # noqa: E402

from devstack import transactions as _transactions  # noqa: E402
from support import attribute_values  # noqa: E402
from support.data import INSIDE, OUTSIDE, REGION, count_items, new_report, queue_messages  # noqa: E402,F401
from support.serial_dynamodb import serialise_dynamodb  # noqa: E402

serialise_dynamodb()  # moto in-process: one DynamoDB request at a time, as DynamoDB keeps conditional writes atomic
_transactions.install()  # moto's transactions roll back the items they name, not copies of whole tables
attribute_values.install()  # moto writes DynamoDB's item values in its replies directly, not shape by shape



@pytest.fixture(scope="module")
def world():
    """One provisioned in-memory AWS per test module (see support/world.py)."""
    from support.world import World

    built = World()
    yield built
    built.close()


# Fixtures that build their state once per module with World.scene.
SCENES = {"two_regions"}


@pytest.fixture
def aws(world, request):
    """A provisioned in-memory AWS for this test: empty, or holding just the
    demo region when the test also asks for ``region``; the queue URLs."""
    if SCENES & set(request.fixturenames):
        pass  # the scene's own fixture puts its state back (support/world.py, World.scene)
    elif "region" in request.fixturenames:
        world.reset_to_seed()
    else:
        world.empty()
    return world.urls


@pytest.fixture
def no_scan(monkeypatch):
    """Fail the test if the code under test issues a DynamoDB Scan."""
    from pynamodb.connection.base import Connection

    def forbidden(*args, **kwargs):
        raise AssertionError("a Scan was issued on a request path")

    monkeypatch.setattr(Connection, "scan", forbidden)


@pytest.fixture
def region(aws, world):
    """The demo region and its accounts, as ``make run`` seeds them."""
    return "trenggalek"


class Tokens(dict):
    """ID tokens of the seeded demo accounts, signed in through Cognito
    (once per module: the accounts outlive the resets between tests)."""

    def __init__(self, world):
        super().__init__()
        self.world = world

    def __missing__(self, role):
        token = self.world.token(role)
        self[role] = token
        return token


@pytest.fixture
def tokens(region, world):
    return Tokens(world)


_CONFORMANCE = []


def conformance():
    """The generated document's checker, built once per test session."""
    if not _CONFORMANCE:
        from chalicelib.api.openapi import document
        from support.conformance import Conformance

        _CONFORMANCE.append(Conformance(document()))
    return _CONFORMANCE[0]


def checked(http):
    """Every reply of the test client is checked against /openapi.json."""
    plain = http.request

    def request(method, path, headers=None, body=b""):
        response = plain(method, path, headers=headers, body=body)
        conformance().check(method, path, response.status_code, dict(response.headers), response.body)
        return response

    http.request = request
    return http


@pytest.fixture
def client(region, no_scan):
    from chalice.test import Client

    from app import app
    from devstack.gateway import answer_unknown_routes_in_test_client

    with Client(app) as test_client:
        answer_unknown_routes_in_test_client(test_client)  # unknown paths: our 404, as on AWS
        checked(test_client.http)  # every reply checked against /openapi.json
        yield test_client


class Api:
    """Small helpers over the Chalice test client, speaking JSON; ``as_`` names
    the seeded account whose token is sent (``citizen`` for posts by default)."""

    def __init__(self, client, tokens):
        self.client = client
        self.tokens = tokens

    def _headers(self, headers, as_):
        headers = dict(headers or {})
        if as_:
            headers["Authorization"] = f"Bearer {self.tokens[as_]}"
        return headers

    def post(self, path, body=None, raw=None, headers=None, as_="citizen"):
        headers = {"Content-Type": "application/json", **self._headers(headers, as_)}
        data = raw if raw is not None else json.dumps(body)
        return self.client.http.post(path, body=data, headers=headers)

    def get(self, path, headers=None, as_=None):
        return self.client.http.get(path, headers=self._headers(headers, as_))


@pytest.fixture
def api(client, tokens):
    return Api(client, tokens)


class Pipeline:
    """The app's SQS and stream handlers driven by the same pollers the local
    stack uses, against the in-memory queues and the reports table's stream:
    messages really travel through SQS, changes through the stream."""

    def __init__(self, urls):
        from chalice.app import DynamoDBEventConfig, SQSEventConfig

        from app import app
        from chalicelib.resources import QUEUES, REPORTS
        from devstack.stack import SqsPoller, StreamPoller

        sqs = boto3.client("sqs", region_name=REGION)
        by_name = {q.name: q for q in QUEUES}
        self.pollers = {}
        for source in app.event_sources:
            if isinstance(source, SQSEventConfig):
                queue = by_name[source.queue]
                arn = sqs.get_queue_attributes(QueueUrl=urls[queue.logical],
                                               AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                self.pollers[queue.logical] = SqsPoller(
                    name=source.name, handler=app.handler_map[source.name], sqs=sqs, queue_url=urls[queue.logical],
                    queue_arn=arn, batch_size=source.batch_size, retry_delay=0, wait_seconds=0,
                    keep_visibility=queue.own_backoff)
            elif isinstance(source, DynamoDBEventConfig):  # this test's writes on: the records after now
                # "stream": the tallies' consumer; the others by their handler's name
                name = "stream" if source.name == "count_report_changes" else source.name
                self.pollers[name] = StreamPoller(source.name, app.handler_map[source.name], boto3, REPORTS.name,
                                                      source.batch_size, start="LATEST")

    def run(self, max_rounds: int = 20) -> int:
        """Poll every queue until all are empty; returns messages handled."""
        total = 0
        for _ in range(max_rounds):
            moved = sum(poller.poll_once() for poller in self.pollers.values())
            total += moved
            if not moved:
                break
        return total


@pytest.fixture
def pipeline(aws):
    return Pipeline(aws)


# Tiers: a test that needs the in-memory AWS, a running local stack or the CDK
# synth is an integration test; the rest are unit tests (`make check`).
INTEGRATION_FIXTURES = {"world", "stack", "synth", "local_stack", "console_stack"}


def pytest_collection_modifyitems(items):
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)
