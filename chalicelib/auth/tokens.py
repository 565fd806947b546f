"""Verifying an RS256 JSON Web Token against a JSON Web Key Set, in pure
Python (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017 §8.2.2): verification needs
only public-key arithmetic, so the Lambda package carries no crypto library.

Every input is hostile: whatever string is passed, ``verify`` returns the
claims of a valid token or raises ``InvalidToken`` with a short reason (which
never repeats any part of the token). The parsing is deliberately stricter
than RFC 7515 allows a verifier to be: the only encoding accepted is the
canonical, unpadded base64url of UTF-8 JSON objects without duplicate members,
so an accepted token has exactly one spelling.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import math
import re
import time
from typing import Any, Mapping

import msgspec

log = logging.getLogger(__name__)

# DER prefix of DigestInfo for SHA-256 (RFC 8017 §9.2, note 1).
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
LEEWAY_SECONDS = 30
# A Cognito ID token is 1-2 KB; anything much longer is not one of them.
MAX_TOKEN_LENGTH = 8192
# Deepest nesting of arrays and objects in a header or claims (Cognito: 3).
MAX_JSON_DEPTH = 16
# Longest integer literal accepted in a header or claims.
MAX_INT_DIGITS = 20
# Latest NumericDate accepted (exp, iat, nbf), about the year 285,000,000.
MAX_NUMERIC_DATE = 2 ** 53
MIN_KEY_BITS = 2048
MAX_KEY_BITS = 8192
PUBLIC_EXPONENT = 65537

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class InvalidToken(Exception):
    """Why a token (or a signing key) was refused: a short reason for logs,
    never shown to the caller and never containing the token."""

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else "invalid token"


def b64url_decode(value: str, what: str = "value") -> bytes:
    """The bytes of canonical, unpadded base64url (RFC 7515 §2); anything
    else is refused, ``what`` naming the part in the reason."""
    if not isinstance(value, str):
        raise InvalidToken(f"{what} not a string")
    if not value.isascii():
        raise InvalidToken(f"{what} not ASCII")
    if "=" in value:
        raise InvalidToken(f"{what} padded")
    if not _BASE64URL.fullmatch(value):
        raise InvalidToken(f"{what} not base64url")
    if len(value) % 4 == 1:
        raise InvalidToken(f"{what} wrong base64url length")
    try:
        data = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError, binascii.Error) as error:  # unreachable after the checks above
        raise InvalidToken(f"{what} not base64url") from error
    if base64.urlsafe_b64encode(data).rstrip(b"=") != value.encode("ascii"):
        raise InvalidToken(f"{what} not canonical base64url")  # unused trailing bits set
    return data


class RsaKey(msgspec.Struct, frozen=True):
    kid: str
    n: int
    e: int

    @classmethod
    def from_jwk(cls, jwk: Any) -> "RsaKey":
        """The key of one JWKS entry, or ``InvalidToken`` saying why it is
        not a key RS256 tokens may be verified with."""
        if not isinstance(jwk, dict):
            raise InvalidToken("JWK not an object")
        if jwk.get("kty") != "RSA":
            raise InvalidToken("JWK not an RSA key")
        if jwk.get("use", "sig") != "sig":
            raise InvalidToken("JWK not a signing key")
        if jwk.get("alg", "RS256") != "RS256":
            raise InvalidToken("JWK alg not RS256")
        key_ops = jwk.get("key_ops")
        if key_ops is not None and (not isinstance(key_ops, list) or "verify" not in key_ops):
            raise InvalidToken("JWK key_ops without verify")
        kid = jwk.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("JWK kid missing" if kid is None else "JWK kid not a string")
        if not kid:
            raise InvalidToken("JWK kid empty")
        for member in ("n", "e"):
            if member not in jwk:
                raise InvalidToken(f"JWK {member} missing")
            if not isinstance(jwk[member], str):
                raise InvalidToken(f"JWK {member} not a string")
        n = int.from_bytes(b64url_decode(jwk["n"], "JWK n"), "big")
        e = int.from_bytes(b64url_decode(jwk["e"], "JWK e"), "big")
        if n.bit_length() < MIN_KEY_BITS:
            raise InvalidToken(f"JWK key under {MIN_KEY_BITS} bits")
        if n.bit_length() > MAX_KEY_BITS:
            raise InvalidToken(f"JWK key over {MAX_KEY_BITS} bits")
        if n % 2 == 0:
            raise InvalidToken("JWK n even")
        if e != PUBLIC_EXPONENT:
            raise InvalidToken(f"JWK e not {PUBLIC_EXPONENT}")
        return cls(kid=kid, n=n, e=e)

    @property
    def size(self) -> int:
        """Length of the modulus, and so of a signature, in bytes."""
        return (self.n.bit_length() + 7) // 8

    def check(self, message: bytes, signature: bytes) -> None:
        """Raise ``InvalidToken`` unless ``signature`` is this key's
        RSASSA-PKCS1-v1_5 SHA-256 signature of ``message``."""
        size = self.size
        if size < MIN_KEY_BITS // 8 or self.e < 3:
            raise InvalidToken("key too weak")
        if len(signature) != size:
            raise InvalidToken("signature wrong length")
        s = int.from_bytes(signature, "big")
        if s >= self.n:
            raise InvalidToken("signature out of range")
        encoded = pow(s, self.e, self.n).to_bytes(size, "big")
        digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
        # Compare the whole encoding (RFC 8017 §8.2.2 step 4), never parse it.
        expected = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
        if not hmac.compare_digest(encoded, expected):
            raise InvalidToken("signature wrong")

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self.check(message, signature)
        except InvalidToken:
            return False
        return True


def jwks_keys(jwks: Any) -> tuple[dict[str, RsaKey], list[tuple[str, str]]]:
    """The usable keys of a JWKS by key id, and ``(kid, reason)`` for each
    entry refused. A malformed entry never keeps the others from loading;
    a JWKS that is not ``{"keys": [...]}`` raises ``InvalidToken``."""
    if not isinstance(jwks, dict):
        raise InvalidToken("JWKS not an object")
    entries = jwks.get("keys")
    if not isinstance(entries, list):
        raise InvalidToken("JWKS keys not a list")
    keys: dict[str, RsaKey] = {}
    refused: list[tuple[str, str]] = []
    for jwk in entries:
        kid = jwk.get("kid") if isinstance(jwk, dict) else None
        label = kid[:64] if isinstance(kid, str) else "?"
        try:
            key = RsaKey.from_jwk(jwk)
        except InvalidToken as error:
            refused.append((label, error.reason))
            continue
        except Exception as error:  # noqa: BLE001 - one entry must not cost the others
            refused.append((label, f"JWK malformed ({type(error).__name__})"))
            continue
        if key.kid in keys:
            refused.append((label, "JWK kid duplicated"))
            continue
        keys[key.kid] = key
    return keys, refused


def keys_from_jwks(jwks: Any) -> dict[str, RsaKey]:
    """The usable keys of a JWKS by key id; refused entries are logged."""
    keys, refused = jwks_keys(jwks)
    for kid, reason in refused:
        log.warning("signing key %r refused: %s", kid, reason)
    return keys


# --- JSON ---------------------------------------------------------------------

class _JsonRefused(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _JsonRefused("duplicate member")
    return result


def _constant(name: str) -> Any:
    raise _JsonRefused("non-finite number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _JsonRefused("non-finite number")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _JsonRefused("number too large")
    return int(text)


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than MAX_JSON_DEPTH (a linear
    scan, so that hostile nesting never reaches the recursive parser)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:  # also surrogates encoded in UTF-8
        raise InvalidToken(f"{what} not UTF-8") from error
    if _too_deep(text):
        raise InvalidToken(f"{what} nested too deeply")
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float,
                           parse_int=_int)
    except _JsonRefused as error:
        raise InvalidToken(f"{what} {error}") from error
    except RecursionError as error:
        raise InvalidToken(f"{what} nested too deeply") from error
    except ValueError as error:
        raise InvalidToken(f"{what} not JSON") from error
    if not isinstance(value, dict):
        raise InvalidToken(f"{what} not a JSON object")
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:  # "\ud800" escapes decode to lone surrogates
        raise InvalidToken(f"{what} has a lone surrogate") from error
    return value


# --- the token ----------------------------------------------------------------

def _segments(token: Any) -> list[str]:
    if not isinstance(token, str):
        raise InvalidToken("token not a string")
    if not token:
        raise InvalidToken("token empty")
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("token too long")
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("token not three segments")
    return parts


def _header(segment: str) -> dict[str, Any]:
    if not segment:
        raise InvalidToken("header empty")
    header = _json_object(b64url_decode(segment, "header"), "header")
    if "alg" not in header:
        raise InvalidToken("alg missing")
    if not isinstance(header["alg"], str):
        raise InvalidToken("alg not a string")
    if header["alg"] != "RS256":  # never "none", never HMAC with a public key
        raise InvalidToken("alg not RS256")
    if "kid" not in header:
        raise InvalidToken("kid missing")
    if not isinstance(header["kid"], str):
        raise InvalidToken("kid not a string")
    if "crit" in header:  # RFC 7515 §4.1.11: no extension is understood here
        raise InvalidToken("crit header not supported")
    return header


def _guarded(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call ``function``; any exception but ``InvalidToken`` is a bug, and
    still a refused token, never a 500."""
    try:
        return function(*args, **kwargs)
    except InvalidToken:
        raise
    except Exception as error:  # no input may raise anything but InvalidToken
        log.warning("unexpected %s while checking a token", type(error).__name__, exc_info=True)
        raise InvalidToken(f"token malformed ({type(error).__name__})") from error


