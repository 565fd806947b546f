"""Emergencies (issue 16): a category marked ``emergency`` skips the
verification queue, its agency's responder is alerted once (SMS, SNS topic;
a partner webhook's delivery is the partner work's), its clocks run in
hours around the clock, staff see it as such, and the rankings charge its
stages to no one.  Hostile settings are 400 and store nothing."""
import json
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.domain import emergencies, sla, workflow
from chalicelib.domain.regions import DEFAULT_EMERGENCIES, TIME_ZONES, RegionConfig, default_categories
from support.data import REGION, new_report
from support.images import jpeg_with_gps, upload

WIB = TIME_ZONES["WIB"]
DUTY_PHONE = "+6281299990001"  # the fire department's duty phone
REPORTER_PHONE = "+6281200000001"  # the seeded citizen's verified phone
TOPIC = "aduan-responder-bpbd"


# --- helpers ----------------------------------------------------------------------

def patch_region(api, body, as_="region_admin"):
    return api.client.http.patch("/v1/regions/trenggalek", body=json.dumps(body), headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {api.tokens[as_]}"})


def put_categories(api, body, as_="region_admin"):
    return api.client.http.put("/v1/regions/trenggalek/categories", body=json.dumps(body), headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {api.tokens[as_]}"})


def agency_table(api, responders=None):
    """The region's agencies as PATCH takes them, with ``responders`` set
    (code → responder); the others left out (kept)."""
    agencies = api.get("/v1/regions/trenggalek", as_="region_admin").json_body["agencies"]
    table = [{"code": a["code"], "name_id": a["name"]["id"], "name_en": a["name"]["en"]} for a in agencies]
    for row in table:
        if row["code"] in (responders or {}):
            row["responder"] = responders[row["code"]]
    return table


def set_responders(api, responders):
    response = patch_region(api, {"agencies": agency_table(api, responders)})
    assert response.status_code == 200, response.json_body
    return {a["code"]: a.get("responder") for a in response.json_body["agencies"]}


def add_public_works_emergency(api):
    """A road collapse (*jalan amblas*) as an emergency of Dinas PUPR, whose
    officers and head the demo has."""
    table = api.get("/v1/regions/trenggalek/categories").json_body["categories"]
    rows = [{"code": c["code"], "name_id": c["name"]["id"], "name_en": c["name"]["en"], "agency": c["agency"],
             "team": c["team"], "emergency": c["emergency"]} for c in table]
    rows.append({"code": "jalan-amblas", "name_id": "Jalan amblas", "name_en": "Road collapse", "agency": "dpupr",
                 "team": "orange", "emergency": True})
    response = put_categories(api, {"categories": rows})
    assert response.status_code == 200, response.json_body


def create(api, **overrides):
    response = api.post("/v1/regions/trenggalek/reports", new_report(**overrides))
    assert response.status_code == 201, response.json_body
    return response.json_body["id"]


def move(api, report_id, as_, **body):
    response = api.post(f"/v1/reports/{report_id}/transitions", body, as_=as_)
    assert response.status_code == 200, response.json_body
    return response.json_body


def sms_to(number):
    backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
    return [message for to, message, *_ in backend.sms_messages.values() if to == number]


def topic_messages(name):
    backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
    return [m for t in backend.topics.values() if t.name == name for m in t.sent_notifications]


def route_twice(client, report_id):
    """The routing message delivered twice, as SQS may (two batches)."""
    from devstack import lambda_events

    arn = f"arn:aws:sqs:{REGION}:123456789012:aduan-test-routing"
    for _ in range(2):
        event = lambda_events.sqs_event([json.dumps({"report_id": report_id})], arn, REGION)
        assert client.lambda_.invoke("route_reports", event).payload == {"batchItemFailures": []}


def region_state(api):
    view = dict(api.get("/v1/regions/trenggalek", as_="platform_admin").json_body)
    view.pop("days_left", None)
    return view, api.get("/v1/regions/trenggalek/categories").json_body


# --- the clocks and the decisions, without AWS --------------------------------------

def test_an_emergencys_clock_runs_in_hours_around_the_clock():
    saturday_night = datetime(2026, 11, 21, 23, 30, tzinfo=WIB)  # a Saturday, 23:30 WIB
    stage, due = sla.deadline("verified", saturday_night, sla.SlaDays(), WIB, emergency=True)
    assert stage == "respond" and due.astimezone(WIB).isoformat() == "2026-11-22T00:30:00+07:00"  # Sunday 00:30
    _, resolve = sla.deadline("in_process", saturday_night, sla.SlaDays(), WIB, emergency=True)
    assert resolve.astimezone(WIB).isoformat() == "2026-11-22T23:30:00+07:00"
    # the same report outside an emergency: five working days, the end of Friday the 27th
    assert sla.deadline("verified", saturday_night, sla.SlaDays(), WIB)[1].astimezone(WIB).date().isoformat() \
        == "2026-11-27"
    hours = sla.SlaDays.from_record({"verify": 2, "emergency_respond_hours": 3, "emergency_resolve_hours": 48})
    assert (hours.emergency_respond_hours, hours.emergency_resolve_hours, hours.respond) == (3, 48, 5)
    assert sla.SlaDays.from_record(None).emergency_hours("respond") == 1


def test_the_routing_plan_dispatches_an_emergency_at_once_on_the_hour_clock():
    region = RegionConfig.from_record({
        "region_id": "trenggalek", "name": "Kabupaten Trenggalek", "kemendagri_code": "35.03", "time_zone": "WIB",
        "categories": default_categories(),
        "agencies": [{"code": "damkar", "name_id": "Dinas Pemadam Kebakaran", "name_en": "Fire Department"}]})
    assert emergencies.is_emergency(region, "kebakaran") and not emergencies.is_emergency(region, "jalan-rusak")
    assert not emergencies.is_emergency(region, "no-such-category")
    saturday_night = datetime(2026, 11, 21, 23, 30, tzinfo=WIB)
    routing = {"agency": "damkar", "agency_key": "trenggalek#damkar", "kelurahan_code": None}
    entry = {"status": "waiting", "note_code": "history_routed"}
    change = workflow.plan_emergency_routing("a" * 32, routing, entry, region, saturday_night)
    fields = change.fields
    assert fields["status"] == "verified" and fields["emergency"] is True and fields["queue_key"] is None
    assert fields["due_stage"] == "respond" and fields["due_at"] == "2026-11-21T17:30:00.000000Z"  # Sunday 00:30 WIB
    assert fields["resolve_due_at"] == "2026-11-22T16:30:00.000000Z" and fields["inbox_at"].startswith("verified#")
    assert change.condition.unrouted and change.condition.statuses == ("waiting",)
    routed, dispatched = change.append["history"]
    assert routed is entry and dispatched["note_code"] == "history_emergency_dispatched"
    assert dispatched["note"]["id"].startswith("Darurat: langsung diteruskan ke Dinas Pemadam Kebakaran")
    assert dispatched["note"]["en"].startswith("Emergency: dispatched at once to Fire Department")


def test_the_default_emergencies_are_fire_flood_and_disaster():
    marked = {c["code"] for c in default_categories() if c["emergency"]}
    assert marked == set(DEFAULT_EMERGENCIES) == {"kebakaran", "banjir", "bencana"}


@pytest.mark.parametrize("record,ok", [
    ({"kind": "sms", "to": "+6281234567890"}, True),
    ({"kind": "sms", "to": "+19005550100"}, False),
    ({"kind": "sms", "to": "081234567890"}, False),
    ({"kind": "sms", "to": "+6281234567890", "partner_id": "x"}, False),
    ({"kind": "sns", "topic_arn": "arn:aws:sns:ap-southeast-3:123456789012:aduan-responder-damkar"}, True),
    ({"kind": "sns", "topic_arn": "arn:aws:sns:ap-southeast-3:123456789012:aduan-prod-notify-trenggalek"}, False),
    ({"kind": "webhook", "partner_id": "0123456789abcdef"}, True),
    ({"kind": "webhook", "partner_id": "../../etc"}, False),
    ({"kind": "fax", "to": "+6281234567890"}, False),
    ("+6281234567890", False),
])
def test_a_stored_responder_is_used_only_when_well_formed(record, ok):
    responder = emergencies.Responder.from_record(record)
    assert (responder is not None) == ok
    if ok:
        assert responder.as_record() == record


# --- end to end ----------------------------------------------------------------------

def test_an_emergency_skips_the_queue_and_its_responder_gets_one_sms_even_when_routed_twice(api, client, pipeline):
    from chalicelib.services import routing

    assert set_responders(api, {"damkar": {"kind": "sms", "to": DUTY_PHONE}})["damkar"] == \
        {"kind": "sms", "to": DUTY_PHONE}
    report_id = create(api, category="kebakaran", description="Rumah terbakar, api membesar.",
                       address="Jl. Panglima Sudirman 5")
    route_twice(client, report_id)
    assert routing.route_report(report_id)["outcome"] == "already_routed"  # and a third time
    pipeline.run()  # the dispatch worker: the events the deliveries sent (until one delivered it), the stream

    report = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body
    assert report["status"] == "verified" and report["emergency"] is True and report["agency"] == "damkar"
    assert [h["note"]["id"] for h in report["history"]].count(
        "Darurat: langsung diteruskan ke Dinas Pemadam Kebakaran tanpa menunggu verifikasi.") == 1
    assert report["history"][-1]["note"]["en"] == ("Emergency: dispatched at once to Fire Department, without "
                                                   "waiting for verification.")
    assert len(report["history"]) == 3  # received, routed, dispatched: once each
    queue = api.get("/v1/regions/trenggalek/verification-queue", as_="verifier").json_body["items"]
    assert report_id not in [item["id"] for item in queue]
    [alert] = sms_to(DUTY_PHONE)
    assert alert.startswith("[DARURAT Kabupaten Trenggalek] Kebakaran.") and report_id in alert
    assert "Rumah terbakar" in alert and "Jl. Panglima Sudirman 5" in alert and report["kelurahan"] in alert
    assert sms_to(REPORTER_PHONE) and "Terverifikasi" in sms_to(REPORTER_PHONE)[0]  # the reporter is told
    # a later redelivery of the dispatch event alerts no one again
    again = routing.handle_event({"event": "status_changed", "report_id": report_id, "status": "verified",
                                  "version": report["version"]})
    assert again["responder"] == "already" and again["notified"] == {}
    assert len(sms_to(DUTY_PHONE)) == 1 and len(sms_to(REPORTER_PHONE)) == 1
    # due within the hour, in calendar time
    verified_at = datetime.fromisoformat(report["history"][-1]["at"])
    assert datetime.fromisoformat(report["due_at"]) - verified_at == timedelta(hours=1)
    assert report["due_stage"] == "respond"


def test_a_non_emergency_category_is_unchanged(api, pipeline):
    set_responders(api, {"dpupr": {"kind": "sms", "to": DUTY_PHONE}})
    report_id = create(api, category="jalan-rusak")
    pipeline.run()
    report = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body
    assert report["status"] == "waiting" and report["emergency"] is False and report["due_stage"] == "verify"
    queue = api.get("/v1/regions/trenggalek/verification-queue", as_="verifier").json_body["items"]
    [item] = [i for i in queue if i["id"] == report_id]
    assert item["emergency"] is False
    move(api, report_id, "verifier", to="verified")
    pipeline.run()
    assert sms_to(DUTY_PHONE) == []  # responders are for emergencies only
    due = datetime.fromisoformat(api.get(f"/v1/reports/{report_id}").json_body["due_at"])
    assert due.strftime("%H:%M:%S") == "23:59:59"  # the end of a working day


def test_staff_lists_show_an_emergency_and_its_photos_stay_with_staff(api, pipeline):
    add_public_works_emergency(api)
    report_id = create(api, category="jalan-amblas")
    pipeline.run()
    inbox = api.get("/v1/me/inbox?status=verified", as_="officer").json_body["items"]
    [item] = [i for i in inbox if i["id"] == report_id]
    assert item["emergency"] is True and item["status"] == "verified"
    assert api.get(f"/v1/reports/{report_id}").json_body["emergency"] is True  # not personal: public too
    categories = {c["code"]: c for c in api.get("/v1/regions/trenggalek/categories").json_body["categories"]}
    assert categories["jalan-amblas"]["emergency"] and categories["kebakaran"]["emergency"]
    assert not categories["jalan-rusak"]["emergency"]
    # the reporter's photo: no verifier saw it, so the public does not
    grant = api.post(f"/v1/reports/{report_id}/photos", {"content_type": "image/jpeg"})
    upload(report_id, grant.json_body["photo_id"], jpeg_with_gps())
    pipeline.run()
    assert len(api.get(f"/v1/reports/{report_id}", as_="officer").json_body["photos"]) == 1
    assert api.get(f"/v1/reports/{report_id}").json_body["photos"] == []


def test_the_overdue_sweep_flags_an_emergency_after_its_hours(api, pipeline):
    from chalicelib.services import workflow as service

    add_public_works_emergency(api)
    patched = patch_region(api, {"sla": {"emergency_respond_hours": 2, "emergency_resolve_hours": 6}})
    assert patched.json_body["sla_days"]["emergency_respond_hours"] == 2
    report_id = create(api, category="jalan-amblas")
    pipeline.run()
    now = datetime.now(timezone.utc)
    assert service.mark_overdue(now + timedelta(minutes=90)) == 0
    assert service.mark_overdue(now + timedelta(hours=2, minutes=5)) == 1  # two hours, not working days
    report = api.get(f"/v1/reports/{report_id}", as_="agency_head").json_body
    assert report["overdue"] is True and "dieskalasi" in report["history"][-1]["note"]["id"]
    escalated = api.get("/v1/me/inbox?overdue=true", as_="agency_head").json_body["items"]
    assert [i["id"] for i in escalated] == [report_id] and escalated[0]["emergency"] is True
    # taken: the finishing clock is the one fixed at dispatch, six hours
    taken = move(api, report_id, "officer", to="in_process")
    assert taken["due_stage"] == "resolve" and taken["overdue"] is False
    assert datetime.fromisoformat(taken["due_at"]) - datetime.fromisoformat(report["history"][2]["at"]) \
        == timedelta(hours=6)
    assert service.mark_overdue(now + timedelta(hours=5)) == 0
    assert service.mark_overdue(now + timedelta(hours=6, minutes=5)) == 1


def test_rankings_charge_no_one_for_an_emergency(api, pipeline):
    add_public_works_emergency(api)
    report_id = create(api, category="jalan-amblas")
    pipeline.run()
    move(api, report_id, "officer", to="in_process")
    grant = api.post(f"/v1/reports/{report_id}/photos", {"content_type": "image/jpeg", "kind": "evidence"},
                     as_="officer")
    upload(report_id, grant.json_body["photo_id"], jpeg_with_gps())
    pipeline.run()
    move(api, report_id, "officer", to="done")
    pipeline.run()

    agencies = {r["unit"]: r for r in api.get("/v1/regions/trenggalek/rankings?level=agency").json_body["rows"]}
    assert agencies["dpupr"]["volume"]["taken"] == 1 and agencies["dpupr"]["volume"]["done"] == 1  # counted
    assert agencies["dpupr"]["components"]["stages"] == 0  # charged to no one
    officers = api.get("/v1/regions/trenggalek/rankings?level=officer", as_="region_admin").json_body["rows"]
    assert officers and all(row["components"]["stages"] == 0 for row in officers)
    region = api.get("/v1/regions/trenggalek/stats?group_by=agency", as_="verifier").json_body
    [pupr] = [g for g in region["groups"] if g["key"] == "dpupr"]
    assert pupr["done"] == 1 and pupr["median_days"]["finish"] is None  # no stage timed


def test_an_anonymous_emergency_tells_responders_nothing_of_its_reporter(api, pipeline):
    from chalicelib.services import regions
    from chalicelib.store import reports as store

    boto3.client("sns", region_name=REGION).create_topic(Name=TOPIC)
    arn = f"arn:aws:sns:{REGION}:{DEFAULT_ACCOUNT_ID}:{TOPIC}"
    set_responders(api, {"bpbd": {"kind": "sns", "topic_arn": arn}, "damkar": {"kind": "sms", "to": DUTY_PHONE}})
    flood = create(api, category="banjir", anonymous=True, description="Air setinggi dada di permukiman.",
                   address="RT 02 RW 03 Dusun Krajan")
    fire = create(api, category="kebakaran", anonymous=True, description="Gudang terbakar.")
    pipeline.run()

    [(_, message, _, attributes, _)] = topic_messages(TOPIC)
    assert flood in message and "Air setinggi dada" in message and "Banjir" in message
    assert attributes["report_id"]["Value"] == flood and attributes["emergency"]["Value"] == "true"
    [sms] = sms_to(DUTY_PHONE)
    assert fire in sms and "Gudang terbakar" in sms
    for report_id in (flood, fire):
        stored = store.get(report_id)
        payload = emergencies.alert(stored, regions.get_region("trenggalek")).payload
        sent = json.dumps([message, attributes, sms, payload])
        assert stored.reporter_id and stored.reporter_id not in sent and REPORTER_PHONE not in sent
        assert "reporter" not in payload and "anonymous" not in payload


def test_a_topic_that_refuses_and_a_partner_webhook_are_recorded_once(api, pipeline, caplog):
    from chalicelib.services import routing

    set_responders(api, {
        "bpbd": {"kind": "sns", "topic_arn": f"arn:aws:sns:{REGION}:{DEFAULT_ACCOUNT_ID}:aduan-responder-gone"},
        "damkar": {"kind": "webhook", "partner_id": "0123456789abcdef"}})
    flood, fire = create(api, category="banjir"), create(api, category="kebakaran")
    pipeline.run()  # nothing raised: SQS does not retry what can never succeed
    for report_id, expected in ((flood, "refused"), (fire, "refused")):  # an unknown partner can never take it
        assert f"responder:{'bpbd' if report_id == flood else 'damkar'}" in _notified(report_id)
        again = routing.handle_event({"event": "status_changed", "report_id": report_id, "status": "verified"})
        assert again["responder"] == "already", expected
    assert "partner_unavailable" in caplog.text and DUTY_PHONE not in caplog.text


def _notified(report_id):
    from chalicelib.store import reports as store

    return list(store.get(report_id).notified)


def test_a_handed_over_emergency_alerts_the_new_agencys_responder_on_its_hours(api, pipeline):
    set_responders(api, {"bpbd": {"kind": "sms", "to": "+6281299990002"}, "damkar": {"kind": "sms", "to": DUTY_PHONE}})
    report_id = create(api, category="bencana", description="Longsor menimpa rumah, ada api dari kompor.")
    pipeline.run()
    assert len(sms_to("+6281299990002")) == 1 and sms_to(DUTY_PHONE) == []
    passed = api.post(f"/v1/reports/{report_id}/handoff", {"reason": "Ada kebakaran", "agency": "damkar"},
                      as_="verifier")
    assert passed.status_code == 200, passed.json_body
    due = datetime.fromisoformat(passed.json_body["due_at"])
    assert due - datetime.fromisoformat(passed.json_body["history"][-1]["at"]) == timedelta(hours=1)
    pipeline.run()
    assert len(sms_to(DUTY_PHONE)) == 1 and len(sms_to("+6281299990002")) == 1


def test_a_responder_left_out_is_kept_and_null_removes_it(api):
    set_responders(api, {"damkar": {"kind": "sms", "to": DUTY_PHONE}})
    kept = patch_region(api, {"agencies": agency_table(api)}).json_body["agencies"]  # the console's save
    assert {a["code"]: a.get("responder") for a in kept}["damkar"] == {"kind": "sms", "to": DUTY_PHONE}
    assert "agencies" not in api.get("/v1/regions/trenggalek").json_body  # staff only
    removed = set_responders(api, {"damkar": None})
    assert removed["damkar"] is None and all("responder" not in a for a in agency_table(api))


HOSTILE_RESPONDERS = [
    {"kind": "sms", "to": "+19005550100"},  # a premium-rate number abroad
    {"kind": "sms", "to": "081234567890"},  # not E.164
    {"kind": "sms", "to": "+62215551234"},  # a landline
    {"kind": "sms", "to": "+62812345678901234"},  # too long
    {"kind": "sms", "to": 6281234567890},
    {"kind": "sms"},
    {"kind": "sms", "to": "+6281234567890", "topic_arn": "arn:aws:sns:ap-southeast-3:123456789012:x"},
    {"kind": "sns", "topic_arn": "arn:aws:sns:ap-southeast-3:123456789012:aduan-test-notify-trenggalek"},
    {"kind": "sns", "topic_arn": "arn:aws:sns:ap-southeast-3:123456789012:aduan-responder-" + "x" * 300},
    {"kind": "sns", "topic_arn": "https://evil.example/aduan-responder-x"},
    {"kind": "webhook", "partner_id": "../../partners"},
    {"kind": "webhook", "partner_id": "p" * 65},
    {"kind": "fax", "to": "+6281234567890"},
    {"to": "+6281234567890"},
    "+6281234567890",
    ["sms", "+6281234567890"],
]


@pytest.mark.parametrize("responder", HOSTILE_RESPONDERS)
def test_hostile_responders_are_400_and_store_nothing(api, responder):
    set_responders(api, {"damkar": {"kind": "sms", "to": DUTY_PHONE}})
    before = region_state(api)
    table = agency_table(api, {"bpbd": responder})
    response = patch_region(api, {"agencies": table})
    assert response.status_code == 400, response.body
    assert set(response.json_body) == {"error"} and response.json_body["error"]["code"]
    assert region_state(api) == before


@pytest.mark.parametrize("sla_body", [
    {"emergency_respond_hours": 0}, {"emergency_respond_hours": 25}, {"emergency_resolve_hours": 721},
    {"emergency_respond_hours": "1"}, {"emergency_respond_hours": 1.5}, {"emergency_resolve_hours": True},
    {"emergency_respond_hours": 1e400}, {"emergency_respond_hours": 6, "emergency_resolve_hours": 3},
])
def test_hostile_emergency_hours_are_400_and_store_nothing(api, sla_body):
    before = region_state(api)
    response = patch_region(api, {"sla": sla_body})
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["code"] and response.json_body["error"]["message"]
    assert region_state(api) == before
    english = api.client.http.patch("/v1/regions/trenggalek", body=json.dumps({"sla": sla_body}), headers={
        "Content-Type": "application/json", "Accept-Language": "en",
        "Authorization": f"Bearer {api.tokens['region_admin']}"})
    assert english.status_code == 400 and english.json_body["error"]["message"] != response.json_body["error"][
        "message"]


@pytest.mark.parametrize("flag", ["yes", 1, None, {"on": True}])
def test_a_hostile_emergency_flag_is_400_and_stores_nothing(api, flag):
    before = region_state(api)
    rows = [{"code": "kebakaran", "name_id": "Kebakaran", "name_en": "Fire", "agency": "damkar", "team": "orange",
             "emergency": flag}]
    response = put_categories(api, {"categories": rows})
    assert response.status_code == 400 and response.json_body["error"]["params"]["field"].endswith("emergency")
    assert region_state(api) == before
