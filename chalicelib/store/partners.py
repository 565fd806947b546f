"""Partner systems' keys (``resources.PARTNERS``): one item per key, read
by its region and public id (one GetItem), a region's listed with one
Query per page."""
from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from . import reports
from .models import PartnerModel
from .reports import BadCursor, condition_failed  # noqa: F401 - BadCursor is part of this module's API


def add(region_id: str, partner_id: str, fields: dict[str, Any]) -> PartnerModel:
    item = PartnerModel(region_id=region_id, partner_id=partner_id, **fields)
    item.save(condition=PartnerModel.partner_id.does_not_exist())
    return item


def get(region_id: str, partner_id: str) -> PartnerModel | None:
    try:
        return PartnerModel.get(region_id, partner_id)
    except DoesNotExist:
        return None


def page(region_id: str, limit: int, cursor: str | None) -> tuple[list[PartnerModel], str | None]:
    return reports.page(PartnerModel, region_id, limit, cursor)


FORWARD_TARGETS_MAX = 200  # a region has a handful of partners; a bound all the same


def forward_targets(region_id: str) -> list[PartnerModel]:
    """The region's partners that can take a forwarded report: not revoked,
    with a webhook (one Query of the region's partition, filtered; at most
    ``FORWARD_TARGETS_MAX`` items read)."""
    condition = PartnerModel.revoked_at.does_not_exist() & PartnerModel.webhook_url.exists()
    results = PartnerModel.query(region_id, filter_condition=condition, limit=FORWARD_TARGETS_MAX)
    return list(results)


def revoke(region_id: str, partner_id: str, at: str, by: str) -> PartnerModel | None:
    """Revoke a key once (None: no such key, or revoked already)."""
    item = PartnerModel(region_id=region_id, partner_id=partner_id)
    try:
        item.update(actions=[PartnerModel.revoked_at.set(at), PartnerModel.revoked_by.set(by)],
                    condition=PartnerModel.partner_id.exists() & PartnerModel.revoked_at.does_not_exist())
    except UpdateError as error:
        if condition_failed(error):
            return None
        raise
    return item
