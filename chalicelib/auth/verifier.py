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
MAX_JWKS_BYTES = 1 << 20


def region_name() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "ap-southeast-3"


def pool_id() -> str:
    return os.environ.get("ADUAN_USER_POOL_ID", "")


def client_id() -> str:
    return os.environ.get("ADUAN_USER_POOL_CLIENT_ID", "")


def sign_in_endpoint() -> str:
    """Where a browser or phone signs in (Cognito's JSON API): the local
    embedded one under ``make run``."""
    local = os.environ.get("AWS_ENDPOINT_URL_COGNITO_IDP") or os.environ.get("AWS_ENDPOINT_URL")
    return local.rstrip("/") + "/" if local else f"https://cognito-idp.{region_name()}.amazonaws.com/"


def issuer() -> str:
    return f"https://cognito-idp.{region_name()}.amazonaws.com/{pool_id()}"


def jwks_url() -> str:
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    base = endpoint.rstrip("/") + f"/{pool_id()}" if endpoint else issuer()
    return f"{base}/.well-known/jwks.json"


def fetch_json(url: str) -> dict[str, Any]:
    import urllib.request  # only on a cold start's first token: kept off import time

    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - fixed https/loopback URL
        return json.loads(response.read(MAX_JWKS_BYTES))


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
                except Exception:  # an unreachable JWKS means no token can be trusted
                    log.exception("could not fetch signing keys from %s", url)
            return dict(self._keys)

    def clear(self) -> None:
        with self._lock:
            self._keys, self._source, self._fetched_at = {}, "", 0.0


KEYS = KeyStore()


BEARER = "bearer"


def identify(authorization: str | None) -> Identity | None:
    """The identity behind an ``Authorization: Bearer <id token>`` header.

    None only when there is no such header (absent, empty or blank). A header
    that is not ``Bearer <token>``, a token that is not valid in every way, a
    valid token naming no role or region, and a server with no user pool
    configured all raise ``tokens.InvalidToken`` (its reason is logged at
    INFO, never the token): the caller answers 401 whether or not the
    endpoint requires a sign-in."""
    if authorization is None or (isinstance(authorization, str) and not authorization.strip()):
        return None
    try:
        return _identify(authorization)
    except tokens.InvalidToken as error:
        log.info("token refused: %s", error.reason)
        raise
    except Exception as error:  # a header must never become a 500
        log.warning("unexpected %s while identifying a caller", type(error).__name__, exc_info=True)
        refused = tokens.InvalidToken(f"token malformed ({type(error).__name__})")
        log.info("token refused: %s", refused.reason)
        raise refused from error


def _identify(authorization: str) -> Identity:
    if not isinstance(authorization, str):
        raise tokens.InvalidToken("authorization not a string")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != BEARER:
        raise tokens.InvalidToken("authorization not Bearer")
    token = token.strip()
    if not token:
        raise tokens.InvalidToken("bearer token missing")
    if not pool_id() or not client_id():
        raise tokens.InvalidToken("user pool not configured")
    claims = tokens.verify(token, KEYS.keys(tokens.key_id(token)), issuer(), client_id())
    groups = claims.get("cognito:groups", [])
    if not isinstance(groups, list) or not all(isinstance(group, str) for group in groups):
        raise tokens.InvalidToken("cognito:groups not a list of strings")
    for name in ("custom:region_id", "custom:agency", "custom:kelurahan_code", "custom:contractor",
                 "cognito:username", "name", "email", "phone_number"):
        if name in claims and not isinstance(claims[name], str):
            raise tokens.InvalidToken(f"{name} not a string")
    identity = Identity.from_claims(claims)
    if identity is None:
        raise tokens.InvalidToken("no role or region in claims")
    return identity
