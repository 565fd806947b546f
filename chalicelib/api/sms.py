"""The SMS gateway's inbound webhook (README, "SMS gateway"): a citizen's
SMS, forwarded signed by the region's gateway, answered with the text to
send back (JSON, or TwiML for Twilio)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from chalice import Blueprint, Response
from chalice.app import Request

from ..contract import sms as contract
from ..lazy import lazy
from . import body as reading
from .endpoint import route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import sms
else:
    sms = lazy("chalicelib.services.sms", rare=True)

bp = Blueprint(__name__)

TWIML = "text/xml"
FORM = "application/x-www-form-urlencoded"
_TWILIO_FIELDS = {"From": "from", "Body": "text", "MessageSid": "message_id"}


def _raw(request: Request) -> bytes:
    raw = request.raw_body or b""
    return raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw


def _form(raw: bytes) -> dict[str, list[str]]:
    return parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)


def read_message(request: Request) -> contract.SmsInbound:
    """The generic form as JSON or as a form, or Twilio's form when it is
    signed by Twilio; a gateway's extra fields are ignored."""
    raw = _raw(request)
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if request.headers.get("x-twilio-signature") is not None:
        form = _form(raw)
        fields: Any = {ours: form[theirs][0] for theirs, ours in _TWILIO_FIELDS.items() if theirs in form}
    elif media == FORM:
        fields = {name: values[0] for name, values in _form(raw).items()}
    else:
        fields = reading.parse_json(raw)
        if not isinstance(fields, dict):
            raise reading.InvalidInput("body_not_object")
    return reading.convert(fields, contract.SmsInbound)


def _proof(request: Request) -> sms.Proof:
    twilio = request.headers.get("x-twilio-signature")
    if twilio is None:
        return sms.Proof(aduan=request.headers.get("x-aduan-signature"))
    return sms.Proof(twilio=twilio, urls=_urls(request), params=_form(_raw(request)))


def _urls(request: Request) -> tuple[str, ...]:
    """The URLs Twilio may have been given for this request: with and
    without API Gateway's stage in the path."""
    headers, context = request.headers, request.context or {}
    base = f"{headers.get('x-forwarded-proto', 'https')}://{headers.get('host', 'localhost')}"
    path = context.get("path") or request.path
    stage = context.get("stage") or ""
    bare = path[len(stage) + 1:] if stage and path.startswith(f"/{stage}/") else path
    return tuple(dict.fromkeys((base + path, base + bare, f"{base}/{stage}{bare}" if stage else base + bare)))


@route(bp, "/v1/regions/{region_id}/sms/{partner_id}/inbound", "POST",
       summary="An SMS forwarded by the region's SMS gateway (signed); the reply is the text to send back",
       description=(
           "`LAPOR <kategori> <desa> <uraian>` makes a report from the sender's number (channel `sms`), "
           "`CEK <nomor>` answers the status of one of the sender's reports, anything else answers help. "
           "Signed with `X-Aduan-Signature: t=<unix>,v1=<hex HMAC-SHA256(webhook_secret, \"<t>.<raw body>\")>` "
           "(at most 5 minutes old), or, for a gateway on Twilio, Twilio's `X-Twilio-Signature` under the "
           "partner's `twilio_auth_token` (the form `From`, `Body`, `MessageSid`; the reply is then TwiML). "
           "The same `message_id` twice makes one report. See the README, \"SMS gateway\"."),
       body=contract.SmsInbound, body_media=("application/json", FORM), body_reader=read_message,
       returns=contract.SmsReply, alt_media={TWIML: str},
       errors={401: "Unsigned, badly signed or stale (more than 5 minutes)",
               403: "The partner's key is revoked, or not an SMS gateway", 404: "Unknown region",
               422: "The same message id with another sender or text", 429: "Over the key's limit a minute"})
def sms_inbound(region_id, partner_id, body):
    request = bp.current_request
    proof = _proof(request)
    reply = sms.receive(region_id, partner_id, body, _raw(request), proof)
    if proof.twilio is not None:
        return Response(body=f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{escape(reply.reply)}'
                             "</Message></Response>", status_code=200,
                        headers={"Content-Type": f"{TWIML}; charset=utf-8", "Cache-Control": "no-store"})
    return reply
