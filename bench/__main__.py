"""``make bench``: what report creation and status lookup cost.

For each request type it prints
* the synchronous AWS calls one request makes, counted with botocore's event
  hooks on every client the process creates (boto3's and PynamoDB's);
* the median time of the Lambda handler (``app(event, context)`` with an API
  Gateway proxy event, as Lambda calls it) divided by the median time of just
  those AWS calls, replayed directly with boto3 against the same moto server;
* whether any ``Scan`` was issued.
Then the cold import time of ``app.py`` relative to ``import boto3``, each in
a fresh interpreter; the boundaries' figures; the web console's first-load
size and the time chromium takes to draw the map with 5,000 reports.  Figures only: nothing here passes or fails.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class CallRecorder:
    """Registers on every botocore client created from now on."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.pending: tuple[str, str, dict[str, Any]] = ("", "", {})

    def install(self) -> None:
        import botocore.session

        original = botocore.session.Session.create_client
        recorder = self

        def create_client(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
            client = original(session, service_name, *args, **kwargs)
            client.meta.events.register("provide-client-params", recorder._record)
            client.meta.events.register("before-call", recorder._sent)
            return client

        botocore.session.Session.create_client = create_client  # type: ignore[method-assign]

    def _record(self, params: dict[str, Any], model: Any, **kwargs: Any) -> None:
        self.pending = (model.service_model.service_name, model.name, json.loads(json.dumps(params, default=str)))

    def _sent(self, **kwargs: Any) -> None:
        # Only requests that go on the wire: presigning a URL provides
        # parameters too, but never calls AWS.
        self.calls.append(self.pending)

    def take(self) -> list[tuple[str, str, dict[str, Any]]]:
        calls, self.calls = self.calls, []
        return calls


def api_event(method: str, path: str, resource: str, path_params: dict[str, str], body: Any = None,
              headers: dict[str, str] | None = None) -> dict[str, Any]:
    headers = {"content-type": "application/json", "host": "bench.local", **(headers or {})}
    return {
        "resource": resource, "path": path, "httpMethod": method, "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": path_params, "stageVariables": None,
        "requestContext": {"resourcePath": resource, "httpMethod": method, "path": f"/api{path}",
                           "stage": "api", "requestId": str(uuid.uuid4()), "identity": {"sourceIp": "127.0.0.1"}},
        "body": json.dumps(body) if body is not None else None, "isBase64Encoded": False,
    }


def replay(clients: dict[str, Any], calls: list[tuple[str, str, dict[str, Any]]]) -> float:
    """The same AWS calls made directly with boto3; returns seconds."""
    from botocore import xform_name

    prepared = []
    for service, operation, params in calls:
        params = json.loads(json.dumps(params))
        if operation == "PutItem":  # a new key, so the conditional write succeeds as the handler's did
            params["Item"]["id"] = {"S": uuid.uuid4().hex}
        prepared.append((getattr(clients[service], xform_name(operation)), params))
    start = time.perf_counter()
    for method, params in prepared:
        method(**params)
    return time.perf_counter() - start


def import_time(statement: str, runs: int) -> float:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)  # warm disk cache
    samples = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                                    capture_output=True, text=True).stdout) for _ in range(runs)]
    return statistics.median(samples)


_COLD_APP = """
import json, sys, time
start, cpu = time.perf_counter(), time.process_time()
import app
imported = time.perf_counter()
event, context = json.loads(sys.argv[1]), type("Context", (), {"aws_request_id": "cold", "function_name": "api"})()
response = app.app(event, context)
answered = time.perf_counter()
assert response["statusCode"] == 200, response
print(json.dumps([imported - start, answered - start, time.process_time() - cpu]))
"""
_COLD_FLOOR = """
import json, sys, time
start, cpu = time.perf_counter(), time.process_time()
import boto3
imported = time.perf_counter()
item = boto3.client("dynamodb").get_item(TableName=sys.argv[1], Key={"id": {"S": sys.argv[2]}})
answered = time.perf_counter()
assert "Item" in item
print(json.dumps([imported - start, answered - start, time.process_time() - cpu]))
"""


