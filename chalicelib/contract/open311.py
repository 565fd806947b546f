"""Open311 GeoReport v2 documents (https://wiki.open311.org/GeoReport_v2),
element for element: the same structs are written as JSON (`.json`) and as
the spec's XML (`.xml`, ``domain.open311.to_xml``)."""
from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

from .reports import ADDRESS_MAX


class Endpoint(Struct, kw_only=True):
    specification: str
    url: str
    changeset: str
    type: Literal["production", "test"]
    formats: list[str]


class Discovery(Struct, kw_only=True):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[Endpoint]


class Service(Struct, kw_only=True):
    service_code: Annotated[str, Meta(description="The region's category code.")]
    service_name: str
    description: str
    metadata: Annotated[bool, Meta(description="True: the service has attributes (its definition lists them).")]
    type: Literal["realtime", "batch", "blackbox"]
    keywords: str
    group: Annotated[str, Meta(description="The responsible agency.")]


class AttributeValue(Struct, kw_only=True):
    key: str
    name: str


class Attribute(Struct, kw_only=True):
    variable: bool
    code: str
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool
    datatype_description: str
    order: int
    description: str
    values: list[AttributeValue]


class ServiceDefinition(Struct, kw_only=True):
    service_code: str
    attributes: list[Attribute]


class ServiceRequest(Struct, kw_only=True):
    """A request as the public sees it: never anything of the reporter."""

    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str | None = None
    service_name: str | None = None
    service_code: str
    description: str | None = None
    agency_responsible: str | None = None
    service_notice: str | None = None
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str | None = None
    address: str | None = None
    address_id: str | None = None
    zipcode: str | None = None
    lat: float | None = None
    long: float | None = None
    media_url: str | None = None


class CreatedRequest(Struct, kw_only=True):
    """The reply to a POST: the report's id at once (no token step)."""

    service_request_id: str
    service_notice: str | None = None
    account_id: str | None = None


class TokenRequest(Struct, kw_only=True):
    token: str
    service_request_id: str


class Error(Struct, kw_only=True):
    code: int
    description: str


class RequestForm(Struct, kw_only=True):
    """The fields of a POST to `requests.xml`/`.json` (form-urlencoded, or
    multipart with `media`); `attribute[code]` (`attribute[code][]` repeated
    for a multivaluelist) answers the service definition's questions. Read
    and checked by the Open311 service, errors in the spec's shape."""

    service_code: Annotated[str, Meta(description="The category's code.")]
    description: Annotated[str, Meta(max_length=4000)]
    api_key: Annotated[str, Meta(description="A partner key of the region, channel `open311` (here or in the "
                                             "query).")] | None = None
    jurisdiction_id: Annotated[str, Meta(description="The region's id (here or in the query).")] | None = None
    lat: Annotated[str, Meta(description="WGS84 latitude; with `long`, or give an address.")] | None = None
    long: Annotated[str, Meta(description="WGS84 longitude.")] | None = None
    address_string: Annotated[str, Meta(max_length=ADDRESS_MAX)] | None = None
    address_id: Annotated[str, Meta(description="A kelurahan/desa code of the region (Kemendagri).")] | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    media_url: Annotated[str, Meta(description="A link to a photo (kept as given).")] | None = None
    media: Annotated[bytes, Meta(description="multipart only: one JPEG, PNG or WebP file, at most 4 MB")] | None = None
