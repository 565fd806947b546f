"""Citizens' data rights (UU PDP 27/2022): what the system holds about the
signed-in person, its erasure, and the record of each request."""
from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

from .common import DateTime, PageQuery, Query, Url


class DataQuery(Query, kw_only=True):
    photos: Annotated[Literal["zip"], Meta(description=(
        "`zip`: also a zip of the person's photos, as a short-lived link."))] | None = None


class AccountData(Struct, kw_only=True):
    username: str
    name: str | None
    phone: str | None
    email: str | None
    role: str
    region_id: str


class HistoryData(Struct, kw_only=True):
    status: str
    at: DateTime
    note: str


class RatingData(Struct, kw_only=True):
    stars: int
    comment: str | None
    at: DateTime


class PhotoData(Struct, kw_only=True):
    id: str
    url: Url
    content_type: str


class ReportData(Struct, kw_only=True):
    id: str
    region_id: str
    status: str
    category: str
    description: str
    lat: float
    lon: float
    address: str | None
    anonymous: bool
    contact_phone: Annotated[str | None, Meta(description="Where status SMS go: the account's verified phone.")]
    kelurahan: str | None
    kecamatan: str | None
    agency: str | None
    duplicate_of: Annotated[str | None, Meta(description="Another report (its id only).")]
    created_at: DateTime
    updated_at: DateTime
    history: Annotated[list[HistoryData], Meta(description="Every entry: status, time and note; never who.")]
    ratings: list[RatingData]
    photos: Annotated[list[PhotoData], Meta(description="Their own photos (not staff's evidence).")]


class PersonalData(Struct, kw_only=True):
    """Everything the system holds about the signed-in person."""

    account: AccountData
    reports: list[ReportData]
    photos_zip: Annotated[Url | None, Meta(description="With `?photos=zip`: a link valid for 15 minutes.")] = None
    request_id: str


class PrivacyRequest(Struct, kw_only=True):
    """A data-rights request as recorded: the person only as a keyed one-way hash."""

    id: str
    kind: Literal["export", "erasure"]
    status: Literal["done"]
    subject: Annotated[str, Meta(description="Keyed one-way hash of the account id (HMAC-SHA256).")]
    requested_at: DateTime
    finished_at: DateTime | None
    reports: Annotated[int, Meta(description="Reports exported or anonymised.")]
    photos: Annotated[int, Meta(description="Photos in the zip (export).")] = 0


class PrivacyRequestsQuery(PageQuery, kw_only=True):
    pass
