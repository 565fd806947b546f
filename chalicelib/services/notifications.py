"""Telling reporters what happened to their report.  Every status change
reaches the reporter through each channel that applies to the report: the
region's topic (apps and dashboards subscribe to it) and an SMS to the
verified phone of the account that reported it.  Reports from other intake
channels will answer through that channel's own verified return path: one
more ``Channel`` here.

Each channel's side effect happens once per change, however often the
event arrives: a channel is marked on the report (``<channel>:<status>#
<version>``) as soon as it is done — sent, or refused for good by the
provider (a number SNS will not text) — and a redelivery skips what is
marked.  A transient failure raises after the channels before it were
marked, so SQS retries only the rest; the status change itself is already
stored and is never undone by a failed notification."""
from __future__ import annotations

import logging
from typing import Any, Protocol

import msgspec

from ..adapters import notify
from ..domain import lifecycle, phones
from ..store import regions as region_store
from ..store import reports as store
from ..store.models import ReportModel
from . import regions

log = logging.getLogger(__name__)


def status_text(report: ReportModel, region_name: str) -> str:
    label = lifecycle.STATUS_LABELS.get(report.status, {"id": report.status})["id"]
    last = report.history[-1] if report.history else {}
    if last.get("note_code") == "history_handed_off":  # passed to another agency or desa (disposisi)
        note = last.get("note") or {}
        moved = note.get("id") if isinstance(note, dict) else None
        return f"[{region_name}] Laporan Anda #{report.id[:8]}: {moved or 'dialihkan.'}"
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


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    def applies(self, report: ReportModel) -> bool: ...
    def send(self, report: ReportModel, text: str) -> None: ...


class Topic(msgspec.Struct, frozen=True):
    """The region's topic: the reporter's app filters on ``recipient``."""

    name: str = "topic"

    def applies(self, report: ReportModel) -> bool:
        return bool(report.reporter_id)

    def send(self, report: ReportModel, text: str) -> None:
        notify.publish_topic(topic_for(report.region_id), text, {
            "recipient": report.reporter_id or "", "report_id": report.id, "status": report.status,
            "region_id": report.region_id})


def _phone(report: ReportModel) -> str | None:
    contact = report.reporter.as_dict() if hasattr(report.reporter, "as_dict") else (report.reporter or {})
    return phones.textable(contact.get("phone"))


class Sms(msgspec.Struct, frozen=True):
    """An SMS to the reporting account's verified phone (an Indonesian
    mobile number: ``domain.phones``); nothing else is ever texted."""

    name: str = "sms"

    def applies(self, report: ReportModel) -> bool:
        return _phone(report) is not None

    def send(self, report: ReportModel, text: str) -> None:
        phone = _phone(report)
        if phone is not None:
            notify.send_sms(phone, text)


CHANNELS: tuple[Channel, ...] = (Topic(), Sms())


def notify_reporter(report: ReportModel, change: str, outcome: dict[str, str],
                    channels: tuple[Channel, ...] = CHANNELS) -> dict[str, str]:
    """Tell the reporter about ``change`` (``<status>#<version>``) on each
    channel not yet done for it, recording in ``outcome`` ``{channel: "sent"
    | "refused"}`` for the ones handled now.  Raises on a transient failure
    (after marking, and recording, the channels handled before it)."""
    text = status_text(report, regions.get_region(report.region_id).name)
    for channel in channels:
        marker = f"{channel.name}:{change}"
        if marker in (report.notified or []) or not channel.applies(report):
            continue
        try:
            channel.send(report, text)
            outcome[channel.name] = "sent"
        except notify.Refused as refused:
            outcome[channel.name] = "refused"
            log.warning("report %s: %s refused by the provider (%s), not retried", report.id, channel.name,
                        refused.code)
        store.mark_notified(report.id, marker)
    if outcome:
        log.info("report %s notified: %s", report.id, ", ".join(f"{k} {v}" for k, v in outcome.items()))
    return outcome


def sent_counts(outcome: dict[str, Any]) -> dict[str, int]:
    """Usage counted from what was actually sent."""
    return {"notifications_sent": 1 if outcome.get("topic") == "sent" else 0,
            "sms_sent": 1 if outcome.get("sms") == "sent" else 0}
