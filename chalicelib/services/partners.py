"""Partner systems of a region: the region admin creates and revokes their
API keys (the verification desk sees only the forward targets: id, name,
channel); every partner request is authenticated here (one GetItem) and
counted against the key's limit per minute (one conditional UpdateItem)."""
from __future__ import annotations

from typing import cast

import msgspec

from ..auth.identity import Identity
from ..contract import partners as contract
from ..contract.common import Page, PageQuery
from ..domain import limits, roles
from ..domain import partners as rules
from ..domain import reports as clock
from ..domain.errors import Forbidden, InvalidInput, NotFound, TooManyRequests
from ..store import limits as limit_store
from ..store import partners as store
from ..store.models import PartnerModel
from . import guards, pseudonyms, regions


class Partner(msgspec.Struct, frozen=True, kw_only=True):
    """An authenticated partner, as the intake channels see it."""

    region_id: str
    partner_id: str
    name: str
    channel: str
    webhook_url: str | None = None
    webhook_secret: str | None = None
    active: bool = True  # False once revoked (``get`` returns revoked partners too)


def view(item: PartnerModel) -> contract.Partner:
    return contract.Partner(
        id=item.partner_id, region_id=item.region_id, name=item.name, channel=cast(contract.Channel, item.channel),
        key_hint=rules.hint(item.partner_id), webhook_url=item.webhook_url, rate_per_minute=int(item.rate_per_minute),
        active=item.revoked_at is None, created_at=item.created_at, revoked_at=item.revoked_at)


def create(region_id: str, body: contract.NewPartner, actor: Identity) -> contract.PartnerCredentials:
    region = regions.get_region(region_id)
    guards.require_region_admin(actor, region.region_id)
    key = rules.new_key(region.region_id)
    if body.twilio_auth_token and body.channel != "sms":
        raise InvalidInput("twilio_sms_only")
    # an SMS gateway signs its inbound messages with it (README, "SMS gateway")
    webhook_secret = rules.new_webhook_secret() if body.webhook_url or body.channel == "sms" else None
    item = store.add(region.region_id, key.partner_id, {
        "name": body.name, "channel": body.channel, "secret_hash": key.secret_hash, "webhook_url": body.webhook_url,
        "webhook_secret": webhook_secret, "twilio_auth_token": body.twilio_auth_token,
        "rate_per_minute": body.rate_per_minute, "created_by": actor.sub,
        "created_at": clock.iso_utc(clock.now_utc())})
    return contract.PartnerCredentials(**msgspec.structs.asdict(view(item)), api_key=key.api_key,
                                       webhook_secret=webhook_secret)


def listing(region_id: str, query: PageQuery, actor: Identity) -> Page[contract.Partner]:
    region = regions.get_region(region_id)
    guards.require_region_admin(actor, region.region_id)
    try:
        items, cursor = store.page(region.region_id, query.limit, query.cursor)
    except store.BadCursor:
        raise InvalidInput("invalid_cursor") from None
    return Page(items=[view(i) for i in items], next_cursor=cursor)


def forward_targets(region_id: str, actor: Identity) -> contract.ForwardTargets:
    """What the verification desk may forward a report to (*bukan wewenang*):
    the region's partners not revoked and with a webhook; id, name and
    channel only (never a key hint, an address or a secret)."""
    region = regions.get_region(region_id)
    if actor.role not in roles.DESK:
        raise Forbidden("forbidden")
    if not actor.in_region(region.region_id):
        raise Forbidden("other_region")
    items = sorted(store.forward_targets(region.region_id), key=lambda i: (i.name.casefold(), i.partner_id))
    return contract.ForwardTargets(items=[
        contract.ForwardTarget(id=i.partner_id, name=i.name, channel=cast(contract.Channel, i.channel)) for i in items])


def revoke(region_id: str, partner_id: str, actor: Identity) -> contract.Partner:
    region = regions.get_region(region_id)
    guards.require_region_admin(actor, region.region_id)
    item = store.revoke(region.region_id, partner_id, clock.iso_utc(clock.now_utc()), actor.sub)
    if item is None:
        found = store.get(region.region_id, partner_id)
        if found is None:
            raise NotFound("partner_not_found")
        return view(found)  # revoked already: the same answer again
    return view(item)


def authenticate(api_key: str | None, region_id: str | None = None, channels: tuple[str, ...] | None = None,
                 count: bool = True) -> Partner:
    """The partner a key belongs to, if the key is well-formed, known, not
    revoked, of ``region_id`` (when the caller names one) and of one of
    ``channels``; counted against its limit (429 when over).  A bad, unknown
    and revoked key are answered alike (403 ``invalid_api_key``): nothing
    tells a guesser which keys exist."""
    parsed = rules.parse(api_key)
    if parsed is None:
        raise Forbidden("invalid_api_key")
    key_region, partner_id, secret = parsed
    if region_id is not None and key_region != region_id:
        raise Forbidden("invalid_api_key")
    item = store.get(key_region, partner_id)
    if item is None or item.revoked_at is not None or not rules.matches(secret, item.secret_hash):
        raise Forbidden("invalid_api_key")
    if channels is not None and item.channel not in channels:
        raise Forbidden("invalid_api_key")
    if count:
        spend(partner_id, int(item.rate_per_minute))
    return Partner(region_id=item.region_id, partner_id=item.partner_id, name=item.name, channel=item.channel,
                   webhook_url=item.webhook_url, webhook_secret=item.webhook_secret)


def spend(partner_id: str, rate_per_minute: int) -> None:
    """Count one request against the key's limit a minute (429 when over)."""
    window, ends, retry_after = limits.minute_window(clock.now_utc())
    if not limit_store.take(pseudonyms.of(partner_id, "limit:partner"), window, rate_per_minute, ends):
        raise TooManyRequests("too_many_requests", retry_after=retry_after)


def get(region_id: str, partner_id: str) -> Partner | None:
    """A partner by id (revoked or not), for the webhook sender."""
    item = store.get(region_id, partner_id)
    if item is None:
        return None
    return Partner(region_id=item.region_id, partner_id=item.partner_id, name=item.name, channel=item.channel,
                   webhook_url=item.webhook_url, webhook_secret=item.webhook_secret,
                   active=item.revoked_at is None)
