"""The whole system on one machine.

* AWS: moto's server in a child process, bound to 127.0.0.1; boto3 and
  PynamoDB reach it through ``AWS_ENDPOINT_URL``.
* Resources: created from ``chalicelib.resources`` by ``infra.local``.
* API: Chalice's local HTTP server running ``app.py``.
* Workers: for every ``@on_sqs_message`` handler a poller receives from its
  queue, calls the *same handler object Lambda calls* with Lambda's batch
  event, deletes what succeeded and leaves ``batchItemFailures`` for SQS to
  redeliver (and, after ``maxReceiveCount`` receives, to dead-letter).
* Streams: the ``@on_dynamodb_record`` handler reads the reports table's
  stream, batch by batch and in order, as Lambda's event source mapping does.
* Schedules: every ``@schedule`` handler is called on a timer.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import lambda_events

ROOT = Path(__file__).resolve().parent.parent
REGION = "ap-southeast-3"
log = logging.getLogger("devstack")


def state_path(api_port: int) -> Path:
    return ROOT / ".devstack" / f"{api_port}.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def aws_environment(endpoint: str) -> dict[str, str]:
    """What points every AWS client of this process at the local server."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_SESSION_TOKEN": "local",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "ADUAN_STAGE": os.environ.get("ADUAN_STAGE", "local"),
    }


class MotoServer:
    """moto's server as a child process on 127.0.0.1, with DynamoDB requests
    handled one at a time as DynamoDB keeps conditional writes atomic (see
    ``devstack/serial.py``)."""

    def __init__(self, port: int = 0) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "MotoServer":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devstack.serial", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class SqsPoller:
    """Drives one SQS-triggered handler the way Lambda's event source mapping
    does (with ReportBatchItemFailures)."""

    name: str
    handler: Callable[[dict[str, Any], Any], Any]
    sqs: Any
    queue_url: str
    queue_arn: str
    batch_size: int
    # Locally a failed message becomes visible again after this many seconds
    # instead of the queue's full visibility timeout, so retries and the
    # dead-letter path can be watched without waiting minutes.
    retry_delay: int = 5
    wait_seconds: int = 1
    # The handler sets a failed message's visibility itself (its backoff,
    # ``resources.Queue.own_backoff``): left as it is, as Lambda leaves it.
    keep_visibility: bool = False
    handled: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def poll_once(self) -> int:
        received = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=min(self.batch_size, 10),
            WaitTimeSeconds=self.wait_seconds, AttributeNames=["All"], MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not received:
            return 0
        event = {"Records": [lambda_events.sqs_record(m, self.queue_arn, REGION) for m in received]}
        try:
            result = self.handler(event, lambda_events.LambdaContext(self.name))
            failed_ids = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
        except Exception as error:  # Lambda would fail the whole batch
            log.exception("%s: the whole batch failed", self.name)
            self.errors.append(repr(error))
            failed_ids = {m["MessageId"] for m in received}
        done = [m for m in received if m["MessageId"] not in failed_ids]
        retry = [m for m in received if m["MessageId"] in failed_ids]
        if done:
            self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
        if retry and not self.keep_visibility:
            self.sqs.change_message_visibility_batch(QueueUrl=self.queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": self.retry_delay}
                for i, m in enumerate(retry)])
        self.handled += len(done)
        self.failed += len(retry)
        return len(received)

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.poll_once()
            except Exception:  # keep polling; the local server may be restarting
                log.exception("%s: polling failed", self.name)
                stop.wait(1)


