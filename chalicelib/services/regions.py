"""Region configuration, cached per process with a short,
bounded lifetime: a warm Lambda does not re-read them on every request, and
an edit still takes effect within ``ADUAN_CONFIG_TTL`` seconds (60 by
default)."""
from __future__ import annotations

import os
import re
import threading
import time
from typing import Any, Callable, Generic, TypeVar, cast

from ..contract import regions as contract
from ..contract.common import I18nText
from ..domain.errors import NotFound
from ..domain.regions import RegionConfig
from ..store import regions as region_store

T = TypeVar("T")
REGION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def _ttl() -> float:
    return float(os.environ.get("ADUAN_CONFIG_TTL", "60"))


class TtlCache(Generic[T]):
    """A small cache whose entries expire; ``clock`` is injectable for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_entries: int = 256) -> None:
        self._clock = clock
        self._max = max_entries
        self._items: dict[Any, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, load: Callable[[], T]) -> T:
        now = self._clock()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        value = load()
        with self._lock:
            if len(self._items) >= self._max:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (now + _ttl(), value)
        return value

    def put(self, key: Any, value: T) -> None:
        with self._lock:
            self._items[key] = (self._clock() + _ttl(), value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_regions: TtlCache[RegionConfig | None] = TtlCache()


def clear_caches() -> None:
    _regions.clear()


def _load(region_id: str) -> RegionConfig | None:
    record = region_store.get(region_id)
    return RegionConfig.from_record(record) if record else None


def get_region(region_id: str, fresh: bool = False) -> RegionConfig:
    """The region's configuration, from this process's cache unless
    ``fresh`` (one GetItem, which also refreshes the cache)."""
    if not REGION_ID.match(region_id or ""):
        raise NotFound("region_not_found", region_id=(region_id or "")[:64])
    if fresh:
        _regions.put(region_id, _load(region_id))
    region = _regions.get(region_id, lambda: _load(region_id))
    if region is None:
        raise NotFound("region_not_found", region_id=region_id)
    return region


def categories_view(region: RegionConfig) -> list[contract.Category]:
    """The region's active categories."""
    result = []
    for cat in region.categories.values():
        if not cat.active:
            continue
        agency_id, agency_en = region.agency_names(cat.agency)
        result.append(contract.Category(code=cat.code, name=I18nText(id=cat.name_id, en=cat.name_en),
                                        agency=cat.agency, agency_name=I18nText(id=agency_id, en=agency_en),
                                        team=cast(Any, cat.team), emergency=cat.emergency))
        if cat.questions:
            result[-1].questions = [contract.Question(
                code=q.code, datatype=cast(Any, q.datatype), description_id=q.description_id,
                description_en=q.description_en, required=q.required,
                values=[contract.Choice(key=v.key, name_id=v.name_id, name_en=v.name_en) for v in q.values])
                for q in cat.questions]
    return result
