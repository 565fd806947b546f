"""The caller's IP address, for what is limited per source (sign-up, a
resent code).

API Gateway records the address that opened the connection
(``requestContext.identity.sourceIp``).  A mobile app calls the API directly,
so that is the app's address.  The web console calls it on its own origin,
through its CloudFront distribution, so that is a CloudFront edge server's,
shared by every viewer behind that edge; CloudFront then sends the viewer's
own address and port in ``CloudFront-Viewer-Address``.  Anyone can send that
header to the API Gateway URL, so it is believed only on a request that
carries the distribution's origin secret (``resources.CONSOLE_ORIGIN_SECRET``:
a header CloudFront adds on its way to the API, whose value, generated per
stage, only the distribution and the functions know), compared in constant
time.  With no secret configured (the local stack), a missing or wrong one,
or a value that is not ``ip:port``, the answer is ``sourceIp``: never an
error.

The address is for counting only: it is hashed before it is stored
(``services/pseudonyms``) and never logged or put in a message."""
from __future__ import annotations

import hmac
import ipaddress
import os
from typing import Any

from .. import resources

_SECRET = resources.CONSOLE_ORIGIN_SECRET
# the longest ip:port CloudFront can send ("[", IPv4-mapped IPv6, "]:65535") with room to spare
_MAX_LENGTH = 64


def address(request: Any) -> str | None:
    """The caller's IP address: the viewer's when the request came through
    our distribution and says it, else the connection's; None if neither."""
    if through_our_distribution(request) and _single(request, resources.VIEWER_ADDRESS_HEADER):
        viewer = viewer_address(request.headers.get(resources.VIEWER_ADDRESS_HEADER))
        if viewer is not None:
            return viewer
    return connection_address(request)


def _single(request: Any, name: str) -> bool:
    """The header came once: a viewer's own ``CloudFront-Viewer-Address``
    beside CloudFront's would be two values in API Gateway's
    ``multiValueHeaders``, of which ``headers`` keeps only one."""
    original = getattr(request, "to_original_event", None)
    event = original() if callable(original) else None
    multi = (event.get("multiValueHeaders") if isinstance(event, dict) else None) or {}
    return sum(len(values or ()) for key, values in multi.items() if key.lower() == name.lower()) <= 1


def connection_address(request: Any) -> str | None:
    """``requestContext.identity.sourceIp``, normalised when it is an IP address."""
    value = ((request.context or {}).get("identity") or {}).get("sourceIp")
    if not isinstance(value, str) or not value:
        return None
    return _ip(value) or value


def through_our_distribution(request: Any) -> bool:
    """The request carries the origin secret our distribution adds (and a
    secret is configured at all)."""
    expected = os.environ.get(_SECRET.environment) or ""
    given = request.headers.get(_SECRET.header)
    if not expected or not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode("utf-8", "backslashreplace"), expected.encode("utf-8", "backslashreplace"))


def viewer_address(value: str | None) -> str | None:
    """The IP address of a ``CloudFront-Viewer-Address`` value, ``ip:port``
    with the IPv6 address unbracketed (``2001:db8::1:443``; a bracketed one
    is accepted too); None for anything else (no port, not an address)."""
    if not isinstance(value, str) or not value or len(value) > _MAX_LENGTH:
        return None
    host, colon, port = value.strip().rpartition(":")
    if not colon or not (port.isascii() and port.isdigit()) or len(port) > 5 or int(port) > 65535:
        return None
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return _ip(host)


def _ip(text: str) -> str | None:
    """``text`` as an IP address in its canonical form (an IPv4-mapped IPv6
    address as its IPv4 one), or None (a zone index, ``fe80::1%eth0``, is
    not an address CloudFront sends)."""
    if not text or "%" in text or not text.isascii():
        return None
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).compressed
