"""The OpenAPI description of the public works (QlueWork) endpoints, merged
into ``/openapi.json`` by ``chalicelib.api.docs``."""
from __future__ import annotations

from typing import Any

from .. import resources
from ..domain import projects as rules
from .openapi_parts import error, json_content, ref


_ref, _json, _error = ref, json_content, error


_LANG = {"name": "Accept-Language", "in": "header", "required": False, "schema": {"type": "string", "example": "en"}}
_REGION = {"name": "region_id", "in": "path", "required": True, "schema": {"type": "string", "example": "trenggalek"}}
_PROJECT = {"name": "project_id", "in": "path", "required": True,
            "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}
_YEAR = {"name": "year", "in": "query", "required": False, "schema": {"type": "integer", "example": 2026},
         "description": "Fiscal year; all years when absent."}
_RUPIAH = {"type": "integer", "minimum": 1, "maximum": rules.MAX_RUPIAH,
           "description": "Whole rupiah (an integer; decimals and strings are refused)."}
_DATE = {"type": "string", "format": "date", "example": "2026-11-23"}
_FIGURES = {
    "projects": {"type": "integer"}, "contract_value": {"type": "integer"}, "disbursed": {"type": "integer"},
    "financial_progress": {"type": "number", "description": "disbursed ÷ contract value, %"},
    "physical_progress": {"type": "number", "description": "value-weighted physical progress, %"},
    "projects_flagged": {"type": "integer"},
}

SCHEMAS: dict[str, Any] = {
    "NewProject": {
        "type": "object", "additionalProperties": False,
        "required": ["title", "agency", "fiscal_year", "funding_source", "location", "value", "contractor",
                     "contract_number", "start_date", "end_date"],
        "properties": {
            "title": {"type": "string", "maxLength": rules.TITLE_MAX},
            "description": {"type": "string", "maxLength": rules.NOTE_MAX},
            "agency": {"type": "string", "description": "An agency code of the region; agency staff may only "
                                                        "register their own agency's projects."},
            "fiscal_year": {"type": "integer", "minimum": 2000, "maximum": 2100},
            "funding_source": {"type": "string", "enum": sorted(rules.FUNDING_SOURCES)},
            "location": {"type": "object", "description": "GeoJSON geometry (WGS84): Point, LineString (roads, "
                                                          "drains) or Polygon. Placed in a kelurahan by the "
                                                          "point, the middle of the line or the polygon's centroid."},
            "value": _RUPIAH,
            "contractor": {"type": "object", "required": ["name", "npwp"], "properties": {
                "name": {"type": "string"}, "npwp": {"type": "string", "example": "01.234.567.8-901.000"}}},
            "contract_number": {"type": "string"},
            "start_date": _DATE, "end_date": _DATE,
            "kelurahan_code": {"type": "string", "description": "Used only when the location is outside every "
                                                                "polygon of the region."},
        },
    },
    "RedFlag": {"type": "object", "properties": {
        "code": {"type": "string", "enum": list(rules.FLAG_CODES)},
        "rule": {"$ref": "#/components/schemas/I18nText"},
        "values": {"type": "object", "additionalProperties": True}}},
    "ProjectSummary": {"type": "object", "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "agency": {"type": "string"},
        "fiscal_year": {"type": "integer"}, "value": {"type": "integer"}, "disbursed": {"type": "integer"},
        "status": {"type": "string", "enum": list(rules.STATUSES)},
        "physical_progress": {"type": "number"}, "financial_progress": {"type": "number"},
        "time_elapsed": {"type": "number"}, "kecamatan_code": {"type": "string", "nullable": True},
        "red_flags": {"type": "array", "items": _ref("RedFlag")},
        "audits": {"type": "object", "properties": {"open": {"type": "integer"}, "done": {"type": "integer"}}}}},
    "Project": {"allOf": [_ref("ProjectSummary"), {"type": "object", "properties": {
        "location": {"type": "object"},
        "progress": {"type": "array", "items": {"type": "object"}},
        "disbursements": {"type": "array", "items": {"type": "object"}},
        "photos": {"type": "array", "items": {"type": "object"}},
        "documents": {"type": "array", "items": {"type": "object"}},
        "history": {"type": "array", "items": {"type": "object"}},
        "audit_reports": {"type": "array", "items": {"type": "object"},
                          "description": "Verified citizen audit reports, without who reported them."}}}]},
    "Budget": {"type": "object", "properties": {
        "totals": {"type": "object", "properties": _FIGURES},
        "agencies": {"type": "array", "items": {"type": "object", "properties": _FIGURES}},
        "kecamatan": {"type": "array", "items": {"type": "object", "properties": _FIGURES}}}},
}

