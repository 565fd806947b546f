"""moto's DynamoDB replies, with its item values written out directly.

moto 5.2 writes every reply through a generic serializer that walks the
botocore model of the operation's output.  For each DynamoDB attribute
value (``{"S": "..."}``, ``{"M": {...}}``, ...) it visits all ten members of
the ``AttributeValue`` shape and tries several spellings of each on the
value (``S``, ``s``, ``StringAttributeValue``, ...), building a context
object and alias providers per try: about 0.1 ms per value.  An item with
a few hundred nested values costs tens of milliseconds per read, a Scan of
a seeded table far more, and those replies were half of the test suite's
time (profile of tests/test_projects.py: 16 s of 34 s in
``moto.core.serialize``).

moto's own DynamoDB results are already in the wire form, so the values
are copied as the serializer would write them: ``S``, ``N`` as strings,
``BOOL``, ``NULL`` as booleans, ``SS``, ``NS`` as lists of strings, ``M`` and
``L`` recursively.  Anything else (binary values, which moto would
base64-encode; a value with no type or two; a ``None``; an empty map key)
goes through moto's serializer unchanged, as does every other shape and
service, and everything when some moto handler has registered a response
transformer.  ``tests/test_attribute_values.py`` checks that replies are
byte for byte what moto's serializer writes.

    install()       # for the whole process (tests/conftest.py)
"""
from __future__ import annotations

import inspect
import threading
from typing import Any

_installed: Any = None
_guard = threading.Lock()
_MISSING = object()
_INHERITED = object()  # moto's JSONSerializer had no method of its own
_SCALARS = {"S": str, "N": str, "BOOL": bool, "NULL": bool}
_SETS = ("SS", "NS")


def wire(value: Any) -> Any:
    """The attribute value as moto's JSON serializer writes it, or
    ``_MISSING`` if it is one this module leaves to moto."""
    if type(value) is not dict or len(value) != 1:
        return _MISSING
    [(kind, inner)] = value.items()
    scalar = _SCALARS.get(kind)
    if scalar is not None:
        return {kind: inner} if type(inner) is scalar else _MISSING
    if kind in _SETS:
        if type(inner) is list and all(type(member) is str for member in inner):
            return {kind: list(inner)}
        return _MISSING
    if kind == "M":
        if type(inner) is not dict:
            return _MISSING
        written = {}
        for name, member in inner.items():
            if type(name) is not str or not name:
                return _MISSING
            written[name] = wire(member)
            if written[name] is _MISSING:
                return _MISSING
        return {"M": written}
    if kind == "L":
        if type(inner) is not list:
            return _MISSING
        items = [wire(member) for member in inner]
        return _MISSING if any(item is _MISSING for item in items) else {"L": items}
    return _MISSING


def install() -> bool:
    """Patch moto's JSON serializer (once).  True if this call did.  Raises
    ``RuntimeError`` if moto's serializer is not the one this was written
    against (moto 5.2's ``_serialize_type_structure(self, serialized, value,
    shape, key)`` and DynamoDB's ``AttributeValue`` members)."""
    global _installed
    from moto.core.serialize import JSONSerializer
    from moto.core.utils import get_service_model

    with _guard:
        if _installed is not None:
            return False
        original = JSONSerializer._serialize_type_structure
        members = list(get_service_model("dynamodb").shape_for("AttributeValue").members)
        if list(inspect.signature(original).parameters) != ["self", "serialized", "value", "shape", "key"] \
                or members != ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"] \
                or not hasattr(JSONSerializer, "_default_serialize"):
            raise RuntimeError("moto's JSON serializer or DynamoDB's AttributeValue changed: "
                               "review tests/support/attribute_values.py")

        def _serialize_type_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
            if key and shape.name == "AttributeValue" and self.service_model.service_name == "dynamodb" \
                    and not getattr(self._value_picker, "response_transformers", None):
                written = wire(value)
                if written is not _MISSING:
                    self._default_serialize(serialized, written, shape, key)
                    return
            original(self, serialized, value, shape, key)

        _installed = JSONSerializer.__dict__.get("_serialize_type_structure", _INHERITED)
        JSONSerializer._serialize_type_structure = _serialize_type_structure  # type: ignore[method-assign]
        return True


def uninstall() -> None:
    """moto's serializer as it was (for the test comparing the two)."""
    global _installed
    from moto.core.serialize import JSONSerializer

    with _guard:
        if _installed is _INHERITED:
            del JSONSerializer._serialize_type_structure
        elif _installed is not None:
            JSONSerializer._serialize_type_structure = _installed  # type: ignore[method-assign]
        _installed = None
