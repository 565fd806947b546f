"""The staff's CSV export of reports: one row per report created in a range of
days, with its stage times in working days.  Small ranges are answered at
once; a range holding more than ``SYNC_ROWS`` reports is written to the
bucket by the exports worker and answered with a link to follow.

No personal data: no reporter, no contact, no description or address — the
export is for counting and timing; the report itself is one click away."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, timedelta
from typing import Any, Iterator

from .. import resources
from ..adapters import aws
from ..auth.identity import Identity
from ..contract import performance as contract
from ..domain import performance as rules
from ..domain import roles
from ..domain.errors import Forbidden, NotFound
from ..domain.regions import RegionConfig
from ..domain.reports import iso_utc, local_iso, now_utc
from ..store import reports as store
from ..store.models import ReportModel
from . import regions

SYNC_ROWS = contract.EXPORT_SYNC_ROWS
PAGE = 500
MAX_DAYS = 366
LINK_SECONDS = 3600
COLUMNS = contract.EXPORT_COLUMNS


def _key(region_id: str, job_id: str) -> str:
    return f"{resources.EXPORT_PREFIX}reports/{region_id}/{job_id}.csv"


def _range(region: RegionConfig, first_text: str | None, last_text: str | None) -> tuple[date, date]:
    today = now_utc().astimezone(region.tz).date()
    return rules.day_range(first_text, last_text, today, today.replace(day=1), MAX_DAYS)


def _staff(region: RegionConfig, actor: Identity) -> None:
    if not actor.in_region(region.region_id) or actor.role not in roles.REPORT_STAFF:
        raise Forbidden("forbidden")


def _days(start: str | None, end: str | None, region: RegionConfig) -> str:
    if not start or not end:
        return ""
    return f"{rules.working_days_between(datetime.fromisoformat(start), datetime.fromisoformat(end), region.tz):.3f}"


def row(report: ReportModel, region: RegionConfig) -> list[str]:
    """One report's row.  Finishing is timed from the take, or from the last
    reopen; reports finished before ``done_at`` was kept use their last write."""
    done_at = (report.done_at or report.updated_at) if report.status == "done" else None
    ratings = report.ratings or []
    stars = ratings[-1].get("stars") if ratings and isinstance(ratings[-1], dict) else None
    taken = report.taken_at
    finishing = max((t for t in (taken, report.reopened_at) if t), default=None)

    def local(value: str | None) -> str:
        return local_iso(value, region) if value else ""

    return [report.id, local(report.created_at), report.channel or "app", report.category, report.status,
            report.agency or "", report.kecamatan_code or "", report.kelurahan_code or "",
            report.rejection_reason or "", local(report.verified_at), local(taken), local(done_at),
            _days(report.created_at, report.verified_at, region),
            _days(report.held_since or report.verified_at, taken, region) if taken else "",
            _days(finishing, done_at, region) if done_at else "",
            str(int(report.overdue_count or 0)), str(int(report.reopen_count or 0)), str(stars or "")]


def _reports(region: RegionConfig, first: date, last: date) -> Iterator[ReportModel]:
    start, end = rules.local_bounds(first, last, region.tz)
    low, high = iso_utc(start), iso_utc(end - timedelta(microseconds=1))
    cursor: str | None = None
    while True:
        items, cursor = store.created_between(region.region_id, low, high, PAGE, cursor)
        yield from items
        if cursor is None:
            return


def _csv(rows: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def reports_csv(region_id: str, first_text: str | None, last_text: str | None,
                actor: Identity) -> str | dict[str, Any]:
    """The CSV text of a small range, or the job writing a large one."""
    region = regions.get_region(region_id)
    _staff(region, actor)
    first, last = _range(region, first_text, last_text)
    rows = []
    for report in _reports(region, first, last):
        rows.append(row(report, region))
        if len(rows) > SYNC_ROWS:
            job_id = uuid.uuid4().hex
            aws.send(resources.EXPORTS_QUEUE, {"region_id": region.region_id, "job_id": job_id,
                                               "from": first.isoformat(), "to": last.isoformat()})
            return {"job_id": job_id, "status": "processing",
                    "status_url": f"/v1/regions/{region.region_id}/exports/{job_id}"}
    return _csv(rows)


def write_export(message: dict[str, Any]) -> int:
    """The exports worker: the whole range, written to the bucket."""
    region = regions.get_region(str(message["region_id"]))
    first, last = date.fromisoformat(message["from"]), date.fromisoformat(message["to"])
    rows = [row(report, region) for report in _reports(region, first, last)]
    aws.client("s3").put_object(Bucket=aws.bucket(), Key=_key(region.region_id, str(message["job_id"])),
                                Body=_csv(rows).encode(), ContentType="text/csv; charset=utf-8")
    return len(rows)


def export_status(region_id: str, job_id: str, actor: Identity) -> dict[str, Any]:
    region = regions.get_region(region_id)
    _staff(region, actor)
    if len(job_id) != 32 or any(c not in "0123456789abcdef" for c in job_id):
        raise NotFound("export_not_found")
    s3 = aws.client("s3")
    key = _key(region.region_id, job_id)
    try:
        s3.head_object(Bucket=aws.bucket(), Key=key)
    except s3.exceptions.ClientError:
        return {"job_id": job_id, "status": "processing", "url": None}
    url = s3.generate_presigned_url("get_object", Params={"Bucket": aws.bucket(), "Key": key},
                                    ExpiresIn=LINK_SECONDS)
    return {"job_id": job_id, "status": "ready", "url": str(url)}
