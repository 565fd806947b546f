"""The staff directory of each region (``resources.STAFF``): written with the
Cognito account, listed and searched with one Query per page."""
from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from . import reports
from .models import StaffModel
from .reports import BadCursor, condition_failed  # noqa: F401 - BadCursor is part of this module's API


class Exists(Exception):
    pass


def add(region_id: str, username: str, fields: dict[str, Any]) -> None:
    item = StaffModel(region_id=region_id, username=username, search_name=fields["name"].casefold(), **fields)
    try:
        item.save(condition=StaffModel.username.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            raise Exists(username) from error
        raise


def get(region_id: str, username: str) -> StaffModel | None:
    try:
        return StaffModel.get(region_id, username, consistent_read=True)
    except DoesNotExist:
        return None


def set_active(region_id: str, username: str, active: bool, at: str) -> StaffModel | None:
    """None if the region has no such staff account."""
    item = StaffModel(region_id=region_id, username=username)
    try:
        item.update(actions=[StaffModel.active.set(active), StaffModel.updated_at.set(at)],
                    condition=StaffModel.username.exists())
    except UpdateError as error:
        if condition_failed(error):
            return None
        raise
    return get(region_id, username)


def set_awaiting(region_id: str, username: str, awaiting: bool) -> None:
    """Record whether the account still awaits its first sign-in (as
    Cognito last said); nothing if the entry is gone."""
    item = StaffModel(region_id=region_id, username=username)
    try:
        item.update(actions=[StaffModel.awaiting_first_sign_in.set(awaiting)],
                    condition=StaffModel.username.exists())
    except UpdateError as error:
        if not condition_failed(error):
            raise


def page(region_id: str, limit: int, cursor: str | None, role: str | None = None, active: bool | None = None,
         name: str | None = None) -> tuple[list[StaffModel], str | None]:
    """One page of a region's staff by username; ``role``, ``active`` and a
    case-insensitive ``name`` substring narrow that one Query (a page may
    then hold fewer than ``limit``)."""
    condition: Any = None
    for part in ((StaffModel.role == role) if role else None,
                 (StaffModel.active == active) if active is not None else None,
                 StaffModel.search_name.contains(name.casefold()) if name else None):
        if part is not None:
            condition = part if condition is None else condition & part
    return reports.page(StaffModel, region_id, limit, cursor, filter_condition=condition)
