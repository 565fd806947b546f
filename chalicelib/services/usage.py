"""A region's usage, per calendar month in its time zone: metered by the
workers (reports received, photos stored, notifications, SMS, active
accounts) and read by its administrators, as JSON or as CSV for invoicing."""
from __future__ import annotations

import csv
import io
import logging
from typing import Any, cast

from ..auth.identity import Identity
from ..contract import regions as contract
from ..domain import reports as rules
from ..store import counters
from . import guards, pseudonyms, regions

log = logging.getLogger(__name__)

USAGE_METRICS = ("reports_received", "photos_stored", "photo_bytes", "active_citizens", "active_staff",
                 "notifications_sent", "sms_sent")


def usage(region_id: str, month: str | None, actor: Identity) -> contract.Usage:
    """``month`` is YYYY-MM (the contract's pattern); default: the current
    month in the region's time zone."""
    region = regions.get_region(region_id)
    guards.require_region_admin(actor, region.region_id)
    month = month or rules.now_utc().astimezone(region.tz).strftime("%Y-%m")
    values = counters.usage(region.region_id, month)
    metrics = {name: int(values.get(name, 0)) for name in USAGE_METRICS}
    per_agency = {k.split("#")[1]: int(v) for k, v in values.items() if k.startswith("agency#")}
    return contract.Usage(region_id=region.region_id, month=month, status=cast(Any, region.status),
                          **metrics, reports_by_agency=per_agency)


def usage_csv(view: contract.Usage) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["region_id", "month", "status", *USAGE_METRICS])
    writer.writerow([view.region_id, view.month, view.status, *(getattr(view, m) for m in USAGE_METRICS)])
    return out.getvalue()


def meter(region_id: str, amounts: dict[str, int], active: tuple[str, str] | None = None) -> None:
    """Count usage for the region's current month (workers call this, off the
    request path).  Failures are logged: metering never fails the work."""
    try:
        region = regions.get_region(region_id)
        month = rules.now_utc().astimezone(region.tz).strftime("%Y-%m")
        counters.add(region_id, month, amounts)
        if active is not None and active[1]:
            # counted by a keyed one-way name: the counters hold no account id
            counters.mark_active(region_id, month, active[0], pseudonyms.of(active[1], "active"))
    except Exception:
        log.exception("usage metering failed for %s %s", region_id, amounts)
