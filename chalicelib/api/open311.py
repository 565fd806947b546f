"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) under
``/open311/v2/``, in XML (the spec's) and JSON by the path's suffix.

API Gateway cannot route ``{id}.json``: each route takes the whole last
segment and splits its suffix here.  Every answer, errors included, is the
spec's document: errors are ``[{"code", "description"}]`` (or
``<errors><error>…``), never our own ``{"error": …}`` shape."""
from __future__ import annotations

import email.parser
import email.policy
import logging
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import msgspec
from chalice import Blueprint, Response
from chalice.app import Request

from ..contract import open311 as contract
from ..domain import i18n
from ..domain import open311 as rules
from ..domain.errors import AppError, InvalidInput, NotFound, PayloadTooLarge
from ..lazy import lazy
from .endpoint import language, route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import open311 as service
    from ..services import reports as report_service
else:
    report_service = lazy("chalicelib.services.reports")
    service = lazy("chalicelib.services.open311", rare=True)

log = logging.getLogger(__name__)
bp = Blueprint(__name__)

XML = "text/xml"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
ERRORS = {"application/json": list[contract.Error], XML: str}
SPEC_STATUSES = (400, 403, 404, 413, 429)
FORMAT_NOTE = ("Send the path with `.json` or `.xml` (the spec's format; anything else is 404); `jurisdiction_id` "
               "is the region's id and is required. Errors are the spec's: `[{\"code\", \"description\"}]` or "
               "`<errors><error><code/><description/></error></errors>`, the description in Indonesian unless "
               "Accept-Language prefers English.")


def _reply(document: Any, kind: str, fmt: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    builtins = msgspec.to_builtins(document)
    if fmt == "xml":
        body = rules.to_xml(builtins, kind).decode("utf-8")
        media = XML
    else:
        body = msgspec.json.encode(builtins).decode("utf-8")
        media = "application/json"
    return Response(body=body, status_code=status, headers={"Content-Type": f"{media}; charset=utf-8",
                                                            "Cache-Control": "no-store", **(headers or {})})


def _error(error: AppError, fmt: str, lang: str) -> Response:
    status = error.status if error.status in SPEC_STATUSES else 400
    params = {k: (v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str) else v)
              for k, v in error.params.items()}
    description = i18n.message(error.code, lang, **params)
    headers = {"Content-Language": lang}
    if retry_after := getattr(error, "retry_after", None):
        headers["Retry-After"] = str(retry_after)
    return _reply([contract.Error(code=status, description=description)], "errors", fmt, status, headers)


def _answer(segment: str, produce: Any) -> Response:
    """Split the format off ``segment``, run ``produce(name, fmt, request, lang)``
    and answer its (kind, document) in that format, or the spec's error."""
    request = bp.current_request
    lang = language(request)
    fmt = "xml"
    try:
        if rules.has_lone_surrogate(segment):
            raise NotFound("open311_unknown_format")
        name, fmt = rules.split_format(segment)
        kind, document = produce(name, fmt, request, lang)
        return _reply(document, kind, fmt)
    except AppError as error:
        return _error(error, fmt, lang)


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in (request.query_params or {}).items() if isinstance(v, str)}


def _region(params: dict[str, str]) -> Any:
    return service.region_of(params.get("jurisdiction_id"))


def base_url(request: Request) -> str:
    """The API's public address, for the links the documents carry."""
    configured = os.environ.get("ADUAN_PUBLIC_API_URL")
    if configured:
        return configured.rstrip("/")
    headers: Any = request.headers or {}
    host = headers.get("host") or "localhost"
    scheme = headers.get("x-forwarded-proto") or ("https" if host.endswith("amazonaws.com") else "http")
    stage = (request.context or {}).get("stage")
    prefix = f"/{stage}" if stage and host.endswith("amazonaws.com") else ""
    return f"{scheme}://{host}{prefix}"


@route(bp, "/open311/v2/{resource}", summary="Open311 GeoReport v2: discovery, services or requests",
       description="`discovery.xml`/`.json`; `services.xml`/`.json` (the region's active categories); "
                   "`requests.xml`/`.json`: the region's public requests (as the public map shows them), filtered "
                   "by `service_request_id` (comma-separated, at most 100: overrides the rest), `service_code`, "
                   "`status` (`open`, `closed`) and `start_date`/`end_date` (W3C date-times, at most 90 days "
                   "apart; the last 90 days by default), at most 1,000, newest first. " + FORMAT_NOTE,
       returns=(contract.Discovery, list[contract.Service], list[contract.ServiceRequest]), alt_media={XML: str},
       errors={400: "A bad filter, or no jurisdiction_id", 404: "Unknown document, format or jurisdiction"},
       error_media=ERRORS)
def open311_document(resource):
    def produce(name: str, fmt: str, request: Request, lang: str) -> tuple[str, Any]:
        params = _params(request)
        if name == "discovery":
            return "discovery", service.discovery(base_url(request))
        if name == "services":
            return "services", service.services(_region(params), lang)
        if name == "requests":
            return "requests", service.list_requests(_region(params), params, lang, base_url(request))
        raise NotFound("not_found")

    return _answer(resource, produce)


