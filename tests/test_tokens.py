"""The hand-written RS256 verifier (chalicelib/auth/tokens.py) against hostile
input, and cross-checked against a maintained implementation (PyJWT, backed
by ``cryptography``): for valid tokens and every tampering below, ours accepts
exactly when ``jwt.decode`` plus our own extra checks accept."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import math
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import jwt
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from chalicelib.auth import tokens, verifier
from chalicelib.auth.identity import Identity

REGION = "ap-southeast-3"
POOL = "ap-southeast-3_TestPool1"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL}"
CLIENT = "testclient0123456789"
LEEWAY = tokens.LEEWAY_SECONDS
NOW = int(time.time())  # for values far from any boundary; now() for the others


def now() -> int:
    return int(time.time())
GENERIC = "token malformed ("  # the reason of the catch-all: no input may reach it


# --- keys and token building ------------------------------------------------------

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def seg(value: Any) -> str:
    return b64(json.dumps(value).encode())


def public_jwk(private: rsa.RSAPrivateKey, kid: str) -> dict[str, str]:
    numbers = private.public_key().public_numbers()

    def uint(value: int) -> str:
        return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    return {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid, "n": uint(numbers.n), "e": uint(numbers.e)}


@dataclass
class Keys:
    private: dict[str, rsa.RSAPrivateKey]
    jwks: dict[str, Any]
    ours: dict[str, tokens.RsaKey]
    refused: list[tuple[str, str]]
    cache: dict[str, str] = field(default_factory=dict)

    def public(self, kid: str) -> rsa.RSAPublicKey:
        return self.private[kid].public_key()

    def size(self, kid: str) -> int:
        return self.private[kid].key_size // 8


@pytest.fixture(scope="module")
def keys() -> Keys:
    private = {
        "k2048": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "k3072": rsa.generate_private_key(public_exponent=65537, key_size=3072),
        "other k2048": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "other k3072": rsa.generate_private_key(public_exponent=65537, key_size=3072),
        "weak1024": rsa.generate_private_key(public_exponent=65537, key_size=1024),
        "e3": rsa.generate_private_key(public_exponent=3, key_size=2048),
    }
    # the "other" keys are not published: they sign forgeries under a published kid
    jwks = {"keys": [public_jwk(private[kid], kid) for kid in ("k2048", "k3072", "weak1024", "e3")]}
    loaded, refused = tokens.jwks_keys(jwks)
    return Keys(private, jwks, loaded, refused)


def claims_for(**changes: Any) -> dict[str, Any]:
    claims = {"sub": "2f6c1a0e-1111-4d2e-9c55-000000000001", "iss": ISSUER, "aud": CLIENT, "token_use": "id",
              "auth_time": now() - 60, "iat": now() - 60, "exp": now() + 3600, "cognito:username": "budi",
              "cognito:groups": ["citizen"], "custom:region_id": "kupang", "email": "budi@example.id",
              "jti": "0"}
    for name, value in changes.items():
        if value is DROP:
            claims.pop(name, None)
        else:
            claims[name] = value() if callable(value) else value
    return claims


DROP = object()


def sign_input(private: rsa.RSAPrivateKey, head: str, body: str, algorithm: Any = None) -> str:
    signature = private.sign(f"{head}.{body}".encode("ascii"), padding.PKCS1v15(), algorithm or hashes.SHA256())
    return f"{head}.{body}.{b64(signature)}"


def sign_bytes(private: rsa.RSAPrivateKey, header: bytes, claims: bytes) -> str:
    return sign_input(private, b64(header), b64(claims))


def sign(private: rsa.RSAPrivateKey, claims: dict[str, Any], kid: str, **header: Any) -> str:
    return sign_input(private, seg({"alg": "RS256", "kid": kid, **header}), seg(claims))


def parts(token: str) -> tuple[str, str, bytes]:
    head, body, signature = token.split(".")
    return head, body, tokens.b64url_decode(signature)


def with_signature(token: str, signature: bytes) -> str:
    head, body, _ = token.split(".")
    return f"{head}.{body}.{b64(signature)}"


def with_header(token: str, header: dict[str, Any]) -> str:
    _, body, signature = token.split(".")
    return f"{seg(header)}.{body}.{signature}"


def with_claims(token: str, claims: dict[str, Any]) -> str:
    head, _, signature = token.split(".")
    return f"{head}.{seg(claims)}.{signature}"


def flip(signature: bytes, index: int, bit: int) -> bytes:
    changed = bytearray(signature)
    changed[index] ^= 1 << bit
    return bytes(changed)


def ours(token: Any, keys: Keys, **kwargs: Any) -> tuple[bool, str | None]:
    try:
        tokens.verify(token, keys.ours, ISSUER, CLIENT, **kwargs)
    except tokens.InvalidToken as error:
        assert not error.reason.startswith(GENERIC), error.reason
        return False, error.reason
    return True, None


def reason_of(token: Any, keys: Keys, **kwargs: Any) -> str | None:
    return ours(token, keys, **kwargs)[1]


# --- the reference: PyJWT plus the checks PyJWT does not make -----------------------

def numeric_date(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and 0 <= value <= 2 ** 53)


def reference_accepts(token: str, keys: Keys) -> bool:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        return False
    kid = header.get("kid")
    if not isinstance(kid, str) or kid not in keys.ours:  # ours: only keys the JWKS publishes and we accept
        return False
    try:
        claims = jwt.decode(token, keys.public(kid), algorithms=["RS256"], audience=CLIENT, issuer=ISSUER,
                            leeway=LEEWAY, options={"require": ["exp", "iss", "aud", "sub"], "strict_aud": True})
    except jwt.PyJWTError:
        return False
    # ours, beyond PyJWT: an ID token of a real subject, with JSON numbers for times
    return (claims.get("token_use") == "id" and isinstance(claims.get("sub"), str) and claims["sub"] != ""
            and all(numeric_date(claims[name]) for name in ("exp", "iat", "nbf") if name in claims))


# --- the cross-check ---------------------------------------------------------------

def valid(keys: Keys, kid: str) -> str:
    return sign(keys.private[kid], claims_for(), kid)


def leading_zero_signature(keys: Keys, kid: str) -> str:
    """A valid token whose signature's first byte is zero (1 in 256)."""
    if kid not in keys.cache:
        for attempt in range(5000):
            token = sign(keys.private[kid], claims_for(jti=str(attempt)), kid)
            if parts(token)[2][0] == 0:
                keys.cache[kid] = token
                break
        else:
            raise AssertionError("no signature with a leading zero in 5000 tries")
    return keys.cache[kid]


