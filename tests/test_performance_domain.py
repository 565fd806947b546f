"""The arithmetic of performance figures and rankings (issue 14's scenario,
computed by hand)."""
from datetime import date, datetime, timedelta, timezone

import pytest

from chalicelib.domain import performance as perf

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")


def no_holidays(day: date) -> bool:
    return day.weekday() < 5


def at(text: str, tz=WIB) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def test_working_days_count_only_the_working_part_of_each_local_day():
    friday_4pm, monday_4pm = at("2026-03-06T16:00"), at("2026-03-09T16:00")
    assert perf.working_days_between(friday_4pm, monday_4pm, WIB, no_holidays) == pytest.approx(1.0)
    assert perf.working_days_between(at("2026-03-07T09:00"), at("2026-03-08T18:00"), WIB, no_holidays) == 0.0
    assert perf.working_days_between(monday_4pm, friday_4pm, WIB, no_holidays) == 0.0  # never negative
    ten_minutes = perf.working_days_between(at("2026-03-09T10:00"), at("2026-03-09T10:10"), WIB, no_holidays)
    assert ten_minutes == pytest.approx(10 / 1440)
    # the same instants seen from another zone: Friday 23:00 WIB is Saturday 00:00 WITA
    assert perf.working_days_between(at("2026-03-06T23:00"), at("2026-03-07T01:00"), WIB, no_holidays) \
        == pytest.approx(1 / 24)
    assert perf.working_days_between(at("2026-03-06T23:00"), at("2026-03-07T01:00"), WITA, no_holidays) == 0.0


def test_public_holidays_are_not_working_days():
    # 17 August 2026 (Independence Day) is a Monday
    friday, tuesday = at("2026-08-14T12:00"), at("2026-08-18T12:00")
    assert perf.working_days_between(friday, tuesday, WIB) == pytest.approx(1.0)


def test_a_kupang_report_finished_at_2330_on_the_last_day_counts_in_that_month():
    finished = at("2026-01-31T23:30", WITA)
    assert perf.local_day(finished, WITA) == "2026-01-31"
    assert perf.local_day(finished, WIB) == "2026-01-31"
    assert perf.local_day(finished, timezone.utc) == "2026-01-31"
    assert perf.local_day(at("2026-01-31T23:30", timezone(timedelta(hours=9))), WITA) == "2026-01-31"
    assert perf.local_day(at("2026-02-01T00:30", WITA), WITA) == "2026-02-01"


def test_histograms_answer_medians_and_percentiles_without_the_values():
    tally = perf.combine(perf.stage_delta("finish", days, 10) for days in [0.5, 0.9, 1.2, 2.5, 2.6, 3.5, 6.0, 12.0])
    assert tally["finish_n"] == 8 and tally["finish_within"] == 7
    median = perf.percentile(tally, "finish", 0.5)
    assert 2.0 <= median <= 3.0  # true median 2.55, inside its bucket (2, 3]
    assert 10.0 <= perf.percentile(tally, "finish", 0.9) <= 14.0  # the 12-day report's bucket
    assert perf.percentile(tally, "take", 0.5) is None
    long = perf.combine([perf.stage_delta("verify", 100.0, 3)])
    assert perf.percentile(long, "verify", 0.5) == perf.HISTOGRAM_EDGES[-1]  # the open bucket: its lower edge
    assert perf.bucket(0.0) == 0 and perf.bucket(1 / 24) == 0 and perf.bucket(1.0001) == 6


def test_deltas_are_small_integers_that_add_up():
    delta = perf.stage_delta("take", 1.0, 5)
    assert delta == {"take_n": 1, "take_within": 1, "take_timeliness": 800, "take_h5": 1}
    assert perf.stage_delta("take", 7.0, 5)["take_timeliness"] == 0
    assert perf.rating_delta(2) == {"ratings": 1, "rating_sum": 2, "ratings_low": 1}
    with pytest.raises(ValueError):
        perf.rating_delta(6)
    with pytest.raises(ValueError):
        perf.stage_delta("lunch", 1.0, 5)
    days = [{"done": 2, "finish_n": 1}, {"done": 1}, {}]
    assert perf.combine(days) == {"done": 3, "finish_n": 1}


