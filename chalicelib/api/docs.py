"""The OpenAPI 3 description of the HTTP API, served at ``/openapi.json``.

``tests/test_openapi.py`` validates it and checks that every route the app
serves is described here and nothing else is."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint

from .. import resources
from ..domain import reports as report_rules
from . import docs_projects
from .openapi_parts import error, json_content, ref
from .http import reply

bp = Blueprint(__name__)


_ref, _json, _error = ref, json_content, error


_LANG = {
    "name": "Accept-Language", "in": "header", "required": False,
    "description": "Language of error messages: Indonesian by default, English with `en`.",
    "schema": {"type": "string", "example": "en"},
}
_REGION = {"name": "region_id", "in": "path", "required": True, "schema": {"type": "string", "example": "trenggalek"}}
_REPORT = {"name": "report_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}

I18N = {
    "type": "object",
    "description": "A text in Indonesian (`id`) and English (`en`).",
    "required": ["id", "en"],
    "properties": {"id": {"type": "string"}, "en": {"type": "string"}},
}

SCHEMAS: dict[str, Any] = {
    "I18nText": I18N,
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "example": "out_of_range"},
                "message": {"type": "string", "example": "Kolom 'lat' harus antara -90 dan 90."},
                "params": {"type": "object", "additionalProperties": True},
            },
        }},
    },
    "Category": {
        "type": "object",
        "required": ["code", "name", "agency", "team"],
        "properties": {
            "code": {"type": "string", "example": "jalan-rusak"},
            "name": _ref("I18nText"),
            "agency": {"type": "string", "example": "dpupr"},
            "agency_name": _ref("I18nText"),
            "team": {"type": "string", "enum": ["pink", "white", "orange", "yellow", "blue"]},
        },
    },
    "NewReport": {
        "type": "object",
        "required": ["category", "description", "lat", "lon"],
        "additionalProperties": False,
        "properties": {
            "category": {"type": "string", "description": "A `code` from the region's categories."},
            "description": {"type": "string", "maxLength": report_rules.DESCRIPTION_MAX},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
            "address": {"type": "string", "maxLength": report_rules.ADDRESS_MAX},
            "project_id": {"type": "string", "description": "A citizen audit: the public works project the "
                                                            "report is about (routed to its agency and the "
                                                            "inspectorate; shown on the project page)."},
            "kelurahan_code": {"type": "string", "description": "The reporter's choice; routing trusts the point."},
            "anonymous": {"type": "boolean", "default": False},
            "reporter": {
                "type": "object",
                "description": "Contact details; never shown to anyone but the reporter.",
                "additionalProperties": False,
                "properties": {k: {"type": "string", "maxLength": report_rules.CONTACT_FIELD_MAX}
                               for k in sorted(report_rules.REPORTER_FIELDS)},
            },
        },
    },
    "Photo": {
        "type": "object",
        "required": ["id", "url", "thumbnail_url"],
        "properties": {
            "id": {"type": "string"},
            "url": {"type": "string", "format": "uri", "description": "Presigned GET, valid for 15 minutes."},
            "thumbnail_url": {"type": "string", "format": "uri"},
            "content_type": {"type": "string"},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
        },
    },
    "HistoryEntry": {
        "type": "object",
        "required": ["status", "at", "note"],
        "properties": {
            "status": {"type": "string"},
            "status_label": _ref("I18nText"),
            "at": {"type": "string", "format": "date-time", "example": "2026-11-22T08:15:00+07:00"},
            "note": _ref("I18nText"),
        },
    },
    "Report": {
        "type": "object",
        "required": ["id", "region_id", "status", "category", "agency", "kelurahan", "kecamatan", "photos", "history"],
        "properties": {
            "id": {"type": "string"},
            "region_id": {"type": "string"},
            "status": {"type": "string", "enum": sorted(report_rules.STATUS_LABELS)},
            "due_at": {"type": "string", "format": "date-time", "nullable": True,
                       "description": "Deadline of the running SLA stage (working days, region time zone)."},
            "overdue": {"type": "boolean"},
            "rejection_reason": {"type": "string", "nullable": True},
            "duplicate_of": {"type": "string", "nullable": True},
            "reopen_count": {"type": "integer"},
            "reporter": {"type": "object", "nullable": True, "description": "Only in the reporter's own view."},
            "status_label": _ref("I18nText"),
            "category": {"type": "string"},
            "category_name": _ref("I18nText"),
            "description": {"type": "string"},
            "lat": {"type": "number"},
            "lon": {"type": "number"},
            "address": {"type": "string", "nullable": True},
            "anonymous": {"type": "boolean"},
            "routed": {"type": "boolean", "description": "False until the routing worker has run."},
            "agency": {"type": "string", "nullable": True},
            "agency_name": {"allOf": [_ref("I18nText")], "nullable": True},
            "team": {"type": "object", "nullable": True, "properties": {
                "code": {"type": "string"}, "name": _ref("I18nText")}},
            "kelurahan_code": {"type": "string", "nullable": True},
            "kelurahan": {"type": "string", "nullable": True},
            "kecamatan_code": {"type": "string", "nullable": True},
            "kecamatan": {"type": "string", "nullable": True},
            "out_of_area": {"type": "boolean", "description": "The point lies outside every kelurahan polygon."},
            "photos": {"type": "array", "items": _ref("Photo")},
            "photo_urls_expire_at": {"type": "string", "format": "date-time"},
            "rejected_photos": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "reason_code": {"type": "string"}, "reason": _ref("I18nText"),
                "at": {"type": "string", "format": "date-time"}}}},
            "history": {"type": "array", "items": _ref("HistoryEntry")},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "PhotoUpload": {
        "type": "object",
        "required": ["photo_id", "upload"],
        "properties": {
            "photo_id": {"type": "string"},
            "upload": {
                "type": "object",
                "description": "A presigned S3 POST: send `fields` then the file as `file` in a multipart/form-data POST to `url`.",
                "required": ["url", "fields"],
                "properties": {"url": {"type": "string", "format": "uri"},
                               "fields": {"type": "object", "additionalProperties": {"type": "string"}}},
            },
            "content_type": {"type": "string"},
            "max_bytes": {"type": "integer", "example": resources.PHOTO_MAX_BYTES},
            "expires_in": {"type": "integer", "description": "Seconds the upload form stays valid."},
        },
    },
    "FeatureCollection": {
        "type": "object",
        "description": "GeoJSON (RFC 7946), WGS84.",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "version": {"type": "integer"},
            "features": {"type": "array", "items": {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "properties": {"type": "object", "required": ["kelurahan_code", "kelurahan", "kecamatan_code", "kecamatan"],
                               "properties": {k: {"type": "string"} for k in
                                              ("kelurahan_code", "kelurahan", "kecamatan_code", "kecamatan")}},
                "geometry": {"type": "object"},
            }}},
        },
    },
}


def document() -> dict[str, Any]:
    doc = {
        "openapi": "3.0.3",
        "info": {
            "title": "Aduan API",
            "version": "1.0.0",
            "description": "Citizen reporting for Indonesian regencies and cities. Errors always have the shape "
                           "`{\"error\": {\"code\", \"message\"}}`, the message in Indonesian unless "
                           "`Accept-Language` prefers English. Bilingual labels are `{\"id\", \"en\"}` objects.",
            "license": {"name": "AGPL-3.0-or-later"},
        },
        "paths": {
            "/health": {"get": {"summary": "Liveness", "operationId": "health",
                                "responses": {"200": {"description": "Up", "content": _json({"type": "object"})}}}},
            "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi",
                                      "responses": {"200": {"description": "OpenAPI 3", "content": _json({"type": "object"})}}}},
            "/v1/regions/{region_id}/categories": {"get": {
                "summary": "The region's report categories, with agency and colour team",
                "operationId": "listCategories",
                "parameters": [_REGION, _LANG],
                "responses": {
                    "200": {"description": "Categories", "content": _json({"type": "object", "properties": {
                        "region_id": {"type": "string"}, "categories": {"type": "array", "items": _ref("Category")}}})},
                    "404": _error("Unknown region"),
                },
            }},
            "/v1/regions/{region_id}/boundaries": {"get": {
                "summary": "The region's kelurahan/desa polygons, for maps and pickers",
                "operationId": "getBoundaries",
                "parameters": [_REGION, _LANG],
                "responses": {
                    "200": {"description": "GeoJSON", "content": {"application/geo+json": {"schema": _ref("FeatureCollection")}}},
                    "404": _error("Unknown region"),
                },
            }},
            "/v1/regions/{region_id}/reports": {"post": {
                "summary": "Create a report",
                "description": "Routing to an agency and kelurahan happens asynchronously: poll "
                               "`GET /v1/reports/{id}` until `routed` is true.",
                "operationId": "createReport",
                "parameters": [_REGION, _LANG, {
                    "name": "Idempotency-Key", "in": "header", "required": False,
                    "description": "Any unique string (e.g. a UUID) per report. A retry with the same key returns "
                                   "the same report; the same key with a different body gets 422.",
                    "schema": {"type": "string", "maxLength": 128}}],
                "requestBody": {"required": True, "content": _json(_ref("NewReport"))},
                "responses": {
                    "201": {"description": "Created (or replayed: header `Idempotent-Replayed: true`)",
                            "content": _json(_ref("Report"))},
                    "400": _error("Invalid input"),
                    "404": _error("Unknown region"),
                    "422": _error("Idempotency key reused for a different report"),
                },
            }},
            "/v1/reports/{report_id}": {"get": {
                "summary": "A report with its status, routing, photos and history",
                "operationId": "getReport",
                "parameters": [_REPORT, _LANG],
                "responses": {"200": {"description": "The report", "content": _json(_ref("Report"))},
                              "404": _error("Unknown report")},
            }},
            "/v1/reports/{report_id}/photos": {"post": {
                "summary": "Get a presigned upload for one photo",
                "description": "JPEG, PNG or WebP, at most 10 MB, up to 5 per report. The photo is checked, "
                               "stripped of EXIF/GPS metadata and thumbnailed; it then appears in the report's "
                               "`photos`, or in `rejected_photos` with the reason.",
                "operationId": "requestPhotoUpload",
                "parameters": [_REPORT, _LANG],
                "requestBody": {"required": True, "content": _json({
                    "type": "object", "required": ["content_type"],
                    "properties": {"content_type": {"type": "string", "enum": sorted(resources.PHOTO_CONTENT_TYPES)}}})},
                "responses": {
                    "201": {"description": "Upload form", "content": _json(_ref("PhotoUpload"))},
                    "400": _error("Unsupported type or invalid body"),
                    "404": _error("Unknown report"),
                    "409": _error("The report already has the maximum number of photos"),
                },
            }},
        },
        "components": {"schemas": SCHEMAS, "securitySchemes": {"cognito": {
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "A Cognito ID token (InitiateAuth, USER_PASSWORD_AUTH, on the app client). "
                           "Roles are the token's groups; the region, agency and kelurahan its custom attributes."}}},
    }
    paths = doc["paths"]
    paths.update(WORKFLOW_PATHS)
    paths.update(REGION_PATHS)
    paths.update(docs_projects.PATHS)
    doc["components"]["schemas"].update(docs_projects.SCHEMAS)
    for (path, method), operation in REGION_METHODS.items():
        paths[path][method] = operation
    for path, item in paths.items():
        for method, operation in item.items():
            if (path, method) in SECURED | docs_projects.SECURED:
                operation["security"] = [{"cognito": []}]
                operation["responses"].setdefault("401", _error("No valid token"))
                operation["responses"].setdefault("403", _error("Role or region not allowed"))
    return doc


_PAGE = [
    {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
    {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "`next_cursor` of the previous page."},
]
_PAGE_REPLY = {"description": "One page", "content": _json({"type": "object", "properties": {
    "items": {"type": "array", "items": _ref("ReportSummary")},
    "next_cursor": {"type": "string", "nullable": True}}})}
SCHEMAS["ReportSummary"] = {"type": "object", "properties": {
    name: {"type": "string", "nullable": True} for name in
    ("id", "status", "category", "agency", "kelurahan_code", "kelurahan", "kecamatan", "created_at", "due_at",
     "assignee_name")} | {"overdue": {"type": "boolean"}, "review_pending": {"type": "boolean"},
                          "routed": {"type": "boolean"}, "photos": {"type": "integer"}}}
SCHEMAS["Transition"] = {
    "type": "object", "required": ["to"], "additionalProperties": False,
    "properties": {
        "to": {"type": "string", "enum": ["verified", "in_process", "done", "rejected", "duplicate"]},
        "note": {"type": "string", "maxLength": 2000},
        "agency": {"type": "string", "description": "verify only: correct the proposed agency"},
        "kelurahan_code": {"type": "string", "description": "verify only: correct the proposed kelurahan"},
        "reason": {"type": "string", "enum": ["spam", "duplicate", "outside_region", "not_actionable"],
                   "description": "required with to=rejected"},
        "duplicate_of": {"type": "string", "description": "required with to=duplicate"},
    },
    "description": "waiting→verified|rejected|duplicate (verifier); verified→in_process (officer takes it); "
                   "in_process→done (the assigned officer, with at least one evidence photo); after a rating of "
                   "1–2, done→in_process (reopen) or done→done (confirm), by the verifier.",
}
SCHEMAS["Account"] = {"type": "object", "properties": {
    "username": {"type": "string"}, "role": {"type": "string"}, "region_id": {"type": "string"},
    "agency": {"type": "string", "nullable": True}, "kelurahan_code": {"type": "string", "nullable": True}}}
_ILLEGAL = {"description": "Illegal transition; `error.allowed_transitions` lists the allowed ones",
            "content": _json(_ref("Error"))}
WORKFLOW_PATHS: dict[str, Any] = {
    "/v1/reports/{report_id}/transitions": {"post": {
        "summary": "Move a report through its lifecycle", "operationId": "transition",
        "parameters": [_REPORT, _LANG], "requestBody": {"required": True, "content": _json(_ref("Transition"))},
        "responses": {"200": {"description": "The updated report", "content": _json(_ref("Report"))},
                      "400": _error("Invalid input"), "404": _error("Unknown report (or another region's)"),
                      "409": _ILLEGAL, "422": _error("duplicate_of names no report of this region")}}},
    "/v1/reports/{report_id}/notes": {"post": {
        "summary": "Add a staff note to the history", "operationId": "addNote", "parameters": [_REPORT, _LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["note"], "properties": {
            "note": {"type": "string", "maxLength": 2000}}})},
        "responses": {"201": {"description": "The report", "content": _json(_ref("Report"))},
                      "400": _error("Invalid input"), "404": _error("Unknown report")}}},
    "/v1/reports/{report_id}/rating": {"post": {
        "summary": "The reporter rates a finished report (1–2 sends it back to the verifier)",
        "operationId": "rate", "parameters": [_REPORT, _LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["stars"], "properties": {
            "stars": {"type": "integer", "minimum": 1, "maximum": 5}, "comment": {"type": "string", "maxLength": 1000}}})},
        "responses": {"201": {"description": "The report", "content": _json(_ref("Report"))},
                      "400": _error("Invalid input"), "404": _error("Unknown report"),
                      "409": _error("Not done yet, or already rated")}}},
    "/v1/regions/{region_id}/verification-queue": {"get": {
        "summary": "Reports waiting for verification (or, with queue=review, closures sent back by a low rating), "
                   "oldest first, with the proposed routing",
        "operationId": "verificationQueue",
        "parameters": [_REGION, _LANG, {"name": "queue", "in": "query", "required": False,
                                        "schema": {"type": "string", "enum": ["waiting", "review"]}}] + _PAGE,
        "responses": {"200": _PAGE_REPLY, "400": _error("Invalid parameter"), "404": _error("Unknown region")}}},
    "/v1/me/inbox": {"get": {
        "summary": "The officer's inbox: their agency's (or kelurahan's) reports by status, by due time",
        "operationId": "inbox",
        "parameters": [_LANG,
                       {"name": "status", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["verified", "in_process", "done"], "default": "verified"}},
                       {"name": "overdue", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["true", "false"]}},
                       {"name": "audits", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["true"]},
                        "description": "the inspectorate: citizen audits of public works projects, newest first"},
                       {"name": "assigned", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["me"]}, "description": "reports I have taken"}] + _PAGE,
        "responses": {"200": _PAGE_REPLY, "400": _error("Invalid parameter")}}},
    "/v1/me/reports": {"get": {
        "summary": "The citizen's own reports, newest first", "operationId": "myReports",
        "parameters": [_LANG] + _PAGE, "responses": {"200": _PAGE_REPLY, "400": _error("Invalid parameter")}}},
    "/v1/me": {"get": {
        "summary": "The signed-in account", "operationId": "me", "parameters": [_LANG],
        "responses": {"200": {"description": "Role, region, agency, kelurahan", "content": _json(_ref("Account"))}}}},
    "/v1/regions/{region_id}/signup": {"post": {
        "summary": "A citizen signs up (Cognito sends a verification code)", "operationId": "signup",
        "parameters": [_REGION, _LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["name", "password"],
            "properties": {"name": {"type": "string"}, "phone": {"type": "string", "example": "+6281234567890"},
                           "email": {"type": "string"}, "password": {"type": "string", "minLength": 8}}})},
        "responses": {"201": {"description": "Account created, to be confirmed", "content": _json(_ref("Account"))},
                      "400": _error("Invalid input"), "404": _error("Unknown region"),
                      "409": _error("Account exists")}}},
    "/v1/signup/confirm": {"post": {
        "summary": "Confirm a sign-up with the code Cognito sent", "operationId": "confirmSignup",
        "parameters": [_LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["username", "code"],
            "properties": {"username": {"type": "string"}, "code": {"type": "string"}}})},
        "responses": {"200": {"description": "Confirmed", "content": _json({"type": "object"})},
                      "400": _error("Wrong or expired code")}}},
    "/v1/regions/{region_id}/accounts": {"post": {
        "summary": "A region admin creates a staff account (Cognito sends the temporary password)",
        "operationId": "createStaff", "parameters": [_REGION, _LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["name", "role"],
            "properties": {"name": {"type": "string"}, "phone": {"type": "string"}, "email": {"type": "string"},
                           "role": {"type": "string", "enum": ["verifier", "officer", "agency_head", "region_admin",
                                                               "finance", "contractor"]},
                           "agency": {"type": "string"}, "kelurahan_code": {"type": "string"},
                           "npwp": {"type": "string", "description": "contractor only: the contractor's NPWP"}}})},
        "responses": {"201": {"description": "Created", "content": _json(_ref("Account"))},
                      "400": _error("Invalid input"), "409": _error("Account exists")}}},
}
_OBJ = {"type": "object", "additionalProperties": True}
REGION_PATHS: dict[str, Any] = {
    "/v1/regions": {"post": {
        "summary": "Onboard a regency or city from its Kemendagri code (platform admin); starts a six-month trial",
        "operationId": "createRegion", "parameters": [_LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["kemendagri_code", "region_id"],
            "properties": {"kemendagri_code": {"type": "string", "example": "53.71"},
                           "region_id": {"type": "string", "example": "kupang"},
                           "time_zone": {"type": "string", "enum": ["WIB", "WITA", "WIT"],
                                         "description": "Default: from the province"},
                           "sla": {"type": "object", "properties": {k: {"type": "integer"} for k in
                                                                     ("verify", "respond", "resolve")}},
                           "trial_months": {"type": "integer", "default": 6}}})},
        "responses": {"201": {"description": "The region", "content": _json(_ref("Region"))},
                      "400": _error("Invalid input or unknown code"), "409": _error("Region exists")}}},
    "/v1/regions/{region_id}": {"get": {
        "summary": "A region: name and status for everyone; trial end, days left, SLA days for its staff",
        "operationId": "getRegion", "parameters": [_REGION, _LANG],
        "responses": {"200": {"description": "The region", "content": _json(_ref("Region"))},
                      "404": _error("Unknown region")}}},
    "/v1/regions/{region_id}/areas": {"get": {
        "summary": "The official kecamatan and desa/kelurahan (Kemendagri codes)", "operationId": "getAreas",
        "parameters": [_REGION, _LANG],
        "responses": {"200": {"description": "Areas", "content": _json(_OBJ)}, "404": _error("Unknown region")}}},
    "/v1/regions/{region_id}/usage": {"get": {
        "summary": "Usage counters of one calendar month (region admin, platform admin); `format=csv` for invoicing",
        "operationId": "getUsage",
        "parameters": [_REGION, _LANG, {"name": "month", "in": "query", "required": False,
                                        "schema": {"type": "string", "example": "2026-11"}},
                       {"name": "format", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["json", "csv"]}}],
        "responses": {"200": {"description": "Counters", "content": {**_json(_OBJ), "text/csv": {"schema": {"type": "string"}}}},
                      "400": _error("Invalid month")}}},
    "/v1/regions/{region_id}/lifecycle": {"post": {
        "summary": "Convert a region to active, extend or end its trial (platform admin; audited)",
        "operationId": "changeLifecycle", "parameters": [_REGION, _LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["action"], "properties": {
            "action": {"type": "string", "enum": ["activate", "extend_trial", "expire"]},
            "months": {"type": "integer", "description": "extend_trial: months to add"},
            "note": {"type": "string"}}})},
        "responses": {"200": {"description": "The region", "content": _json(_ref("Region"))},
                      "400": _error("Invalid action"), "409": _error("Not allowed in this status")}}},
}
REGION_METHODS: dict[str, Any] = {
    ("/v1/regions/{region_id}", "patch"): {
        "summary": "Edit the region's SLA days, time zone and agencies (region admin; audited)",
        "operationId": "updateRegion", "parameters": [_REGION, _LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "properties": {
            "sla": {"type": "object", "properties": {k: {"type": "integer", "minimum": 1, "maximum": 60}
                                                     for k in ("verify", "respond", "resolve")}},
            "time_zone": {"type": "string", "enum": ["WIB", "WITA", "WIT"]},
            "ocid_prefix": {"type": "string", "pattern": "^ocds-[a-z0-9]{6}$",
                            "description": "The region's OCDS prefix, registered with the Open Contracting Partnership"},
            "project_rules": {"type": "object", "description": "Red-flag thresholds of public works projects",
                              "properties": {"money_ahead_points": {"type": "integer", "default": 20},
                                             "behind_schedule_points": {"type": "integer", "default": 25},
                                             "stale_days": {"type": "integer", "default": 30}}},
            "agencies": {"type": "array", "items": {"type": "object", "required": ["code", "name_id", "name_en"],
                                                    "properties": {"code": {"type": "string"},
                                                                   "name_id": {"type": "string"},
                                                                   "name_en": {"type": "string"}}}}}})},
        "responses": {"200": {"description": "The region", "content": _json(_ref("Region"))},
                      "400": _error("Invalid input"), "409": _error("An agency still in use")}},
    ("/v1/regions/{region_id}/boundaries", "put"): {
        "summary": "Replace the region's kelurahan/desa polygons (region admin); all or nothing",
        "operationId": "putBoundaries", "parameters": [_REGION, _LANG],
        "requestBody": {"required": True, "content": {"application/geo+json": {"schema": _ref("FeatureCollection")},
                                                      "application/json": {"schema": _ref("FeatureCollection")}}},
        "responses": {"200": {"description": "Accepted; lists codes with no polygon", "content": _json(_OBJ)},
                      "422": _error("Rejected: `error.problems` lists every problem")}},
    ("/v1/regions/{region_id}/categories", "put"): {
        "summary": "Replace the category table (region admin); categories left out are retired, never deleted",
        "operationId": "putCategories", "parameters": [_REGION, _LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["categories"],
            "properties": {"categories": {"type": "array", "items": {"type": "object", "properties": {
                "code": {"type": "string"}, "name_id": {"type": "string"}, "name_en": {"type": "string"},
                "agency": {"type": "string"}, "team": {"type": "string"}, "active": {"type": "boolean"}}}}}})},
        "responses": {"200": {"description": "The new table", "content": _json(_OBJ)}, "400": _error("Invalid input")}},
}
SCHEMAS["Region"] = {"type": "object", "required": ["region_id", "name", "status"], "properties": {
    "region_id": {"type": "string"}, "name": {"type": "string"}, "kemendagri_code": {"type": "string"},
    "time_zone": {"type": "string"}, "status": {"type": "string", "enum": ["trial", "active", "expired"]},
    "trial_ends_at": {"type": "string", "format": "date-time", "nullable": True},
    "days_left": {"type": "integer", "nullable": True}}}
SECURED = {
    ("/v1/regions", "post"), ("/v1/regions/{region_id}/usage", "get"), ("/v1/regions/{region_id}/lifecycle", "post"),
    ("/v1/regions/{region_id}/boundaries", "put"), ("/v1/regions/{region_id}/categories", "put"),
    ("/v1/regions/{region_id}", "patch"),
    ("/v1/regions/{region_id}/reports", "post"), ("/v1/reports/{report_id}/photos", "post"),
    ("/v1/reports/{report_id}/transitions", "post"), ("/v1/reports/{report_id}/notes", "post"),
    ("/v1/reports/{report_id}/rating", "post"), ("/v1/regions/{region_id}/verification-queue", "get"),
    ("/v1/me/inbox", "get"), ("/v1/me/reports", "get"), ("/v1/me", "get"),
    ("/v1/regions/{region_id}/accounts", "post"),
}


@bp.route("/openapi.json", methods=["GET"])
def openapi():
    return reply(document())