def leading_zero_removed(keys: Keys, kid: str) -> str:
    token = leading_zero_signature(keys, kid)
    return with_signature(token, parts(token)[2][1:])


def respaced_header(keys: Keys, kid: str) -> str:
    head = b64(json.dumps({"alg": "RS256", "kid": kid}, indent=1).encode())
    return head + "." + valid(keys, kid).split(".", 1)[1]


def hmac_with_public_key(keys: Keys, kid: str) -> str:
    """The classic confusion: HS256 keyed with the RSA public key."""
    pem = keys.public(kid).public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    head, body = seg({"alg": "HS256", "kid": kid}), seg(claims_for())
    mac = hmac.new(pem, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(mac)}"


def resigned(**changes: Any) -> Callable[[Keys, str], str]:
    return lambda keys, kid: sign(keys.private[kid], claims_for(**changes), kid)


def same_signature_claims(**changes: Any) -> Callable[[Keys, str], str]:
    return lambda keys, kid: with_claims(valid(keys, kid), claims_for(**changes))


def same_signature_header(**header: Any) -> Callable[[Keys, str], str]:
    def build(keys: Keys, kid: str) -> str:
        fields = {"alg": "RS256", "kid": kid, **header}
        return with_header(valid(keys, kid), {k: v for k, v in fields.items() if v is not DROP})

    return build


def signature_changed(change: Callable[[bytes, Keys, str], bytes]) -> Callable[[Keys, str], str]:
    def build(keys: Keys, kid: str) -> str:
        token = valid(keys, kid)
        return with_signature(token, change(parts(token)[2], keys, kid))

    return build


def modulus(keys: Keys, kid: str) -> bytes:
    return keys.public(kid).public_numbers().n.to_bytes(keys.size(kid), "big")


WRONG_OR_RANGE = ("signature wrong", "signature out of range")  # a flipped top bit may pass the modulus

