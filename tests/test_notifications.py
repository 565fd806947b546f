"""Who is told, and how often: status SMS go only to the reporting account's
verified Indonesian phone, and each channel's side effect (the region's
topic, the SMS) happens once per change, whatever fails."""
import pytest
from botocore.exceptions import ClientError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.adapters import aws as aws_adapter
from chalicelib.domain import phones
from chalicelib.services import routing
from chalicelib.store import reports as store
from chalicelib.store.models import ReportModel
from support.data import REGION, new_report

VERIFIED_PHONE = "+6281200000001"  # the seeded citizen's, verified


def sent(report_id):
    """(topic messages, SMS numbers) about one report so far."""
    backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
    topic = [m for t in backend.topics.values() for m in getattr(t, "sent_notifications", [])
             if f"#{report_id[:8]}" in str(m)]
    sms = [number for number, message, *_ in backend.sms_messages.values() if f"#{report_id[:8]}" in message]
    return topic, sms


def verified_report(api, pipeline):
    created = api.post("/v1/regions/trenggalek/reports", new_report())
    assert created.status_code == 201, created.json_body
    report_id = created.json_body["id"]
    pipeline.run()
    moved = api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier")
    assert moved.status_code == 200, moved.json_body
    return report_id, {"event": "status_changed", "report_id": report_id, "status": "verified",
                       "version": moved.json_body["version"]}


@pytest.fixture
def sms_fails(monkeypatch):
    """Make SNS fail every SMS with ``code`` (the topic still works)."""
    sns = aws_adapter.client("sns")
    real = sns.publish

    def failing(code):
        def publish(**params):
            if "PhoneNumber" in params:
                raise ClientError({"Error": {"Code": code, "Message": "refused"}}, "Publish")
            return real(**params)
        monkeypatch.setattr(sns, "publish", publish)

    yield failing
    monkeypatch.setattr(sns, "publish", real)


def test_status_sms_go_only_to_the_accounts_verified_phone(api, pipeline):
    report_id, _ = verified_report(api, pipeline)
    pipeline.run()
    topic, sms = sent(report_id)
    assert len(topic) == 1 and sms == [VERIFIED_PHONE]
    assert store.get(report_id).reporter.as_dict() == {"phone": VERIFIED_PHONE}


def test_a_number_sns_refuses_is_recorded_once_and_the_topic_is_not_repeated(api, pipeline, sms_fails):
    report_id, message = verified_report(api, pipeline)
    sms_fails("InvalidParameter")
    done = routing.handle_event(message)  # no exception: SQS will not retry it
    assert done["notified"] == {"topic": "sent", "sms": "refused"}
    assert routing.handle_event(message)["notified"] == {}  # a redelivery sends nothing
    topic, sms = sent(report_id)
    assert len(topic) == 1 and sms == []
    assert store.get(report_id).status == "verified"  # the change stands


def test_a_transient_sms_failure_retries_only_the_sms(api, pipeline, sms_fails):
    report_id, message = verified_report(api, pipeline)
    sms_fails("Throttling")
    with pytest.raises(ClientError):
        routing.handle_event(message)  # SQS redelivers this one
    topic, sms = sent(report_id)
    assert len(topic) == 1 and sms == []
    sms_fails("InternalError")  # still failing: still only the SMS is tried
    with pytest.raises(ClientError):
        routing.handle_event(message)
    assert len(sent(report_id)[0]) == 1


def test_after_recovery_the_retry_sends_the_sms_and_not_the_topic_again(api, pipeline, monkeypatch):
    report_id, message = verified_report(api, pipeline)
    sns = aws_adapter.client("sns")
    real, calls = sns.publish, []

    def once_throttled(**params):
        calls.append("sms" if "PhoneNumber" in params else "topic")
        if "PhoneNumber" in params and calls.count("sms") == 1:
            raise ClientError({"Error": {"Code": "Throttling", "Message": "slow down"}}, "Publish")
        return real(**params)

    monkeypatch.setattr(sns, "publish", once_throttled)
    with pytest.raises(ClientError):
        routing.handle_event(message)
    assert routing.handle_event(message)["notified"] == {"sms": "sent"}
    assert calls == ["topic", "sms", "sms"]
    topic, sms = sent(report_id)
    assert len(topic) == 1 and sms == [VERIFIED_PHONE]


@pytest.mark.parametrize("number", ["+19005550100", "+447700900123", "+62215551234", "0812", "+62 812 x", ""])
def test_a_number_that_is_no_indonesian_mobile_is_never_texted(api, pipeline, number):
    report_id, message = verified_report(api, pipeline)
    ReportModel(id=report_id).update(actions=[ReportModel.reporter.set({"phone": number})])
    assert routing.handle_event(message)["notified"] == {"topic": "sent"}
    assert sent(report_id)[1] == []


def test_indonesian_mobile_numbers_are_read_in_the_usual_ways():
    for written in ("081234567890", "6281234567890", "+62 812-3456-7890", "+6281234567890"):
        assert phones.textable(written) == "+6281234567890", written
    for refused in ("+19005550100", "02155512345", "+6221555123", "+62812", "+6281234567890123", None, "x" * 40):
        assert phones.textable(refused) is None, refused
