"""Each endpoint declared once: path, method, who may call it, the typed
models of its body, query and reply.  ``route`` records the declaration (the
OpenAPI document is generated from ``OPERATIONS``, see ``openapi.py``),
registers the Chalice view, reads and validates the request into the
declared models, and serialises the reply with msgspec.

Errors raised by the domain become ``{"error": {"code", "message"}}`` in the
caller's language; anything unexpected is logged and becomes a plain 500."""
from __future__ import annotations

import functools
import logging
import re
from typing import Any, Callable
from urllib.parse import unquote

import msgspec
from chalice import Blueprint, Response
from chalice.app import Request

from .. import logs
from ..auth import tokens, verifier
from ..auth.identity import Identity
from ..contract.common import ErrorBody, ErrorDetail
from ..domain import i18n
from ..domain.errors import AppError, Forbidden, Unauthorized
from . import body as reading

log = logging.getLogger(__name__)

JSON = "application/json"
# Accept any declared body type: the handler answers a non-JSON body with
# our own 400, instead of Chalice's 415 in another shape.
ANY_BODY = [JSON, "text/plain", "application/x-www-form-urlencoded", "application/octet-stream"]


class Header(msgspec.Struct, frozen=True):
    name: str
    description: str
    max_length: int = 128
    code: str = "invalid_header"
    status: int = 400  # 403: a credential (a partner's X-Api-Key), malformed like a wrong one


IDEMPOTENCY_KEY = Header("Idempotency-Key", "Any unique string (e.g. a UUID) per request. A retry with the same key "
                                            "returns the first result; the same key with a different body gets 422.",
                         code="invalid_idempotency_key")


class Operation(msgspec.Struct, frozen=True):
    """What the document needs to know about one endpoint."""

    path: str
    method: str
    name: str
    summary: str
    description: str
    tag: str
    body: Any
    body_media: tuple[str, ...]
    query: Any
    status: int
    returns: Any
    reply_media: str
    alt_media: dict[str, Any]
    auth: str | None
    roles: tuple[str, ...] | None
    errors: dict[int, str]
    headers: tuple[Header, ...]
    reply_headers: dict[str, str] = msgspec.field(default_factory=dict)
    # other success statuses, answering the same model (a replayed create's 200)
    also: dict[int, str] = msgspec.field(default_factory=dict)
    # errors of a format defined by others (Open311's), by media type; empty: our ErrorBody
    error_media: dict[str, Any] = msgspec.field(default_factory=dict)


OPERATIONS: list[Operation] = []


class Reply(msgspec.Struct):
    """A reply with a status or headers other than the declared default."""

    body: Any
    status: int | None = None
    headers: dict[str, str] | None = None
    media: str | None = None


def language(request: Request | None) -> str:
    if request is None:
        return i18n.DEFAULT_LANGUAGE
    return i18n.negotiate(request.headers.get("accept-language"))


