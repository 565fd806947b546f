"""The notification port's SNS adapter: a topic per region (apps and
dashboards subscribe, filtering on message attributes) and direct SMS to a
reporter's verified phone.  Locally the same calls reach the embedded AWS.

Nothing here logs a phone number, a name or an account id: the callers log
what was sent by report id only."""
from __future__ import annotations

from typing import Any

from .. import resources
from . import aws

# SNS refuses these for good: retrying the same message cannot succeed
PERMANENT = {"InvalidParameter", "InvalidParameterValue", "InvalidParameterException", "OptedOut",
             "EndpointDisabled", "NotFound", "AuthorizationError", "KMSDisabled"}


class Refused(Exception):
    """SNS refused the message for good (a number it cannot text, opted out)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def ensure_topic(region_id: str) -> str:
    """CreateTopic is idempotent: the ARN of the region's topic."""
    return aws.client("sns").create_topic(Name=resources.notify_topic_name(region_id))["TopicArn"]


def _call(send: Any, **params: Any) -> None:
    try:
        send(**params)
    except Exception as error:
        code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
        if code in PERMANENT:
            raise Refused(code) from None
        raise


def publish_topic(topic_arn: str, text: str, attributes: dict[str, str]) -> None:
    message_attributes: dict[str, Any] = {
        name: {"DataType": "String", "StringValue": value} for name, value in attributes.items() if value}
    _call(aws.client("sns").publish, TopicArn=topic_arn, Message=text, MessageAttributes=message_attributes)


def send_sms(phone: str, text: str) -> None:
    _call(aws.client("sns").publish, PhoneNumber=phone, Message=text, MessageAttributes={
        "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}})
