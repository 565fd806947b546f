"""Open311 GeoReport v2: the rules of the spec that need no AWS — a path
segment's format suffix, the public status, the filters of GET requests
(the 90-day window, the 1,000 cap), and the XML documents."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import Any
from xml.etree import ElementTree

import msgspec

from .errors import InvalidInput, NotFound
from .lifecycle import OPEN_STATUSES

FORMATS = {"xml": "text/xml", "json": "application/json"}
WINDOW_DAYS = 90
MAX_REQUESTS = 1000
MAX_IDS = 100
DESCRIPTION_MAX = 4000
# Lambda takes at most 6 MB of request; a binary body arrives base64-encoded (4/3 larger)
MEDIA_MAX_BYTES = 4 * 1024 * 1024
BODY_MAX_BYTES = 5 * 1024 * 1024 + 512 * 1024

# list fields of the documents and the element each item becomes in XML
ITEM_TAGS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
# the root of each document kind in XML, and the element of each list item
ROOTS = {"services": ("services", "service"), "requests": ("service_requests", "request"),
         "errors": ("errors", "error")}


def split_format(segment: str) -> tuple[str, str]:
    """``requests.xml`` -> (``requests``, ``xml``); an unknown or missing
    suffix is the spec's 404."""
    name, dot, suffix = segment.rpartition(".")
    if not dot or suffix.lower() not in FORMATS or not name:
        raise NotFound("open311_unknown_format")
    return name, suffix.lower()


def public_status(status: str) -> str:
    """``open`` while the region still works on it; ``closed`` once done,
    rejected, marked duplicate or forwarded."""
    return "open" if status in OPEN_STATUSES else "closed"


def statuses_for(wanted: set[str]) -> set[str]:
    """Our statuses behind the spec's ``open``/``closed``."""
    from .lifecycle import STATUS_LABELS

    return {s for s in STATUS_LABELS if public_status(s) in wanted}


class Filters(msgspec.Struct, frozen=True, kw_only=True):
    ids: tuple[str, ...] = ()
    service_codes: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()   # open / closed; empty: both
    start: datetime
    end: datetime


_ID = re.compile(r"^[0-9a-f]{32}$")


def parse_filters(params: dict[str, str], now: datetime, tz: tzinfo) -> Filters:
    """GET requests' filters: a comma-separated ``service_request_id`` list
    (which overrides the others), ``service_code`` and ``status`` lists, and
    ``start_date``/``end_date`` spanning at most 90 days (the most recent 90
    days by default; one of them alone: 90 days from or up to it)."""
    raw_ids = [part.strip() for part in (params.get("service_request_id") or "").split(",") if part.strip()]
    if len(raw_ids) > MAX_IDS:
        raise InvalidInput("open311_too_many_ids", max=MAX_IDS)
    ids = tuple(dict.fromkeys(i.lower() for i in raw_ids))
    codes = frozenset(part.strip() for part in (params.get("service_code") or "").split(",") if part.strip())
    statuses = frozenset(part.strip().lower() for part in (params.get("status") or "").split(",") if part.strip())
    if statuses - {"open", "closed"}:
        raise InvalidInput("open311_invalid_status")
    start = _date(params.get("start_date"), "start_date", tz)
    end = _date(params.get("end_date"), "end_date", tz)
    window = timedelta(days=WINDOW_DAYS)
    if start is None and end is None:
        end, start = now, now - window
    elif start is None and end is not None:
        start = end - window
    elif end is None and start is not None:
        end = min(start + window, max(now, start))
    if start is None or end is None or start > end or end - start > window:
        raise InvalidInput("open311_range_too_long", days=WINDOW_DAYS)
    return Filters(ids=ids, service_codes=codes, statuses=statuses, start=start, end=end)


def is_report_id(value: str) -> bool:
    return bool(_ID.match(value))


def _date(value: str | None, field: str, tz: tzinfo) -> datetime | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if len(text) > 40:
        raise InvalidInput("open311_invalid_date", field=field)
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z").replace(" ", "+") if "T" in text else text)
    except ValueError:
        raise InvalidInput("open311_invalid_date", field=field) from None
    if moment.tzinfo is None:  # a date or a local time: the region's
        moment = moment.replace(tzinfo=tz)
    return moment


def has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- XML ----------------------------------------------------------------------------

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: Any) -> str:
    """A value as XML 1.0 character data: booleans as ``true``/``false``,
    characters XML cannot carry (controls, lone surrogates) removed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _ILLEGAL_XML.sub("", str(value))


def _fill(parent: ElementTree.Element, name: str, value: Any) -> None:
    if isinstance(value, list):
        holder = ElementTree.SubElement(parent, name)
        for item in value:
            _fill(holder, ITEM_TAGS.get(name, "item"), item)
        return
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(element, key, inner)
    elif value is not None:
        element.text = xml_text(value)


def to_xml(document: Any, kind: str) -> bytes:
    """A reply's builtins (``msgspec.to_builtins``) as the spec's XML: a
    list under its kind's root (``services``/``service``, ``service_requests``/
    ``request``, ``errors``/``error``), an object under ``kind`` itself."""
    if isinstance(document, list):
        root_tag, item_tag = ROOTS[kind]
        root = ElementTree.Element(root_tag)
        for item in document:
            _fill(root, item_tag, item)
    else:
        root = ElementTree.Element(kind)
        for key, value in document.items():
            _fill(root, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="utf-8",
                                                                          xml_declaration=False)