def scenario():
    """Officer A finishes 6 reports one working day after taking each,
    officer B 6 after four working days, officer C 1 in ten minutes."""
    a = perf.combine(perf.stage_delta("finish", 1.0, 10) for _ in range(6))
    b = perf.combine(perf.stage_delta("finish", 4.0, 10) for _ in range(6))
    c = perf.combine([perf.stage_delta("finish", 10 / 1440, 10)])
    return {"officer-a": a, "officer-b": b, "officer-c": c}


def test_the_faster_officer_ranks_above_and_one_lucky_report_is_not_ranked():
    rows = {row.unit: row for row in perf.rank(scenario())}
    a, b, c = rows["officer-a"], rows["officer-b"], rows["officer-c"]
    assert (a.rank, b.rank, c.rank) == (1, 2, None)
    assert c.reason == "too_few_reports" and c.score is None
    # by hand: 13 stages, all within; timeliness 6 x 0.9 + 6 x 0.6 + 0.993 = 9.993 -> mean 0.7687
    prior = (6 * 0.9 + 6 * 0.6 + 1000 * (1 - (10 / 1440) / 10) / 1000) / 13
    assert a.components.timeliness == pytest.approx(0.9) and b.components.timeliness == pytest.approx(0.6)
    assert a.components.timeliness_shrunk == pytest.approx((5.4 + 5 * prior) / 11, abs=1e-3)
    assert b.components.timeliness_shrunk == pytest.approx((3.6 + 5 * prior) / 11, abs=1e-3)
    # no ratings anywhere: every unit gets the neutral 0.5
    assert a.components.rating is None and a.components.rating_shrunk == 0.5
    expected_a = 100 * (0.4 * 1.0 + 0.4 * (5.4 + 5 * prior) / 11 + 0.2 * 0.5)
    assert a.score == pytest.approx(expected_a, abs=0.05)
    assert a.score > b.score


def test_shrinkage_keeps_small_units_near_the_mean_and_ties_are_stable():
    tallies = {"x": perf.combine(perf.stage_delta("finish", 0.0, 10) for _ in range(5)),
               "y": perf.combine(perf.stage_delta("finish", 9.0, 10) for _ in range(200))}
    rows = {row.unit: row for row in perf.rank(tallies)}
    # x is perfect on 5 stages, but shrunk halfway to a mean dominated by y
    assert rows["x"].components.timeliness == 1.0
    assert rows["x"].components.timeliness_shrunk < 0.6
    same = perf.combine(perf.stage_delta("finish", 2.0, 10) for _ in range(5))
    bigger = perf.combine(perf.stage_delta("finish", 2.0, 10) for _ in range(8))
    order = [row.unit for row in perf.rank({"b": same, "a": same, "c": bigger})]
    assert order == ["c", "a", "b"]  # same score: more stages first, then by id


def test_ratings_count_with_their_own_weight():
    good = perf.combine([perf.stage_delta("finish", 2.0, 10)] * 6 + [perf.rating_delta(5)] * 6)
    poor = perf.combine([perf.stage_delta("finish", 2.0, 10)] * 6 + [perf.rating_delta(1)] * 6)
    rows = {row.unit: row for row in perf.rank({"good": good, "poor": poor})}
    assert rows["good"].rank == 1 and rows["poor"].rank == 2
    assert rows["good"].components.rating == 1.0 and rows["poor"].components.rating == 0.0
    assert 0.5 < rows["good"].components.rating_shrunk < 1.0


SLA = {"verify": 3, "respond": 5, "resolve": 10}


def report(**fields):
    base = {"region_id": "trenggalek", "status": "waiting", "at": at("2026-03-02T08:00"),
            "created_at": at("2026-03-02T08:00")}
    return perf.Snapshot(**{**base, **fields})


def by_unit(changes):
    """The tallies changed, the status gauges and moves (``gauges``, ``moves``) aside."""
    found = {(c.level, c.unit): {k: v for k, v in c.delta.items() if not k.startswith("now_")}
             for c in changes if c.level != "status"}
    return {unit: delta for unit, delta in found.items() if delta}


def moves(changes, level="region"):
    return {k: v for c in changes if c.level == level for k, v in c.delta.items() if k.startswith("now_")}


