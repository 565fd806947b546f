"""The SMS gateway's inbound webhook (README, "SMS gateway")."""
from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct, field

MESSAGE_ID_PATTERN = r"^[\x21-\x7e]{1,64}$"


class SmsInbound(Struct, kw_only=True):
    """One SMS as a gateway forwards it, as JSON or as
    `application/x-www-form-urlencoded` with the same names (Twilio's own
    form — `From`, `Body`, `MessageSid` — is read when `X-Twilio-Signature`
    is sent).  Fields a gateway adds are ignored: the format is the gateway's."""

    sender: Annotated[str, Meta(max_length=32, examples=["+6281234567890"],
                                description="The number the SMS came from (E.164 or 08…).")] = field(name="from")
    text: Annotated[str, Meta(max_length=20000, description=(
        "The message as the citizen wrote it (empty: answered with help)."))] | None = None
    message_id: Annotated[str, Meta(pattern=MESSAGE_ID_PATTERN, description=(
        "The gateway's id of the message: the same id twice makes one report."))]
    received_at: Annotated[str, Meta(max_length=40, description="When the gateway received it (informative).")] \
        | None = None


class SmsReply(Struct, kw_only=True):
    reply: Annotated[str, Meta(description="The text to send back to the sender (Indonesian).")]
    tracking_number: Annotated[str | None, Meta(description=(
        "The report's tracking number, when the message made (or had made) a report."))] = None