@route(bp, "/open311/v2/{resource}", "POST", summary="Open311 GeoReport v2: create a service request",
       description="`requests.xml`/`.json`, as `application/x-www-form-urlencoded`, or `multipart/form-data` "
                   "with one `media` file (JPEG, PNG or WebP, at most 4 MB: Lambda takes at most 6 MB of request, "
                   "base64-encoded; link bigger files with `media_url`). Fields: `api_key` (a partner key of "
                   "the region, channel `open311`; also accepted in the query), `jurisdiction_id`, `service_code`, "
                   "`lat` and `long` (or `address_string`, or `address_id`: a kelurahan/desa code), "
                   "`attribute[code]` answers (`attribute[code][]` repeated for a multivaluelist), `description` "
                   "(at most 4,000 characters), `email`, `first_name`, `last_name`, `phone`, `device_id`, "
                   "`account_id`, `media_url`. The reply names the report as `service_request_id` at once. "
                   + FORMAT_NOTE,
       returns=list[contract.CreatedRequest], status=201, alt_media={XML: str}, body_media=(FORM, MULTIPART),
       form=contract.RequestForm,
       errors={400: "A missing or invalid field", 403: "A missing, bad or revoked api_key",
               404: "Unknown document, format, jurisdiction or service", 413: "media over 4 MB",
               429: "The key's limit per minute"},
       error_media=ERRORS)
def open311_create(resource):
    def produce(name: str, fmt: str, request: Request, lang: str) -> tuple[str, Any]:
        if name != "requests":
            raise NotFound("not_found")
        form = read_form(request)
        query = _params(request)
        region = service.region_of(form.first("jurisdiction_id") or query.get("jurisdiction_id"))
        created = service.submit(region, form.first("api_key") or query.get("api_key"), form)
        return "requests", [created]

    response = _answer(resource, produce)
    if response.status_code == 200:
        response.status_code = 201
    return response


@route(bp, "/open311/v2/services/{service_file}", summary="Open311 GeoReport v2: a service's definition",
       description="`{service_code}.xml`/`.json`: the category's questions as the spec's attributes. "
                   + FORMAT_NOTE,
       returns=contract.ServiceDefinition, alt_media={XML: str},
       errors={400: "No jurisdiction_id", 404: "Unknown service, format or jurisdiction"}, error_media=ERRORS)
def open311_service(service_file):
    def produce(name: str, fmt: str, request: Request, lang: str) -> tuple[str, Any]:
        return "service_definition", service.definition(_region(_params(request)), name, lang)

    return _answer(service_file, produce)


@route(bp, "/open311/v2/requests/{request_file}", summary="Open311 GeoReport v2: one service request",
       description="`{service_request_id}.xml`/`.json`: a report as its public view shows it (never a "
                   "confidential one, nothing of the reporter). " + FORMAT_NOTE,
       returns=list[contract.ServiceRequest], alt_media={XML: str},
       errors={400: "No jurisdiction_id", 404: "Unknown request, format or jurisdiction"}, error_media=ERRORS)
def open311_request(request_file):
    def produce(name: str, fmt: str, request: Request, lang: str) -> tuple[str, Any]:
        region = _region(_params(request))
        return "requests", [service.get_request(region, name, lang, base_url(request))]

    return _answer(request_file, produce)


@route(bp, "/open311/v2/tokens/{token_file}", summary="Open311 GeoReport v2: the request a token stands for",
       description="`{token}.xml`/`.json`. A POST already answers the request's id, which is also its token. "
                   + FORMAT_NOTE,
       returns=list[contract.TokenRequest], alt_media={XML: str},
       errors={400: "No jurisdiction_id", 404: "Unknown token, format or jurisdiction"}, error_media=ERRORS)
def open311_token(token_file):
    def produce(name: str, fmt: str, request: Request, lang: str) -> tuple[str, Any]:
        return "requests", service.token(_region(_params(request)), name)

    return _answer(token_file, produce)


@route(bp, "/v1/reports/{report_id}/photos/{photo_id}", summary="A public photo of a report (a stable link)",
       description="Redirects (302) to a fresh presigned URL of the photo, for a photo the public may see "
                   "(the report verified, the photo not hidden, the report not confidential); 404 otherwise. "
                   "Open311's `media_url` links here.", status=302, reply_headers={"Location": "The photo"},
       errors={404: "Unknown report or photo, or not public"})
def public_photo(report_id, photo_id):
    report, _ = report_service.get_report(report_id)
    photo = next((p for p in report.photos or [] if p["id"] == photo_id), None)
    if photo is None or not service.is_public(report) or not report_service.photo_is_public(report, photo_id):
        raise NotFound("photo_not_found")
    return Response(body="", status_code=302, headers={"Location": report_service.view_url(photo["key"]),
                                                       "Cache-Control": "no-store"})


# --- the POST's form ------------------------------------------------------------------------

def read_form(request: Request) -> service.Form:
    """The POST body as fields and the ``media`` file: urlencoded, or
    multipart (which reaches the handler as binary: ``multipart/form-data``
    is one of the app's binary types).  Not UTF-8, or neither: 400."""
    headers: Any = request.headers or {}
    content_type = headers.get("content-type") or ""
    raw = request.raw_body or b""
    body = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    if len(body) > rules.BODY_MAX_BYTES:
        raise PayloadTooLarge("open311_media_too_large", max_mb=rules.MEDIA_MAX_BYTES // (1024 * 1024))
    media_type = content_type.split(";")[0].strip().lower()
    try:
        if media_type == MULTIPART:
            return _multipart(content_type, body)
        if media_type in (FORM, ""):
            return service.Form(parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict",
                                          max_num_fields=500))
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("open311_invalid_form") from None
    raise InvalidInput("open311_invalid_form")


def _multipart(content_type: str, body: bytes) -> service.Form:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body)
    if not message.is_multipart():
        raise ValueError("not multipart")
    fields: list[tuple[str, str]] = []
    media: bytes | None = None
    media_type: str | None = None
    for number, part in enumerate(message.iter_parts()):
        if number >= 500:
            raise ValueError("too many parts")
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if name == "media" and (part.get_filename() is not None or part.get_content_type() != "text/plain"):
            if media is None:
                media, media_type = data, part.get_content_type().lower()
            continue
        fields.append((name, data.decode("utf-8")))
    return service.Form(fields, media, media_type)