def decode_header(token: str) -> dict[str, Any]:
    """The JOSE header of a well-formed RS256 token (``alg`` RS256, ``kid`` a
    string), before its signature is checked."""
    return _guarded(lambda: _header(_segments(token)[0]))


def key_id(token: str) -> str:
    """The ``kid`` of a well-formed RS256 token, before its signature is checked."""
    return decode_header(token)["kid"]


def _numeric_date(claims: dict[str, Any], name: str) -> float | int | None:
    value = claims.get(name)
    if value is None and name not in claims:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidToken(f"{name} not a number")
    if not math.isfinite(value):
        raise InvalidToken(f"{name} not finite")
    if not 0 <= value <= MAX_NUMERIC_DATE:
        raise InvalidToken(f"{name} out of range")
    return value


def _string_claim(claims: dict[str, Any], name: str) -> str:
    if name not in claims:
        raise InvalidToken(f"{name} missing")
    value = claims[name]
    if not isinstance(value, str):
        raise InvalidToken(f"{name} not a string")
    return value


def _verify(token: str, keys: Mapping[str, RsaKey], issuer: str, audience: str, token_use: str,
            now: float | None) -> dict[str, Any]:
    head, body, signature = _segments(token)
    header = _header(head)
    if not body:
        raise InvalidToken("claims empty")
    if not signature:
        raise InvalidToken("signature empty")
    body_bytes = b64url_decode(body, "claims")
    signature_bytes = b64url_decode(signature, "signature")
    if not issuer or not audience:
        raise InvalidToken("issuer or audience not configured")
    if not keys:
        raise InvalidToken("no signing keys")
    key = keys.get(header["kid"])
    if key is None:
        raise InvalidToken("unknown kid")
    key.check(f"{head}.{body}".encode("ascii"), signature_bytes)

    claims = _json_object(body_bytes, "claims")
    if _string_claim(claims, "iss") != issuer:
        raise InvalidToken("wrong issuer")
    if _string_claim(claims, "token_use") != token_use:
        raise InvalidToken("wrong token_use")
    if _string_claim(claims, "aud" if token_use == "id" else "client_id") != audience:
        raise InvalidToken("wrong audience")
    if not _string_claim(claims, "sub"):
        raise InvalidToken("sub empty")
    if "jti" in claims and not isinstance(claims["jti"], str):
        raise InvalidToken("jti not a string")
    now = time.time() if now is None else now
    exp = _numeric_date(claims, "exp")
    if exp is None:
        raise InvalidToken("exp missing")
    if exp + LEEWAY_SECONDS <= now:
        raise InvalidToken("expired")
    nbf = _numeric_date(claims, "nbf")
    if nbf is not None and nbf - LEEWAY_SECONDS > now:
        raise InvalidToken("not yet valid")
    iat = _numeric_date(claims, "iat")
    if iat is not None and iat - LEEWAY_SECONDS > now:
        raise InvalidToken("issued in the future")
    return claims


def verify(token: str, keys: Mapping[str, RsaKey], issuer: str, audience: str, token_use: str = "id",
           now: float | None = None) -> dict[str, Any]:
    """Return the claims of a valid token or raise ``InvalidToken``: the
    only exception any input can raise."""
    return _guarded(_verify, token, keys, issuer, audience, token_use, now)
