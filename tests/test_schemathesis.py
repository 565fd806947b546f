"""Property-based tests of the whole HTTP API against the real local stack
(``python -m devstack run``, what ``make run`` starts): schemathesis reads the
served ``/openapi.json``, generates requests for every operation in it (valid
and invalid ones) and sends them once per role, signed in as that seeded
account; every reply must be no server error, have a status the operation
declares, and match the declared schema.

Path parameters often name real data (the demo region, its seeded project, a
report filed here) so requests get past the 404.  Requests write: the stack
is throwaway, started for this module and stopped (with its moto server) at
its end.

``pytest tests/test_schemathesis.py -s`` prints per role what was sent and
found; the same lines are in ``schemathesis-report.txt`` in pytest's
temporary directory.
"""
from __future__ import annotations

import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from support.conformance import _closed
from support.data import new_report
from support.localstack import running_stack

pytestmark = pytest.mark.integration

ROLES = ("citizen", "officer", "region_admin", "platform_admin")
# Generated examples per operation and role (valid and invalid ones, on top of
# the document's own examples): ~35 operations x 4 roles x ~9 requests at
# ~40 ms each, about a minute for the module with the stack's start on 2 cores.
# A deeper run: SCHEMATHESIS_EXAMPLES=200 SCHEMATHESIS_COVERAGE=1 pytest tests/test_schemathesis.py -s
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
# How often a path parameter names real data rather than a generated value.
REAL_SHARE = 3 / 4
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
PHASES = {
    # schemathesis' coverage phase (every boundary and every invalid variant the
    # schema defines, ~75 requests per operation whatever max_examples says) costs
    # ~40 s per role here even in positive mode alone: beyond this module's budget
    # in `make test`.
    "coverage": {
        "enabled": os.environ.get("SCHEMATHESIS_COVERAGE") == "1",
        # If it is turned on: Chalice's local server answers TRACE and QUERY with
        # 501 by itself (its http.server has no handler for them; not our code,
        # and API Gateway answers them itself): they are not sent as "unexpected
        # methods" to every path.
        "unexpected-methods": ["get", "put", "post", "delete", "options", "patch"],
    },
}


@dataclass
class Tally:
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: int = 0
    schema_violations: int = 0
    status_violations: int = 0
    # one entry per distinct failure: the last (after shrinking: the smallest) reproduction
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)


TALLY = {role: Tally() for role in ROLES}
# every operation of the served document, as schemathesis labels them
DOCUMENTED: set[str] = set()
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("schemathesis-stack"), "--retry-delay", "0") as stack:
        yield stack


@pytest.fixture(scope="module")
def real_ids(local_stack):
    """Path parameters naming data that exists in the running stack."""
    base = local_stack.base
    projects = requests.get(f"{base}/v1/regions/trenggalek/projects", timeout=30).json()["items"]
    report = requests.post(f"{base}/v1/regions/trenggalek/reports", json=new_report(),
                           headers=local_stack.headers("citizen"), timeout=30)
    assert report.status_code == 201, report.text
    return {"region_id": "trenggalek", "project_id": projects[0]["id"], "report_id": report.json()["id"]}


@pytest.fixture(scope="module")
def api_schema(local_stack, real_ids):
    config = schemathesis.Config.from_dict({
        "base-url": local_stack.base,
        "phases": PHASES,
    })
    served = requests.get(f"{local_stack.base}/openapi.json", timeout=30)
    assert served.status_code == 200, served.text
    document = served.json()
    # as every reply of the test suite is checked (support/conformance.py): an
    # object that lists its properties has no others (closed here, not in the
    # served document)
    document["components"] = _closed(document["components"])
    schema = schemathesis.openapi.from_dict(document, config=config)
    DOCUMENTED.update(f"{method.upper()} {path}" for path, item in document["paths"].items()
                      for method in item if method in HTTP_METHODS)

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        real = {name: value for name, value in real_ids.items() if name in (path_parameters or {})}
        if not real:
            return st.just(path_parameters)
        # sampled_from shrinks towards its first item: a failure is reported with the real data
        weights = [True] * round(REAL_SHARE * 4) + [False] * round((1 - REAL_SHARE) * 4)
        return st.sampled_from(weights).map(lambda use: {**path_parameters, **real} if use else path_parameters)

    return schema


