"""Requests no route matches, answered locally the way the deployed API answers
them: ``404 {"error": {"code": "not_found", "message": ...}}``.

API Gateway answers a path it does not know with ``403 {"message": "Missing
Authentication Token"}`` (or, when an ``Authorization`` header is present,
with a 403 about SigV4 credentials); ``infra/stack.py`` replaces that answer
with our error shape through a gateway response.  Chalice's local gateway
(``chalice.local.LocalGateway``, behind ``chalice local``, the devstack and
``chalice.test.Client``) imitates API Gateway's default; for the devstack
(``devstack/stack.py``) and the tests' client (``tests/conftest.py``) it is
rewritten here, in the caller's language.  A bare ``chalice local`` still
answers Chalice's 403.

A known path with an unknown method reaches the app, which answers 405
``method_not_allowed`` in our shape itself (``error_shape_middleware``).  API
Gateway cannot tell the two cases apart: there, both are the 404.
"""
from __future__ import annotations

import functools
import json
import os
from http.server import BaseHTTPRequestHandler
from typing import Any

from chalice.local import ChaliceRequestHandler, ForbiddenError, LocalGateway

from chalicelib.domain import i18n

from . import console


def not_found(headers: dict[str, Any], extra_headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The 404 as a Lambda-proxy response dict, which both the local HTTP
    server and the test client turn into their answers."""
    lang = i18n.negotiate(_header(headers, "accept-language"))
    body = {"error": {"code": "not_found", "message": i18n.message("not_found", lang)}}
    return {
        "statusCode": 404,
        "headers": {**(extra_headers or {}), "Content-Type": "application/json; charset=utf-8",
                    "Content-Language": lang},
        "multiValueHeaders": {},
        "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
    }


def answer_unknown_routes(gateway: LocalGateway) -> LocalGateway:
    """Make ``gateway`` answer a path no route matches with our 404 instead of
    API Gateway's default 403.  Everything else is left to the gateway."""
    handle = gateway.handle_request

    def handle_request(method: str, path: str, headers: dict[str, Any], body: bytes | None) -> dict[str, Any]:
        try:
            return handle(method=method, path=path, headers=headers, body=body)
        except ForbiddenError as error:
            if _matches_a_route(gateway, method, path, headers, body):
                raise  # an authorizer's denial, not an unknown path
            request_id = (error.headers or {}).get("x-amzn-RequestId")
            return not_found(headers, {"x-amzn-RequestId": request_id} if request_id else None)

    gateway.handle_request = handle_request  # type: ignore[method-assign]
    return gateway


def answer_unknown_routes_in_test_client(client: Any) -> Any:
    """The same for a ``chalice.test.Client`` (its HTTP client keeps the
    gateway it sends every request through)."""
    answer_unknown_routes(client.http._local_gateway)
    return client


class RequestHandler(ChaliceRequestHandler):
    """Chalice's local HTTP request handler with ``answer_unknown_routes``,
    serving the web console on the paths that are not the API's."""

    def __init__(self, request: Any, client_address: Any, server: Any, app_object: Any, config: Any) -> None:
        # ChaliceRequestHandler.__init__ does exactly this with a plain
        # LocalGateway; the request is handled inside BaseHTTPRequestHandler's.
        self.local_gateway = answer_unknown_routes(LocalGateway(app_object, config))
        BaseHTTPRequestHandler.__init__(self, request, client_address, server)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        if console.is_api(self.path):
            return self._generic_handle()
        self._send_console(with_body=True)

    def do_HEAD(self) -> None:
        if console.is_api(self.path):
            return self._generic_handle()
        self._send_console(with_body=False)

    def _send_console(self, with_body: bool) -> None:
        status, headers, body = console.response(self.path, os.environ.get("AWS_ENDPOINT_URL", ""))
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)


def serve_unknown_routes(server: Any, app: Any, config: Any) -> Any:
    """Switch a ``chalice.local.LocalDevServer`` (from
    ``CLIFactory.create_local_server``) to ``RequestHandler``."""
    server.server.RequestHandlerClass = functools.partial(RequestHandler, app_object=app, config=config)
    return server


def _matches_a_route(gateway: LocalGateway, method: str, path: str, headers: dict[str, Any],
                     body: bytes | None) -> bool:
    try:
        gateway.event_converter.create_lambda_event(method=method, path=path, headers=headers, body=body)
    except ValueError:  # chalice.local.RouteMatcher: "No matching route found"
        return False
    return True


def _header(headers: dict[str, Any], name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None
