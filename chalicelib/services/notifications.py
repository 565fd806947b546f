"""Telling reporters what happened to their report.  Every status change
reaches the reporter through the notification port, in Indonesian; the text
never names the reporter, and anonymous reports are notified the same way
(only the reporter's own subscription or phone receives it)."""
from __future__ import annotations

from ..adapters import notify
from ..domain import lifecycle
from ..store import regions as region_store
from ..store.models import ReportModel
from . import regions


def status_text(report: ReportModel, region_name: str) -> str:
    label = lifecycle.STATUS_LABELS.get(report.status, {"id": report.status})["id"]
    text = f"[{region_name}] Laporan Anda #{report.id[:8]} kini berstatus: {label}."
    if report.status == "done":
        text += " Mohon beri penilaian atas penanganannya."
    elif report.status == "rejected" and report.rejection_reason:
        text += f" Alasan: {lifecycle.REJECT_REASON_LABELS[report.rejection_reason]['id']}."
    return text


def topic_for(region_id: str) -> str:
    region = regions.get_region(region_id)
    if region.notify_topic_arn:
        return region.notify_topic_arn
    arn = notify.ensure_topic(region_id)
    region_store.set_topic(region_id, arn)
    return arn


def notify_reporter(report: ReportModel) -> int:
    """Returns the number of messages sent."""
    if not report.reporter_id and not report.reporter:
        return 0
    region = regions.get_region(report.region_id)
    contact = report.reporter.as_dict() if hasattr(report.reporter, "as_dict") else (report.reporter or {})
    phone = contact.get("phone")
    return notify.publish(
        topic_for(report.region_id), status_text(report, region.name),
        {"recipient": report.reporter_id or "", "report_id": report.id, "status": report.status,
         "region_id": report.region_id},
        phone=phone if phone and phone.startswith("+") else None,
    )
