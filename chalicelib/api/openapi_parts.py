"""Small builders shared by the OpenAPI documents of every capability."""
from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def error(description: str) -> dict[str, Any]:
    return {"description": description, "content": json_content(ref("Error"))}