def gauges(changes):
    return {c.unit: c.delta["count"] for c in changes if c.level == "status" and c.day == perf.NOW}


def test_a_report_life_charges_each_stage_to_its_holders():
    created = report(category="jalan_rusak", channel="app")
    first = perf.changes(None, created, WIB, SLA, no_holidays)
    assert by_unit(first) == {("region", "trenggalek"): {"received": 1}, ("category", "jalan_rusak"): {"received": 1},
                              ("channel", "app"): {"received": 1}}
    assert gauges(first) == {"waiting": 1} and moves(first) == {"now_waiting": 1}
    assert {c.cohort for c in first} == {"2026-03-02", "now"}
    routed = report(category="jalan_rusak", channel="app", agency="pupr", kelurahan_code="35.03.01.2001", kecamatan_code="35.03.01",
                    at=at("2026-03-02T08:01"))
    # the routing only proposes an agency and a place: nothing is counted there until verification
    assert perf.changes(created, routed, WIB, SLA, no_holidays) == []
    verified = perf.Snapshot(**{**msgspec_dict(routed), "status": "verified", "at": at("2026-03-03T08:00"),
                                "verified_at": at("2026-03-03T08:00")})
    assert gauges(perf.changes(routed, verified, WIB, SLA, no_holidays)) == {"verified": 1, "waiting": -1}
    assert moves(perf.changes(routed, verified, WIB, SLA, no_holidays), "agency") == {"now_verified": 1}
    assert moves(perf.changes(routed, verified, WIB, SLA, no_holidays)) == {"now_waiting": -1, "now_verified": 1}
    assert by_unit(perf.changes(routed, verified, WIB, SLA, no_holidays))[("agency", "pupr")] == {"received": 1,
                                                                                                 "verified": 1}
    got = by_unit(perf.changes(routed, verified, WIB, SLA, no_holidays))
    assert got[("region", "trenggalek")] == {"verified": 1, "verify_n": 1, "verify_within": 1,
                                             "verify_timeliness": 667, "verify_h5": 1}
    assert got[("agency", "pupr")] == {"received": 1, "verified": 1}  # verification is not the agency's time
    taken = perf.Snapshot(**{**msgspec_dict(verified), "status": "in_process", "at": at("2026-03-04T08:00"),
                             "taken_at": at("2026-03-04T08:00"), "assignee": "officer-a", "assignee_agency": "pupr"})
    got = by_unit(perf.changes(verified, taken, WIB, SLA, no_holidays))
    # an agency's officer took it: the agency is charged, not the desa where it happened
    assert set(got) == {("region", "trenggalek"), ("agency", "pupr"), ("officer", "officer-a"),
                        ("category", "jalan_rusak"), ("channel", "app")}
    assert got[("officer", "officer-a")]["take_n"] == 1 and got[("officer", "officer-a")]["taken"] == 1
    officer = [c for c in perf.changes(verified, taken, WIB, SLA, no_holidays) if c.level == "officer"][0]
    assert officer.agency == "pupr" and officer.day == "2026-03-04" and officer.cohort == "2026-03-02"
    done = perf.Snapshot(**{**msgspec_dict(taken), "status": "done", "at": at("2026-03-05T08:00")})
    got = by_unit(perf.changes(taken, done, WIB, SLA, no_holidays))
    assert got[("officer", "officer-a")] == {"done": 1, "finish_n": 1, "finish_within": 1,
                                             "finish_timeliness": 900, "finish_h5": 1}
    rated = perf.Snapshot(**{**msgspec_dict(done), "ratings": 1, "last_stars": 1, "at": at("2026-03-05T09:00")})
    got = by_unit(perf.changes(done, rated, WIB, SLA, no_holidays))
    assert got[("officer", "officer-a")] == {"ratings": 1, "rating_sum": 1, "ratings_low": 1}
    # a write that changes nothing the figures count (a note) adds nothing
    noted = perf.Snapshot(**{**msgspec_dict(rated), "at": at("2026-03-06T09:00")})
    assert perf.changes(rated, noted, WIB, SLA, no_holidays) == []


