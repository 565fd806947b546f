"""The SMS gateway channel: signed inbound messages (the generic form and
Twilio's), LAPOR / CEK / help, repeated desa names, one report per message
id, the sender's own reports only, status SMS to the sender, and every bad
request refused with nothing written."""
import json
import time
from urllib.parse import urlencode

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.domain import sms as rules
from chalicelib.domain import webhooks
from chalicelib.resources import TABLES
from support.data import REGION, count_items

PARTNERS = "/v1/regions/trenggalek/partners"
SENDER = "+6281234500001"
OTHER = "+6281234500002"
TWILIO_TOKEN = "0123456789abcdef0123456789abcdef"
HOST = "api.aduan.example.id"


@pytest.fixture
def gateway(api):
    made = api.post(PARTNERS, {"name": "SMS gateway", "channel": "sms", "twilio_auth_token": TWILIO_TOKEN},
                    as_="region_admin")
    assert made.status_code == 201, made.json_body
    body = made.json_body
    assert body["webhook_secret"] and "twilio_auth_token" not in body
    return body


def inbound(gateway):
    return f"/v1/regions/trenggalek/sms/{gateway['id']}/inbound"


def send(api, gateway, text, sender=SENDER, message_id=None, secret=None, at=None, form=False, headers=None):
    fields = {"from": sender, "text": text, "message_id": message_id or f"m-{time.time_ns()}",
              "received_at": "2026-11-22T08:15:00+07:00"}
    raw = urlencode(fields).encode() if form else json.dumps(fields).encode()
    signature = webhooks.signature_header(secret or gateway["webhook_secret"], int(at or time.time()), raw)
    return api.client.http.post(inbound(gateway), body=raw, headers={
        "Content-Type": "application/x-www-form-urlencoded" if form else "application/json",
        "X-Aduan-Signature": signature, **(headers or {})})


def send_twilio(api, gateway, text, sender=SENDER, sid=None, token=TWILIO_TOKEN, extra=None):
    params = {"From": sender, "Body": text, "MessageSid": sid or f"SM{time.time_ns():032x}"[:34],
              "AccountSid": "AC" + "0" * 32, "To": "+6281100000000", "NumMedia": "0", **(extra or {})}
    url = f"https://{HOST}{inbound(gateway)}"
    signature = rules.twilio_signature(token, url, {k: [v] for k, v in params.items()})
    return api.client.http.post(inbound(gateway), body=urlencode(params).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature, "Host": HOST,
        "X-Forwarded-Proto": "https"})


def reports_by_sms():
    """Every report made by SMS (a test's own Scan, with boto3: the code under test never scans)."""
    import boto3

    from chalicelib.resources import REPORTS
    from chalicelib.store.models import ReportModel

    items = boto3.client("dynamodb", region_name=REGION).scan(TableName=REPORTS.name)["Items"]
    return [ReportModel.get(item["id"]["S"]) for item in items if item.get("channel", {}).get("S") == "sms"]


def stored():
    return {t.logical: count_items(t.logical) for t in TABLES}


def karangtengah(region_id="trenggalek"):
    from chalicelib.services import regions

    region = regions.get_region(region_id)
    return next(code for code, (name, _, _) in region.kelurahan.items() if name == "Karangtengah")


def test_a_signed_report_is_made_from_the_senders_number_and_answered_with_its_number(api, gateway, pipeline):
    reply = send(api, gateway, "LAPOR sampah Karangtengah tumpukan sampah di depan pasar")
    assert reply.status_code == 200, reply.json_body
    number = reply.json_body["tracking_number"]
    assert len(number) == 8 and f"nomor {number}" in reply.json_body["reply"]
    assert "Karangtengah" in reply.json_body["reply"] and len(reply.json_body["reply"]) <= 160
    [report] = reports_by_sms()
    assert report.id.startswith(number) and report.category == "sampah"
    assert report.kelurahan_hint == karangtengah() and report.partner_id == gateway["id"]
    assert report.reporter.as_dict()["phone"] == SENDER and report.reporter_id is None
    pipeline.run()
    routed = api.get(f"/v1/reports/{report.id}", as_="verifier").json_body
    assert routed["kelurahan"] == "Karangtengah" and routed["agency"] == "dlh"
    # CEK answers its status to the sender
    check = send(api, gateway, f"CEK {number}")
    assert check.status_code == 200 and check.json_body["reply"] == f"Laporan {number}: Menunggu."


def test_the_same_message_id_twice_makes_one_report_and_the_same_reply(api, gateway):
    first = send(api, gateway, "LAPOR jalan Karangtengah jalan berlubang", message_id="gw-42")
    again = send(api, gateway, "LAPOR jalan Karangtengah jalan berlubang", message_id="gw-42")
    assert first.status_code == again.status_code == 200
    assert first.json_body == again.json_body
    assert len(reports_by_sms()) == 1


