"""SLA clocks: working days in the region's zone, and the overdue sweep."""
from datetime import datetime, timedelta, timezone

from chalicelib.domain import sla
from chalicelib.domain.regions import TIME_ZONES
from support.data import new_report

WIB, WITA = TIME_ZONES["WIB"], TIME_ZONES["WITA"]


def at(text, tz=WIB):
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def test_weekends_are_skipped():
    # Friday 2026-11-20 evening WIB + 3 working days = end of Wednesday 25th
    due = sla.add_working_days(at("2026-11-20T19:00"), 3, WIB)
    assert due.astimezone(WIB).isoformat() == "2026-11-25T23:59:59+07:00"


def test_public_holidays_are_skipped():
    # Independence Day, Monday 2026-08-17, is not a working day
    assert not sla.is_working_day(datetime(2026, 8, 17).date())
    due = sla.add_working_days(at("2026-08-14T10:00"), 1, WIB)  # Friday
    assert due.astimezone(WIB).date().isoformat() == "2026-08-18"
    # Nyepi (Day of Silence), Thursday 2026-03-19
    assert not sla.is_working_day(datetime(2026, 3, 19).date())
    assert sla.is_working_day(datetime(2026, 3, 18).date())


def test_the_holiday_table_is_the_holidays_packages_and_reaches_ten_years_ahead():
    import holidays

    table = sla.holiday_table()
    assert min(table) <= 2024 and max(table) >= datetime.now(timezone.utc).year + 10, (
        "regenerate chalicelib/data/holidays/indonesia.json: python scripts/derive_holidays.py")
    for year, dates in table.items():
        assert dates == frozenset(holidays.country_holidays("ID", years=year)), year
        assert all(day.year == year for day in dates)
    assert sla.is_working_day(datetime(2099, 8, 17).date())  # past the table: weekends only


def test_day_boundary_is_the_regions_own():
    # 23:30 UTC on Monday is already Tuesday in WITA (UTC+8) but still Tuesday 06:30 in WIB too;
    # 16:30 UTC Monday is Monday 23:30 WIB but Tuesday 00:30 WITA.
    moment = datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc)
    wib = sla.add_working_days(moment, 1, WIB).astimezone(WIB)
    wita = sla.add_working_days(moment, 1, WITA).astimezone(WITA)
    assert wib.date().isoformat() == "2026-11-24"
    assert wita.date().isoformat() == "2026-11-25"


def test_defaults_follow_lapor_and_regions_may_change_them():
    assert sla.SlaDays() == sla.SlaDays(verify=3, respond=5, resolve=10)
    assert sla.SlaDays.from_record({"verify": 1}).verify == 1
    assert sla.deadline("done", at("2026-11-23T08:00"), sla.SlaDays(), WIB) == (None, None)
    stage, due = sla.deadline("waiting", at("2026-11-23T08:00"), sla.SlaDays(), WIB)
    assert stage == "verify" and due.astimezone(WIB).date().isoformat() == "2026-11-26"


def test_overdue_sweep_flags_and_escalates(api, pipeline, client):
    from chalicelib.services import workflow
    from devstack import lambda_events

    waiting = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    verified = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    pipeline.run()
    api.post(f"/v1/reports/{verified}/transitions", {"to": "verified"}, as_="verifier")
    # the scheduled handler, now: nothing is late
    event = lambda_events.scheduled_event("arn:aws:events:rule/mark_overdue", "ap-southeast-3")
    assert client.lambda_.invoke("mark_overdue", event).payload == {"overdue": 0}
    # three weeks later both deadlines have passed
    assert workflow.mark_overdue(datetime.now(timezone.utc) + timedelta(days=21)) == 2
    assert workflow.mark_overdue(datetime.now(timezone.utc) + timedelta(days=22)) == 0  # once
    report = api.get(f"/v1/reports/{verified}", as_="verifier").json_body
    assert report["overdue"] is True
    assert "dieskalasi" in report["history"][-1]["note"]["id"]
    escalated = api.get("/v1/me/inbox?overdue=true", as_="agency_head").json_body["items"]
    assert [i["id"] for i in escalated] == [verified]
    assert api.get(f"/v1/reports/{waiting}").json_body["overdue"] is True
    # taking it starts the next clock: no longer overdue, off the escalation list
    taken = api.post(f"/v1/reports/{verified}/transitions", {"to": "in_process"}, as_="officer").json_body
    assert taken["overdue"] is False and taken["due_stage"] == "resolve"
    assert api.get("/v1/me/inbox?overdue=true", as_="agency_head").json_body["items"] == []


def test_the_overdue_gauge_counts_the_open_reports_past_due_now(api, pipeline):
    from chalicelib.services import workflow

    def overdue_now():
        pipeline.run()  # the stream feeds the gauges
        return api.get("/v1/regions/trenggalek/stats").json_body["now"]["overdue"]

    waiting = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    verified = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    done = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    pipeline.run()
    api.post(f"/v1/reports/{verified}/transitions", {"to": "verified"}, as_="verifier")
    assert overdue_now() == 0
    workflow.mark_overdue(datetime.now(timezone.utc) + timedelta(days=21))
    assert overdue_now() == 3
    api.post(f"/v1/reports/{verified}/transitions", {"to": "in_process"}, as_="officer")  # a fresh clock
    assert overdue_now() == 2
    api.post(f"/v1/reports/{done}/transitions", {"to": "rejected", "reason": "spam"}, as_="verifier")  # closed
    assert overdue_now() == 1
    assert api.get(f"/v1/reports/{waiting}").json_body["overdue"] is True
