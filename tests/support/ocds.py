"""Validating an OCDS package offline with libcoveocds: the standard and the
Location extension are served from tests/data/ocds, and no socket may open."""
from __future__ import annotations

import contextlib
import copy
import io
import socket
import zipfile
from pathlib import Path

from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.response import HTTPResponse

from chalicelib.domain import ocds

DATA = Path(__file__).resolve().parent.parent / "data" / "ocds"
STANDARD_ZIP = DATA / "standard-1__1__5.zip"
LOCATION_DIR = DATA / "extensions" / "location"
# where ocdsextensionregistry fetches the extension (served from LOCATION_DIR)
LOCATION_ARCHIVE = "https://github.com/open-contracting-extensions/ocds_location_extension/archive/v1.1.5.zip"
LOCATION_BASE = ocds.LOCATION_EXTENSION.rsplit("/", 1)[0] + "/"


# --- offline plumbing ------------------------------------------------------

class NetworkBlocked(RuntimeError):
    """Not an OSError nor a requests exception, so no library swallows it."""


class VendoredFiles(BaseAdapter):
    """A ``requests`` transport answering from memory; any other URL is a
    recorded 404, which the test then fails on."""

    def __init__(self, files: dict[str, bytes]):
        super().__init__()
        self.files = files
        self.served: list[str] = []
        self.unknown: list[str] = []

    def send(self, request, **kwargs):
        body = self.files.get(request.url)
        (self.served if body is not None else self.unknown).append(request.url)
        raw = HTTPResponse(body=io.BytesIO(body or b""), status=200 if body is not None else 404,
                           reason="OK" if body is not None else "Not Found", preload_content=False,
                           headers={"Content-Type": "application/octet-stream"}, request_url=request.url)
        return HTTPAdapter().build_response(request, raw)

    def close(self):
        pass


def _location_files() -> dict[str, bytes]:
    """The extension as GitHub serves it: the tag's archive (one top folder)
    and the raw files."""
    files = sorted(p for p in LOCATION_DIR.rglob("*") if p.is_file())
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ocds_location_extension-1.1.5/", b"")
        for path in files:
            z.writestr(f"ocds_location_extension-1.1.5/{path.relative_to(LOCATION_DIR).as_posix()}",
                       path.read_bytes())
    served = {LOCATION_ARCHIVE: archive.getvalue()}
    served.update({LOCATION_BASE + p.relative_to(LOCATION_DIR).as_posix(): p.read_bytes() for p in files})
    return served


@contextlib.contextmanager
def no_network():
    """No socket may be opened inside; the extension is served from
    tests/data.  Yields the adapter that served it."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise NetworkBlocked(f"network access in an offline test: {args[:2]!r}")

    from ocdsextensionregistry.util import session

    saved = {(socket, "getaddrinfo"): socket.getaddrinfo, (socket, "create_connection"): socket.create_connection,
             (socket.socket, "connect"): socket.socket.connect, (socket.socket, "connect_ex"): socket.socket.connect_ex}
    for (owner, name) in saved:
        setattr(owner, name, refuse)
    adapter = VendoredFiles(_location_files())
    adapter.attempts = attempts
    session.cache.clear()  # every validation fetches through the adapter
    prefixes = ("https://github.com/open-contracting-extensions/",
                "https://raw.githubusercontent.com/open-contracting-extensions/")
    for prefix in prefixes:
        session.mount(prefix, adapter)
    try:
        yield adapter
    finally:
        for (owner, name), original in saved.items():
            setattr(owner, name, original)
        for prefix in prefixes:
            session.adapters.pop(prefix, None)
        session.cache.clear()
    assert not attempts, f"tried the network: {attempts}"
    assert not adapter.unknown, f"fetched URLs that are not vendored: {adapter.unknown}"


def validate_offline(package: dict, tmp_path: Path) -> dict:
    """Validate with the network blocked (for tests that need it otherwise)."""
    with no_network() as adapter:
        return validate(package, tmp_path, adapter)


def validate(package: dict, tmp_path: Path, offline: VendoredFiles) -> dict:
    """libcoveocds's result for ``package`` (its API, as its CLI calls it)."""
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig()
    config.config.update({"context": "api", "standard_zip": STANDARD_ZIP.as_uri()})
    result = ocds_json_output(str(tmp_path), schema_version="1.1", json_data=copy.deepcopy(package),
                              lib_cove_ocds_config=config)
    if package.get("extensions"):
        assert LOCATION_ARCHIVE in offline.served, "the Location extension was not fetched"
    return result
