"""Every response the test suite produces is checked against the generated
OpenAPI document, with ``additionalProperties: false`` applied here (not in
the served document, so that a field added later does not break apps
already shipped): an undocumented field, a wrong type, a missing required
field or an undeclared status fails the test that produced it."""
from __future__ import annotations

import copy
import json
import re
from typing import Any

from jsonschema import Draft202012Validator

JSON_TYPES = ("application/json", "application/geo+json")
GATEWAY_STATUSES = {405, 413, 415, 429}


def _closed(schema: Any) -> Any:
    """The schema with every object that lists its properties closed."""
    if isinstance(schema, dict):
        result = {k: _closed(v) for k, v in schema.items()}
        if result.get("type") == "object" and "properties" in result and "additionalProperties" not in result:
            result["additionalProperties"] = False
        return result
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    return schema


class Conformance:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = _closed(copy.deepcopy(document["components"]))
        self.routes = []
        for path, item in document["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")) + "$")
            literal = path.count("{")
            self.routes.append((literal, path, pattern, item))
        self.routes.sort(key=lambda r: r[0])  # literal paths before templated ones
        self.checked = 0
        self._validators: dict[str, Draft202012Validator] = {}

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        bare = path.split("?", 1)[0]
        for _, template, pattern, item in self.routes:
            if pattern.match(bare) and method.lower() in item:
                return template, item[method.lower()]
        return None

    def _validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            self._validators[key] = Draft202012Validator({**schema, "components": self.components})
        return self._validators[key]

    def check(self, method: str, path: str, status: int, headers: dict[str, str], body: bytes) -> None:
        found = self.operation(method, path)
        if found is None:
            return  # not one of ours (unknown routes are tested on their own)
        template, operation = found
        where = f"{method.upper()} {template} → {status}"
        declared = operation["responses"].get(str(status))
        if declared is None and status in GATEWAY_STATUSES:
            # answered before any operation runs (content type, method, size, throttling): our error shape
            declared = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
        if declared is None and status == 500:
            raise AssertionError(f"{where}: server error: {body[:500]!r}")
        assert declared is not None, f"{where}: status not declared in /openapi.json ({sorted(operation['responses'])})"
        content_type = (headers.get("content-type") or headers.get("Content-Type") or "").split(";")[0].strip()
        content = declared.get("content")
        if not content:
            return
        if content_type not in JSON_TYPES:
            assert content_type in content, f"{where}: content type {content_type!r} not declared"
            return
        media = content.get(content_type) or content.get("application/json")
        assert media is not None, f"{where}: content type {content_type!r} not declared"
        schema = media["schema"]
        if not any(key in schema for key in ("$ref", "anyOf", "items")):
            return  # a free-form document (the OpenAPI document itself)
        value = json.loads(body)
        errors = sorted(self._validator(schema).iter_errors(value), key=lambda e: list(e.absolute_path))
        self.checked += 1
        if errors:
            lines = [f"  at /{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:10]]
            raise AssertionError(f"{where}: reply does not match the document:\n" + "\n".join(lines))
