"""Capabilities imported by the first request that uses them.

One Lambda package serves every route and every worker, so whatever
``app.py`` imports is paid by every cold start, before its request is even
read.  ``app.py`` therefore imports only the declarations (routes, their
contracts, the workers' event sources); the handlers reach the services, the
store, PynamoDB and botocore through these proxies, and a cold start loads
the capability its request needs and nothing else:

    if TYPE_CHECKING:
        from ..services import reports
    else:
        reports = lazy("chalicelib.services.reports")

Type checkers and import-linter read the ``TYPE_CHECKING`` import (so the
layering rules still hold); at run time the name is a proxy that imports the
real module, through Python's own (thread-safe) import, when an attribute is
first read, and forwards every attribute read to it (so a test's monkeypatch
of the real module is seen).

``rare=True`` marks what only a few requests a month need (a region's
boundary uploads, CSV exports, data rights, the OCDS release, the partner
channels): the package build compiles to bytecode what ordinary requests
load (``common()``) and leaves the rare ones as source, and
``tests/test_lazy.py`` checks that ordinary requests never pull them in."""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

# every deferred module -> whether it is rare (False once any import site calls it ordinary)
DEFERRED: dict[str, bool] = {}


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


def lazy(name: str, *, rare: bool = False) -> Any:
    """The module ``name`` (absolute), imported when an attribute is first read."""
    DEFERRED[name] = DEFERRED.get(name, True) and rare
    return LazyModule(name)


def common() -> list[str]:
    """The deferred modules ordinary requests use (once ``app`` is imported)."""
    return sorted(name for name, rare in DEFERRED.items() if not rare)