def test_a_twilio_signed_sms_is_answered_in_twiml(api, gateway):
    reply = send_twilio(api, gateway, "LAPOR banjir Karangtengah air setinggi lutut <b>&</b>")
    assert reply.status_code == 200, reply.body
    assert reply.headers["Content-Type"].startswith("text/xml")
    body = reply.body.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Laporan diterima, nomor ')
    assert body.endswith("</Message></Response>") and "112" in body  # banjir is an emergency
    [report] = reports_by_sms()
    assert report.category == "banjir" and report.description == "air setinggi lutut <b>&</b>"
    assert report.reporter.as_dict()["phone"] == SENDER
    # a bad Twilio signature, or one under another token: 401, nothing more
    before = stored()
    assert send_twilio(api, gateway, "LAPOR banjir Karangtengah x", token="f" * 32).status_code == 401
    assert stored() == before


def test_a_repeated_desa_name_is_answered_with_the_kecamatan_to_choose_and_no_report(api, gateway):
    before = count_items("reports")
    reply = send(api, gateway, "LAPOR sampah Sukorejo banyak sampah")
    assert reply.status_code == 200
    assert reply.json_body["reply"].startswith("Ada 2 desa Sukorejo: kec. ") and "LAPOR sampah Sukorejo/" in \
        reply.json_body["reply"] and reply.json_body.get("tracking_number") is None
    assert count_items("reports") == before
    kecamatan = reply.json_body["reply"].split("kec. ")[1].rstrip(",. ")
    chosen = send(api, gateway, f"LAPOR sampah Sukorejo/{kecamatan} banyak sampah")
    assert chosen.json_body["tracking_number"] and f"kec. {kecamatan}" in chosen.json_body["reply"]


def test_an_unknown_desa_makes_a_report_without_a_place_for_the_verifier(api, gateway, pipeline):
    reply = send(api, gateway, "LAPOR jalan Gg.Mawar dekat masjid berlubang")
    assert reply.status_code == 200, reply.json_body
    assert reply.json_body["tracking_number"] and "tidak dikenal" in reply.json_body["reply"]
    [report] = reports_by_sms()
    assert report.lat is None and report.kelurahan_hint is None
    assert report.description == "Gg.Mawar dekat masjid berlubang"
    pipeline.run()
    queued = api.get("/v1/regions/trenggalek/verification-queue", as_="verifier").json_body["items"]
    assert report.id in [item["id"] for item in queued]


def test_an_unknown_desa_is_never_a_500_nor_a_report_with_a_wrong_place(api, gateway):
    reply = send(api, gateway, "LAPOR jalan Gg.Mawar dekat masjid berlubang")
    assert reply.status_code == 200 and "Gg.Mawar" in reply.json_body["reply"]
    assert all(r.kelurahan_hint is None for r in reports_by_sms())


@pytest.mark.parametrize("text", ["halo", "INFO", "BANTUAN", "", "   ", "LAPOR", "LAPOR lubang Besuki x",
                                  "LAPOR sampah Karangtengah", "🙂", "\u202eLAPOR sampah", "x" * 10_000])
def test_anything_else_is_answered_with_help_and_makes_no_report(api, gateway, text):
    before = count_items("reports")
    reply = send(api, gateway, text)
    assert reply.status_code == 200, reply.json_body
    assert "LAPOR <kategori> <desa> <uraian>" in reply.json_body["reply"]
    assert reply.json_body.get("tracking_number") is None
    assert count_items("reports") == before


def test_cek_answers_only_the_senders_own_reports(api, gateway):
    number = send(api, gateway, "LAPOR sampah Karangtengah banyak sampah").json_body["tracking_number"]
    mine = send(api, gateway, f"CEK {number}").json_body["reply"]
    theirs = send(api, gateway, f"CEK {number}", sender=OTHER).json_body["reply"]
    unknown = send(api, gateway, "CEK 00000000").json_body["reply"]
    assert mine == f"Laporan {number}: Menunggu."
    assert theirs == rules.not_found_text(number) and "Menunggu" not in theirs
    assert unknown == rules.not_found_text("00000000")
    assert send(api, gateway, "CEK").json_body["reply"] == rules.not_found_text(None)


def test_status_changes_reach_the_sender_by_sms(api, gateway, pipeline):
    number = send(api, gateway, "LAPOR sampah Karangtengah banyak sampah").json_body["tracking_number"]
    [report] = reports_by_sms()
    pipeline.run()
    assert api.post(f"/v1/reports/{report.id}/transitions", {"to": "verified"}, as_="verifier").status_code == 200
    pipeline.run()
    backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
    texted = [number_ for number_, message, *_ in backend.sms_messages.values() if f"#{number}" in message]
    assert texted == [SENDER]
    assert send(api, gateway, f"CEK {number}").json_body["reply"].startswith(f"Laporan {number}: Terverifikasi.")


def test_a_sender_is_limited_per_hour(api, gateway):
    for n in range(rules.REPORTS_PER_HOUR):
        assert send(api, gateway, f"LAPOR sampah Karangtengah tumpukan {n}").json_body["tracking_number"]
    refused = send(api, gateway, "LAPOR sampah Karangtengah satu lagi").json_body
    assert refused.get("tracking_number") is None and "Batas" in refused["reply"]
    assert len(reports_by_sms()) == rules.REPORTS_PER_HOUR
    assert send(api, gateway, "LAPOR sampah Karangtengah dari nomor lain", sender=OTHER).json_body["tracking_number"]