def test_rejections_duplicates_and_emergencies_are_counted_but_charge_no_time():
    waiting = report(agency="pupr")
    rejected = perf.Snapshot(**{**msgspec_dict(waiting), "status": "rejected", "rejection_reason": "spam",
                                "at": at("2026-03-09T08:00")})
    got = by_unit(perf.changes(waiting, rejected, WIB, SLA, no_holidays))
    assert got[("region", "trenggalek")] == {"rejected": 1, "rejected_spam": 1}
    duplicate = perf.Snapshot(**{**msgspec_dict(waiting), "status": "duplicate", "at": at("2026-03-09T08:00")})
    got = by_unit(perf.changes(waiting, duplicate, WIB, SLA, no_holidays))
    assert got[("region", "trenggalek")] == {"duplicates": 1} and ("agency", "pupr") not in got  # nobody's
    emergency = report(status="verified", emergency=True, verified_at=at("2026-03-02T09:00"))
    taken = perf.Snapshot(**{**msgspec_dict(emergency), "status": "in_process", "assignee": "responder",
                             "at": at("2026-03-02T09:05")})
    assert by_unit(perf.changes(emergency, taken, WIB, SLA, no_holidays)) == {
        ("region", "trenggalek"): {"taken": 1}, ("officer", "responder"): {"taken": 1}}


def test_a_change_counts_on_the_local_day_of_the_region():
    taken = report(status="in_process", taken_at=at("2026-01-30T09:00", WITA), assignee="o",
                   created_at=at("2026-01-29T09:00", WITA), at=at("2026-01-30T09:00", WITA))
    done = perf.Snapshot(**{**msgspec_dict(taken), "status": "done", "at": at("2026-01-31T23:30", WITA)})
    days = {c.day for c in perf.changes(taken, done, WITA, SLA, no_holidays) if c.level != "status"}
    assert days == {"2026-01-31"}  # 15:30 UTC, still the 31st in Kupang


def msgspec_dict(snapshot):
    import msgspec

    return msgspec.structs.asdict(snapshot)


def test_a_desa_that_passes_a_report_to_an_agency_is_not_charged_for_its_work():
    verified = report(status="verified", agency="pupr", kelurahan_code="35.03.01.2001", kecamatan_code="35.03.01",
                      verified_at=at("2026-03-02T09:00"), at=at("2026-03-02T09:00"))
    passed = perf.Snapshot(**{**msgspec_dict(verified), "agency": "dlh", "held_since": at("2026-03-05T09:00"),
                              "at": at("2026-03-05T09:00")})
    got = perf.changes(verified, passed, WIB, SLA, no_holidays)
    assert by_unit(got) == {("agency", "pupr"): {"handed_off": 1}, ("agency", "dlh"): {"received": 1}}
    assert {c.unit: c.delta for c in got if c.level == "agency"} == {
        "pupr": {"now_verified": -1, "handed_off": 1}, "dlh": {"received": 1, "now_verified": 1}}
    # the new holder's clock starts at the hand-off: taken one working day later
    taken = perf.Snapshot(**{**msgspec_dict(passed), "status": "in_process", "taken_at": at("2026-03-06T09:00"),
                             "at": at("2026-03-06T09:00"), "assignee": "dlh-officer", "assignee_agency": "dlh"})
    charged = by_unit(perf.changes(passed, taken, WIB, SLA, no_holidays))
    assert charged[("agency", "dlh")]["take_n"] == 1 and charged[("agency", "dlh")]["take_timeliness"] == 800
    assert ("kelurahan", "35.03.01.2001") not in charged and ("agency", "pupr") not in charged
    # a desa officer's own work is the desa's (and its kecamatan's), not the agency's
    desa = perf.Snapshot(**{**msgspec_dict(verified), "status": "in_process", "assignee": "desa-officer",
                            "assignee_kelurahan": "35.03.01.2001", "taken_at": at("2026-03-03T09:00"),
                            "at": at("2026-03-03T09:00")})
    charged = by_unit(perf.changes(verified, desa, WIB, SLA, no_holidays))
    assert {("kelurahan", "35.03.01.2001"), ("kecamatan", "35.03.01")} <= set(charged)
    assert ("agency", "pupr") not in charged
