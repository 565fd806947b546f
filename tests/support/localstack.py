"""The real local stack (``python -m devstack run``, what ``make run`` starts)
in a child process on free ports, for tests that drive it over HTTP.

The child runs in its own process group, so that however it ends, stopping
it never leaves its embedded AWS (moto) server behind: Ctrl-C first (the
stack stops its API, workers and moto), then the whole group is killed if
it has not exited in time."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from devstack.stack import REGION, ROOT, free_port, state_path


def wait_until(check: Callable[[], Any], timeout: float = 30.0, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(interval)


@dataclass
class RunningStack:
    base: str
    api_port: int
    aws_port: int
    process: subprocess.Popen
    console: Path
    _tokens: dict[str, str] = field(default_factory=dict)

    @property
    def aws_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.aws_port}"

    def state(self) -> dict[str, Any]:
        """What the stack wrote for ``make token`` (user pool, client, seeded accounts)."""
        return json.loads(state_path(self.api_port).read_text())

    def token(self, role: str) -> str:
        """The ID token of a seeded demo account (``devstack.seed.DEMO_ACCOUNTS``),
        signed in as the mobile app signs in (what ``make token ROLE=…`` prints)."""
        if role not in self._tokens:
            import boto3

            from devstack.seed import sign_in

            state = self.state()
            cognito = boto3.client("cognito-idp", endpoint_url=state["aws_endpoint"], region_name=REGION,
                                   aws_access_key_id="local", aws_secret_access_key="local")
            self._tokens[role] = sign_in(cognito, state["client_id"], state["accounts"][role])
        return self._tokens[role]

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role)}"}


def _stop(process: subprocess.Popen, timeout: float = 30.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    # the group (the stack and its moto server), whatever is left of it
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=timeout)


@contextlib.contextmanager
def running_stack(directory: Path, *extra_args: str, stage: str = "e2e", timeout: float = 90.0) -> Iterator[RunningStack]:
    """Start the local stack, wait for ``/health``, yield it, stop it (and its moto server)."""
    api_port, aws_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "ADUAN_")) or k == "ADUAN_CONSOLE_DIST"}  # the console build to serve
    env["ADUAN_STAGE"] = stage
    console = directory / "console.log"
    with console.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "devstack", "run", "--port", str(api_port), "--aws-port", str(aws_port),
             *extra_args],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
    stack = RunningStack(base=f"http://127.0.0.1:{api_port}", api_port=api_port, aws_port=aws_port,
                         process=process, console=console)
    try:
        def up() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"the local stack exited: {console.read_text()}")
            try:
                return requests.get(f"{stack.base}/health", timeout=1).status_code == 200
            except requests.ConnectionError:
                return False

        wait_until(up, timeout=timeout)
        yield stack
    finally:
        _stop(process)
