"""``python -m devstack run``: the whole system locally, until Ctrl-C."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run API, embedded AWS, workers and schedules on 127.0.0.1")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument("--aws-port", type=int, default=int(os.environ.get("AWS_PORT", "0")),
                     help="port of the embedded AWS (moto) server; free port by default")
    run.add_argument("--retry-delay", type=int, default=5, help="seconds before a failed message is retried")
    run.add_argument("--schedule-seconds", type=float, default=float(os.environ.get("SCHEDULE_SECONDS", "30")),
                     help="how often the scheduled handlers run")
    token = sub.add_parser("token", help="print an ID token of a seeded demo account (last line)")
    token.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    token.add_argument("--role", default=os.environ.get("ROLE", "citizen"))
    args = parser.parse_args(argv)
    if args.command == "token":
        return print_token(args.port, args.role)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from .stack import LocalStack

    stack = LocalStack(api_port=args.port, aws_port=args.aws_port, retry_delay=args.retry_delay,
                       schedule_seconds=args.schedule_seconds)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stack.start()
        print(banner(stack), flush=True)
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        print("\nstopping…", flush=True)
        stack.stop()
    return 0


def print_token(port: int, role: str) -> int:
    import json

    import boto3

    from .seed import DEMO_ACCOUNTS, sign_in
    from .stack import state_path

    path = state_path(port)
    if not path.exists():
        print(f"no local stack is running on port {port} (start it with `make run`)", file=sys.stderr)
        return 2
    state = json.loads(path.read_text())
    if role not in state["accounts"]:
        print(f"unknown role {role!r}; seeded: {', '.join(state['accounts'])}", file=sys.stderr)
        return 2
    cognito = boto3.client("cognito-idp", endpoint_url=state["aws_endpoint"], region_name=state["region"],
                           aws_access_key_id="local", aws_secret_access_key="local")
    username = state["accounts"][role]
    print(f"# {role}: {username} ({DEMO_ACCOUNTS[role][3]})", file=sys.stderr)
    print(sign_in(cognito, state["client_id"], username))
    return 0


def banner(stack) -> str:
    api = stack.api_url
    lines = [
        "",
        f"Aduan is running: API {api}  (OpenAPI: {api}/openapi.json)",
        f"Embedded AWS (moto) on {stack.moto.endpoint}; stage '{os.environ.get('ADUAN_STAGE')}'",
        f"Demo region 'trenggalek': {stack.seeded}",
        f"Accounts (password 'demo-password-1'): {', '.join(f'{k}={v}' for k, v in stack.accounts.items())}",
        "  token: make token ROLE=citizen   (then -H 'Authorization: Bearer <token>')",
        f"Workers: {', '.join(stack.pollers)}; schedules: {', '.join(stack.schedules)} (every {stack.schedule_seconds:g}s)",
        "Try:",
        f"  curl {api}/v1/regions/trenggalek/categories",
        f"  curl -X POST {api}/v1/regions/trenggalek/reports -H \"Authorization: Bearer $(make -s token ROLE=citizen | tail -1)\" "
        "-H 'Content-Type: application/json' "
        "-H 'Idempotency-Key: demo-1' "
        "-d '{\"category\":\"jalan-rusak\",\"description\":\"Jalan berlubang\",\"lat\":-8.05,\"lon\":111.71}'",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
