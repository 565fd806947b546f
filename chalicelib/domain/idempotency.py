"""One idempotency rule for every request that creates something: a report,
a project, a progress report, a disbursement.

A client may send an ``Idempotency-Key`` (printable ASCII, 1–128
characters).  The id of what the request creates is derived from the key
within a scope that names the account (two accounts never collide), so a
retry lands on the same id and the store's conditional write finds it with
no lookup table.  What was created keeps the request's *fingerprint* (a
hash of its content): a retry with the same content is answered with what
the first request made, and applied once; the same key with other content
is ``422 idempotency_key_reused`` and changes nothing.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from .errors import InvalidInput, Unprocessable

_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not _KEY.match(key):
        raise InvalidInput("invalid_idempotency_key")
    return key


def derived_id(scope: str, key: str | None) -> str:
    """Random without a key; with one, the same id for the same scope and key."""
    if key is None:
        return uuid.uuid4().hex
    return uuid.uuid5(uuid.NAMESPACE_URL, f"aduan:{scope}:{key}").hex


def fingerprint(content: Any) -> str:
    """The request's content (JSON-able), to tell a retry from another request."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:32]


def replayed(stored: str | None, requested: str | None) -> bool:
    """True when a request whose id was already used is a retry of the one
    that used it; ``422 idempotency_key_reused`` when it is another."""
    if stored is None or stored != requested:
        raise Unprocessable("idempotency_key_reused")
    return True
