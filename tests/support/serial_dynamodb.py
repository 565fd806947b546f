"""moto's in-process DynamoDB (``mock_aws``), serialised as DynamoDB
serialises conditional writes.

Under ``mock_aws`` every thread's boto3 call runs moto's DynamoDB handler on
that thread, and the backend takes no lock: a conditional write checks its
condition, then changes the item, and another thread's write can land in
between, so two writes conditional on the same ``version`` can both succeed,
which DynamoDB never allows. A test that drives the app from several threads
would see outcomes AWS cannot produce.

The hook holds one lock around moto's DynamoDB request handler
(``DynamoHandler.call_action``: the whole operation, after the request is
parsed), reads included, as ``devstack/serial.py`` does for the local stack's
moto server. Other services stay concurrent. The lock is re-entrant, so a
test's patch of a backend method may itself call DynamoDB on the same thread;
it must not wait inside such a call for another thread's DynamoDB call.

    serialise_dynamodb()          # from now on, for the whole process
    with serial_dynamodb(): ...   # only within the block
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.RLock()
_original: Any = None


def serialise_dynamodb() -> bool:
    """Install the lock (once; later calls change nothing). True if this
    call installed it."""
    global _original
    from moto.dynamodb.responses import DynamoHandler

    with _lock:
        if _original is not None:
            return False
        original = DynamoHandler.call_action

        @functools.wraps(original)
        def call_action(self: Any) -> Any:
            with _lock:
                return original(self)

        _original = original
        DynamoHandler.call_action = call_action  # type: ignore[method-assign]
        return True


def unserialise_dynamodb() -> None:
    """Remove the lock (moto's handler as it was)."""
    global _original
    from moto.dynamodb.responses import DynamoHandler

    with _lock:
        if _original is not None:
            DynamoHandler.call_action = _original  # type: ignore[method-assign]
            _original = None


@contextmanager
def serial_dynamodb() -> Iterator[None]:
    """The lock within the block (left in place if it was already there)."""
    installed = serialise_dynamodb()
    try:
        yield
    finally:
        if installed:
            unserialise_dynamodb()
