"""Token verification against the configured Cognito user pool.

The pool comes from ``ADUAN_USER_POOL_ID`` and ``ADUAN_USER_POOL_CLIENT_ID``.
Its signing keys are fetched once per process from the pool's JWKS (from the
local AWS endpoint when ``AWS_ENDPOINT_URL`` is set) and fetched again, at
most once a minute, when a token names a key not seen yet (key rotation).
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from typing import Any, Callable

from . import tokens
from .identity import Identity

log = logging.getLogger(__name__)
REFETCH_SECONDS = 60


def region_name() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "ap-southeast-3"


def pool_id() -> str:
    return os.environ.get("ADUAN_USER_POOL_ID", "")


def client_id() -> str:
    return os.environ.get("ADUAN_USER_POOL_CLIENT_ID", "")


def issuer() -> str:
    return f"https://cognito-idp.{region_name()}.amazonaws.com/{pool_id()}"


def jwks_url() -> str:
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    base = endpoint.rstrip("/") + f"/{pool_id()}" if endpoint else issuer()
    return f"{base}/.well-known/jwks.json"


def fetch_json(url: str) -> dict[str, Any]:
    import urllib.request  # only on a cold start's first token: kept off import time

    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - fixed https/loopback URL
        return json.loads(response.read())


class KeyStore:
    def __init__(self, fetch: Callable[[str], dict[str, Any]] = fetch_json) -> None:
        self.fetch = fetch
        self._keys: dict[str, tokens.RsaKey] = {}
        self._source = ""
        self._fetched_at = 0.0
        self._lock = threading.Lock()

    def keys(self, kid: str) -> dict[str, tokens.RsaKey]:
        url = jwks_url()
        with self._lock:
            stale = url != self._source or (kid not in self._keys and time.monotonic() - self._fetched_at > REFETCH_SECONDS)
            if stale:
                try:
                    self._keys = tokens.keys_from_jwks(self.fetch(url))
                    self._source = url
                    self._fetched_at = time.monotonic()
                except Exception:  # noqa: BLE001 - an unreachable JWKS means no token can be trusted
                    log.exception("could not fetch signing keys from %s", url)
            return dict(self._keys)

    def clear(self) -> None:
        with self._lock:
            self._keys, self._source, self._fetched_at = {}, "", 0.0


KEYS = KeyStore()


def identify(authorization: str | None) -> Identity | None:
    """The identity behind an ``Authorization: Bearer <id token>`` header,
    or None when there is none or it is not valid."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or not pool_id():
        return None
    token = token.strip()
    try:
        header = tokens.decode_header(token)
        claims = tokens.verify(token, KEYS.keys(str(header.get("kid", ""))), issuer(), client_id())
    except tokens.InvalidToken as error:
        log.info("token refused: %s", error)
        return None
    return Identity.from_claims(claims)
