"""Alerting an agency's responders about an emergency (Damkar's duty phone,
BPBD's topic, PSC 119's system), once, as soon as the report reaches the
agency.

The routing worker dispatches an emergency at once (``domain.workflow.
plan_emergency_routing``); the dispatch worker, which delivers every
verified report to its agency, calls ``alert_responder`` for an emergency
still open there.  Each kind of responder is a channel behind one
interface, as the reporter's channels are (``services.notifications``):

* ``sms``: an SMS to the duty phone, through the notification port;
* ``sns``: a message on the responders' topic, with attributes to filter on;
* ``webhook``: a partner system's webhook (``deliver_to_partner_webhook``:
  a signed ``emergency.dispatched`` event through the partner webhooks' queue).

Once per agency holding the report, however often the event arrives: the
alert is marked on the report (``responder:<agency>``) as soon as it is
done — sent, or refused for good by the provider — and a redelivery skips
it; a transient failure raises before the mark, so SQS retries it.  A
report handed over to another agency alerts that agency's responder.  The
alert carries nothing of the reporter (``domain.emergencies.alert``).
Nothing here logs a phone number or a topic: report id, agency and kind."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from ..adapters import notify
from ..domain import emergencies as rules
from ..domain.regions import RegionConfig
from ..lazy import lazy
from ..store import reports as store
from ..store.models import ReportModel
from . import usage

if TYPE_CHECKING:  # partner responders are rare: the webhook sender is imported on first use
    from . import webhooks
else:
    webhooks = lazy("chalicelib.services.webhooks", rare=True)

log = logging.getLogger(__name__)
OPEN_AT_AGENCY = ("verified", "in_process")


def deliver_to_partner_webhook(region_id: str, partner_id: str, alert: rules.Alert) -> None:
    """Hand an emergency to a partner system's webhook (PSC 119, the BPBD
    hotline): ``alert.payload`` is queued as an ``emergency.dispatched``
    event for ``partner_id`` of ``region_id``, then signed, sent, retried
    with backoff and dead-lettered like every partner event
    (``services.webhooks``).  Raises on a transient failure (SQS retries the
    dispatch message) and ``notify.Refused`` for a partner that can never
    take it (unknown, revoked, no webhook URL)."""
    webhooks.enqueue_emergency(region_id, partner_id, alert.payload)


class ResponderChannel(Protocol):
    """One way to reach responders."""

    def send(self, region_id: str, responder: rules.Responder, alert: rules.Alert) -> None: ...


class SmsChannel:
    def send(self, region_id: str, responder: rules.Responder, alert: rules.Alert) -> None:
        notify.send_sms(responder.to or "", alert.text)


class TopicChannel:
    def send(self, region_id: str, responder: rules.Responder, alert: rules.Alert) -> None:
        notify.publish_topic(responder.topic_arn or "", alert.text, alert.attributes)


class WebhookChannel:
    def send(self, region_id: str, responder: rules.Responder, alert: rules.Alert) -> None:
        deliver_to_partner_webhook(region_id, responder.partner_id or "", alert)


CHANNELS: dict[str, ResponderChannel] = {"sms": SmsChannel(), "sns": TopicChannel(), "webhook": WebhookChannel()}
# what a sent alert adds to the region's usage (the regency pays for each SMS)
USAGE = {"sms": {"sms_sent": 1}, "sns": {"notifications_sent": 1}}


def alert_responder(report: ReportModel, region: RegionConfig) -> str:
    """Alert the responder of the agency holding the emergency ``report``,
    once; what happened: ``sent`` (a partner webhook: queued), ``refused``
    (for good, by the provider, or a partner that cannot take it), ``already`` (done
    before), ``no_responder`` (the agency has none: the report is in its
    inbox, as any other) or ``not_open`` (no longer open at an agency)."""
    if not report.emergency or not report.agency or report.status not in OPEN_AT_AGENCY:
        return "not_open"
    marker = f"responder:{report.agency}"
    if marker in (report.notified or []):
        return "already"
    agency = region.agencies.get(report.agency)
    responder = agency.responder if agency else None
    if responder is None:
        log.warning("emergency report %s: agency %s has no responder contact", report.id, report.agency)
        return "no_responder"
    try:
        CHANNELS[responder.kind].send(report.region_id, responder, rules.alert(report, region))
        outcome = "sent"
    except notify.Refused as refused:
        outcome = "refused"
        log.error("emergency report %s: the %s responder of %s refused by the provider (%s), not retried",
                  report.id, responder.kind, report.agency, refused.code)
    store.mark_notified(report.id, marker)
    if outcome == "sent" and responder.kind in USAGE:
        usage.meter(report.region_id, USAGE[responder.kind])
    log.info("emergency report %s: %s responder of %s %s", report.id, responder.kind, report.agency, outcome)
    return outcome
