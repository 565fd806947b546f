"""Keyed one-way names for personal identifiers.

Where the system must recognise the same person (or number, or address)
again without holding who it is — the monthly "active accounts" markers, the
record of a data-rights request, the rate limits of sign-up — it stores
``pseudonym(key, value)``: HMAC-SHA256 under a per-deployment secret
(``ADUAN_HASH_KEY``), so that a table dump cannot be reversed by hashing
every phone number.  An account id (a random UUID) is already beyond
guessing; a phone number is not, which is why the hash is keyed.
"""
from __future__ import annotations

import hashlib
import hmac


def pseudonym(key: bytes, value: str, purpose: str = "") -> str:
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:40]
