"""Partner systems' API keys: LAPOR! SP4N, PSC 119, the BPBD hotline, the
call centre, the SMS gateway and Open311 clients put reports into a
region's pipeline with a key the region admin created for them.

A key reads ``aduan_<region>_<id>_<secret>``: the region and the public id
say which item to read (one GetItem, no index); the secret (256 random
bits) is kept only as its SHA-256, so a leaked table does not leak keys,
and is compared in constant time.  A plain hash is enough for a random
secret of this size (a slow password hash protects guessable secrets)."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

CHANNELS = ("sms", "lapor", "psc119", "bpbd", "call_centre", "open311")
CHANNEL_NAMES = {
    "app": {"id": "Aplikasi", "en": "Mobile app"},
    "sms": {"id": "SMS", "en": "SMS"},
    "lapor": {"id": "LAPOR! SP4N", "en": "LAPOR! SP4N"},
    "psc119": {"id": "PSC 119", "en": "PSC 119"},
    "bpbd": {"id": "Hotline BPBD", "en": "BPBD hotline"},
    "call_centre": {"id": "Call center", "en": "Call centre"},
    "open311": {"id": "Open311", "en": "Open311"},
}
PREFIX = "aduan"
_KEY = re.compile(r"^aduan_([a-z0-9][a-z0-9-]{1,62})_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
DEFAULT_RATE_PER_MINUTE = 120


class NewKey:
    """A key as created: shown once, never stored whole."""

    __slots__ = ("partner_id", "api_key", "secret_hash")

    def __init__(self, partner_id: str, api_key: str, secret_hash: str) -> None:
        self.partner_id, self.api_key, self.secret_hash = partner_id, api_key, secret_hash


def new_key(region_id: str) -> NewKey:
    partner_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return NewKey(partner_id, f"{PREFIX}_{region_id}_{partner_id}_{secret}", hash_secret(secret))


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse(api_key: str | None) -> tuple[str, str, str] | None:
    """(region id, partner id, secret) of a well-formed key; None otherwise."""
    if not api_key or len(api_key) > 200:
        return None
    found = _KEY.match(api_key)
    return (found.group(1), found.group(2), found.group(3)) if found else None


def matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), secret_hash)


def hint(partner_id: str) -> str:
    """How a key is recognised in lists (never its secret)."""
    return f"{PREFIX}_…_{partner_id}_…"
