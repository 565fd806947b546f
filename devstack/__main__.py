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
    args = parser.parse_args(argv)

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


def banner(stack) -> str:
    api = stack.api_url
    lines = [
        "",
        f"Aduan is running: API {api}  (OpenAPI: {api}/openapi.json)",
        f"Embedded AWS (moto) on {stack.moto.endpoint}; stage '{os.environ.get('ADUAN_STAGE')}'",
        f"Demo region 'trenggalek': {stack.seeded}",
        f"Workers: {', '.join(stack.pollers)}; schedules: {', '.join(stack.schedules)} (every {stack.schedule_seconds:g}s)",
        "Try:",
        f"  curl {api}/v1/regions/trenggalek/categories",
        f"  curl -X POST {api}/v1/regions/trenggalek/reports -H 'Content-Type: application/json' "
        "-H 'Idempotency-Key: demo-1' "
        "-d '{\"category\":\"jalan-rusak\",\"description\":\"Jalan berlubang\",\"lat\":-8.05,\"lon\":111.71}'",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
