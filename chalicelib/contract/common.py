"""Shapes every capability shares: errors, bilingual texts, pages."""
from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from msgspec import UNSET, Meta, Struct, UnsetType

T = TypeVar("T")
GEOJSON = "application/geo+json"  # the media type of a GeoJSON reply (RFC 7946)


DateTime = Annotated[str, Meta(extra_json_schema={"format": "date-time"}, examples=["2026-11-22T08:15:00+07:00"],
                               description="ISO 8601 with the region's offset")]
Url = Annotated[str, Meta(extra_json_schema={"format": "uri"})]


class StoredPhoto(Struct, kw_only=True):
    """A photo as stored: cleaned (no EXIF/GPS), with a thumbnail; links are presigned."""

    id: str
    url: Annotated[str, Meta(description="Presigned GET, valid for 15 minutes.", extra_json_schema={"format": "uri"})]
    thumbnail_url: Url
    content_type: str
    width: int
    height: int


class Request(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of our own request bodies: unknown fields are refused."""


class Query(Struct, kw_only=True):
    """Base of query strings: unknown parameters are ignored (cache busters)."""


class ErrorDetail(Struct, kw_only=True):
    code: Annotated[str, Meta(examples=["out_of_range"])]
    message: Annotated[str, Meta(description="In Indonesian, or English when Accept-Language prefers it.")]
    params: dict[str, Any] | UnsetType = UNSET
    # 409 of an illegal transition
    current_status: str | UnsetType = UNSET
    allowed_transitions: list[str] | UnsetType = UNSET
    # 422 of a boundaries upload
    problems: list[dict[str, Any]] | UnsetType = UNSET
    missing_kelurahan_codes: list[str] | UnsetType = UNSET
    # 400 of an unknown category sent by a partner system: the codes it may use
    allowed_codes: list[str] | UnsetType = UNSET


class ErrorBody(Struct):
    """Every error: ``{"error": {"code", "message"}}``."""

    error: ErrorDetail


class I18nText(Struct):
    """A text in Indonesian (``id``) and English (``en``)."""

    id: str
    en: str


def text(value: dict[str, str]) -> I18nText:
    return I18nText(id=value["id"], en=value["en"])


Limit = Annotated[int, Meta(ge=1, le=100, description="Items per page (1–100).")]
Cursor = Annotated[str, Meta(max_length=2048, description="`next_cursor` of the previous page (opaque).")]


class PageQuery(Query, kw_only=True):
    limit: Limit = 20
    cursor: Cursor | None = None


class Page(Struct, Generic[T]):
    """One page of a list; follow ``next_cursor`` until it is null."""

    items: list[T]
    next_cursor: str | None


class Status(Struct):
    status: str
