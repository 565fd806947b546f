"""The web console (``web/dist``, built by ``make console``) served from the
API's own origin, as the deployed CloudFront distribution serves it: ``/v1/*``,
``/openapi.json`` and ``/health`` are the API; every other path is a file of
the console (``/`` is its ``index.html``)."""
from __future__ import annotations

import mimetypes
import os
from pathlib import Path

# ADUAN_CONSOLE_DIST: another build of the console (parallel test sessions each build their own)
DIST = Path(os.environ.get("ADUAN_CONSOLE_DIST") or Path(__file__).resolve().parent.parent / "web" / "dist")
API_PREFIXES = ("/v1/", "/open311/", "/openapi.json", "/health")
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".json": "application/json", ".png": "image/png",
         ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}
NOT_BUILT = ("<!doctype html><meta charset=utf-8><title>Aduan</title>"
             "<p>The console is not built: run <code>make console</code> (or <code>make run</code>).</p>")


def is_api(path: str) -> bool:
    bare = path.split("?", 1)[0]
    return bare.startswith(API_PREFIXES) or bare == "/v1"


def security_headers(aws_endpoint: str) -> dict[str, str]:
    """The headers the CloudFront response headers policy sets on AWS; locally
    the browser also talks to the embedded AWS (sign-in, photo uploads)."""
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob: https: {aws_endpoint}; connect-src 'self' {aws_endpoint}; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }


def response(path: str, aws_endpoint: str, dist: Path = DIST) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a console path."""
    bare = path.split("?", 1)[0].split("#", 1)[0]
    name = "index.html" if bare in ("", "/", "/index.html") else bare.lstrip("/")
    headers = security_headers(aws_endpoint)
    if not (dist / "index.html").exists():
        return 503, {**headers, "Content-Type": TYPES[".html"], "Cache-Control": "no-store"}, NOT_BUILT.encode()
    target = (dist / name).resolve()
    if dist.resolve() not in target.parents or not target.is_file() or name == "build.json":
        return 404, {**headers, "Content-Type": TYPES[".txt"], "Cache-Control": "no-store"}, b"not found\n"
    suffix = target.suffix.lower()
    content_type = TYPES.get(suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    # hashed assets never change; index.html names the current ones
    cache = "public, max-age=31536000, immutable" if name.startswith("assets/") else "no-cache"
    return 200, {**headers, "Content-Type": content_type, "Cache-Control": cache}, target.read_bytes()
