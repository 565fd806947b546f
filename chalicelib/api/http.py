"""What every HTTP handler shares: JSON in and out, the language of the
reply, and one error shape, ``{"error": {"code", "message"}}``, for errors
raised by our code and for the ones Chalice produces itself (415, 405, 500)."""
from __future__ import annotations

import functools
import json
import logging
from typing import Any, Callable

from chalice import Blueprint, Response
from chalice.app import Request

from ..auth import tokens, verifier
from ..domain import i18n
from ..domain.errors import AppError, Forbidden, InvalidInput, Unauthorized

log = logging.getLogger(__name__)

JSON = "application/json"
# Accept any declared body type: the handler answers a non-JSON body with
# our own 400, instead of Chalice's 415 in another shape.
ANY_BODY = [JSON, "text/plain", "application/x-www-form-urlencoded", "application/octet-stream"]


def language(request: Request | None) -> str:
    if request is None:
        return i18n.DEFAULT_LANGUAGE
    return i18n.negotiate(request.headers.get("accept-language"))


def json_body(request: Request) -> Any:
    raw = request.raw_body
    if not raw:
        raise InvalidInput("invalid_json")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("invalid_json") from None


def query(request: Request) -> dict[str, str]:
    return dict(request.query_params or {})


def page_reply(items: list[Any], cursor: str | None) -> Response:
    return reply({"items": items, "next_cursor": cursor}, headers={"Cache-Control": "no-store"})


def reply(body: Any, status: int = 200, headers: dict[str, str] | None = None,
          content_type: str = JSON) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status_code=status,
        headers={"Content-Type": f"{content_type}; charset=utf-8", **(headers or {})},
    )


def error_reply(code: str, status: int, lang: str, params: dict[str, Any] | None = None,
                details: dict[str, Any] | None = None) -> Response:
    error: dict[str, Any] = {"code": code, "message": i18n.message(code, lang, **(params or {}))}
    if params:
        error["params"] = {k: v for k, v in params.items() if isinstance(v, (str, int, float, bool))}
    if details:
        error.update(details)
    return reply({"error": error}, status, headers={"Content-Language": lang})


def endpoint(bp: Blueprint, auth: str | None = None,
             roles: tuple[str, ...] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a view: domain errors become 4xx replies in the caller's
    language; anything unexpected is logged and becomes a plain 500.

    ``auth="required"`` passes the verified caller as ``actor`` (401 without
    a valid token, 403 when its role is not in ``roles``); ``auth="optional"``
    passes ``actor=None`` for anonymous callers."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                if auth is not None:
                    try:
                        actor = verifier.identify(bp.current_request.headers.get("authorization"))
                    except tokens.InvalidToken:
                        raise Unauthorized("invalid_token") from None
                    if actor is None and auth == "required":
                        raise Unauthorized("unauthorized")
                    if actor is not None and roles is not None and actor.role not in roles:
                        raise Forbidden("forbidden")
                    kwargs["actor"] = actor
                return view(*args, **kwargs)
            except AppError as error:
                headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
                response = error_reply(error.code, error.status, language(bp.current_request), error.params,
                                       error.details)
                response.headers.update(headers or {})
                return response
            except Exception:  # noqa: BLE001
                log.exception("unhandled error in %s", view.__name__)
                return error_reply("internal_error", 500, language(bp.current_request))

        return wrapper

    return decorate


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
        replacement = error_reply(code, response.status_code, language(event))
        replacement.headers.update({k: v for k, v in response.headers.items() if k.lower() != "content-type"})
        return replacement
    return response
