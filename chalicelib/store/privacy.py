"""Data-rights requests, and the writes that erase a person from reports.
One item per request (``resources.PRIVACY``): a region's are one Query."""
from __future__ import annotations

from typing import Any

from pynamodb.exceptions import UpdateError

from . import reports
from .models import PrivacyRequestModel, ReportModel
from .reports import BadCursor, condition_failed  # noqa: F401 - BadCursor is part of this module's API


def record(region_id: str, request_key: str, fields: dict[str, Any]) -> PrivacyRequestModel:
    item = PrivacyRequestModel(region_id=region_id, request_key=request_key, **fields)
    item.save()
    return item


def page(region_id: str, limit: int, cursor: str | None) -> tuple[list[PrivacyRequestModel], str | None]:
    """A region's requests, newest first."""
    return reports.page(PrivacyRequestModel, region_id, limit, cursor, newest_first=True)


def erase_reporter(report: ReportModel, sub: str) -> bool:
    """Remove the reporter from one of their reports: contact, account id
    and the free text of their ratings (stars and times stay); the report
    stays, marked as from a deleted account.  Conditional on it still being
    theirs and unchanged since read (False otherwise: read again)."""
    ratings = [{k: v for k, v in dict(r).items() if k != "comment"} for r in report.ratings or []]
    try:
        ReportModel(id=report.id).update(
            actions=[ReportModel.reporter.remove(), ReportModel.reporter_id.remove(),
                     ReportModel.reporter_erased.set(True), ReportModel.ratings.set(ratings)],
            condition=(ReportModel.reporter_id == sub) & (ReportModel.version == int(report.version)))
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True