class StreamPoller:
    """Drives one DynamoDB-stream handler the way Lambda's event source
    mapping does: batches of records in order per shard, the position kept
    after the batch, and from the first ``batchItemFailures`` record on a
    failure (ReportBatchItemFailures)."""

    def __init__(self, name: str, handler: Callable[[dict[str, Any], Any], Any], session: Any, table_name: str,
                 batch_size: int, start: str = "TRIM_HORIZON") -> None:
        self.name, self.handler, self.batch_size = name, handler, batch_size
        from botocore.config import Config

        # botocore 1.44 addresses streams at <account>.streams-ddb.<region>, which moto 5.2 does not serve
        self.streams = session.client("dynamodbstreams", region_name=REGION,
                                      config=Config(account_id_endpoint_mode="disabled"))
        dynamodb = session.client("dynamodb", region_name=REGION)
        self.arn = dynamodb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
        self.start = start
        self.iterators: dict[str, str | None] = {}
        self.handled = self.failed = 0
        self.errors: list[str] = []
        self._shards()  # the starting position is taken now (LATEST: the writes after this)

    def _shards(self) -> None:
        for shard in self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]:
            if shard["ShardId"] not in self.iterators:
                self.iterators[shard["ShardId"]] = self.streams.get_shard_iterator(
                    StreamArn=self.arn, ShardId=shard["ShardId"], ShardIteratorType=self.start)["ShardIterator"]

    def poll_once(self) -> int:
        self._shards()
        moved = 0
        for shard_id, iterator in list(self.iterators.items()):
            if iterator is None:
                continue
            page = self.streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
            records = page.get("Records", [])
            if not records:
                self.iterators[shard_id] = page.get("NextShardIterator")
                continue
            event = {"Records": [lambda_events.stream_record(r, self.arn, REGION) for r in records]}
            try:
                result = self.handler(event, lambda_events.LambdaContext(self.name))
                failures = [f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])]
            except Exception as error:  # Lambda would retry the whole batch
                log.exception("%s: the whole batch failed", self.name)
                self.errors.append(repr(error))
                failures = [records[0]["dynamodb"]["SequenceNumber"]]
            if failures:
                done = [r for r in records if int(r["dynamodb"]["SequenceNumber"]) < int(failures[0])]
                self.failed += len(records) - len(done)
                self.iterators[shard_id] = self.streams.get_shard_iterator(
                    StreamArn=self.arn, ShardId=shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER",
                    SequenceNumber=failures[0])["ShardIterator"]
            else:
                done = records
                self.iterators[shard_id] = page.get("NextShardIterator")
            self.handled += len(done)
            moved += len(done)
        return moved

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                if not self.poll_once():
                    stop.wait(0.5)
            except Exception:  # keep polling; the local server may be restarting
                log.exception("%s: polling failed", self.name)
                stop.wait(1)


@dataclass
class Schedule:
    name: str
    handler: Callable[[dict[str, Any], Any], Any]
    every_seconds: float
    runs: int = 0

    def run_once(self) -> Any:
        self.runs += 1
        return self.handler(lambda_events.scheduled_event(f"arn:aws:events:{REGION}:rule/{self.name}", REGION),
                            lambda_events.LambdaContext(self.name))

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self.every_seconds):
            try:
                result = self.run_once()
                log.info("%s: %s", self.name, result)
            except Exception:
                log.exception("%s failed", self.name)


