"""Reading fields of a JSON body, with the errors every endpoint shares."""
from __future__ import annotations

from typing import Any

from .errors import InvalidInput


def only(body: Any, allowed: set[str]) -> dict[str, Any]:
    """The body as a dict, refusing fields not in ``allowed``."""
    if not isinstance(body, dict):
        raise InvalidInput("body_not_object")
    for name in body:
        if name not in allowed:
            raise InvalidInput("unknown_field", field=name)
    return body


def text(body: dict[str, Any], name: str, limit: int, required: bool = False) -> str | None:
    """A trimmed string of at most ``limit`` characters (None if absent or
    blank and not required)."""
    value = body.get(name)
    if value is None:
        if required:
            raise InvalidInput("missing_field", field=name)
        return None
    if not isinstance(value, str):
        raise InvalidInput("wrong_type", field=name, expected="string")
    value = value.strip()
    if not value:
        if required:
            raise InvalidInput("empty_field", field=name)
        return None
    if len(value) > limit:
        raise InvalidInput("too_long", field=name, max=limit)
    return value