_PAGE = [
    {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
    {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"}},
]
_PROJECT_REPLY = {"description": "The project page", "content": _json(_ref("Project"))}
_IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 128},
                "description": "A retry with the same key (from the same account) is answered with the project as it "
                               "is, without applying the request twice."}

PATHS: dict[str, Any] = {
    "/v1/regions/{region_id}/projects": {
        "post": {
            "summary": "Register a public works project (region admin, or the agency's own staff)",
            "operationId": "registerProject", "parameters": [_REGION, _LANG, {
                "name": "Idempotency-Key", "in": "header", "required": False,
                "description": "A retry with the same key returns the same project (never a second one); the "
                               "same key with a different body gets 422.", "schema": {"type": "string", "maxLength": 128}}],
            "requestBody": {"required": True, "content": _json(_ref("NewProject"))},
            "responses": {"201": _PROJECT_REPLY, "400": _error("Invalid input"), "404": _error("Unknown region"),
                          "422": _error("Idempotency key reused for a different project")}},
        "get": {
            "summary": "A region's projects (public), newest fiscal year first; GeoJSON for maps with "
                       "`Accept: application/geo+json` or `format=geojson`",
            "operationId": "listProjects",
            "parameters": [_REGION, _LANG, _YEAR] + [
                {"name": name, "in": "query", "required": False, "schema": schema} for name, schema in (
                    ("agency", {"type": "string"}), ("kecamatan", {"type": "string"}),
                    ("contractor", {"type": "string", "description": "NPWP"}),
                    ("status", {"type": "string", "enum": list(rules.STATUSES)}),
                    ("red_flag", {"type": "string", "enum": list(rules.FLAG_CODES) + ["any", "none"]}),
                    ("format", {"type": "string", "enum": ["json", "geojson"]}))] + _PAGE,
            "responses": {"200": {"description": "One page", "content": {
                **_json({"type": "object", "properties": {"items": {"type": "array", "items": _ref("ProjectSummary")},
                                                          "next_cursor": {"type": "string", "nullable": True}}}),
                "application/geo+json": {"schema": {"type": "object"}}}},
                "400": _error("Invalid filter"), "404": _error("Unknown region")}},
    },
    "/v1/projects/{project_id}": {"get": {
        "summary": "The project page (public): physical, financial and time-elapsed progress, red flags with "
                   "their rules, history, photos, documents and citizen audits",
        "operationId": "getProject", "parameters": [_PROJECT, _LANG],
        "responses": {"200": _PROJECT_REPLY, "404": _error("Unknown project")}}},
    "/v1/projects/{project_id}/files/{file_id}": {"get": {
        "summary": "A stable public link to a project's photo or document: 302 to a short-lived presigned URL",
        "operationId": "getProjectFile",
        "parameters": [_PROJECT, _LANG, {"name": "file_id", "in": "path", "required": True,
                                         "schema": {"type": "string"}}],
        "responses": {"302": {"description": "Redirect to the file"}, "404": _error("Unknown project or file")}}},
    "/v1/projects/{project_id}/progress": {"post": {
        "summary": "The project's contractor reports physical progress with at least one photo; a region admin "
                   "may correct it (also downwards) with `correction_reason`",
        "operationId": "reportProgress", "parameters": [_PROJECT, _LANG, _IDEMPOTENCY],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["percent", "date"],
            "properties": {"percent": {"type": "number", "minimum": 0, "maximum": 100, "multipleOf": 0.01},
                           "date": _DATE, "note": {"type": "string"},
                           "photo_ids": {"type": "array", "items": {"type": "string"},
                                         "description": "Processed photos from POST /v1/projects/{id}/photos"},
                           "correction_reason": {"type": "string", "description": "region admin only"}}})},
        "responses": {"201": _PROJECT_REPLY, "400": _error("Invalid input (e.g. progress_decrease)"),
                      "404": _error("Unknown project"), "409": _error("Photo not processed yet, or a concurrent "
                                                                      "change")}}},
    "/v1/projects/{project_id}/disbursements": {"post": {
        "summary": "The finance officer records a disbursement (termin); the sum never exceeds the contract value",
        "operationId": "recordDisbursement", "parameters": [_PROJECT, _LANG, _IDEMPOTENCY],
        "requestBody": {"required": True, "content": _json({"type": "object",
            "required": ["amount", "date", "reference"],
            "properties": {"amount": _RUPIAH, "date": _DATE,
                           "reference": {"type": "string", "example": "SP2D 001/2026"}}})},
        "responses": {"201": _PROJECT_REPLY, "400": _error("Invalid input or over the remaining value"),
                      "404": _error("Unknown project"), "409": _error("Reference already recorded")}}},
    "/v1/projects/{project_id}/photos": {"post": {
        "summary": "A presigned upload for one progress photo (the project's contractor); once processed it "
                   "appears in the project's `photos` and can back a progress report",
        "operationId": "requestProjectPhotoUpload", "parameters": [_PROJECT, _LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["content_type"],
            "properties": {"content_type": {"type": "string", "enum": sorted(resources.PHOTO_CONTENT_TYPES)}}})},
        "responses": {"201": {"description": "Upload form", "content": _json(_ref("PhotoUpload"))},
                      "400": _error("Unsupported type"), "404": _error("Unknown project")}}},
    "/v1/projects/{project_id}/documents": {"post": {
        "summary": "A presigned upload for one contract document (PDF, at most 20 MB; region admin or the "
                   "project's agency)",
        "operationId": "requestProjectDocumentUpload", "parameters": [_PROJECT, _LANG],
        "requestBody": {"required": True, "content": _json({"type": "object", "required": ["content_type", "title"],
            "properties": {"content_type": {"type": "string", "enum": sorted(rules.DOCUMENT_CONTENT_TYPES)},
                           "document_type": {"type": "string", "enum": list(rules.DOCUMENT_TYPES)},
                           "title": {"type": "string"}}})},
        "responses": {"201": {"description": "Upload form", "content": _json({"type": "object"})},
                      "400": _error("Not a PDF type"), "404": _error("Unknown project")}}},
    "/v1/regions/{region_id}/budget": {"get": {
        "summary": "Budget totals (public) for the region, per agency and per kecamatan, from pre-computed items",
        "operationId": "getBudget", "parameters": [_REGION, _LANG, _YEAR],
        "responses": {"200": {"description": "Totals", "content": _json(_ref("Budget"))},
                      "400": _error("Invalid year"), "404": _error("Unknown region")}}},
    "/v1/regions/{region_id}/ocds": {"get": {
        "summary": "The region's projects as an Open Contracting (OCDS 1.1) release package",
        "operationId": "getOcds", "parameters": [_REGION, _LANG, _YEAR],
        "responses": {"200": {"description": "OCDS release package", "content": _json({"type": "object"})},
                      "400": _error("Invalid year"), "404": _error("Unknown region")}}},
}

SECURED = {
    ("/v1/regions/{region_id}/projects", "post"), ("/v1/projects/{project_id}/progress", "post"),
    ("/v1/projects/{project_id}/disbursements", "post"), ("/v1/projects/{project_id}/photos", "post"),
    ("/v1/projects/{project_id}/documents", "post"),
}