@pytest.mark.parametrize("case", ["unsigned", "wrong secret", "stale", "future", "tampered", "garbage header",
                                  "unknown partner", "other region"])
def test_unsigned_badly_signed_and_stale_requests_are_401_with_nothing_written(api, gateway, case):
    before = stored()
    path = inbound(gateway)
    raw = json.dumps({"from": SENDER, "text": "LAPOR sampah Karangtengah x", "message_id": "m-1"}).encode()
    good = webhooks.signature_header(gateway["webhook_secret"], int(time.time()), raw)
    header, body = {
        "unsigned": (None, raw),
        "wrong secret": (webhooks.signature_header("x" * 43, int(time.time()), raw), raw),
        "stale": (webhooks.signature_header(gateway["webhook_secret"], int(time.time()) - 301, raw), raw),
        "future": (webhooks.signature_header(gateway["webhook_secret"], int(time.time()) + 301, raw), raw),
        "tampered": (good, raw.replace(b"x\"", b"y\"")),
        "garbage header": ("t=abc,v1=\u00e9", raw),
        "unknown partner": (good, raw),
        "other region": (good, raw),
    }[case]
    if case == "unknown partner":
        path = path.replace(gateway["id"], "0" * 16)
    if case == "other region":
        path = path.replace("/trenggalek/", "/kupang/")
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["X-Aduan-Signature"] = header.encode("utf-8").decode("latin-1")
    reply = api.client.http.post(path, body=body, headers=headers)
    assert reply.status_code == 401, reply.body
    assert reply.json_body["error"]["code"] == "invalid_signature"
    assert stored() == before


def test_a_revoked_gateway_or_another_channels_partner_is_403(api, gateway):
    lapor = api.post(PARTNERS, {"name": "LAPOR!", "channel": "lapor", "webhook_url": "https://lapor.example.id/h"},
                     as_="region_admin").json_body
    reply = send(api, lapor, "LAPOR sampah Karangtengah x")
    assert reply.status_code == 403 and reply.json_body["error"]["code"] == "invalid_api_key"
    assert api.post(f"{PARTNERS}/{gateway['id']}/revoke", as_="region_admin").status_code == 200
    before = stored()
    reply = send(api, gateway, "LAPOR sampah Karangtengah x")
    assert reply.status_code == 403 and reply.json_body["error"]["code"] == "invalid_api_key"
    assert stored() == before


def test_a_twilio_token_is_only_for_sms_partners_and_never_shown(api):
    refused = api.post(PARTNERS, {"name": "X", "channel": "lapor", "twilio_auth_token": TWILIO_TOKEN},
                       as_="region_admin")
    assert refused.status_code == 400 and refused.json_body["error"]["code"] == "twilio_sms_only"
    listed = api.get(PARTNERS, as_="region_admin")
    assert TWILIO_TOKEN not in listed.body.decode()


@pytest.mark.parametrize("raw,content_type,code", [
    (b'{"from": "+6281234500001", "text": "\\ud800", "message_id": "m"}', "application/json", "invalid_text"),
    (b'[1, 2]', "application/json", "body_not_object"),
    (b'{"text": "LAPOR", "message_id": "m"}', "application/json", "missing_field"),
    (b'{"from": "+6281234500001", "text": "x", "message_id": "a b"}', "application/json", "invalid_pattern"),
    (b"from=TELKOMSEL&text=LAPOR&message_id=m", "application/x-www-form-urlencoded", "invalid_sms"),
    (b"\xff\xfe", "application/json", "invalid_json"),
])
def test_malformed_messages_are_400_with_nothing_stored(api, gateway, raw, content_type, code):
    before = stored()
    signature = webhooks.signature_header(gateway["webhook_secret"], int(time.time()), raw)
    reply = api.client.http.post(inbound(gateway), body=raw, headers={"Content-Type": content_type,
                                                                      "X-Aduan-Signature": signature})
    assert reply.status_code == 400, reply.body
    assert reply.json_body["error"]["code"] == code
    assert stored() == before


def test_a_form_encoded_generic_message_and_hostile_texts(api, gateway):
    reply = send(api, gateway, "LAPOR sampah Karangtengah 🙂 مرحبا \u202e ok", form=True)
    assert reply.status_code == 200 and reply.json_body["tracking_number"]
    [report] = reports_by_sms()
    assert report.description == "🙂 مرحبا \u202e ok"
    # a lone surrogate sent percent-encoded in a form becomes U+FFFD: answered, never a 500
    raw = b"from=%2B6281234500001&text=LAPOR+sampah+Karangtengah+%ED%A0%80&message_id=m-s"
    signature = webhooks.signature_header(gateway["webhook_secret"], int(time.time()), raw)
    reply = api.client.http.post(inbound(gateway), body=raw, headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Aduan-Signature": signature})
    assert reply.status_code == 200 and reply.json_body["tracking_number"]
