"""Partner systems of a region and their API keys (region admin)."""
from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

from .common import Request

Channel = Literal["sms", "lapor", "psc119", "bpbd", "call_centre", "open311"]
# https only, no credentials in the URL, no whitespace or quotes
WEBHOOK_URL_PATTERN = r"^https://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[^\s\"'<>@]*)?$"


class NewPartner(Request):
    name: Annotated[str, Meta(min_length=1, max_length=120, examples=["LAPOR! SP4N"])]
    channel: Annotated[Channel, Meta(description=(
        "What the partner is: its reports are counted under this channel in the statistics."))]
    webhook_url: Annotated[str, Meta(max_length=500, pattern=WEBHOOK_URL_PATTERN, description=(
        "Where every change of the partner's reports is pushed (https; signed, see the README)."))] | None = None
    rate_per_minute: Annotated[int, Meta(ge=1, le=6000, description="Requests a minute this key may make.")] = 120
    twilio_auth_token: Annotated[str, Meta(pattern=r"^[A-Za-z0-9_-]{16,128}$", description=(
        "An `sms` gateway on Twilio: the account's auth token, which signs Twilio's requests "
        "(`X-Twilio-Signature`). Stored, never shown."))] | None = None


class Partner(Struct, kw_only=True):
    id: str
    region_id: str
    name: str
    channel: Channel
    key_hint: Annotated[str, Meta(description="How to recognise the key (never its secret).")]
    webhook_url: str | None
    rate_per_minute: int
    active: bool
    created_at: str
    revoked_at: str | None


class PartnerCredentials(Partner, kw_only=True):
    """Shown once, at creation: only hashes of the key are kept."""

    api_key: Annotated[str, Meta(description=(
        "Sent by the partner as `X-Api-Key` (the partner API) or `api_key` (Open311). Shown only now."))]
    webhook_secret: Annotated[str | None, Meta(description=(
        "Verifies the `X-Aduan-Signature` of the pushed status; an `sms` gateway (always given one) also "
        "signs its inbound messages with it. Shown only now."))]


class ForwardTarget(Struct, kw_only=True):
    """A partner the verification desk may forward a report to (*bukan
    wewenang*): active, with a webhook to receive it.  Nothing secret."""

    id: Annotated[str, Meta(description="The partner's id: `partner_id` of the forward request.")]
    name: str
    channel: Channel


class ForwardTargets(Struct, kw_only=True):
    items: list[ForwardTarget]
