"""HTTP POST to a partner's webhook, with the standard library only (no
``requests`` in the Lambda package), refusing what could reach inside.

The URL must be ``https``; its host is resolved here and *every* address it
resolves to must be public (``domain.webhooks.address_allowed``: never
loopback, private, link-local — 169.254.169.254, the instance metadata —
nor reserved), and the connection goes to the address that was checked (TLS
still verifies the certificate for the host name), so a DNS answer that
changes between the check and the connection (rebinding) cannot lead
elsewhere.  Redirects are not followed.

``ADUAN_WEBHOOKS_ALLOW_LOCAL=1`` lets ``http://`` and loopback addresses
through, for the local stack's and the tests' own receivers only: it is
ignored inside Lambda and on any stage but ``local``/``test``/``bench``."""
from __future__ import annotations

import http.client
import os
import socket
import ssl
from urllib.parse import urlsplit

from .. import resources
from ..domain import webhooks as rules

TIMEOUT_SECONDS = 5.0
LOCAL_STAGES = ("local", "test", "bench")


class Unsafe(Exception):
    """The URL may not be called (not https, or an address inside)."""


class Unreachable(Exception):
    """No answer: DNS, connection, TLS or timeout (tried again later)."""


def local_receivers_allowed() -> bool:
    return (os.environ.get("ADUAN_WEBHOOKS_ALLOW_LOCAL") == "1" and resources.stage() in LOCAL_STAGES
            and not os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _checked_address(host: str, port: int, allow_local: bool) -> str:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unreachable(f"cannot resolve the webhook host ({type(error).__name__})") from None
    addresses = [str(info[4][0]) for info in found]
    if not addresses or not all(rules.address_allowed(a, allow_loopback=allow_local) for a in addresses):
        raise Unsafe("the webhook host resolves to an address that may not be called")
    return addresses[0]


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of a URL that may be called; ``Unsafe``
    otherwise (before any DNS lookup)."""
    allow_local = local_receivers_allowed()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Unsafe("not a valid URL") from None
    if parts.scheme != "https" and not (allow_local and parts.scheme == "http"):
        raise Unsafe("webhooks are https only")
    if not parts.hostname or parts.username or parts.password:
        raise Unsafe("not a valid webhook URL")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_SECONDS) -> int:
    """POST ``body``; the HTTP status of the answer (its body is not read
    beyond 64 KB).  ``Unsafe``: never called; ``Unreachable``: no answer."""
    scheme, host, port, path = check_url(url)
    address = _checked_address(host, port, local_receivers_allowed())
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, address, port, timeout)
    try:
        connection.request("POST", path, body=body, headers={**headers, "Content-Type": "application/json",
                                                              "User-Agent": "Aduan-Webhooks/1"})
        response = connection.getresponse()
        response.read(65536)
        return int(response.status)
    except (OSError, http.client.HTTPException) as error:  # timeouts, resets, TLS failures
        raise Unreachable(type(error).__name__) from None
    finally:
        connection.close()
