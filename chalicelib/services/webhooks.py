"""Status back to partner systems: signed webhooks through a queue.

1. ``record`` (the reports stream's second consumer, ``workers/webhooks``)
   turns each write of a partner's report into its events
   (``domain.webhooks.events``) and queues each on ``partner_webhooks``.
   The stream delivers every write at least once and in order per report,
   so no change is lost; a record delivered again queues the same event ids.
2. ``deliver`` (the queue's consumer) reads the partner (one GetItem: a key
   revoked since is skipped), signs the body with the partner's webhook
   secret and a timestamp, and POSTs it (``adapters.webhook_http``: https
   only, never an address inside).  A 2xx is delivered; a 5xx, 408, 429,
   timeout or connection error is retried after an exponential backoff
   (``Retry``: the worker sets the message's visibility), and after the
   queue's ``maxReceiveCount`` it is dead-lettered (and alarmed); any other
   4xx is the partner refusing it: logged, dropped.
3. ``enqueue_emergency`` queues an emergency alert for a responder that is a
   partner system (``services.emergencies``).

Nothing logged names a person or carries a secret: event id, report id,
partner id, type, status code."""
from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

import msgspec

from .. import resources
from ..adapters import aws, notify, webhook_http
from ..domain import webhooks as rules
from ..domain.reports import iso_utc, local_iso, now_utc
from . import partners, regions

log = logging.getLogger(__name__)
PHOTO_URL_SECONDS = 3600


class Retry(Exception):
    """Not delivered for now: try again after ``delay`` seconds."""

    def __init__(self, reason: str, delay: int) -> None:
        super().__init__(reason)
        self.reason, self.delay = reason, delay


def backoff_base() -> int:
    """``ADUAN_WEBHOOK_BACKOFF_SECONDS`` shortens the schedule locally."""
    return int(os.environ.get("ADUAN_WEBHOOK_BACKOFF_SECONDS") or rules.BACKOFF_BASE)


# --- 1. from the stream ----------------------------------------------------------

def record(old_image: dict[str, Any] | None, new_image: dict[str, Any] | None) -> int:
    """Queue the events of one write of a report; how many.  A report that
    is no partner's and was not forwarded costs nothing (no read)."""
    if not new_image or not (new_image.get("partner_id") or new_image.get("forwarded_to")):
        return 0
    region = regions.get_region(str(new_image["region_id"]))
    found = rules.events(old_image, new_image, region)
    for event in found:
        enqueue(event)
    return len(found)


def enqueue(event: rules.Event) -> None:
    aws.send(resources.PARTNER_WEBHOOKS_QUEUE, msgspec.to_builtins(event),
             attributes={"region_id": event.region_id, "event": event.type},
             group=rules.message_group(event), message_id=event.event_id)
    log.info("webhook event %s (%s) for partner %s queued", event.event_id, event.type, event.partner_id)


# --- 2. delivery -------------------------------------------------------------------

def _photos(keys: list[str]) -> list[dict[str, Any]]:
    s3 = aws.client("s3")
    return [{"url": s3.generate_presigned_url("get_object", Params={"Bucket": aws.bucket(), "Key": key},
                                              ExpiresIn=PHOTO_URL_SECONDS)} for key in keys]


def signed_request(event: rules.Event, secret: str, attempt: int, timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
    photos = _photos(event.photo_keys) if event.type == rules.FORWARDED else None
    body = json.dumps(event.body(photos), ensure_ascii=False, separators=(",", ":")).encode()
    ts = int(time.time()) if timestamp is None else timestamp
    return body, {rules.EVENT_ID_HEADER: event.event_id, rules.TIMESTAMP_HEADER: str(ts),
                  rules.SIGNATURE_HEADER: rules.signature_header(secret, ts, body), "X-Aduan-Attempt": str(attempt)}


def deliver(message: dict[str, Any], attempt: int) -> str:
    """Send one queued event (``attempt``: 1 the first time); what
    happened: ``delivered``, ``refused`` (a 4xx: not retried), ``revoked``,
    ``no_webhook``, ``unknown_partner`` or ``unsafe_url`` (recorded, never
    retried).  ``Retry`` when it may succeed later."""
    event = msgspec.convert(message, rules.Event)
    partner = partners.get(event.region_id, event.partner_id)
    if partner is None or not partner.active or not partner.webhook_url or not partner.webhook_secret:
        outcome = ("unknown_partner" if partner is None else "revoked" if not partner.active else "no_webhook")
        log.warning("webhook event %s for partner %s not sent: %s", event.event_id, event.partner_id, outcome)
        return outcome
    body, headers = signed_request(event, partner.webhook_secret, attempt)
    try:
        status = webhook_http.post(partner.webhook_url, body, headers)
    except webhook_http.Unsafe as unsafe:
        log.error("webhook event %s for partner %s not sent: %s", event.event_id, event.partner_id, unsafe)
        return "unsafe_url"
    except webhook_http.Unreachable as error:
        raise Retry(f"unreachable ({error})", rules.backoff(attempt, backoff_base())) from None
    outcome = rules.outcome(status)
    if outcome == "retry":
        raise Retry(f"HTTP {status}", rules.backoff(attempt, backoff_base()))
    if outcome == "refused":
        log.error("webhook event %s (%s) refused by partner %s: HTTP %d, not retried", event.event_id, event.type,
                  event.partner_id, status)
        return "refused"
    log.info("webhook event %s (%s) delivered to partner %s on attempt %d", event.event_id, event.type,
             event.partner_id, attempt)
    return "delivered"


def defer(receipt_handle: str, seconds: int) -> None:
    """Keep a failed message invisible for its backoff (then SQS redelivers
    it; after ``maxReceiveCount`` receives it moves to the dead-letter queue)."""
    aws.client("sqs").change_message_visibility(QueueUrl=aws.queue_url(resources.PARTNER_WEBHOOKS_QUEUE),
                                                ReceiptHandle=receipt_handle, VisibilityTimeout=int(seconds))


# --- 3. emergencies ------------------------------------------------------------------

def enqueue_emergency(region_id: str, partner_id: str, payload: dict[str, Any]) -> None:
    """Queue an emergency alert for a responder's partner system;
    ``notify.Refused`` if that partner can never take it (unknown, revoked,
    no webhook URL).  A failed send raises (the dispatch message is retried)."""
    partner = partners.get(region_id, partner_id)
    if partner is None or not partner.active or not partner.webhook_url or not partner.webhook_secret:
        raise notify.Refused("partner_unavailable")
    region = regions.get_region(region_id)
    enqueue(rules.emergency_event(region_id, partner_id, payload, local_iso(iso_utc(now_utc()), region)))

