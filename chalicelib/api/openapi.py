"""The OpenAPI 3.1 document, generated from the declared operations
(``endpoint.OPERATIONS``) and their msgspec models: nothing here is written
by hand but the document's introduction and the path parameters' patterns.

Security comes from each operation's declared ``auth`` and ``roles``."""
from __future__ import annotations

import functools
import re
from typing import Any

import msgspec

from ..contract.common import ErrorBody
from .endpoint import OPERATIONS, Operation

REF = "#/components/schemas/{name}"

PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "region_id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$", "examples": ["trenggalek"]},
    "report_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
    "project_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
    "file_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
}

_DESCRIPTION = (
    "Citizen reporting for Indonesian regencies and cities. Errors always have the shape "
    "`{\"error\": {\"code\", \"message\"}}`, the message in Indonesian unless `Accept-Language` prefers English. "
    "Bilingual labels are `{\"id\", \"en\"}` objects.\n\n"
    "Request bodies of this API are JSON objects: unknown fields, repeated keys, lone UTF-16 surrogates and "
    "bodies nested deeper than 64 levels are refused with 400. Replies may gain new fields in later versions: "
    "clients must ignore fields they do not know. Unknown query parameters are ignored."
)

_LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False,
             "description": "Language of messages: Indonesian by default, English with `en`.",
             "schema": {"type": "string", "examples": ["en"]}}


@functools.lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The whole document (built once per process)."""
    models = _models()
    refs, components = msgspec.json.schema_components(models, ref_template=REF)
    ref_of = dict(zip(models, refs, strict=True))
    paths: dict[str, dict[str, Any]] = {}
    for operation in sorted(OPERATIONS, key=lambda op: (op.path, op.method)):
        paths.setdefault(operation.path, {})[operation.method] = _operation(operation, ref_of, components)
    for schema in components.values():
        schema.pop("title", None)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Aduan API", "version": "1.0.0", "description": _DESCRIPTION,
                 "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {"cognito": {
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "A Cognito ID token (InitiateAuth, USER_PASSWORD_AUTH, on the app client). Roles are "
                           "the token's groups; the region, agency and kelurahan its custom attributes."}}},
    }


def _models() -> list[Any]:
    found: list[Any] = [ErrorBody]
    for op in OPERATIONS:
        returns = op.returns if isinstance(op.returns, tuple) else (op.returns,)  # one of several documents
        for model in (op.body, op.query, *returns, *op.alt_media.values(), *op.error_media.values()):
            if model is not None and model not in found:
                found.append(model)
    return found


def _operation(op: Operation, ref_of: dict[Any, Any], components: dict[str, Any]) -> dict[str, Any]:
    parameters = [{"name": name, "in": "path", "required": True, "schema": PATH_PARAMETERS.get(name, {"type": "string"})}
                  for name in re.findall(r"{(\w+)}", op.path)]
    parameters.append(_LANGUAGE)
    for header in op.headers:
        parameters.append({"name": header.name, "in": "header", "required": False, "description": header.description,
                           "schema": {"type": "string", "minLength": 1, "maxLength": header.max_length}})
    if op.query is not None:
        parameters.extend(_query_parameters(ref_of[op.query], components))
    result: dict[str, Any] = {"operationId": op.name, "summary": op.summary, "tags": [op.tag], "parameters": parameters}
    description = op.description
    if op.roles:
        description = (description + "\n\n" if description else "") + "Roles: " + ", ".join(f"`{r}`" for r in op.roles) + "."
    if description:
        result["description"] = description
    if op.roles:
        result["x-roles"] = list(op.roles)
    if op.body is not None:
        result["requestBody"] = {"required": True, "content": {m: {"schema": ref_of[op.body]} for m in op.body_media}}
    responses: dict[str, Any] = {str(op.status): _success(op, ref_of)}
    for status, text in op.also.items():
        responses[str(status)] = {**_success(op, ref_of), "description": text}
    errors = dict(op.errors)
    if op.body is not None or op.query is not None:
        errors.setdefault(400, "Invalid input")
    if op.auth == "required":
        result["security"] = [{"cognito": []}]
        errors.setdefault(401, "No valid token")
    elif op.auth == "optional":
        result["security"] = [{}, {"cognito": []}]
        errors.setdefault(401, "A token was sent but it is not valid")
    if op.auth is not None:
        errors.setdefault(403, "Role, region or ownership not allowed")
    for status, text in sorted(errors.items()):
        content = {media: {"schema": ref_of[model]} for media, model in op.error_media.items()} \
            or {"application/json": {"schema": ref_of[ErrorBody]}}
        responses[str(status)] = {"description": text, "content": content}
    result["responses"] = responses
    return result


def _success(op: Operation, ref_of: dict[Any, Any]) -> dict[str, Any]:
    reply: dict[str, Any] = {"description": op.summary}
    content: dict[str, Any] = {}
    if isinstance(op.returns, tuple):
        content[op.reply_media] = {"schema": {"anyOf": [ref_of[model] for model in op.returns]}}
    elif op.returns is not None:
        content[op.reply_media] = {"schema": ref_of[op.returns]}
    for media, model in op.alt_media.items():
        content[media] = {"schema": ref_of[model]}
    if content:
        reply["content"] = content
    if op.reply_headers:
        reply["headers"] = {name: {"description": text, "schema": {"type": "string"}}
                            for name, text in op.reply_headers.items()}
    return reply


def _query_parameters(ref: dict[str, str], components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = components[ref["$ref"].rsplit("/", 1)[-1]]
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", None)
        parameter = {"name": name, "in": "query", "required": name in required, "schema": _non_null(prop)}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _non_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent rather than null."""
    options = schema.get("anyOf")
    if options:
        rest = [o for o in options if o != {"type": "null"}]
        if len(rest) == 1:
            merged = {**{k: v for k, v in schema.items() if k not in ("anyOf", "default")}, **rest[0]}
            if schema.get("default") is not None:
                merged["default"] = schema["default"]
            return merged
    return schema