class LocalStack:
    def __init__(self, api_port: int = 8000, aws_port: int = 0, retry_delay: int = 5,
                 schedule_seconds: float = 30.0, seed: bool = True) -> None:
        self.api_port = api_port
        self.moto = MotoServer(aws_port)
        self.retry_delay = retry_delay
        self.schedule_seconds = schedule_seconds
        self.seed = seed
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.pollers: dict[str, SqsPoller] = {}
        self.schedules: dict[str, Schedule] = {}
        self.streams: dict[str, StreamPoller] = {}
        self.queue_urls: dict[str, str] = {}
        self.seeded: dict[str, int] = {}
        self.app: Any = None
        self._server: Any = None
        self.user_pool_id = ""
        self.client_id = ""
        self.accounts: dict[str, str] = {}

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def start(self) -> "LocalStack":
        self.moto.start()
        os.environ.update(aws_environment(self.moto.endpoint))
        sys.path.insert(0, str(ROOT))

        import boto3

        from infra.local import local_console_origins, provision, provision_user_pool

        session = boto3.session.Session()
        # the console (served on the API's port) uploads photos straight to the bucket: CORS for its origins
        self.queue_urls = provision(session, REGION, console_origins=local_console_origins(self.api_port))
        for logical, url in self.queue_urls.items():
            if not logical.endswith("-dlq"):
                os.environ[f"ADUAN_QUEUE_URL_{logical.upper()}"] = url
        self.user_pool_id, self.client_id = provision_user_pool(session, REGION)
        os.environ["ADUAN_USER_POOL_ID"] = self.user_pool_id
        os.environ["ADUAN_USER_POOL_CLIENT_ID"] = self.client_id

        # Only now: the app reads its settings from the environment.
        from chalice.app import DynamoDBEventConfig, ScheduledEventConfig, SQSEventConfig

        import app as app_module
        from chalicelib import resources
        from chalicelib.resources import QUEUES

        self.app = app_module.app
        if self.seed:
            from .seed import seed_demo_accounts, seed_demo_project, seed_demo_region

            self.seeded = seed_demo_region()
            self.accounts = seed_demo_accounts(session.client("cognito-idp", region_name=REGION), self.user_pool_id)
            self.seeded["demo_project"] = seed_demo_project()
        self._write_state()

        sqs = session.client("sqs", region_name=REGION)
        by_name = {q.name: q for q in QUEUES}
        for source in self.app.event_sources:
            if isinstance(source, SQSEventConfig):
                queue = by_name[source.queue]
                arn = sqs.get_queue_attributes(QueueUrl=self.queue_urls[queue.logical],
                                               AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                self.pollers[source.name] = SqsPoller(
                    name=source.name, handler=self.app.handler_map[source.name], sqs=sqs,
                    queue_url=self.queue_urls[queue.logical], queue_arn=arn, batch_size=source.batch_size,
                    retry_delay=self.retry_delay, keep_visibility=queue.own_backoff)
            elif isinstance(source, ScheduledEventConfig):
                self.schedules[source.name] = Schedule(source.name, self.app.handler_map[source.name],
                                                       self.schedule_seconds)
            elif isinstance(source, DynamoDBEventConfig):
                self.streams[source.name] = StreamPoller(source.name, self.app.handler_map[source.name], session,
                                                         resources.REPORTS.name, source.batch_size)
        self._start_api()
        for poller in self.pollers.values():
            self._spawn(poller.run, f"poller-{poller.name}")
        for stream in self.streams.values():
            self._spawn(stream.run, f"stream-{stream.name}")
        for schedule in self.schedules.values():
            self._spawn(schedule.run, f"schedule-{schedule.name}")
        return self

    def state_file(self) -> Path:
        return state_path(self.api_port)

    def _write_state(self) -> None:
        """What ``make token`` needs to sign in against this running stack."""
        path = self.state_file()
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps({
            "api": self.api_url, "aws_endpoint": self.moto.endpoint, "region": REGION,
            "user_pool_id": self.user_pool_id, "client_id": self.client_id, "accounts": self.accounts,
            "pid": os.getpid(), "stage": os.environ.get("ADUAN_STAGE", "local"),
        }, indent=1))

    def _spawn(self, target: Callable[[threading.Event], None], name: str) -> None:
        thread = threading.Thread(target=target, args=(self.stop_event,), name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _start_api(self) -> None:
        from chalice.cli.factory import CLIFactory
        from chalice.local import ThreadedHTTPServer

        from .gateway import serve_unknown_routes

        # Python's default listen backlog of 5 resets connections when a phone
        # app, a load test or the concurrency tests open more at once.
        ThreadedHTTPServer.request_queue_size = 128
        factory = CLIFactory(str(ROOT))
        config = factory.create_config_obj(chalice_stage_name="local")
        self._server = factory.create_local_server(self.app, config, "127.0.0.1", self.api_port)
        # unknown paths: 404 in our error shape, as the deployed API's gateway responses answer
        serve_unknown_routes(self._server, self.app, config)
        thread = threading.Thread(target=self._server.server.serve_forever, name="api", daemon=True)
        thread.start()
        self.threads.append(thread)
        wait_for_port(self.api_port)

    def stop(self) -> None:
        self.stop_event.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)
        self.moto.stop()
        self.state_file().unlink(missing_ok=True)

    def __enter__(self) -> "LocalStack":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