def route(bp: Blueprint, path: str, method: str = "GET", *, summary: str, description: str = "",
          body: Any = None, body_media: tuple[str, ...] = (JSON,), form: Any = None, query: Any = None,
          returns: Any = None, status: int = 200, reply_media: str = JSON, alt_media: dict[str, Any] | None = None,
          auth: str | None = None, roles: tuple[str, ...] | None = None, errors: dict[int, str] | None = None,
          headers: tuple[Header, ...] = (), reply_headers: dict[str, str] | None = None,
          body_reader: Callable[[Request], Any] | None = None,
          cache: str = "no-store", also: dict[int, str] | None = None,
          error_media: dict[str, Any] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare and register one endpoint.

    The view receives the path parameters, plus ``actor`` (an ``Identity``,
    or None for an anonymous caller of an ``auth="optional"`` endpoint),
    ``body`` (an instance of ``body``), ``query`` (an instance of ``query``)
    and the declared headers by their snake_case names, as declared.  It
    returns an instance of ``returns`` (or a ``Reply`` around one, or a
    Chalice ``Response`` for non-JSON replies declared in ``alt_media``).

    ``auth``: None (public, token ignored), ``"optional"`` (anonymous or
    signed in; a bad token is 401) or ``"required"``; ``roles`` limits a
    required or optional caller to those roles (403 otherwise).

    ``form``: a body the view reads and checks itself because its errors
    take a format defined by others (Open311's): documented as the request
    body, never read by this wrapper."""
    if auth not in (None, "optional", "required"):
        raise ValueError(f"auth must be None, 'optional' or 'required', not {auth!r}")

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        operation = Operation(
            path=path, method=method.lower(), name=_camel(view.__name__), summary=summary,
            description=description or (view.__doc__ or "").strip(), tag=str(getattr(bp, "_import_name", "api")).rsplit(".", 1)[-1],
            body=body if body is not None else form, body_media=body_media, query=query, status=status, returns=returns,
            reply_media=reply_media, alt_media=dict(alt_media or {}), auth=auth, roles=roles,
            errors=dict(errors or {}), headers=headers, reply_headers=dict(reply_headers or {}),
            also=dict(also or {}), error_media=dict(error_media or {}))
        OPERATIONS.append(operation)

        @functools.wraps(view)
        def wrapper(**params: Any) -> Any:
            request = bp.current_request
            logs.correlate((request.context or {}).get("requestId"))
            try:
                # API Gateway's REST APIs (and chalice local) pass path parameters still percent-encoded
                kwargs: dict[str, Any] = {name: unquote(value) for name, value in params.items()}
                if auth is not None:
                    kwargs["actor"] = caller(request, auth, roles)
                if body is not None:
                    # a format defined by others (an SMS gateway's form) is read by its own reader
                    kwargs["body"] = body_reader(request) if body_reader else reading.decode(request.raw_body, body)
                if query is not None:
                    kwargs["query"] = reading.from_query(request.query_params, query)
                for header in headers:
                    kwargs[_snake(header.name)] = _header(request, header)
                result = view(**kwargs)
                return render(result, operation, cache)
            except AppError as error:
                return error_reply(error, language(request))
            except Exception:  # the caller gets a 500 in our shape, the log the trace
                log.exception("unhandled error in %s", view.__name__)
                return error_reply(AppError("internal_error"), language(request), status=500)

        content_types = list(ANY_BODY) + [m for m in body_media if m not in ANY_BODY]
        if method.upper() in ("GET", "DELETE"):  # no body: whatever Content-Type a client sends is not read
            bp.route(path, methods=[method.upper()], content_types=["*/*"])(wrapper)
        else:
            bp.route(path, methods=[method.upper()], content_types=content_types)(wrapper)
        return wrapper

    return decorate


def caller(request: Request, auth: str, roles: tuple[str, ...] | None) -> Identity | None:
    """The verified caller; a token that is present but not valid is a 401
    even where signing in is optional, so that a client learns of it."""
    header = request.headers.get("authorization")
    try:
        actor = verifier.identify(header)
    except tokens.InvalidToken:
        raise Unauthorized("invalid_token") from None
    if actor is None and header and header.strip():
        raise Unauthorized("invalid_token")
    if actor is None:
        if auth == "required":
            raise Unauthorized("unauthorized")
        return None
    if roles is not None and actor.role not in roles:
        raise Forbidden("forbidden")
    return actor


def _header(request: Request, header: Header) -> str | None:
    from ..domain.errors import InvalidInput

    value = request.headers.get(header.name.lower())
    if value is None:
        return None
    if not re.fullmatch(r"[\x21-\x7e]{1,%d}" % header.max_length, value):
        if header.status == 403:
            raise Forbidden(header.code)
        raise InvalidInput(header.code, header=header.name, max=header.max_length)
    return value


def render(result: Any, operation: Operation, cache: str) -> Response:
    if isinstance(result, Response):
        return result
    reply = result if isinstance(result, Reply) else Reply(result)
    headers = {"Cache-Control": cache, **(reply.headers or {})}
    return json_response(reply.body, reply.status or operation.status, headers, reply.media or operation.reply_media)


def json_response(body: Any, status: int, headers: dict[str, str] | None = None, media: str = JSON) -> Response:
    return Response(body=msgspec.json.encode(body).decode("utf-8"), status_code=status,
                    headers={"Content-Type": f"{media}; charset=utf-8", **(headers or {})})


def error_reply(error: AppError, lang: str, status: int | None = None) -> Response:
    params = {k: _safe(v) for k, v in error.params.items()}
    detail = ErrorDetail(code=error.code, message=_safe(i18n.message(error.code, lang, **params)))
    shown = {k: v for k, v in params.items() if isinstance(v, (str, int, float, bool))}
    if shown:
        detail.params = shown
    for name, value in error.details.items():
        setattr(detail, name, value)
    headers = {"Content-Language": lang, "Cache-Control": "no-store"}
    if (status or error.status) == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if retry_after := getattr(error, "retry_after", None):
        headers["Retry-After"] = str(retry_after)
    return json_response(ErrorBody(error=detail), status or error.status, headers)


def _safe(value: Any) -> Any:
    """Text echoed back can hold anything a client sent (a path parameter):
    never let it break the reply."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _snake(name: str) -> str:
    return name.lower().replace("-", "_")


_CHALICE_ERRORS = {
    "UnsupportedMediaType": "unsupported_media_type",
    "MethodNotAllowedError": "method_not_allowed",
    "InternalServerError": "internal_error",
    "BadRequestError": "invalid_json",
}


def error_shape_middleware(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Give the errors Chalice answers by itself our error shape."""
    response = get_response(event)
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and "Code" in body and "error" not in body:
        code = _CHALICE_ERRORS.get(str(body["Code"]), "internal_error" if response.status_code >= 500 else "invalid_json")
        replacement = error_reply(AppError(code), language(event), status=response.status_code)
        replacement.headers.update({k: v for k, v in response.headers.items() if k.lower() != "content-type"})
        return replacement
    return response