# name: (token for the key named kid, the reason ours refuses it, or None for accepted)
CASES: dict[str, tuple[Callable[[Keys, str], str], str | tuple[str, ...] | None]] = {
    "valid": (valid, None),
    "valid signed by PyJWT": (lambda keys, kid: jwt.encode(claims_for(), keys.private[kid], algorithm="RS256",
                                                            headers={"kid": kid}), None),
    "valid with exp within leeway": (resigned(exp=lambda: now() - LEEWAY // 2), None),
    "valid with float times": (resigned(exp=NOW + 3600.5, iat=NOW - 60.25), None),
    "valid with a leading zero signature byte": (leading_zero_signature, None),
    "valid without iat": (resigned(iat=DROP), None),
    # the signature
    "leading zero byte removed": (leading_zero_removed, "signature wrong length"),
    "leading zero byte added": (signature_changed(lambda s, k, kid: b"\x00" + s), "signature wrong length"),
    "bit 7 of byte 0 flipped": (signature_changed(lambda s, k, kid: flip(s, 0, 7)), WRONG_OR_RANGE),
    "bit 0 of byte 0 flipped": (signature_changed(lambda s, k, kid: flip(s, 0, 0)), WRONG_OR_RANGE),
    "bit 3 of byte 1 flipped": (signature_changed(lambda s, k, kid: flip(s, 1, 3)), "signature wrong"),
    "bit 4 of the middle byte flipped": (signature_changed(lambda s, k, kid: flip(s, len(s) // 2, 4)),
                                         "signature wrong"),
    "bit 0 of the last byte flipped": (signature_changed(lambda s, k, kid: flip(s, -1, 0)), "signature wrong"),
    "bit 7 of the last byte flipped": (signature_changed(lambda s, k, kid: flip(s, -1, 7)), "signature wrong"),
    "last byte cut": (signature_changed(lambda s, k, kid: s[:-1]), "signature wrong length"),
    "cut to half": (signature_changed(lambda s, k, kid: s[: len(s) // 2]), "signature wrong length"),
    "zero byte appended": (signature_changed(lambda s, k, kid: s + b"\x00"), "signature wrong length"),
    "bytes prepended": (signature_changed(lambda s, k, kid: b"\x01\x02" + s), "signature wrong length"),
    "all zero": (signature_changed(lambda s, k, kid: bytes(len(s))), "signature wrong"),
    "all ones": (signature_changed(lambda s, k, kid: b"\xff" * len(s)), "signature out of range"),
    "the modulus": (signature_changed(lambda s, k, kid: modulus(k, kid)), "signature out of range"),
    "empty": (lambda keys, kid: valid(keys, kid).rsplit(".", 1)[0] + ".", "signature empty"),
    # the other key's signature, read as a number, exceeds this key's modulus about half the time
    "signed by another key under the same kid": (lambda keys, kid: sign(keys.private[f"other {kid}"], claims_for(), kid),
                                                 ("signature wrong", "signature out of range")),
    # the header, re-encoded with the original signature unless said otherwise
    "alg none": (same_signature_header(alg="none"), "alg not RS256"),
    "alg none without signature": (lambda keys, kid: with_header(valid(keys, kid), {"alg": "none", "kid": kid})
                                   .rsplit(".", 1)[0] + ".", "alg not RS256"),
    "alg HS256": (same_signature_header(alg="HS256"), "alg not RS256"),
    "alg HS256 keyed with the public key": (hmac_with_public_key, "alg not RS256"),
    "alg RS512": (same_signature_header(alg="RS512"), "alg not RS256"),
    "alg RS512 signed with RS512": (lambda keys, kid: sign_input(keys.private[kid], seg({"alg": "RS512", "kid": kid}),
                                                                 seg(claims_for()), hashes.SHA512()), "alg not RS256"),
    "alg rs256 lowercase": (same_signature_header(alg="rs256"), "alg not RS256"),
    "alg a list": (same_signature_header(alg=["RS256"]), "alg not a string"),
    "alg missing": (same_signature_header(alg=DROP), "alg missing"),
    "kid changed": (same_signature_header(kid="rotated-away"), "unknown kid"),
    "kid of the other published key": (lambda keys, kid: with_header(valid(keys, kid), {
        "alg": "RS256", "kid": "k3072" if kid == "k2048" else "k2048"}), "signature wrong length"),
    "kid a list": (lambda keys, kid: with_header(valid(keys, kid), {"alg": "RS256", "kid": [kid]}), "kid not a string"),
    "kid an object": (lambda keys, kid: with_header(valid(keys, kid), {"alg": "RS256", "kid": {"kid": kid}}),
                      "kid not a string"),
    "kid a number": (same_signature_header(kid=7), "kid not a string"),
    "kid missing": (same_signature_header(kid=DROP), "kid missing"),
    "typ added": (same_signature_header(typ="JWT"), "signature wrong"),
    "header respaced": (respaced_header, "signature wrong"),
    # the claims, re-encoded with the original signature
    "iss changed": (same_signature_claims(iss=ISSUER + "x"), "signature wrong"),
    "aud changed": (same_signature_claims(aud="another-client"), "signature wrong"),
    "exp in the past": (same_signature_claims(exp=NOW - 3600), "signature wrong"),
    "iat in the future": (same_signature_claims(iat=NOW + 3600), "signature wrong"),
    "token_use access": (same_signature_claims(token_use="access"), "signature wrong"),
    "sub changed": (same_signature_claims(sub="2f6c1a0e-1111-4d2e-9c55-000000000002"), "signature wrong"),
    "groups escalated": (same_signature_claims(**{"cognito:groups": ["platform_admin"]}), "signature wrong"),
    # the claims, signed by the right key
    "signed: wrong iss": (resigned(iss=f"https://cognito-idp.{REGION}.amazonaws.com/{REGION}_Other"), "wrong issuer"),
    "signed: iss missing": (resigned(iss=DROP), "iss missing"),
    "signed: wrong aud": (resigned(aud="another-client"), "wrong audience"),
    "signed: aud a list": (resigned(aud=[CLIENT]), "aud not a string"),
    "signed: aud missing": (resigned(aud=DROP), "aud missing"),
    "signed: exp in the past": (resigned(exp=NOW - 3600), "expired"),
    "signed: exp missing": (resigned(exp=DROP), "exp missing"),
    "signed: exp true": (resigned(exp=True), "exp not a number"),
    "signed: exp a string": (resigned(exp=str(NOW + 3600)), "exp not a number"),
    "signed: exp huge": (resigned(exp=1e300), "exp out of range"),
    "signed: iat in the future": (resigned(iat=NOW + 3600), "issued in the future"),
    "signed: iat false": (resigned(iat=False), "iat not a number"),
    "signed: nbf in the future": (resigned(nbf=NOW + 3600), "not yet valid"),
    "signed: token_use access": (resigned(token_use="access"), "wrong token_use"),
    "signed: token_use missing": (resigned(token_use=DROP), "token_use missing"),
    "signed: sub missing": (resigned(sub=DROP), "sub missing"),
    "signed: sub a number": (resigned(sub=12345), "sub not a string"),
    "signed: sub empty": (resigned(sub=""), "sub empty"),
    # keys the JWKS publishes but we refuse at load time
    "signed by the published 1024-bit key": (lambda keys, kid: sign(keys.private["weak1024"], claims_for(), "weak1024"),
                                             "unknown kid"),
    "signed by the published e=3 key": (lambda keys, kid: sign(keys.private["e3"], claims_for(), "e3"), "unknown kid"),
}


@pytest.mark.parametrize("kid", ["k2048", "k3072"])
@pytest.mark.parametrize("case", list(CASES))
def test_ours_accepts_exactly_when_pyjwt_and_our_checks_accept(keys, kid, case):
    build, expected = CASES[case]
    token = build(keys, kid)
    accepted, reason = ours(token, keys)
    assert accepted == reference_accepts(token, keys)
    if expected is None:
        assert accepted, reason
    else:
        assert reason in ((expected,) if isinstance(expected, str) else expected)


def test_stricter_than_pyjwt(keys):
    """Spellings PyJWT accepts and ours refuses, so that a token we accept
    has exactly one spelling, the members PyJWT would read, and claims that
    can be encoded again (no lone surrogates)."""
    token = valid(keys, "k2048")
    head, body, signature = token.split(".")
    private = keys.private["k2048"]
    duplicate = sign_input(private, head, b64(json.dumps(claims_for())[:-1].encode() + b', "sub": "someone-else"}'))
    encoded_surrogate = sign_input(private, head, b64(
        json.dumps(claims_for(name="\udc80"), ensure_ascii=False).encode("utf-8", "surrogatepass")))
    escaped_surrogate = sign_input(private, head, seg(claims_for(name="\udc80")))
    for spelling, reason in ((f"{head}.{body}.{signature}==", "signature padded"),
                             (duplicate, "claims duplicate member"),
                             (encoded_surrogate, "claims not UTF-8"),
                             (escaped_surrogate, "claims has a lone surrogate")):
        jwt.decode(spelling, keys.public("k2048"), algorithms=["RS256"], audience=CLIENT, issuer=ISSUER)
        assert reason_of(spelling, keys) == reason
    # both refuse a signature whose unused trailing bits are set
    assert len(signature) % 4 == 2  # 256 bytes: 4 unused bits in the last character
    spelling = f"{head}.{body}.{non_canonical(signature)}"
    assert not reference_accepts(spelling, keys)
    assert reason_of(spelling, keys) == "signature not canonical base64url"


def test_refused_keys_at_load_time(keys):
    assert set(keys.ours) == {"k2048", "k3072"}
    assert dict(keys.refused) == {"weak1024": "JWK key under 2048 bits", "e3": "JWK e not 65537"}
    # a policy, not an arithmetic limit: the e=3 signature itself is sound
    numbers = keys.public("e3").public_numbers()
    head, body, signature = parts(sign(keys.private["e3"], claims_for(), "e3"))
    assert tokens.RsaKey("e3", numbers.n, numbers.e).verify(f"{head}.{body}".encode(), signature)


# --- hostile tokens: one reason each --------------------------------------------------

def header_seg(**header: Any) -> str:
    return seg({"alg": "RS256", "kid": "k2048", **header})


SIG = b64(b"\x01" * 256)
CLAIMS = seg({"sub": "x"})


def T(head: str, body: str = CLAIMS, signature: str = SIG) -> str:
    return ".".join((head, body, signature))


def non_canonical(segment: str) -> str:
    """The same bytes with an unused trailing bit set."""
    assert len(segment) % 4 in (2, 3)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return segment[:-1] + alphabet[alphabet.index(segment[-1]) ^ 1]


HEADER = header_seg()
KID_SHORT = seg({"alg": "RS256", "kid": "k2"})  # 29 bytes: 2 unused bits at the end

UNSIGNED: dict[str, tuple[Any, str]] = {
    "None": (None, "token not a string"),
    "bytes": (b"a.b.c", "token not a string"),
    "a number": (7, "token not a string"),
    "empty": ("", "token empty"),
    "too long": ("a" * 4000 + "." + "b" * 4000 + "." + "c" * 200, "token too long"),
    "one segment": ("garbage", "token not three segments"),
    "two segments": ("a.b", "token not three segments"),
    "four segments": ("a.b.c.d", "token not three segments"),
    "empty header": (T(""), "header empty"),
    "empty claims": (T(HEADER, ""), "claims empty"),
    "dots only": ("..", "header empty"),
    "header not ASCII": (T("é" + HEADER), "header not ASCII"),
    "header with a lone surrogate": (T(HEADER + "\ud800"), "header not ASCII"),
    "claims not ASCII": (T(HEADER, CLAIMS + "ü"), "claims not ASCII"),
    "claims with a lone surrogate": (T(HEADER, "\udfff" + CLAIMS), "claims not ASCII"),
    "claims with a full-width letter": (T(HEADER, CLAIMS[:-1] + "Ａ"), "claims not ASCII"),
    "signature not ASCII": (T(HEADER, CLAIMS, SIG + "\u0663"), "signature not ASCII"),
    "header padded": (T(KID_SHORT + "=="), "header padded"),
    "claims padded": (T(HEADER, b64(b"{}") + "="), "claims padded"),
    "header with +": (T(HEADER[:-1] + "+"), "header not base64url"),
    "header with /": (T(HEADER[:-1] + "/"), "header not base64url"),
    "header with a space": (T(HEADER[:4] + " " + HEADER[4:]), "header not base64url"),
    "header with a NUL": (T(HEADER + "\x00"), "header not base64url"),
    "claims with *": (T(HEADER, "*" + CLAIMS), "claims not base64url"),
    "signature with a newline": (T(HEADER, CLAIMS, SIG[:10] + "\n" + SIG[10:]), "signature not base64url"),
    "header one character too long": (T("AAAAA"), "header wrong base64url length"),
    "header not canonical": (T(non_canonical(KID_SHORT)), "header not canonical base64url"),
    "claims not canonical": (T(HEADER, non_canonical(seg({"sub": "xy"}))), "claims not canonical base64url"),
    "signature not canonical": (T(HEADER, CLAIMS, non_canonical(SIG)), "signature not canonical base64url"),
    "header not UTF-8": (T(b64(b'{"alg": "RS256", "kid": "\xff"}')), "header not UTF-8"),
    "header with an encoded surrogate": (T(b64(b'{"kid": "\xed\xa0\x80"}')), "header not UTF-8"),
    "header UTF-16": (T(b64(json.dumps({"alg": "RS256"}).encode("utf-16"))), "header not UTF-8"),
    "header with a BOM": (T(b64(b"\xef\xbb\xbf" + json.dumps({"alg": "RS256"}).encode())), "header not JSON"),
    "header not JSON": (T(b64(b"{alg: RS256}")), "header not JSON"),
    "header JSON with trailing data": (T(b64(b"{}{}")), "header not JSON"),
    "header a list": (T(seg(["RS256", "k2048"])), "header not a JSON object"),
    "header a string": (T(seg("RS256")), "header not a JSON object"),
    "header null": (T(seg(None)), "header not a JSON object"),
    "header a number": (T(seg(1)), "header not a JSON object"),
    "header with a lone surrogate escape": (T(header_seg(x="\ud800")), "header has a lone surrogate"),
    "header kid a lone surrogate escape": (T(seg({"alg": "RS256", "kid": "\udc00"})), "header has a lone surrogate"),
    "header nested deeply": (T(b64(b'{"x":' + b"[" * 2000 + b"]" * 2000 + b"}")), "header nested too deeply"),
    "header nested deeply, unclosed": (T(b64(b"[" * 5000)), "header nested too deeply"),
    "header nested 17 deep": (T(b64(b'{"x":' + b"[" * 16 + b"]" * 16 + b"}")), "header nested too deeply"),
    "header brackets in strings": (T(b64(json.dumps({"alg": "RS256", "kid": "[" * 40}).encode())), "unknown kid"),
    "header duplicate alg": (T(b64(b'{"alg": "none", "alg": "RS256", "kid": "k2048"}')), "header duplicate member"),
    "header NaN": (T(b64(b'{"alg": "RS256", "kid": "k2048", "x": NaN}')), "header non-finite number"),
    "header -Infinity": (T(b64(b'{"x": -Infinity}')), "header non-finite number"),
    "header 1e400": (T(b64(b'{"x": 1e400}')), "header non-finite number"),
    "header huge integer": (T(b64(b'{"x": ' + b"9" * 4400 + b"}")), "header number too large"),
    "alg missing": (T(seg({"kid": "k2048"})), "alg missing"),
    "alg null": (T(header_seg(alg=None)), "alg not a string"),
    "alg a number": (T(header_seg(alg=256)), "alg not a string"),
    "alg an object": (T(header_seg(alg={"name": "RS256"})), "alg not a string"),
    "alg true": (T(header_seg(alg=True)), "alg not a string"),
    "alg none": (T(header_seg(alg="none"), CLAIMS, ""), "alg not RS256"),
    "alg RS256 with a NUL": (T(header_seg(alg="RS256\x00")), "alg not RS256"),
    "kid missing": (T(seg({"alg": "RS256"})), "kid missing"),
    "kid null": (T(header_seg(kid=None)), "kid not a string"),
    "kid a list": (T(header_seg(kid=["k2048"])), "kid not a string"),
    "kid an object": (T(header_seg(kid={"k2048": 1})), "kid not a string"),
    "crit": (T(header_seg(crit=["b64"], b64=False)), "crit header not supported"),
    "kid unknown": (T(header_seg(kid="k4096")), "unknown kid"),
    "kid empty": (T(header_seg(kid="")), "unknown kid"),
    "signature empty": (T(HEADER, CLAIMS, ""), "signature empty"),
    "signature padded": (T(HEADER, CLAIMS, SIG + "=="), "signature padded"),
    "signature one byte": (T(HEADER, CLAIMS, "AA"), "signature wrong length"),
    "signature 255 bytes": (T(HEADER, CLAIMS, b64(bytes(255))), "signature wrong length"),
    "signature 257 bytes": (T(HEADER, CLAIMS, b64(bytes(257))), "signature wrong length"),
    "signature wrong": (T(HEADER, CLAIMS, SIG), "signature wrong"),
    "signature 1": (T(HEADER, CLAIMS, b64((1).to_bytes(256, "big"))), "signature wrong"),
}


@pytest.mark.parametrize("case", list(UNSIGNED))
def test_hostile_token_has_its_own_reason(keys, case):
    token, reason = UNSIGNED[case]
    assert reason_of(token, keys) == reason


def test_decode_header_refuses_like_verify():
    for token, reason in UNSIGNED.values():
        if reason.startswith(("token ", "header ", "alg ", "kid ", "crit ")):
            with pytest.raises(tokens.InvalidToken) as refused:
                tokens.decode_header(token)
            assert refused.value.reason == reason
    assert tokens.decode_header(f"{header_seg()}.{CLAIMS}.{SIG}") == {"alg": "RS256", "kid": "k2048"}
    assert tokens.key_id(f"{header_seg()}.{CLAIMS}.{SIG}") == "k2048"


def signed_claims(keys: Keys, claims: bytes) -> str:
    return sign_bytes(keys.private["k2048"], json.dumps({"alg": "RS256", "kid": "k2048"}).encode(), claims)


SIGNED: dict[str, tuple[bytes, str]] = {
    "claims not JSON": (b"sub=x", "claims not JSON"),
    "claims not UTF-8": (b'{"sub": "\xc3"}', "claims not UTF-8"),
    "claims a list": (json.dumps([claims_for()]).encode(), "claims not a JSON object"),
    "claims a string": (b'"claims"', "claims not a JSON object"),
    "claims null": (b"null", "claims not a JSON object"),
    "claims nested deeply": (b'{"x":' + b'{"y":' * 800 + b"1" + b"}" * 801, "claims nested too deeply"),
    "claims with a lone surrogate escape": (json.dumps(claims_for(name="\udbff")).encode(),
                                            "claims has a lone surrogate"),
    "claims with a lone surrogate key": (json.dumps({**claims_for(), "\ud800": 1}).encode(),
                                         "claims has a lone surrogate"),
    "claims with a duplicate sub": (json.dumps(claims_for())[:-1].encode() + b', "sub": "other"}',
                                    "claims duplicate member"),
    "exp NaN": (json.dumps(claims_for(exp=math.nan)).encode(), "claims non-finite number"),
    "exp Infinity": (json.dumps(claims_for(exp=math.inf)).encode(), "claims non-finite number"),
    "exp 1e999": (json.dumps(claims_for())[:-1].encode() + b', "exp2": 1e999}', "claims non-finite number"),
    "exp 10**30": (json.dumps(claims_for(exp=10 ** 30)).encode(), "claims number too large"),
    "exp 10**19": (json.dumps(claims_for(exp=10 ** 19)).encode(), "exp out of range"),
    "exp negative": (json.dumps(claims_for(exp=-1)).encode(), "exp out of range"),
    "exp null": (json.dumps(claims_for(exp=None)).encode(), "exp not a number"),
    "exp a list": (json.dumps(claims_for(exp=[NOW + 3600])).encode(), "exp not a number"),
    "iat a string": (json.dumps(claims_for(iat="now")).encode(), "iat not a number"),
    "iat 1e300": (json.dumps(claims_for(iat=1e300)).encode(), "iat out of range"),
    "nbf true": (json.dumps(claims_for(nbf=True)).encode(), "nbf not a number"),
    "iss a list": (json.dumps(claims_for(iss=[ISSUER])).encode(), "iss not a string"),
    "iss null": (json.dumps(claims_for(iss=None)).encode(), "iss not a string"),
    "token_use a list": (json.dumps(claims_for(token_use=["id"])).encode(), "token_use not a string"),
    "token_use ID": (json.dumps(claims_for(token_use="ID")).encode(), "wrong token_use"),
    "aud an object": (json.dumps(claims_for(aud={CLIENT: True})).encode(), "aud not a string"),
    "aud empty list": (json.dumps(claims_for(aud=[])).encode(), "aud not a string"),
    "aud with a NUL": (json.dumps(claims_for(aud=CLIENT + "\x00")).encode(), "wrong audience"),
    "sub null": (json.dumps(claims_for(sub=None)).encode(), "sub not a string"),
    "sub a list": (json.dumps(claims_for(sub=["x"])).encode(), "sub not a string"),
}


@pytest.mark.parametrize("case", list(SIGNED))
def test_hostile_signed_claims_have_their_own_reason(keys, case):
    claims, reason = SIGNED[case]
    assert reason_of(signed_claims(keys, claims), keys) == reason


def test_access_tokens_are_checked_against_client_id(keys):
    access = claims_for(token_use="access", aud=DROP, client_id=CLIENT)
    token = sign(keys.private["k2048"], access, "k2048")
    assert ours(token, keys, token_use="access") == (True, None)
    assert reason_of(token, keys) == "wrong token_use"
    other = sign(keys.private["k2048"], {**access, "client_id": "x"}, "k2048")
    assert reason_of(other, keys, token_use="access") == "wrong audience"
    missing = sign(keys.private["k2048"], claims_for(token_use="access", aud=DROP), "k2048")
    assert reason_of(missing, keys, token_use="access") == "client_id missing"


def test_times_against_a_given_now(keys):
    token = sign(keys.private["k2048"], claims_for(exp=1000, iat=900, nbf=900), "k2048")
    assert ours(token, keys, now=1000 + LEEWAY - 1) == (True, None)
    assert reason_of(token, keys, now=1000 + LEEWAY) == "expired"
    assert reason_of(token, keys, now=900 - LEEWAY - 1) == "not yet valid"
    assert ours(token, keys, now=900 - LEEWAY) == (True, None)
    early = sign(keys.private["k2048"], claims_for(exp=1000, iat=900), "k2048")
    assert reason_of(early, keys, now=900 - LEEWAY - 1) == "issued in the future"


def test_configuration_and_key_set_problems_are_reasons_too(keys):
    token = valid(keys, "k2048")
    for issuer, audience in (("", CLIENT), (ISSUER, "")):
        with pytest.raises(tokens.InvalidToken, match="^issuer or audience not configured$"):
            tokens.verify(token, keys.ours, issuer, audience)
    with pytest.raises(tokens.InvalidToken, match="^no signing keys$"):
        tokens.verify(token, {}, ISSUER, CLIENT)

    class Exploding(dict):
        def get(self, *args: Any) -> Any:
            raise RuntimeError("a bug")

    with pytest.raises(tokens.InvalidToken, match=r"^token malformed \(RuntimeError\)$"):
        tokens.verify(token, Exploding(keys.ours), ISSUER, CLIENT)


# --- JWKS entries ----------------------------------------------------------------------

def jwk_with(keys: Keys, **changes: Any) -> dict[str, Any]:
    jwk = public_jwk(keys.private["k2048"], "k2048")
    for name, value in changes.items():
        if value is DROP:
            jwk.pop(name)
        else:
            jwk[name] = value
    return jwk


def uint(value: int) -> str:
    return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


JWKS_ENTRIES: dict[str, tuple[Callable[[Keys], Any], str]] = {
    "not an object": (lambda keys: ["RSA"], "JWK not an object"),
    "null": (lambda keys: None, "JWK not an object"),
    "kty missing": (lambda keys: jwk_with(keys, kty=DROP), "JWK not an RSA key"),
    "kty EC": (lambda keys: jwk_with(keys, kty="EC"), "JWK not an RSA key"),
    "kty a list": (lambda keys: jwk_with(keys, kty=["RSA"]), "JWK not an RSA key"),
    "use enc": (lambda keys: jwk_with(keys, use="enc"), "JWK not a signing key"),
    "alg RS512": (lambda keys: jwk_with(keys, alg="RS512"), "JWK alg not RS256"),
    "key_ops sign only": (lambda keys: jwk_with(keys, key_ops=["sign"]), "JWK key_ops without verify"),
    "key_ops a string": (lambda keys: jwk_with(keys, key_ops="verify"), "JWK key_ops without verify"),
    "kid missing": (lambda keys: jwk_with(keys, kid=DROP), "JWK kid missing"),
    "kid a list": (lambda keys: jwk_with(keys, kid=["k2048"]), "JWK kid not a string"),
    "kid empty": (lambda keys: jwk_with(keys, kid=""), "JWK kid empty"),
    "n missing": (lambda keys: jwk_with(keys, n=DROP), "JWK n missing"),
    "n a number": (lambda keys: jwk_with(keys, n=12345), "JWK n not a string"),
    "n a list": (lambda keys: jwk_with(keys, n=["AQAB"]), "JWK n not a string"),
    "n padded": (lambda keys: jwk_with(keys, n=jwk_with(keys)["n"] + "=="), "JWK n padded"),
    "n standard base64": (lambda keys: jwk_with(keys, n=jwk_with(keys)["n"][:-2] + "+/"), "JWK n not base64url"),
    "n not ASCII": (lambda keys: jwk_with(keys, n="ñ" + jwk_with(keys)["n"]), "JWK n not ASCII"),
    "e missing": (lambda keys: jwk_with(keys, e=DROP), "JWK e missing"),
    "e a number": (lambda keys: jwk_with(keys, e=65537), "JWK e not a string"),
    "e 3": (lambda keys: jwk_with(keys, e=uint(3)), "JWK e not 65537"),
    "e 1": (lambda keys: jwk_with(keys, e=uint(1)), "JWK e not 65537"),
    "e empty": (lambda keys: jwk_with(keys, e=""), "JWK e not 65537"),
    "n 1024 bits": (lambda keys: public_jwk(keys.private["weak1024"], "k2048"), "JWK key under 2048 bits"),
    "n 2047 bits": (lambda keys: jwk_with(keys, n=uint((1 << 2046) + 1)), "JWK key under 2048 bits"),
    "n empty": (lambda keys: jwk_with(keys, n=""), "JWK key under 2048 bits"),
    "n 9000 bits": (lambda keys: jwk_with(keys, n=uint((1 << 8999) + 1)), "JWK key over 8192 bits"),
    "n even": (lambda keys: jwk_with(keys, n=uint(1 << 2047)), "JWK n even"),
}


@pytest.mark.parametrize("case", list(JWKS_ENTRIES))
def test_malformed_jwks_entry_is_refused_and_the_others_load(keys, case, caplog):
    build, reason = JWKS_ENTRIES[case]
    good = public_jwk(keys.private["k3072"], "k3072")
    loaded, refused = tokens.jwks_keys({"keys": [build(keys), good]})
    assert list(loaded) == ["k3072"] and [r for _, r in refused] == [reason]
    with pytest.raises(tokens.InvalidToken) as error:
        tokens.RsaKey.from_jwk(build(keys))
    assert error.value.reason == reason
    with caplog.at_level(logging.WARNING, logger="chalicelib.auth.tokens"):
        assert list(tokens.keys_from_jwks({"keys": [good, build(keys)]})) == ["k3072"]
    assert reason in caplog.text


def test_key_set_shape(keys):
    good = public_jwk(keys.private["k2048"], "k2048")
    for jwks, reason in (([good], "JWKS not an object"), (None, "JWKS not an object"),
                         ({}, "JWKS keys not a list"), ({"keys": {"k2048": good}}, "JWKS keys not a list")):
        with pytest.raises(tokens.InvalidToken, match=f"^{reason}$"):
            tokens.keys_from_jwks(jwks)
    loaded, refused = tokens.jwks_keys({"keys": [good, public_jwk(keys.private["other k2048"], "k2048")]})
    assert loaded["k2048"].n == keys.public("k2048").public_numbers().n
    assert refused == [("k2048", "JWK kid duplicated")]
    assert tokens.jwks_keys({"keys": []}) == ({}, [])


# --- fuzzing (bounded, seeded) ---------------------------------------------------------

def hostile_json(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(12 if depth < 4 else 8)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([0, -1, 1, NOW, NOW + 3600, 2 ** 53, 2 ** 64, 10 ** 19, 1e300, -1e-300, 0.5])
    if choice == 3:
        return rng.choice(["", "RS256", "none", "k2048", "\ud800", "\x00", "é" * 5, ISSUER, CLIENT, "id", "x" * 300])
    if choice in (4, 5, 6, 7):
        return "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0x80, 0x10FFFF)]))
                       for _ in range(rng.randrange(8)))
    if choice in (8, 9):
        return [hostile_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(["alg", "kid", "sub", "exp", "iat", "aud", "iss", "token_use", "x"]): hostile_json(rng, depth + 1)
            for _ in range(rng.randrange(4))}


def hostile_object(rng: random.Random, base: dict[str, Any]) -> bytes:
    """JSON text (or nearly) built from ``base`` with a few members changed."""
    kind = rng.randrange(10)
    if kind == 0:
        return json.dumps(hostile_json(rng)).encode("utf-8", "surrogatepass")
    if kind == 1:
        return rng.choice([b"[" * 6000, b"{" * 3, b'{"a":' * 40 + b"1" + b"}" * 40, b"NaN", b"", b"\xff\xfe",
                           b'{"exp": 1e400}', b'{"kid": "\xed\xb0\x80"}', b'{"alg": "RS256",}'])
    value = dict(base)
    for _ in range(rng.randrange(1, 4)):
        value[rng.choice(list(base) + ["nbf", "crit", "x"])] = hostile_json(rng)
    text = json.dumps(value, ensure_ascii=rng.random() < 0.5, allow_nan=True)
    if kind == 2:
        text = text[:-1] + ', "sub": "dup"}'
    return text.encode("utf-8", "surrogatepass")


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ODD_CHARACTERS = "=.+/ \t\n\x00é\u0663\ud800\udfff\ufeffＡ*%\"\\[]{}"


def mutate(rng: random.Random, token: str, keys: Keys) -> str:
    for _ in range(rng.randrange(1, 4)):
        op = rng.randrange(12)
        position = rng.randrange(len(token) + 1)
        if op == 0 and token:  # replace a character
            position = min(position, len(token) - 1)
            token = token[:position] + rng.choice(ALPHABET + ODD_CHARACTERS) + token[position + 1:]
        elif op == 1:  # insert
            token = token[:position] + rng.choice(ALPHABET + ODD_CHARACTERS) + token[position:]
        elif op == 2:  # delete a run
            token = token[:position] + token[position + rng.randrange(1, 8):]
        elif op == 3:  # cut
            token = token[:position]
        elif op == 4:  # shuffle, duplicate or drop segments
            segments = token.split(".")
            rng.shuffle(segments)
            if rng.random() < 0.5:
                segments.insert(rng.randrange(len(segments) + 1), rng.choice(segments))
            elif len(segments) > 1:
                segments.pop(rng.randrange(len(segments)))
            token = ".".join(segments)
        elif op in (5, 6):  # a hostile header or claims, with the old signature
            segments = token.split(".")
            index = op - 5
            if len(segments) > index:
                base = ({"alg": "RS256", "kid": "k2048"} if index == 0 else claims_for())
                segments[index] = b64(hostile_object(rng, base))
            token = ".".join(segments)
        elif op == 7:  # random bytes as a segment
            segments = token.split(".")
            segments[rng.randrange(len(segments))] = b64(rng.randbytes(rng.choice([0, 1, 2, 3, 255, 256, 257, 384])))
            token = ".".join(segments)
        elif op == 8:  # padding
            segments = token.split(".")
            index = rng.randrange(len(segments))
            segments[index] += "=" * rng.randrange(1, 4)
            token = ".".join(segments)
        elif op == 9:  # far too long
            token = token * rng.randrange(2, 8)
        elif op == 10:  # flip a bit of the signature
            segments = token.split(".")
            try:
                signature = bytearray(tokens.b64url_decode(segments[-1]))
            except tokens.InvalidToken:
                continue
            if signature:
                signature[rng.randrange(len(signature))] ^= 1 << rng.randrange(8)
                segments[-1] = b64(bytes(signature))
                token = ".".join(segments)
        else:  # case
            token = token.swapcase() if rng.random() < 0.1 else token[:position] + token[position:].swapcase()
    return token


def test_fuzz_mutated_tokens_raise_only_invalid_token(keys, monkeypatch):
    configure(monkeypatch, keys)
    rng = random.Random(20260112)
    originals = [valid(keys, "k2048"), valid(keys, "k3072")]
    refused = set()
    for _ in range(2000):
        original = rng.choice(originals)
        token = mutate(rng, original, keys)
        accepted, reason = ours(token, keys)
        if accepted:
            assert token == original  # one spelling: nothing else verifies
        else:
            refused.add(reason)
            try:
                verifier.identify(f"Bearer {token}")
            except tokens.InvalidToken:
                pass
            else:  # only when the mutation was blanks around the token
                assert token.strip() == original
    assert len(refused) >= 25, sorted(refused)  # the mutations reach many different checks


def test_fuzz_validly_signed_hostile_headers_and_claims(keys):
    rng = random.Random(7)
    private = keys.private["k2048"]
    reasons = set()
    for _ in range(300):
        header = hostile_object(rng, {"alg": "RS256", "kid": "k2048"}) if rng.random() < 0.3 else \
            json.dumps({"alg": "RS256", "kid": "k2048"}).encode()
        token = sign_bytes(private, header, hostile_object(rng, claims_for()))
        accepted, reason = ours(token, keys)
        if accepted:
            assert reference_accepts(token, keys)
        else:
            reasons.add(reason)
    assert len(reasons) >= 15, sorted(reasons)


def test_fuzz_jwks_entries_never_block_the_good_key(keys):
    rng = random.Random(11)
    good = public_jwk(keys.private["k2048"], "k2048")
    for _ in range(300):
        entries = [jwk_with(keys, **{rng.choice(["kty", "use", "alg", "kid", "n", "e", "key_ops"]): hostile_json(rng)})
                   if rng.random() < 0.7 else hostile_json(rng) for _ in range(rng.randrange(1, 4))]
        entries.insert(rng.randrange(len(entries) + 1), good)
        loaded, refused = tokens.jwks_keys({"keys": entries})
        assert "k2048" in loaded and loaded["k2048"].n == keys.public("k2048").public_numbers().n
        assert all(isinstance(reason, str) and not reason.startswith("JWK malformed") for _, reason in refused)


# --- verifier.identify ----------------------------------------------------------------------

def configure(monkeypatch, keys: Keys) -> None:
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("ADUAN_USER_POOL_ID", POOL)
    monkeypatch.setenv("ADUAN_USER_POOL_CLIENT_ID", CLIENT)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setattr(verifier, "KEYS", verifier.KeyStore(fetch=lambda url: keys.jwks))


def refusal(authorization: Any) -> str:
    with pytest.raises(tokens.InvalidToken) as error:
        verifier.identify(authorization)
    return error.value.reason


def test_identify_none_only_without_a_header(keys, monkeypatch):
    configure(monkeypatch, keys)
    for absent in (None, "", " ", "\t \r\n"):
        assert verifier.identify(absent) is None
    identity = verifier.identify(f"Bearer {valid(keys, 'k2048')}")
    assert isinstance(identity, Identity) and identity.role == "citizen" and identity.region_id == "kupang"
    assert verifier.identify(f"  bearer   {valid(keys, 'k3072')}  ") == identity


def test_identify_raises_for_every_other_header(keys, monkeypatch):
    configure(monkeypatch, keys)
    token = valid(keys, "k2048")
    assert refusal("Basic dXNlcjpwYXNz") == "authorization not Bearer"
    assert refusal(token) == "authorization not Bearer"
    assert refusal(f"Bearer: {token}") == "authorization not Bearer"
    assert refusal(f"Bearer\t{token}") == "authorization not Bearer"
    assert refusal("Bearer") == "bearer token missing"
    assert refusal("Bearer    ") == "bearer token missing"
    assert refusal(b"Bearer x") == "authorization not a string"
    assert refusal(f"Bearer {token} {token}") == "token not three segments"
    assert refusal("Bearer garbage") == "token not three segments"
    assert refusal(f"Bearer {token}x") == "signature not canonical base64url"
    assert refusal(f"Bearer {with_header(token, {'alg': 'RS256', 'kid': ['k2048']})}") == "kid not a string"
    assert refusal(f"Bearer {with_header(token, {'alg': 'RS256', 'kid': {'a': 1}})}") == "kid not a string"
    assert refusal(f"Bearer {token[:10]}é{token[10:]}") == "header not ASCII"
    head, body, signature = token.split(".")
    assert refusal(f"Bearer {head}.{body[:5]}\ud800{body[5:]}.{signature}") == "claims not ASCII"
    assert refusal(f"Bearer {sign(keys.private['k2048'], claims_for(exp=NOW - 3600), 'k2048')}") == "expired"


def test_identify_raises_for_a_valid_token_without_role_or_region(keys, monkeypatch):
    configure(monkeypatch, keys)
    private = keys.private["k2048"]
    for changes, reason in (({"cognito:groups": DROP}, "no role or region in claims"),
                            ({"cognito:groups": ["unknown"]}, "no role or region in claims"),
                            ({"custom:region_id": DROP}, "no role or region in claims"),
                            ({"cognito:groups": "xplatform_adminx"}, "cognito:groups not a list of strings"),
                            ({"cognito:groups": [["citizen"]]}, "cognito:groups not a list of strings"),
                            ({"custom:region_id": ["kupang"]}, "custom:region_id not a string"),
                            ({"email": {"a": 1}}, "email not a string")):
        assert refusal(f"Bearer {sign(private, claims_for(**changes), 'k2048')}") == reason


def test_identify_raises_when_no_pool_is_configured(keys, monkeypatch):
    configure(monkeypatch, keys)
    monkeypatch.setenv("ADUAN_USER_POOL_ID", "")
    assert refusal(f"Bearer {valid(keys, 'k2048')}") == "user pool not configured"
    assert verifier.identify(None) is None


def test_identify_when_the_key_set_cannot_be_had(keys, monkeypatch):
    configure(monkeypatch, keys)

    def unreachable(url: str) -> dict[str, Any]:
        raise OSError("no route")

    monkeypatch.setattr(verifier, "KEYS", verifier.KeyStore(fetch=unreachable))
    assert refusal(f"Bearer {valid(keys, 'k2048')}") == "no signing keys"
    # a JWKS with one malformed entry still serves the other keys
    broken = {"keys": [{"kty": "RSA", "kid": "k9", "n": 5, "e": "AQAB"}, *keys.jwks["keys"]]}
    monkeypatch.setattr(verifier, "KEYS", verifier.KeyStore(fetch=lambda url: broken))
    assert verifier.identify(f"Bearer {valid(keys, 'k2048')}").role == "citizen"


def test_identify_turns_any_bug_into_invalid_token(keys, monkeypatch):
    configure(monkeypatch, keys)

    class Broken(verifier.KeyStore):
        def keys(self, kid: str) -> dict[str, tokens.RsaKey]:
            raise KeyError(kid)

    monkeypatch.setattr(verifier, "KEYS", Broken())
    assert refusal(f"Bearer {valid(keys, 'k2048')}") == "token malformed (KeyError)"


def test_identify_logs_the_reason_not_the_token(keys, monkeypatch, caplog):
    configure(monkeypatch, keys)
    token = sign(keys.private["k2048"], claims_for(aud="someone-else"), "k2048")
    with caplog.at_level(logging.INFO, logger="chalicelib.auth.verifier"):
        assert refusal(f"Bearer {token}") == "wrong audience"
    assert "token refused: wrong audience" in caplog.text
    assert all(part not in caplog.text for part in token.split("."))