def cold_start(report_id: str, runs: int) -> None:
    """A cold start as Lambda pays it: fresh interpreters, each importing
    ``app`` and answering one ``GET /v1/reports/{id}`` against the running
    local AWS, next to the floor any AWS-backed function pays (import boto3,
    make a DynamoDB client, one GetItem).  ``import app`` alone only says
    what is paid before the first request: the API imports its capabilities
    on the first request that uses them (``chalicelib/lazy.py``)."""
    from chalicelib.resources import REPORTS, physical_name

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    event = json.dumps(api_event("GET", f"/v1/reports/{report_id}", "/v1/reports/{report_id}",
                                 {"report_id": report_id}))

    def sample(code: str, *argv: str) -> list[float]:
        out = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout
        return [float(x) for x in json.loads(out)]

    sample(_COLD_APP, event)  # warm the disk cache (and write bytecode) for both
    sample(_COLD_FLOOR, physical_name(REPORTS.logical), report_id)
    apps = [sample(_COLD_APP, event) for _ in range(runs)]
    floors = [sample(_COLD_FLOOR, physical_name(REPORTS.logical), report_id) for _ in range(runs)]
    app_import, app_answer, app_cpu = (statistics.median(s[i] for s in apps) for i in (0, 1, 2))
    floor_import, floor_answer, floor_cpu = (statistics.median(s[i] for s in floors) for i in (0, 1, 2))
    print(f"\ncold start (median of {runs} fresh interpreters):")
    print(f"  import app {app_import * 1000:.1f} ms vs import boto3 {floor_import * 1000:.1f} ms: "
          f"ratio {app_import / floor_import:.2f}")
    print("  to the first answer: import app + GET /v1/reports/{id} (2 GetItems: the report, its region) vs "
          "import boto3 + a client + one GetItem:")
    print(f"    wall {app_answer * 1000:.1f} vs {floor_answer * 1000:.1f} ms: ratio {app_answer / floor_answer:.2f} "
          f"(includes the local server's time to answer)")
    print(f"    CPU  {app_cpu * 1000:.1f} vs {floor_cpu * 1000:.1f} ms: ratio {app_cpu / floor_cpu:.2f} "
          f"(this process only)")


def public_works(call: Any, recorder: CallRecorder, count: int) -> None:
    """QlueWork: AWS calls to register a project, report progress, record a
    disbursement, and read the budget, a project page, the list and OCDS,
    with ``count`` projects in the region (the budget read must not grow)."""
    from datetime import datetime, timedelta, timezone

    from chalicelib.store.models import ProjectModel

    today = datetime.now(timezone(timedelta(hours=7))).date()
    body = {"title": "Jalan desa", "agency": "dpupr", "fiscal_year": today.year, "funding_source": "apbd",
            "location": {"type": "LineString", "coordinates": [[111.695, -8.102], [111.706, -8.099]]},
            "value": 2_000_000_000, "contractor": {"name": "CV Maju Jaya", "npwp": "01.234.567.8-901.000"},
            "contract_number": "1/2026", "start_date": (today - timedelta(days=90)).isoformat(),
            "end_date": (today + timedelta(days=90)).isoformat()}
    captured: list[str] = []
    operations: dict[str, Counter[str]] = {}

    def measure(name: str, run: Any) -> None:
        recorder.take()
        run()
        operations.setdefault(name, Counter()).update(f"{s}.{o}" for s, o, _ in recorder.take())

    for n in range(count):
        def register() -> None:
            captured.append(call("region_admin", "POST", "/v1/regions/trenggalek/projects",
                                 "/v1/regions/{region_id}/projects", {"region_id": "trenggalek"}, body)["id"])
        measure("register project", register)
        pid = captured[-1]
        photo = uuid.uuid4().hex  # an accepted progress photo, as the photo worker records it (setup, not measured)
        ProjectModel(id=pid).update(actions=[ProjectModel.photos.set([{
            "id": photo, "key": f"photos/projects/{pid}/{photo}.jpg", "thumb_key": f"photos/projects/{pid}/{photo}.thumb.jpg",
            "content_type": "image/jpeg", "width": 10, "height": 10, "bytes": 100, "at": "2026-01-01T00:00:00.000000Z"}])])
        recorder.take()
        measure("progress report", lambda pid=pid, photo=photo: call(
                    "contractor", "POST", f"/v1/projects/{pid}/progress",
                                                "/v1/projects/{project_id}/progress", {"project_id": pid},
                                                {"percent": 30, "date": today.isoformat(), "photo_ids": [photo]}))
        measure("disbursement", lambda pid=pid, n=n: call("finance", "POST", f"/v1/projects/{pid}/disbursements",
                                             "/v1/projects/{project_id}/disbursements", {"project_id": pid},
                                             {"amount": 100_000_000, "date": today.isoformat(), "reference": f"SP2D {n}"}))
    pid = captured[0]
    for _ in range(10):
        measure("GET budget", lambda: call("citizen", "GET", "/v1/regions/trenggalek/budget",
                                           "/v1/regions/{region_id}/budget", {"region_id": "trenggalek"}))
        measure("GET project", lambda: call("citizen", "GET", f"/v1/projects/{pid}", "/v1/projects/{project_id}",
                                            {"project_id": pid}))
        measure("GET projects", lambda: call("citizen", "GET", "/v1/regions/trenggalek/projects",
                                             "/v1/regions/{region_id}/projects", {"region_id": "trenggalek"}))
    print(f"\npublic works ({count} projects in the region; AWS calls per request):")
    for name, counter in operations.items():
        runs = {"register project": count, "progress report": count, "disbursement": count}.get(name, 10)
        per = ", ".join(f"{op} x{n / runs:g}" for op, n in sorted(counter.items()))
        print(f"  {name:<19} {sum(counter.values()) / runs:>4g} AWS calls: {per}")


