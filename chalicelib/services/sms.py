"""The SMS gateway channel: a citizen texts ``LAPOR``/``CEK``/anything to the
regency's number, the gateway (a partner of channel ``sms``) forwards it
here signed, and the answer goes back in the reply to that request, which
the gateway sends as an SMS from the number the citizen wrote to (README,
"SMS gateway").  Status changes of the report later reach the sender like
any reporter with a phone: the notification port's SMS
(``services.notifications``).

AWS calls: one GetItem (the partner) and one UpdateItem (its limit a
minute) for every message; a report adds the sender's hourly limit
(UpdateItem), the intake's writes and the tracking number (PutItem); a
``CEK`` one Query and one GetItem."""
from __future__ import annotations

import logging
import re

import msgspec

from ..contract import sms as contract
from ..domain import i18n, limits, webhooks
from ..domain import reports as clock
from ..domain import sms as rules
from ..domain.errors import AppError, Forbidden, InvalidInput, Unauthorized, Unprocessable
from ..domain.regions import RegionConfig
from ..store import limits as limit_store
from ..store import partners as partner_store
from ..store import reports as report_store
from ..store import sms as store
from ..store.models import PartnerModel
from . import intake, partners, pseudonyms, regions

log = logging.getLogger(__name__)

_PARTNER_ID = re.compile(r"^[0-9a-f]{16}$")


class Proof(msgspec.Struct, frozen=True, kw_only=True):
    """What signs the request: ``X-Aduan-Signature`` over the raw body, or
    Twilio's ``X-Twilio-Signature`` over the URL and the form's parameters."""

    aduan: str | None = None
    twilio: str | None = None
    urls: tuple[str, ...] = ()
    params: dict[str, list[str]] = {}


def receive(region_id: str, partner_id: str, message: contract.SmsInbound, raw: bytes,
            proof: Proof) -> contract.SmsReply:
    """Answer one inbound SMS (401 unsigned or badly signed, 403 revoked,
    429 over the key's limit; nothing is written before the signature)."""
    item = _signed_partner(region_id, partner_id, raw, proof)
    sender = rules.sender_number(message.sender)
    if sender is None:
        raise InvalidInput("invalid_sms", field="from")
    if not message.message_id.strip():
        raise InvalidInput("invalid_sms", field="message_id")
    partners.spend(item.partner_id, int(item.rate_per_minute))
    region = regions.get_region(item.region_id)
    command = rules.parse(message.text or "", region)
    sender_key = pseudonyms.of(sender, "sms:sender")
    if isinstance(command, rules.NewReport):
        reply = _report(item, region, command, sender, sender_key, message.message_id)
    elif isinstance(command, rules.Check):
        reply = contract.SmsReply(reply=_check(region, command.code, sender_key))
    elif isinstance(command, rules.Ambiguous):
        reply = contract.SmsReply(reply=rules.ambiguous_text(command, command.category))
    else:
        reply = contract.SmsReply(reply=rules.help_text(region, command.reason, command.word))
    log.info("sms %s via partner %s: %s%s", message.message_id[:64], item.partner_id, type(command).__name__,
             f" report {reply.tracking_number}" if reply.tracking_number else "")
    return reply


def _signed_partner(region_id: str, partner_id: str, raw: bytes, proof: Proof) -> PartnerModel:
    item = partner_store.get(region_id, partner_id) if _PARTNER_ID.match(partner_id) else None
    if item is None:
        raise Unauthorized("invalid_signature")
    if proof.twilio is not None:
        valid = rules.twilio_valid(item.twilio_auth_token, proof.twilio, proof.urls, proof.params)
    else:
        valid = bool(item.webhook_secret) and webhooks.verify_signature(item.webhook_secret or "", proof.aduan, raw)
    if not valid:
        raise Unauthorized("invalid_signature")
    if item.revoked_at is not None or item.channel != "sms":
        raise Forbidden("invalid_api_key")
    return item


def _partner(item: PartnerModel) -> partners.Partner:
    return partners.Partner(region_id=item.region_id, partner_id=item.partner_id, name=item.name,
                            channel=item.channel, webhook_url=item.webhook_url, webhook_secret=item.webhook_secret)


def _report(item: PartnerModel, region: RegionConfig, command: rules.NewReport, sender: str, sender_key: str,
            message_id: str) -> contract.SmsReply:
    window, ends, _ = limits.window(clock.now_utc())
    if not limit_store.take(pseudonyms.of(sender, "limit:sms"), window, rules.REPORTS_PER_HOUR, ends):
        return contract.SmsReply(reply=rules.too_many_text())
    submission = intake.Submission(
        category=command.category, description=command.description, kelurahan_code=command.kelurahan_code,
        tracking_id=f"sms:{message_id}", reporter_phone=sender)
    try:
        submitted = intake.submit(_partner(item), submission, channel="sms")
    except Unprocessable:
        raise  # the same message id with another sender or text: the gateway's fault, not the citizen's
    except InvalidInput as error:
        if error.code != "location_required":
            raise
        # an intake that will not keep a report without a place: ask for the desa instead
        return contract.SmsReply(reply=rules.unplaced_text(command.unknown_place))
    except AppError as error:  # the region's pilot ended, …: told to the citizen, nothing made
        return contract.SmsReply(reply=rules.fit(i18n.message(error.code, i18n.DEFAULT_LANGUAGE, **error.params)))
    code = rules.tracking_code(submitted.report_id)
    store.remember(region.region_id, sender_key, code, submitted.report_id)
    category = region.categories.get(command.category)
    text = rules.created_text(code, region, command.kelurahan_code, command.unknown_place,
                              emergency=bool(category and category.emergency))
    return contract.SmsReply(reply=text, tracking_number=code)


def _check(region: RegionConfig, code: str | None, sender_key: str) -> str:
    report_id = store.find(region.region_id, sender_key, code) if code else None
    report = report_store.get(report_id) if report_id else None
    # the scope of the lookup is the sender's number: another number's reports are never found
    if report is None or report.region_id != region.region_id:
        return rules.not_found_text(code)
    agency = region.agency_names(report.agency)[0] if report.agency else None
    return rules.status_text(rules.tracking_code(report.id), report.status, agency)
