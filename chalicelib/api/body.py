"""Reading a request into its declared model: JSON bodies and query strings.

One rule for every JSON body of our own (formats defined by others, such as
GeoJSON's foreign members, are tolerated where their model says so):

- the body is UTF-8 JSON, an object, at most ``MAX_DEPTH`` levels deep;
- a key appears once (a repeated key is refused, not "last one wins");
- unknown top-level fields are refused;
- strings hold no lone UTF-16 surrogates (``"\\ud800"``);
- numbers are finite: ``NaN``/``Infinity`` are not JSON, and ``1e400`` (parsed as
  infinity) or a 400-digit integer is outside every number's declared range (every
  number of a request model is bounded: ``tests/test_openapi.py`` checks it).

msgspec does the typed conversion; its errors are mapped onto the codes the
API has always used (``missing_field``, ``wrong_type``, ``unknown_field``,
``out_of_range``, ``too_long``, ``empty_field``...), with the field's dotted
path and, for ranges, both bounds read from the model itself.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec
from msgspec import inspect as mi

from ..domain.errors import InvalidInput

T = TypeVar("T")

MAX_DEPTH = 64
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity, -Infinity are not JSON


def parse_json(raw: bytes | str | None) -> Any:
    """The parsed JSON value of a request body, or ``InvalidInput``."""
    if not raw:
        raise InvalidInput("invalid_json")
    try:
        # bytes decoded strictly cannot hold a surrogate; a str may
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if not isinstance(raw, bytes) and _LONE_SURROGATE.search(text):
            raise InvalidInput("invalid_text")
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except _DuplicateKey as error:
        raise InvalidInput("duplicate_field", field=_printable(error.key)) from None
    except RecursionError:
        raise InvalidInput("too_deep", max=MAX_DEPTH) from None
    except (ValueError, UnicodeError):
        raise InvalidInput("invalid_json") from None
    if _depth_over(value, MAX_DEPTH):
        raise InvalidInput("too_deep", max=MAX_DEPTH)
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise InvalidInput("invalid_text")
    return value


def _depth_over(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return False


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _printable(text: str, limit: int = 64) -> str:
    return text[:limit].encode("utf-8", "replace").decode("utf-8")


def decode(raw: bytes | str | None, model: type[T]) -> T:
    """A JSON request body as an instance of ``model``."""
    value = parse_json(raw)
    if not isinstance(value, dict) and _is_struct(model):
        raise InvalidInput("body_not_object")
    return convert(value, model)


def convert(value: Any, model: type[T], strict: bool = True) -> T:
    try:
        result = msgspec.convert(value, model, strict=strict)
    except msgspec.ValidationError as error:
        raise _invalid(str(error), model) from None
    return clean(result)


def from_query(params: Mapping[str, str] | None, model: type[T]) -> T:
    """A query string as an instance of ``model`` (strings converted to the
    declared numbers and booleans; unknown parameters refused)."""
    return convert(dict(params or {}), model, strict=False)


def clean(value: T) -> T:
    """Trim the strings of a decoded struct; a blank optional string becomes
    None and a blank required one is refused (``empty_field``)."""
    if isinstance(value, msgspec.Struct):
        _clean_struct(value, "")
    return value


@functools.lru_cache(maxsize=None)
def _type_info(model: Any) -> mi.Type:
    """msgspec's description of a model, built once (it costs ~0.3 ms)."""
    return mi.type_info(model)


def _clean_struct(value: msgspec.Struct, prefix: str) -> None:
    info = _type_info(type(value))
    if not isinstance(info, mi.StructType):
        return
    for field in info.fields:
        current = getattr(value, field.name)
        path = f"{prefix}{field.encode_name}"
        if isinstance(current, str):
            trimmed: str | None = current.strip()
            if not trimmed:
                if field.required:
                    raise InvalidInput("empty_field", field=path)
                trimmed = None if _allows_none(field.type) else trimmed
            object.__setattr__(value, field.name, trimmed) if _frozen(value) else setattr(value, field.name, trimmed)
        elif isinstance(current, msgspec.Struct):
            _clean_struct(current, f"{path}.")
        elif isinstance(current, list):
            for index, item in enumerate(current):
                if isinstance(item, msgspec.Struct):
                    _clean_struct(item, f"{path}[{index}].")


def _frozen(value: msgspec.Struct) -> bool:
    return bool(type(value).__struct_config__.frozen)


def _allows_none(kind: mi.Type) -> bool:
    return isinstance(kind, mi.NoneType) or (isinstance(kind, mi.UnionType) and
                                            any(isinstance(t, mi.NoneType) for t in kind.types))


def _is_struct(model: Any) -> bool:
    return isinstance(model, type) and issubclass(model, msgspec.Struct)


# --- msgspec's messages, mapped onto the API's error codes -----------------