def performance_stream(app: Any, recorder: CallRecorder) -> None:
    """What the performance tallies cost: every write above replayed from the
    reports table's stream through the stream handler, as Lambda would."""
    import boto3

    from chalicelib.resources import REPORTS, REPORTS_STREAM_BATCH
    from devstack.stack import StreamPoller

    poller = StreamPoller("count_report_changes", app.handler_map["count_report_changes"], boto3, REPORTS.name,
                          REPORTS_STREAM_BATCH)
    recorder.take()
    start = time.perf_counter()
    while poller.poll_once():
        pass
    elapsed = time.perf_counter() - start
    calls = recorder.take()
    writes = [params for service, operation, params in calls if operation == "TransactWriteItems"]
    items = sum(len(params.get("TransactItems", [])) for params in writes)
    print(f"\nperformance tallies (the reports stream above, {poller.handled} records): {len(writes)} "
          f"TransactWriteItems, {items / max(len(writes), 1):.1f} items each (marker included), "
          f"{elapsed / max(poller.handled, 1) * 1000:.2f} ms a record; {len(calls) - len(writes)} other AWS calls "
          f"(region reads, stream reads)")


def open311(app: Any, context: Any, recorder: CallRecorder, api_key: str, count: int) -> None:
    """Open311 GeoReport v2: AWS calls per POST (urlencoded, and multipart
    with a photo) and per GET (services, a definition, the list, one request)."""
    import base64
    from urllib.parse import urlencode

    def request(method: str, segment: str, resource: str, params: dict[str, str], query: dict[str, str],
                body: bytes | None = None, content_type: str = "application/json") -> Any:
        event = api_event(method, "/open311/v2/" + segment, "/open311/v2/" + resource, params,
                          headers={"content-type": content_type})
        event["queryStringParameters"] = query
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
        if body is not None:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
        response = app(event, context)
        assert response["statusCode"] < 300, response
        return json.loads(response["body"]) if segment.endswith(".json") else response["body"]

    form = {"jurisdiction_id": "trenggalek", "api_key": api_key, "service_code": "sampah", "lat": "-8.1",
            "long": "111.7", "description": "Tumpukan sampah di pinggir jalan", "email": "warga@example.com",
            "first_name": "Siti", "last_name": "Rahayu"}
    boundary = uuid.uuid4().hex
    parts = b"".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode()
                     for k, v in form.items())
    jpeg = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
    parts += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a.jpg\"\r\n"
              f"Content-Type: image/jpeg\r\n\r\n").encode() + jpeg + f"\r\n--{boundary}--\r\n".encode()
    posted: list[str] = []
    where = {"jurisdiction_id": "trenggalek"}
    cases = [
        ("POST urlencoded", lambda: posted.append(request("POST", "requests.json", "{resource}", {"resource": "requests.json"},
                                                          {}, urlencode(form).encode(),
                                                          "application/x-www-form-urlencoded")[0]["service_request_id"])),
        ("POST multipart", lambda: request("POST", "requests.xml", "{resource}", {"resource": "requests.xml"}, {},
                                           parts, f"multipart/form-data; boundary={boundary}")),
        ("GET services", lambda: request("GET", "services.json", "{resource}", {"resource": "services.json"}, where)),
        ("GET definition", lambda: request("GET", "services/sampah.xml", "services/{service_file}",
                                           {"service_file": "sampah.xml"}, where)),
        ("GET requests", lambda: request("GET", "requests.json", "{resource}", {"resource": "requests.json"}, where)),
        ("GET request", lambda: request("GET", f"requests/{posted[0]}.json", "requests/{request_file}",
                                        {"request_file": f"{posted[0]}.json"}, where)),
    ]
    print(f"\nOpen311 GeoReport v2 ({count} requests each; AWS calls per request):")
    for name, run in cases:
        recorder.take()
        operations: Counter[str] = Counter()
        times = []
        for _ in range(count):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
            operations.update(f"{s}.{o}" for s, o, _ in recorder.take())
        per = ", ".join(f"{op} x{n / count:g}" for op, n in sorted(operations.items()))
        print(f"  {name:<19} {sum(operations.values()) / count:>4g} AWS calls: {per:<58} "
              f"{statistics.median(times) * 1000:7.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--import-runs", type=int, default=9)
    parser.add_argument("--workflow", type=int, default=30, help="reports moved through the workflow")
    args = parser.parse_args()

    from devstack.stack import REGION, MotoServer, aws_environment

    moto = MotoServer().start()
    try:
        os.environ.update(aws_environment(moto.endpoint))
        os.environ["ADUAN_STAGE"] = "bench"
        recorder = CallRecorder()
        recorder.install()

        import boto3

        from infra.local import provision, provision_user_pool

        urls = provision(boto3.session.Session(), REGION)
        for logical, url in urls.items():
            os.environ[f"ADUAN_QUEUE_URL_{logical.upper()}"] = url
        pool_id, client_id = provision_user_pool(boto3.session.Session(), REGION)
        os.environ["ADUAN_USER_POOL_ID"], os.environ["ADUAN_USER_POOL_CLIENT_ID"] = pool_id, client_id
        from devstack.seed import DEMO_ACCOUNTS, seed_demo_accounts, seed_demo_region, sign_in

        seed_demo_region()
        cognito = boto3.client("cognito-idp", region_name=REGION)
        seed_demo_accounts(cognito, pool_id)
        tokens = {role: "Bearer " + sign_in(cognito, client_id, DEMO_ACCOUNTS[role][0])
                  for role in ("citizen", "verifier", "officer", "agency_head", "region_admin", "contractor",
                               "finance")}
        from app import app
        from devstack.lambda_events import LambdaContext

        session = boto3.session.Session()
        clients = {name: session.client(name, region_name=REGION) for name in ("dynamodb", "sqs", "s3")}
        context = LambdaContext("api")
        body = {"category": "jalan-rusak", "description": "Jalan berlubang di depan pasar.", "lat": -8.1, "lon": 111.7}

        def create() -> dict[str, Any]:
            event = api_event("POST", "/v1/regions/trenggalek/reports", "/v1/regions/{region_id}/reports",
                              {"region_id": "trenggalek"}, body, {"idempotency-key": uuid.uuid4().hex,
                                                                  "authorization": tokens["citizen"]})
            response = app(event, context)
            assert response["statusCode"] == 201, response
            return json.loads(response["body"])

        report_ids = [create()["id"] for _ in range(5)]  # warm: caches, clients, connections
        lookup_id = report_ids[0]

        def lookup() -> dict[str, Any]:
            event = api_event("GET", f"/v1/reports/{lookup_id}", "/v1/reports/{report_id}", {"report_id": lookup_id})
            response = app(event, context)
            assert response["statusCode"] == 200, response
            return json.loads(response["body"])

        lookup()
        recorder.take()
        results = {}
        for name, request in (("create report", create), ("report lookup", lookup)):
            handler_times, direct_times, call_counts = [], [], Counter()
            operations: Counter[str] = Counter()
            for _ in range(args.requests):
                start = time.perf_counter()
                request()
                handler_times.append(time.perf_counter() - start)
                calls = recorder.take()
                call_counts[len(calls)] += 1
                operations.update(f"{s}.{o}" for s, o, _ in calls)
                direct_times.append(replay(clients, calls))
                recorder.take()
            results[name] = (handler_times, direct_times, call_counts, operations)

        print(f"moto server {moto.endpoint} (child process); {args.requests} requests each, after warm-up\n")
        print(f"{'request':<15} {'AWS calls':>9}  {'operations (per request)':<42} {'handler ms':>10} "
              f"{'AWS-only ms':>11} {'ratio':>6}")
        scans = 0
        for name, (handler_times, direct_times, call_counts, operations) in results.items():
            [(calls_per_request, _)] = call_counts.most_common(1)
            per_request = ", ".join(f"{op} x{n / args.requests:g}" for op, n in sorted(operations.items()))
            scans += sum(n for op, n in operations.items() if op.endswith(".Scan"))
            handler_ms = statistics.median(handler_times) * 1000
            direct_ms = statistics.median(direct_times) * 1000
            spread = "" if len(call_counts) == 1 else f" (varied: {dict(call_counts)})"
            print(f"{name:<15} {calls_per_request:>9}  {per_request:<42} {handler_ms:>10.2f} {direct_ms:>11.2f} "
                  f"{handler_ms / direct_ms:>6.2f}{spread}")
        print(f"\nScan calls on these request paths: {scans}")

        # --- the workflow: calls per transition and per list request ----------
        from chalicelib.services.routing import route_report
        from chalicelib.store.models import ReportModel

        fresh = [create()["id"] for _ in range(args.workflow)]
        rejected = [create()["id"] for _ in range(args.workflow)]
        duplicates = [create()["id"] for _ in range(args.workflow)]
        for report_id in fresh + rejected + duplicates:
            route_report(report_id)
        for report_id in fresh:  # an accepted evidence photo, as the photo worker records it (setup, not measured)
            ReportModel(id=report_id).update(actions=[ReportModel.evidence_ids.set([uuid.uuid4().hex])])
        recorder.take()

        def call(role: str, method: str, path: str, resource: str, params: dict[str, str], body: Any = None,
                 query: dict[str, str] | None = None) -> Any:
            event = api_event(method, path, resource, params, body, {"authorization": tokens[role]})
            event["queryStringParameters"] = query
            # Chalice reads the multi-value form (as API Gateway's proxy integration sends both)
            event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} if query else None
            response = app(event, context)
            assert response["statusCode"] < 300, response
            return json.loads(response["body"])

        def transition(role: str, target: str, **extra: str):
            def run(report_id: str) -> None:
                call(role, "POST", f"/v1/reports/{report_id}/transitions", "/v1/reports/{report_id}/transitions",
                     {"report_id": report_id}, {"to": target, **extra})
            return run

        def rate(stars: int):
            def run(report_id: str) -> None:
                call("citizen", "POST", f"/v1/reports/{report_id}/rating", "/v1/reports/{report_id}/rating",
                     {"report_id": report_id}, {"stars": stars})
            return run

        # each report of ``fresh`` through its whole lifecycle, two rounds of rating
        steps = [
            ("verify", fresh, transition("verifier", "verified")),
            ("take", fresh, transition("officer", "in_process")),
            ("note", fresh, lambda rid: call("officer", "POST", f"/v1/reports/{rid}/notes",
                                             "/v1/reports/{report_id}/notes", {"report_id": rid}, {"note": "dicek"})),
            ("finish", fresh, transition("officer", "done")),
            ("rating (low)", fresh, rate(2)),
            ("reopen", fresh, transition("verifier", "in_process")),
            ("finish again", fresh, transition("officer", "done")),
            ("rating (low) again", fresh, rate(1)),
            ("confirm", fresh, transition("verifier", "done")),
            ("reject", rejected, transition("verifier", "rejected", reason="spam")),
            ("mark duplicate", duplicates, transition("verifier", "duplicate", duplicate_of=fresh[0])),
        ]
        lists = [
            ("verification queue", lambda: call("verifier", "GET", "/v1/regions/trenggalek/verification-queue",
                                                "/v1/regions/{region_id}/verification-queue",
                                                {"region_id": "trenggalek"})),
            ("officer inbox", lambda: call("officer", "GET", "/v1/me/inbox", "/v1/me/inbox", {},
                                           query={"status": "in_process"})),
            ("escalations", lambda: call("agency_head", "GET", "/v1/me/inbox", "/v1/me/inbox", {},
                                         query={"overdue": "true"})),
            ("my reports", lambda: call("citizen", "GET", "/v1/me/reports", "/v1/me/reports", {})),
            ("rankings (agency)", lambda: call("citizen", "GET", "/v1/regions/trenggalek/rankings",
                                               "/v1/regions/{region_id}/rankings", {"region_id": "trenggalek"},
                                               query={"level": "agency"})),
            ("rankings (officer)", lambda: call("region_admin", "GET", "/v1/regions/trenggalek/rankings",
                                                "/v1/regions/{region_id}/rankings", {"region_id": "trenggalek"},
                                                query={"level": "officer"})),
            ("stats, this month", lambda: call("verifier", "GET", "/v1/regions/trenggalek/stats",
                                               "/v1/regions/{region_id}/stats", {"region_id": "trenggalek"},
                                               query={"group_by": "agency"})),
            ("map page", lambda: call("citizen", "GET", "/v1/regions/trenggalek/reports/map",
                                      "/v1/regions/{region_id}/reports/map", {"region_id": "trenggalek"},
                                      query={"limit": "100", "status": "done"})),
            ("stats, two months", lambda: call("verifier", "GET", "/v1/regions/trenggalek/stats",
                                               "/v1/regions/{region_id}/stats", {"region_id": "trenggalek"},
                                               query={"group_by": "kelurahan", "from": two_months_ago})),
        ]
        two_months_ago = (datetime.now(timezone(timedelta(hours=7))).date().replace(day=1) - timedelta(days=1)).replace(
            day=1).isoformat()
        print(f"\nworkflow ({args.workflow} reports each; median handler time):")
        for name, reports, step in steps:
            operations = Counter()
            times = []
            for report_id in reports:
                start = time.perf_counter()
                step(report_id)
                times.append(time.perf_counter() - start)
                operations.update(f"{s}.{o}" for s, o, _ in recorder.take())
            per = ", ".join(f"{op} x{n / len(reports):g}" for op, n in sorted(operations.items()))
            print(f"  {name:<19} {sum(operations.values()) / len(reports):>4g} AWS calls: {per:<58} "
                  f"{statistics.median(times) * 1000:7.2f} ms")
        for name, request in lists:
            operations = Counter()
            for _ in range(10):
                request()
                operations.update(f"{s}.{o}" for s, o, _ in recorder.take())
            per = ", ".join(f"{op} x{n / 10:g}" for op, n in sorted(operations.items()))
            print(f"  {name:<19} {sum(operations.values()) / 10:>4g} AWS calls: {per}")
        performance_stream(app, recorder)
        public_works(call, recorder, args.workflow)
        partner = call("region_admin", "POST", "/v1/regions/trenggalek/partners", "/v1/regions/{region_id}/partners",
                       {"region_id": "trenggalek"}, {"name": "FixMyStreet", "channel": "open311",
                                                     "rate_per_minute": 1000})
        open311(app, context, recorder, partner["api_key"], 10)
        cold_start(lookup_id, args.import_runs)
    finally:
        moto.stop()

    env_stage = {"ADUAN_STAGE": "bench"}
    os.environ.update(env_stage)
    # Why the contract's models are msgspec: its import next to pydantic v2's (a dev-only package here).
    msgspec_s = import_time("import msgspec, msgspec.json", args.import_runs)
    pydantic_s = import_time("from pydantic import BaseModel; BaseModel.model_json_schema", args.import_runs)
    print(f"contract library import: msgspec {msgspec_s * 1000:.1f} ms (used), "
          f"pydantic v2 BaseModel {pydantic_s * 1000:.1f} ms (not used)")
    from infra.stages import Stage

    from .photo_memory import measure

    measure(Stage.__dataclass_fields__["memory_mb"].default)
    from .boundaries import main as boundaries

    boundaries()
    from .console import main as console

    console()
    return 0


if __name__ == "__main__":
    sys.exit(main())