@pytest.fixture(params=ROLES)
def role(request):
    # schemathesis' lazy schema (4.32) renames the running test after each operation
    # through `node._nodeid`, which pytest 9.2 no longer has
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    return request.param


schema = schemathesis.pytest.from_fixture("api_schema")


def _curl(case, response, role: str, limit: int = 1500) -> str:
    command = case.as_curl_command(headers=dict(response.request.headers))
    # (schemathesis shows the header as [Filtered]; in case it does not)
    command = re.sub(r"Bearer [A-Za-z0-9._-]+", f"Bearer $TOKEN_{role.upper()}", command)
    return command if len(command) <= limit else f"{command[:limit]}… ({len(command)} characters)"


@schema.parametrize()
# the role fixture's parameters: schemathesis' wrapper does not take `role` as an argument itself
@pytest.mark.usefixtures("role")
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate, Phase.shrink],
          suppress_health_check=list(HealthCheck))
def test_every_operation(case, role, local_stack):
    tally = TALLY[role]
    label = case.operation.label
    tally.operations.add(label)
    headers = local_stack.headers(role)
    # a 302 is answered, not followed (its Location is a presigned S3 URL)
    response = case.call(base_url=local_stack.base, headers=headers, timeout=60, allow_redirects=False)
    tally.cases += 1
    tally.statuses[response.status_code] += 1
    checks = list(CHECKS)
    if case.operation.path == "/openapi.json" or response.status_code == 302:
        # the document itself is free-form; a redirect has no body to match
        checks.remove(response_schema_conformance)
    try:
        case.validate_response(response, checks=checks, headers=headers,
                               transport_kwargs={"base_url": local_stack.base, "headers": headers})
    except FailureGroup as group:
        kinds = {type(failure).__name__ for failure in group.exceptions}
        # counted per request: a 5xx, an undeclared status, a reply not matching its schema
        tally.server_errors += response.status_code >= 500
        tally.status_violations += "UndefinedStatusCode" in kinds
        tally.schema_violations += bool(kinds - {"ServerError", "UndefinedStatusCode"})
        body = response.content[:600].decode("utf-8", "replace")
        for failure in group.exceptions:
            tally.failures[(label, type(failure).__name__, str(response.status_code))] = (
                f"{failure.title}: {failure.message.splitlines()[0] if failure.message else ''}\n"
                f"    request:  {_curl(case, response, role)}\n"
                f"    response: {response.status_code} {body}")
        raise


def test_summary(tmp_path_factory):
    """Per role: operations tested, cases sent, server errors, schema violations; none of either."""
    lines = [f"schemathesis {schemathesis.__version__}: {len(DOCUMENTED)} operations in /openapi.json, "
             f"{MAX_EXAMPLES} generated examples per operation and role, {time.strftime('%Y-%m-%d %H:%M:%S')}"]
    for role, tally in TALLY.items():
        lines.append(f"{role:15} operations {len(tally.operations):3}  cases {tally.cases:5}  "
                     f"server errors {tally.server_errors:3}  schema violations {tally.schema_violations:3}  "
                     f"undeclared statuses {tally.status_violations:3}  "
                     f"statuses {dict(sorted(tally.statuses.items()))}")
    for role, tally in TALLY.items():
        for (label, kind, status), text in sorted(tally.failures.items()):
            lines.append(f"[{role}] {label} → {status} ({kind})\n  {text}")
    report = "\n".join(lines)
    (tmp_path_factory.getbasetemp() / "schemathesis-report.txt").write_text(report + "\n")
    print("\n" + report)
    for role, tally in TALLY.items():
        assert tally.operations == DOCUMENTED, f"{role}: not tested: {sorted(DOCUMENTED - tally.operations)}"
    assert sum(t.server_errors + t.schema_violations + t.status_violations for t in TALLY.values()) == 0, report