_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_MISSING = re.compile(r"^Object missing required field `(?P<name>[^`]*)`$")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<name>[^`]*)`$")
_EXPECTED = re.compile(r"^Expected `(?P<expected>[^`]*)`, got `(?P<got>[^`]*)`$")
_LENGTH = re.compile(r"^Expected `(?P<kind>str|array|object)` of length (?P<op>[<>]=) (?P<n>\d+)$")
_BOUND = re.compile(r"^Expected `(?P<kind>int|float)` (?P<op>[<>]=?) (?P<n>\S+)$")
_PATTERN = re.compile(r"^Expected `str` matching regex")
_INVALID_VALUE = re.compile(r"^Invalid enum value (?P<value>.*)$")
_TYPE_NAMES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "object": "object",
               "array": "array", "null": "null"}


def _field_path(path: str) -> str:
    """``$.reporter.phone`` / ``$.agencies[2].code`` → ``reporter.phone``."""
    return path.lstrip(".") or "body"


def _invalid(message: str, model: Any) -> InvalidInput:
    match = _AT.match(message)
    what, path = (match.group("what"), match.group("path") or "") if match else (message, "")
    field = _field_path(path)
    if m := _MISSING.match(what):
        return InvalidInput("missing_field", field=_join(path, m.group("name")))
    if m := _UNKNOWN.match(what):
        return InvalidInput("unknown_field", field=_printable(_join(path, m.group("name"))))
    if m := _EXPECTED.match(what):
        expected = " | ".join(_TYPE_NAMES.get(p.strip(), p.strip()) for p in m.group("expected").split("|"))
        if field == "body" and "object" in expected:
            return InvalidInput("body_not_object")
        return InvalidInput("wrong_type", field=field, expected=expected)
    if m := _LENGTH.match(what):
        if m.group("op") == "<=":
            return InvalidInput("too_long" if m.group("kind") == "str" else "too_many", field=field,
                                max=int(m.group("n")))
        return InvalidInput("empty_field" if m.group("kind") == "str" else "too_few", field=field,
                            min=int(m.group("n")))
    if _BOUND.match(what) or what == "Number out of range":
        low, high = _bounds(model, path)
        return InvalidInput("out_of_range", field=field, min=low, max=high)
    if _PATTERN.match(what):
        return InvalidInput("invalid_pattern", field=field)
    if m := _INVALID_VALUE.match(what):
        return InvalidInput("invalid_value", field=field, allowed=_allowed(model, path))
    return InvalidInput("invalid_value", field=field, allowed="")


def _join(path: str, name: str) -> str:
    return f"{_field_path(path)}.{name}" if path else name


def _walk(model: Any, path: str) -> mi.Type | None:
    """The msgspec type at ``path`` (``.a.b[0].c``) inside ``model``."""
    kind: mi.Type | None = _type_info(model)
    for token in re.findall(r"\.([^.\[]+)|\[(\d+)\]", path):
        kind = _unwrap(kind)
        name, index = token
        if name and isinstance(kind, mi.StructType):
            kind = next((f.type for f in kind.fields if f.encode_name == name), None)
        elif name and isinstance(kind, mi.UnionType):  # a tagged union: the member that has the field
            kind = next((f.type for t in kind.types if isinstance(t, mi.StructType)
                         for f in t.fields if f.encode_name == name), None)
        elif name and isinstance(kind, mi.DictType):
            kind = kind.value_type
        elif index and isinstance(kind, (mi.ListType, mi.TupleType, mi.VarTupleType, mi.SetType)):
            if isinstance(kind, mi.TupleType):
                kind = kind.item_types[int(index)] if int(index) < len(kind.item_types) else None
            else:
                kind = kind.item_type
        else:
            return None
    return _unwrap(kind)


def _unwrap(kind: mi.Type | None) -> mi.Type | None:
    while isinstance(kind, mi.Metadata):
        kind = kind.type
    if isinstance(kind, mi.UnionType):
        inner = [t for t in kind.types if not isinstance(t, (mi.NoneType,))]
        return _unwrap(inner[0]) if len(inner) == 1 else kind
    return kind


def _bounds(model: Any, path: str) -> tuple[Any, Any]:
    kind = _walk(model, path)
    low = high = None
    if isinstance(kind, (mi.IntType, mi.FloatType)):
        low = kind.ge if kind.ge is not None else kind.gt
        high = kind.le if kind.le is not None else kind.lt
    return (_number_text(low, "-∞"), _number_text(high, "∞"))


def _number_text(value: Any, default: str) -> Any:
    if value is None:
        return default
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def _allowed(model: Any, path: str) -> str:
    kind = _walk(model, path)
    if isinstance(kind, mi.LiteralType):
        return ", ".join(str(v) for v in kind.values)
    if isinstance(kind, mi.EnumType):
        return ", ".join(str(m.value) for m in kind.cls)
    return ""
