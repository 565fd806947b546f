"""A module imported on its first use, for the capabilities that only rare
requests need (a region's onboarding, boundary uploads, CSV exports, data
rights, usage metering, the OCDS release): one Lambda package serves every
route and every worker, so whatever ``app.py`` imports is paid by every cold
start, while these are used a few times a month.

    if TYPE_CHECKING:
        from ..services import privacy
    else:
        privacy = lazy("chalicelib.services.privacy")

Type checkers and import-linter read the ``TYPE_CHECKING`` import (so the
layering rules still hold); at run time the name is a proxy that imports the
real module, through Python's own (thread-safe) import, when an attribute is
first read, and forwards every attribute read to it (so a test's monkeypatch
of the real module is seen)."""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{' (loaded)' if self._module is not None else ''}>"


def lazy(name: str) -> Any:
    """The module ``name`` (absolute), imported when an attribute is first read."""
    return LazyModule(name)
