"""The notification port's SNS adapter: a topic per region (apps and
dashboards subscribe, filtering on message attributes) and direct SMS to a
reporter who gave a phone number.  Locally the same calls reach the embedded
AWS, and every message is also logged, so the run command's console shows
what was sent."""
from __future__ import annotations

import logging
from typing import Any

from .. import resources
from . import aws

log = logging.getLogger("chalicelib.notifications")


def ensure_topic(region_id: str) -> str:
    """CreateTopic is idempotent: the ARN of the region's topic."""
    return aws.client("sns").create_topic(Name=resources.notify_topic_name(region_id))["TopicArn"]


def publish(topic_arn: str, text: str, attributes: dict[str, str], phone: str | None = None) -> int:
    sns = aws.client("sns")
    message_attributes: dict[str, Any] = {
        name: {"DataType": "String", "StringValue": value} for name, value in attributes.items() if value}
    sns.publish(TopicArn=topic_arn, Message=text, MessageAttributes=message_attributes)
    sent = 1
    if phone:
        sns.publish(PhoneNumber=phone, Message=text, MessageAttributes={
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}})
        sent += 1
    log.info("notify %s%s: %s", attributes.get("recipient", "-"), f" (SMS {phone})" if phone else "", text)
    return sent
