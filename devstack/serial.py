"""moto's server, keeping DynamoDB's promise that conditional writes do not race.

``python -m devstack.serial -H 127.0.0.1 -p PORT`` is ``python -m moto.server``
with one difference: DynamoDB requests are handled one at a time.

Why: moto's server (werkzeug, ``threaded=True``) answers every request on its
own thread, and moto's DynamoDB backend takes no lock. A conditional write
reads the item, evaluates the condition, then changes the item, and another
thread's write can land in between. DynamoDB evaluates the condition and
applies the write atomically, per item (and per ``TransactWriteItems`` across
items), so of two writes conditional on the same ``version`` exactly one
wins. Under plain moto both won: two officers taking the same report at the
same moment were both answered 200, and concurrent disbursements were answered
201 but not all recorded. The app's concurrency guarantees rest on
DynamoDB's, so the local stack has to give them.

How: a WSGI middleware around moto's application holds one lock for the whole
handling of every request whose ``X-Amz-Target`` header starts with
``DynamoDB_`` (every operation of DynamoDB's JSON protocol, e.g.
``DynamoDB_20120810.UpdateItem``). Reads are included: moto changes items in
place, so an unlocked read could see half of a write or iterate a table while
it grows, and a condition check plus its write must be atomic with respect to
every other request. One lock for all tables is stricter than DynamoDB (which
serialises per item) and costs nothing at local volumes. Every other service
(S3, SQS long polls, SNS, Cognito, DynamoDB Streams) stays concurrent.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import Any, Callable, Iterable


class SerialDynamoDB:
    """WSGI middleware: one DynamoDB request at a time, others untouched."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return self.app(environ, start_response)
        with self.lock:
            # the body is produced under the lock too, whatever moto returns
            response = self.app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()


def application() -> SerialDynamoDB:
    """moto's server application (all services), DynamoDB serialised, its
    transactions rolled back item by item (``devstack.transactions``)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from devstack import transactions

    transactions.install()
    return SerialDynamoDB(DomainDispatcherApplication(create_backend_app))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.serial")
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args(argv)
    # as moto.server does: moto builds some URLs (queue URLs, ...) from it
    os.environ.setdefault("MOTO_PORT", str(args.port))
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: sys.exit(0))

    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import run_simple

    run_simple(args.host, args.port, application(), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
