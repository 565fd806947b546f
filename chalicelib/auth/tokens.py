"""Verifying an RS256 JSON Web Token against a JSON Web Key Set, in pure
Python (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017 §8.2.2): verification needs
only public-key arithmetic, so the Lambda package carries no crypto library.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

# DER prefix of DigestInfo for SHA-256 (RFC 8017 §9.2, note 1).
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
LEEWAY_SECONDS = 30


class InvalidToken(Exception):
    """Why a token was refused (for logs, never shown to the caller)."""


def b64url_decode(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError) as error:
        raise InvalidToken("bad base64") from error


@dataclass(frozen=True)
class RsaKey:
    kid: str
    n: int
    e: int

    @classmethod
    def from_jwk(cls, jwk: dict[str, Any]) -> "RsaKey":
        if jwk.get("kty") != "RSA":
            raise InvalidToken("not an RSA key")
        return cls(kid=jwk.get("kid", ""), n=int.from_bytes(b64url_decode(jwk["n"]), "big"),
                   e=int.from_bytes(b64url_decode(jwk["e"]), "big"))

    def verify(self, message: bytes, signature: bytes) -> bool:
        size = (self.n.bit_length() + 7) // 8
        if size < 256 or len(signature) != size:  # RSA-2048 at least
            return False
        s = int.from_bytes(signature, "big")
        if s >= self.n:
            return False
        encoded = pow(s, self.e, self.n).to_bytes(size, "big")
        digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
        expected = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
        return hmac.compare_digest(encoded, expected)


def keys_from_jwks(jwks: dict[str, Any]) -> dict[str, RsaKey]:
    keys = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") == "RSA" and jwk.get("use", "sig") == "sig":
            key = RsaKey.from_jwk(jwk)
            keys[key.kid] = key
    return keys


def decode_header(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("not a compact JWS")
    try:
        header = json.loads(b64url_decode(parts[0]))
    except ValueError as error:
        raise InvalidToken("bad header") from error
    if not isinstance(header, dict):
        raise InvalidToken("bad header")
    return header


def verify(token: str, keys: dict[str, RsaKey], issuer: str, audience: str, token_use: str = "id",
           now: float | None = None) -> dict[str, Any]:
    """Return the claims of a valid token or raise ``InvalidToken``."""
    header = decode_header(token)
    if header.get("alg") != "RS256":  # never "none", never HMAC with a public key
        raise InvalidToken(f"algorithm {header.get('alg')!r} refused")
    key = keys.get(header.get("kid", ""))
    if key is None:
        raise InvalidToken("unknown key id")
    head, body, signature = token.split(".")
    if not key.verify(f"{head}.{body}".encode("ascii"), b64url_decode(signature)):
        raise InvalidToken("bad signature")
    try:
        claims = json.loads(b64url_decode(body))
    except ValueError as error:
        raise InvalidToken("bad claims") from error
    if not isinstance(claims, dict):
        raise InvalidToken("bad claims")
    now = time.time() if now is None else now
    if claims.get("iss") != issuer:
        raise InvalidToken("wrong issuer")
    if claims.get("token_use") != token_use:
        raise InvalidToken("wrong token use")
    audience_claim = claims.get("aud") if token_use == "id" else claims.get("client_id")
    if audience_claim != audience:
        raise InvalidToken("wrong audience")
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or exp + LEEWAY_SECONDS < now:
        raise InvalidToken("expired")
    iat = claims.get("iat")
    if isinstance(iat, (int, float)) and iat - LEEWAY_SECONDS > now:
        raise InvalidToken("issued in the future")
    return claims
