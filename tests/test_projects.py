"""Public works projects (QlueWork): the red-flag rules at their boundaries,
money and progress rules, and the whole flow through the API: register →
progress photo → progress → disbursement → citizen audit → budget → map."""
from __future__ import annotations

import base64
import json
import threading
import typing
from datetime import date, datetime, timedelta, timezone

import boto3
import pytest

from chalicelib import resources
from chalicelib.api.body import convert
from chalicelib.contract import projects as contract
from chalicelib.domain import projects as rules
from chalicelib.domain.errors import InvalidInput
from support.data import REGION, new_report
from support.projects import TODAY, day, progress_photo, project_body, register

# --- the domain: red flags at their boundaries ----------------------------------

def figures(**overrides):
    base = dict(value=1_000_000_000, disbursed=0, progress_bp=0, start=date(2026, 1, 1), end=date(2026, 12, 31),
                last_report_on=date(2026, 6, 1), audits_open=0, today=date(2026, 6, 10))
    base.update(overrides)
    return rules.Figures(**base)


def codes(fig, rule_set=None):
    return [f.code for f in rules.red_flags(fig, rule_set or rules.Rules())]


def test_money_ahead_of_work_is_raised_only_past_the_margin():
    # physical 30 %, financial exactly 50 %: 20 points ahead, the margin itself
    at_margin = figures(progress_bp=3000, disbursed=500_000_000, today=date(2026, 4, 1))
    assert at_margin.financial - at_margin.physical == 20
    assert "money_ahead_of_work" not in codes(at_margin)
    just_over = figures(progress_bp=2999, disbursed=500_000_000, today=date(2026, 4, 1))
    assert "money_ahead_of_work" in codes(just_over)
    # the region sets its own margin
    assert "money_ahead_of_work" not in codes(just_over, rules.Rules(money_ahead_points=25))
    [flag] = [f for f in rules.red_flags(just_over, rules.Rules()) if f.code == "money_ahead_of_work"]
    assert flag.params == {"financial": 50.0, "physical": 29.99, "margin": 20}


def test_behind_schedule_compares_time_elapsed_with_progress():
    # 2026-01-01 .. 2026-12-31 is 364 days; on 2026-07-02 (182 days) time elapsed is 50 %
    fig = figures(today=date(2026, 7, 2), progress_bp=2500)
    assert fig.time_elapsed == 50.0
    assert "behind_schedule" not in codes(fig)  # 25 points behind = the margin
    assert "behind_schedule" in codes(figures(today=date(2026, 7, 2), progress_bp=2499))
    # before the start nothing is late; a completed project is never late
    assert figures(today=date(2025, 12, 1)).time_elapsed == 0.0
    assert "behind_schedule" not in codes(figures(today=date(2027, 3, 1), progress_bp=10_000))
    assert figures(today=date(2027, 3, 1)).time_elapsed == 100.0


def test_no_recent_progress_counts_days_from_the_last_report_or_the_start():
    assert "no_recent_progress" not in codes(figures(last_report_on=date(2026, 6, 1), today=date(2026, 6, 30)))
    assert "no_recent_progress" in codes(figures(last_report_on=date(2026, 6, 1), today=date(2026, 7, 1)))
    never = figures(last_report_on=None, start=date(2026, 6, 1), today=date(2026, 7, 1))
    assert "no_recent_progress" in codes(never)
    # not started yet: nobody owes a report
    planned = figures(last_report_on=None, start=date(2026, 8, 1), today=date(2026, 7, 1))
    assert planned.status == "planned" and codes(planned) == []
    assert "no_recent_progress" not in codes(never, rules.Rules(stale_days=31))


def test_open_citizen_audits_flag_the_project():
    assert "open_citizen_audits" not in codes(figures(audits_open=0))
    assert "open_citizen_audits" in codes(figures(audits_open=1))


def test_money_and_progress_values_are_strict():
    def refused(body, model):
        with pytest.raises(InvalidInput) as caught:
            convert(body, model)
        return caught.value.code

    pay = {"date": "2026-01-01", "reference": "SP2D 1"}
    assert convert({"amount": 1_500_000, **pay}, contract.DisbursementRequest).amount == 1_500_000
    for bad, code in ((1.5, "wrong_type"), (1000.0, "wrong_type"), ("1000", "wrong_type"), (True, "wrong_type"),
                      (-5, "out_of_range"), (0, "out_of_range"), (10**16, "out_of_range"),
                      (10**400, "out_of_range"), (-(10**400), "out_of_range")):
        assert refused({"amount": bad, **pay}, contract.DisbursementRequest) == code, bad
    assert rules.percent_bp(45.25) == 4525 and rules.percent_bp(100) == 10_000 and rules.percent_bp(1e-200) == 0
    with pytest.raises(InvalidInput) as caught:
        rules.percent_bp(10.125)
    assert caught.value.code == "too_precise"
    for bad, code in ((100.01, "out_of_range"), (-1, "out_of_range"), ("10", "wrong_type"), (True, "wrong_type"),
                      (10**400, "out_of_range"), (-(10**400), "out_of_range")):
        assert refused({"percent": bad, "date": "2026-01-01"}, contract.ProgressRequest) == code, bad


def test_the_contract_names_the_domain_values():
    assert set(typing.get_args(contract.FundingSource)) == set(rules.FUNDING_SOURCES)
    assert set(typing.get_args(contract.ProjectStatus)) == set(rules.STATUSES) == set(rules.STATUS_LABELS)
    assert set(typing.get_args(contract.FlagCode)) == set(rules.FLAG_CODES)
    assert set(typing.get_args(contract.RedFlagFilter)) == set(rules.FLAG_CODES) | {"any", "none"}


def test_totals_move_by_deltas_and_weight_progress_by_value():
    big = {"value": 3_000_000_000, "disbursed": 0, "progress_bp": 0, "flagged": 0}
    small = {"value": 1_000_000_000, "disbursed": 0, "progress_bp": 0, "flagged": 0}
    total = dict.fromkeys(rules.TOTAL_FIELDS, 0)

    def apply(delta):
        for name, amount in delta.items():
            total[name] += amount

    apply(rules.totals_delta(None, big))
    apply(rules.totals_delta(None, small))
    apply(rules.totals_delta(big, {**big, "progress_bp": 5000}))
    apply(rules.totals_delta(small, {**small, "progress_bp": 10_000, "disbursed": 400_000_000, "flagged": 1}))
    view = rules.total_view(total)
    # (3e9 × 50 % + 1e9 × 100 %) / 4e9 = 62.5 %
    assert view == {"projects": 2, "contract_value": 4_000_000_000, "disbursed": 400_000_000,
                    "financial_progress": 10.0, "physical_progress": 62.5, "projects_flagged": 1}


def test_locations_and_their_representative_points():
    assert rules.location_problem({"type": "Point", "coordinates": [111.7, -8.1]}) is None
    road = {"type": "LineString", "coordinates": [[111.0, -8.0], [111.2, -8.0], [111.4, -8.0]]}
    assert rules.location_problem(road) is None
    assert rules.representative_point(road) == pytest.approx((111.2, -8.0))
    square = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}
    assert rules.representative_point(square) == pytest.approx((1.0, 1.0))
    # what the contract's shape cannot say: the ranges of longitude and latitude, a closed ring
    for bad in ({"type": "Point", "coordinates": [200, 0]}, {"type": "Point", "coordinates": [0, -91]},
                {"type": "LineString", "coordinates": [[111.0, -8.0], [111.2, 95.0]]},
                {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}):
        assert rules.location_problem(bad), bad
    # stored to 7 decimals: 1e-200 (which DynamoDB cannot hold) is 0, and no -0.0
    assert rules.location({"type": "Point", "coordinates": [111.123456789, -1e-200, 1e-200]}) == {
        "type": "Point", "coordinates": [111.1234568, 0.0, 0.0]}
    assert str(rules.location({"type": "Point", "coordinates": [-1e-200, 0]})["coordinates"][0]) == "0.0"
    # the shape is the contract's
    for bad, code in (({"type": "Point", "coordinates": [111.7]}, "too_few"),
                      ({"type": "LineString", "coordinates": [[1, 1]]}, "too_few"),
                      ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "too_few"),
                      ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]] * 2}, "too_many"),
                      ({"type": "MultiPoint", "coordinates": [[1, 1]]}, "invalid_value"),
                      ("POINT(1 1)", "wrong_type"), ({"type": "Point"}, "missing_field"),
                      ({"type": "Point", "coordinates": [1, 1], "bbox": [1, 1, 1, 1]}, "unknown_field"),
                      ({"type": "Point", "coordinates": [1, 10**400]}, "out_of_range")):
        with pytest.raises(InvalidInput) as caught:
            convert(project_body(location=bad), contract.NewProject)
        assert caught.value.code == code, bad


# --- through the API ------------------------------------------------------------------

def budget(api, year=None):
    response = api.get("/v1/regions/trenggalek/budget" + (f"?year={year}" if year else ""))
    assert response.status_code == 200, response.json_body
    return response.json_body


def test_the_whole_flow_register_progress_disburse_audit_budget(api, pipeline):
    project = register(api)
    pid = project["id"]
    assert project["kelurahan_code"] and project["kecamatan"] and not project["out_of_area"]
    assert project["physical_progress"] == 0 and project["time_elapsed"] == pytest.approx(50.0, abs=1)
    assert {f["code"] for f in project["red_flags"]} == {"behind_schedule", "no_recent_progress"}
    assert budget(api)["totals"]["projects_flagged"] == 1

    # the contractor reports 40 % with a photo (cleaned: no GPS left)
    photo_id = progress_photo(api, pipeline, pid)
    page = api.get(f"/v1/projects/{pid}").json_body
    assert [p["id"] for p in page["photos"]] == [photo_id] and page["photos"][0]["progress_id"] is None
    reported = api.post(f"/v1/projects/{pid}/progress",
                        {"percent": 40, "date": day(0), "note": "Lapis pondasi selesai", "photo_ids": [photo_id]},
                        as_="contractor")
    assert reported.status_code == 201, reported.json_body
    page = reported.json_body
    assert page["physical_progress"] == 40.0 and page["progress"][0]["photos"][0]["id"] == photo_id
    assert page["red_flags"] == []  # 50 % elapsed − 40 % done is within 25 points
    # the same photo cannot back a second report
    again = api.post(f"/v1/projects/{pid}/progress", {"percent": 45, "date": day(0), "photo_ids": [photo_id]},
                     as_="contractor")
    assert again.status_code == 409 and again.json_body["error"]["code"] == "photo_not_ready"

    # the finance officer pays 60 %: money is now 20 points ahead (not flagged), then more
    paid = api.post(f"/v1/projects/{pid}/disbursements",
                    {"amount": 600_000_000, "date": day(0), "reference": "SP2D 001/2026"}, as_="finance")
    assert paid.status_code == 201, paid.json_body
    assert paid.json_body["financial_progress"] == 60.0 and paid.json_body["red_flags"] == []
    paid = api.post(f"/v1/projects/{pid}/disbursements",
                    {"amount": 1_000_000, "date": day(0), "reference": "SP2D 002/2026"}, as_="finance")
    [flag] = paid.json_body["red_flags"]
    assert flag["code"] == "money_ahead_of_work" and "20 points" in flag["rule"]["en"]
    assert "20 poin" in flag["rule"]["id"]

    # a citizen audits the project: routed to its agency, followed by the inspectorate
    audit = api.post("/v1/regions/trenggalek/reports",
                     new_report(category="fasilitas-umum", description="Aspal sudah retak padahal baru.",
                                project_id=pid, anonymous=True))
    assert audit.status_code == 201, audit.json_body
    audit_id = audit.json_body["id"]
    pipeline.run()
    report = api.get(f"/v1/reports/{audit_id}", as_="verifier").json_body
    assert report["agency"] == "dpupr" and report["project_id"] == pid
    assert api.get(f"/v1/reports/{audit_id}", as_="inspector").status_code == 200
    audits = api.get("/v1/me/inbox?audits=true", as_="inspector").json_body["items"]
    assert [(r["id"], r["project_id"]) for r in audits] == [(audit_id, pid)]
    assert api.get("/v1/me/inbox?audits=true", as_="officer").json_body["items"] == []
    # the inspectorate follows it (notes) but the project's agency works it
    note = api.post(f"/v1/reports/{audit_id}/notes", {"note": "Inspektorat memantau."}, as_="inspector")
    assert note.status_code == 201, note.json_body
    verified = api.post(f"/v1/reports/{audit_id}/transitions", {"to": "verified"}, as_="verifier")
    assert verified.status_code == 200, verified.json_body
    take = api.post(f"/v1/reports/{audit_id}/transitions", {"to": "in_process"}, as_="inspector")
    assert take.status_code == 403 and take.json_body["error"]["code"] == "not_your_report"
    pipeline.run()
    page = api.get(f"/v1/projects/{pid}").json_body
    assert page["audits"] == {"open": 1, "done": 0}
    assert [r["id"] for r in page["audit_reports"]] == [audit_id]
    assert "reporter" not in page["audit_reports"][0] and "reporter_id" not in str(page)
    assert {f["code"] for f in page["red_flags"]} == {"money_ahead_of_work", "open_citizen_audits"}
    pipeline.run()  # a redelivered event counts nothing twice
    assert api.get(f"/v1/projects/{pid}").json_body["audits"] == {"open": 1, "done": 0}

    totals = budget(api, TODAY.year)
    assert totals["totals"] == {"projects": 1, "contract_value": 1_000_000_000, "disbursed": 601_000_000,
                                "financial_progress": 60.1, "physical_progress": 40.0, "projects_flagged": 1}
    [agency] = totals["agencies"]
    assert agency["agency"] == "dpupr" and agency["contract_value"] == 1_000_000_000
    [kecamatan] = totals["kecamatan"]
    assert kecamatan["kecamatan_code"] == page["kecamatan_code"] and kecamatan["kecamatan"] == page["kecamatan"]
    assert budget(api)["totals"] == totals["totals"]
    assert budget(api, TODAY.year + 1)["totals"]["projects"] == 0

    # history: every change, with who and when
    assert [h["action"] for h in page["history"]] == ["registered", "photo_added", "progress", "disbursement",
                                                      "disbursement"]
    assert [h["actor_role"] for h in page["history"]] == ["region_admin", "contractor", "contractor", "finance",
                                                          "finance"]


def test_bad_input_changes_nothing(api, pipeline):
    pid = register(api)["id"]
    photo_id = progress_photo(api, pipeline, pid)
    assert api.post(f"/v1/projects/{pid}/progress", {"percent": 50, "date": day(0), "photo_ids": [photo_id]},
                    as_="contractor").status_code == 201
    before = api.get(f"/v1/projects/{pid}").json_body
    before_budget = budget(api)
    cases = [
        ("progress", {"percent": 40, "date": day(0), "photo_ids": [photo_id]}, "contractor", 400, "progress_decrease"),
        ("progress", {"percent": 101, "date": day(0)}, "contractor", 400, "out_of_range"),
        ("progress", {"percent": 60, "date": day(0)}, "contractor", 400, "progress_needs_photo"),
        ("progress", {"percent": 60, "date": day(5), "photo_ids": [photo_id]}, "contractor", 400, "date_in_future"),
        ("progress", {"percent": 60, "date": day(-200), "photo_ids": [photo_id]}, "contractor", 400,
         "dates_out_of_order"),
        ("progress", {"percent": 40, "date": day(0), "correction_reason": "salah ketik"}, "contractor", 400,
         "correction_admin_only"),
        ("progress", {"percent": 60, "date": day(0), "photo_ids": [photo_id]}, "contractor2", 403,
         "not_project_contractor"),
        ("progress", {"percent": 60, "date": day(0)}, "finance", 403, "forbidden"),
        ("disbursements", {"amount": 1_000_000_001, "date": day(0), "reference": "X"}, "finance", 400,
         "over_contract_value"),
        ("disbursements", {"amount": 10.5, "date": day(0), "reference": "X"}, "finance", 400, "wrong_type"),
        ("disbursements", {"amount": -10, "date": day(0), "reference": "X"}, "finance", 400, "out_of_range"),
        ("disbursements", {"amount": 10, "date": "2026-02-30", "reference": "X"}, "finance", 400, "invalid_date"),
        ("disbursements", {"amount": 10, "date": day(0), "reference": "X"}, "contractor", 403, "forbidden"),
        ("disbursements", {"amount": 10, "date": day(0), "reference": "X", "extra": 1}, "finance", 400,
         "unknown_field"),
    ]
    for path, body, as_, status, code in cases:
        response = api.post(f"/v1/projects/{pid}/{path}", body, as_=as_, headers={"Accept-Language": "en"})
        assert (response.status_code, response.json_body["error"]["code"]) == (status, code), (path, body)
        assert response.json_body["error"]["message"]
    after = api.get(f"/v1/projects/{pid}").json_body
    assert after["version"] == before["version"] and after["history"] == before["history"]
    assert budget(api) == before_budget

    bad_projects = [
        ({"value": 1.5}, "wrong_type"), ({"value": "1000"}, "wrong_type"),
        ({"start_date": day(10), "end_date": day(0)}, "dates_out_of_order"),
        ({"start_date": "2026-02-30"}, "invalid_date"), ({"end_date": "31/12/2026"}, "invalid_date"),
        ({"location": {"type": "Point", "coordinates": [111.7]}}, "too_few"),
        ({"location": {"type": "Polygon", "coordinates": [[[111.7, -8.1], [111.8, -8.1], [111.8, -8.0]]]}},
         "too_few"),
        ({"location": {"type": "Polygon", "coordinates": [[[111.7, -8.1], [111.8, -8.1], [111.8, -8.0],
                                                            [111.7, -8.0]]]}}, "invalid_geojson"),
        ({"location": {"type": "Point", "coordinates": [111.7, -98.1]}}, "invalid_geojson"),
        ({"funding_source": "hibah"}, "invalid_value"), ({"agency": "nope"}, "unknown_agency"),
        ({"contractor": {"name": "CV X", "npwp": "123"}}, "invalid_npwp"), ({"fiscal_year": "2026"}, "wrong_type"),
        ({"title": "   "}, "empty_field"), ({"surprise": 1}, "unknown_field"),
    ]
    for overrides, code in bad_projects:
        response = api.post("/v1/regions/trenggalek/projects", project_body(**overrides), as_="region_admin")
        assert (response.status_code, response.json_body["error"]["code"]) == (400, code), overrides
    funding = api.post("/v1/regions/trenggalek/projects", project_body(funding_source="hibah"), as_="region_admin",
                       headers={"Accept-Language": "en"}).json_body["error"]
    assert funding["params"] == {"field": "funding_source", "allowed": "apbd, apbn, dana_desa, other"}
    assert budget(api) == before_budget


def test_who_may_register_and_correct(api, pipeline):
    # an agency's own staff register its projects, not another agency's
    assert register(api, as_="officer")["agency"] == "dpupr"
    other = api.post("/v1/regions/trenggalek/projects", project_body(agency="dinkes"), as_="officer")
    assert other.status_code == 403 and other.json_body["error"]["code"] == "not_project_agency"
    for role in ("citizen", "contractor", "finance", "verifier"):
        assert api.post("/v1/regions/trenggalek/projects", project_body(), as_=role).status_code == 403, role
    assert api.post("/v1/regions/trenggalek/projects", project_body()).status_code in (401, 403)

    # the admin corrects progress downwards, with a reason kept in history
    pid = register(api)["id"]
    photo_id = progress_photo(api, pipeline, pid)
    api.post(f"/v1/projects/{pid}/progress", {"percent": 70, "date": day(0), "photo_ids": [photo_id]},
             as_="contractor")
    no_reason = api.post(f"/v1/projects/{pid}/progress", {"percent": 55, "date": day(0)}, as_="region_admin")
    assert no_reason.json_body["error"]["code"] == "progress_decrease"
    fixed = api.post(f"/v1/projects/{pid}/progress",
                     {"percent": 55, "date": day(0), "correction_reason": "Hasil opname lapangan 55 %"},
                     as_="region_admin")
    assert fixed.status_code == 201, fixed.json_body
    assert fixed.json_body["physical_progress"] == 55.0
    assert [p["percent"] for p in fixed.json_body["progress"]] == [70.0, 55.0]
    last = fixed.json_body["history"][-1]
    assert last["action"] == "correction" and last["detail"]["reason"] == "Hasil opname lapangan 55 %"
    assert last["detail"]["previous"] == 70.0


def test_concurrent_disbursements_cannot_overshoot_the_contract(api, monkeypatch):
    from chalicelib.auth.identity import Identity
    from chalicelib.domain.errors import AppError
    from chalicelib.services.projects import commands
    from chalicelib.store import projects as store

    pid = register(api, value=1_000_000)["id"]
    finance = Identity(sub="fin", username="fin", role="finance", region_id="trenggalek")
    # both read the project before either writes: each alone would fit
    both_read = threading.Barrier(2, timeout=10)
    real_get = store.get
    first = {"done": False}

    def get(project_id):
        project = real_get(project_id)
        if not first["done"]:
            try:
                both_read.wait()
            except threading.BrokenBarrierError:
                pass
        return project

    # DynamoDB serialises writes to one item; moto's in-memory backend does
    # not, so the writes (not the reads) are serialised here as AWS would.
    real_apply, one_writer = store.apply, threading.Lock()

    def apply(*args, **kwargs):
        with one_writer:
            return real_apply(*args, **kwargs)

    monkeypatch.setattr(store, "get", get)
    monkeypatch.setattr(store, "apply", apply)
    outcomes = {}

    def pay(reference):
        try:
            commands.record_disbursement(
                pid, contract.DisbursementRequest(amount=600_000, date=day(0), reference=reference), finance)
            outcomes[reference] = 201
        except AppError as error:
            outcomes[reference] = (error.status, error.code)
        finally:
            first["done"] = True

    threads = [threading.Thread(target=pay, args=(ref,)) for ref in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    monkeypatch.setattr(store, "get", real_get)
    assert sorted(map(str, outcomes.values())) == sorted(["201", str((400, "over_contract_value"))])
    project = real_get(pid)
    assert int(project.disbursed) == 600_000 and len(project.disbursements) == 1
    assert budget(api)["totals"]["disbursed"] == 600_000


def test_listing_filters_pages_and_geojson(api, pipeline):
    road = register(api, title="Jalan", location={"type": "LineString",
                                                  "coordinates": [[111.695, -8.102], [111.706, -8.099]]})
    clinic = register(api, title="Puskesmas", agency="dinkes", fiscal_year=TODAY.year - 1,
                      start_date=day(30), end_date=day(300))
    listed = api.get("/v1/regions/trenggalek/projects").json_body
    # newest fiscal year first, newest registration first within a year
    assert [p["id"] for p in listed["items"]] == [road["id"], clinic["id"]]
    assert [p["id"] for p in api.get("/v1/regions/trenggalek/projects?agency=dinkes").json_body["items"]] == [
        clinic["id"]]
    by_year = api.get(f"/v1/regions/trenggalek/projects?year={TODAY.year}").json_body["items"]
    assert [p["id"] for p in by_year] == [road["id"]]
    planned = api.get("/v1/regions/trenggalek/projects?status=planned").json_body["items"]
    assert [p["id"] for p in planned] == [clinic["id"]]
    flagged = api.get("/v1/regions/trenggalek/projects?red_flag=behind_schedule").json_body["items"]
    assert [p["id"] for p in flagged] == [road["id"]]
    kec = road["kecamatan_code"]
    assert road["id"] in [p["id"] for p in api.get(f"/v1/regions/trenggalek/projects?kecamatan={kec}").json_body["items"]]
    # filters combine: each one named narrows the list, none is ignored
    both = api.get(f"/v1/regions/trenggalek/projects?agency=dpupr&kecamatan={kec}").json_body["items"]
    assert [p["id"] for p in both] == [road["id"]]
    other = next(k["code"] for k in api.get("/v1/regions/trenggalek/areas").json_body["kecamatan"] if k["code"] != kec)
    assert api.get(f"/v1/regions/trenggalek/projects?agency=dpupr&kecamatan={other}").json_body["items"] == []
    npwp = "01.234.567.8-901.000"
    assert [p["id"] for p in api.get(f"/v1/regions/trenggalek/projects?agency=dpupr&contractor={npwp}")
            .json_body["items"]] == [road["id"]]
    assert api.get("/v1/regions/trenggalek/projects?agency=dpupr&contractor=02.222.222.2-222.000"
                   ).json_body["items"] == []
    first = api.get("/v1/regions/trenggalek/projects?limit=1").json_body
    second = api.get(f"/v1/regions/trenggalek/projects?limit=1&cursor={first['next_cursor']}").json_body
    assert [p["id"] for p in first["items"] + second["items"]] == [road["id"], clinic["id"]]
    geo = api.get("/v1/regions/trenggalek/projects", headers={"Accept": "application/geo+json"})
    assert geo.headers["Content-Type"].startswith("application/geo+json")
    assert geo.json_body["type"] == "FeatureCollection"
    shapes = {f["id"]: f["geometry"]["type"] for f in geo.json_body["features"]}
    assert shapes == {road["id"]: "LineString", clinic["id"]: "Point"}
    assert api.get("/v1/regions/trenggalek/projects?format=geojson").json_body["type"] == "FeatureCollection"
    # an explicit format wins over Accept
    plain = api.get("/v1/regions/trenggalek/projects?format=json", headers={"Accept": "application/geo+json"})
    assert plain.headers["Content-Type"].startswith("application/json") and len(plain.json_body["items"]) == 2
    for query, code in (("status=lost", "invalid_value"), ("year=26", "out_of_range"), ("year=20x6", "wrong_type"),
                        ("format=xml", "invalid_value"), ("red_flag=x", "invalid_value"),
                        ("cursor=bm9wZQ", "invalid_cursor"), ("limit=0", "out_of_range"), ("limit=201", "out_of_range"),
                        ("contractor=123", "invalid_npwp")):
        response = api.get(f"/v1/regions/trenggalek/projects?{query}")
        assert (response.status_code, response.json_body["error"]["code"]) == (400, code), query
    assert api.get("/v1/projects/" + "0" * 32).status_code == 404
    assert api.get("/v1/projects/nope").status_code == 404


def test_contract_documents_must_be_pdf(api, pipeline):
    pid = register(api)["id"]
    s3 = boto3.client("s3", region_name=REGION)
    grants = []
    for title, data in (("Kontrak", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
                        ("Palsu", b"MZ\x90\x00 not a pdf")):
        grant = api.post(f"/v1/projects/{pid}/documents",
                         {"content_type": "application/pdf", "document_type": "contractSigned", "title": title},
                         as_="region_admin")
        assert grant.status_code == 201, grant.json_body
        s3.put_object(Bucket=resources.PHOTOS_BUCKET.name,
                      Key=f"uploads/projects/{pid}/docs/{grant.json_body['document_id']}.pdf", Body=data)
        grants.append(grant.json_body["document_id"])
    pipeline.run()
    page = api.get(f"/v1/projects/{pid}").json_body
    assert [(d["id"], d["title"]) for d in page["documents"]] == [(grants[0], "Kontrak")]
    assert page["documents"][0]["url"].startswith("https://")
    assert [(r["id"], r["reason_code"]) for r in page["rejected_uploads"]] == [(grants[1], "document_not_pdf")]
    assert sorted((h["action"], h["actor_role"]) for h in page["history"][1:]) == [
        ("document_added", "region_admin"), ("upload_refused", "region_admin")]
    refused = api.post(f"/v1/projects/{pid}/documents", {"content_type": "image/png", "title": "x"},
                       as_="region_admin")
    assert refused.json_body["error"]["code"] == "unsupported_document_type"
    unknown = api.post(f"/v1/projects/{pid}/documents", {"content_type": "application/pdf", "title": "x",
                                                         "document_type": "invoice"}, as_="region_admin")
    assert unknown.status_code == 400 and unknown.json_body["error"]["code"] == "invalid_value"
    assert "contractSigned" in unknown.json_body["error"]["params"]["allowed"]
    untitled = api.post(f"/v1/projects/{pid}/documents", {"content_type": "application/pdf", "title": "  "},
                        as_="region_admin")
    assert untitled.status_code == 400 and untitled.json_body["error"]["code"] == "empty_field"
    assert api.post(f"/v1/projects/{pid}/documents", {"content_type": "application/pdf", "title": "x"},
                    as_="contractor").status_code == 403
    assert api.post(f"/v1/projects/{pid}/photos", {"content_type": "image/jpeg"},
                    as_="contractor2").status_code == 403


def test_daily_sweep_updates_time_dependent_flags_in_the_totals(api, monkeypatch):
    from chalicelib.domain import reports as report_rules
    from chalicelib.services.projects import flag_sweep

    register(api, start_date=day(-10), end_date=day(300))
    assert budget(api)["totals"]["projects_flagged"] == 0
    later = datetime.now(timezone.utc) + timedelta(days=40)
    monkeypatch.setattr(report_rules, "now_utc", lambda: later)
    assert flag_sweep.refresh_all_flags() == 1
    assert budget(api)["totals"]["projects_flagged"] == 1
    assert flag_sweep.refresh_all_flags() == 0  # nothing changed since: nothing written


def test_region_sets_its_red_flag_rules_and_ocds_prefix(api):
    import json

    from chalicelib.services import regions

    def patch(body, as_="region_admin"):
        return api.client.http.patch("/v1/regions/trenggalek", body=json.dumps(body), headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {api.tokens[as_]}"})

    pid = register(api, value=1_000_000)["id"]
    paid = api.post(f"/v1/projects/{pid}/disbursements", {"amount": 300_000, "date": day(0), "reference": "A"},
                    as_="finance").json_body
    # 30 % paid, 0 % built: money ahead by 30 points > the default 20
    assert "money_ahead_of_work" in [f["code"] for f in paid["red_flags"]]
    changed = patch({"project_rules": {"money_ahead_points": 40}, "ocid_prefix": "ocds-tg1234"})
    assert changed.status_code == 200, changed.json_body
    assert changed.json_body["project_rules"]["money_ahead_points"] == 40
    regions.clear_caches()
    page = api.get(f"/v1/projects/{pid}").json_body
    assert "money_ahead_of_work" not in [f["code"] for f in page["red_flags"]] and page["rules"]["money_ahead_points"] == 40
    assert all(r["ocid"].startswith("ocds-tg1234-") for r in api.get("/v1/regions/trenggalek/ocds").json_body["releases"])
    for body, code in (({"ocid_prefix": "OCDS-1"}, "invalid_ocid_prefix"),
                       ({"project_rules": {"stale_days": 2}}, "out_of_range"),
                       ({"project_rules": {"margin": 2}}, "unknown_field")):
        response = patch(body)
        assert (response.status_code, response.json_body["error"]["code"]) == (400, code), body
    assert patch({"ocid_prefix": "ocds-zz9999"}, as_="finance").status_code == 403


def test_staff_accounts_for_contractors_and_finance(api):
    created = api.post("/v1/regions/trenggalek/accounts",
                       {"name": "PT Jaya Konstruksi", "email": "pt.jaya@example.id", "role": "contractor",
                        "npwp": "02.111.222.3-444.000"}, as_="region_admin")
    assert created.status_code == 201, created.json_body
    assert created.json_body["contractor"] == "021112223444000"
    missing = api.post("/v1/regions/trenggalek/accounts", {"name": "CV Tanpa NPWP", "email": "cv@example.id",
                                                           "role": "contractor"}, as_="region_admin")
    assert missing.json_body["error"]["code"] == "missing_field"
    twice = api.post("/v1/regions/trenggalek/accounts",
                     {"name": "PT Jaya (akun kedua)", "email": "pt.jaya2@example.id", "role": "contractor",
                      "npwp": "021112223444000"}, as_="region_admin")
    assert twice.status_code == 409 and twice.json_body["error"]["code"] == "contractor_account_exists"
    seeded = api.post("/v1/regions/trenggalek/accounts",
                      {"name": "CV Maju Jaya lagi", "email": "cv2@example.id", "role": "contractor",
                       "npwp": "01.234.567.8-901.000"}, as_="region_admin")
    assert seeded.status_code == 409
    finance = api.post("/v1/regions/trenggalek/accounts", {"name": "Bendahara", "email": "bend@example.id",
                                                           "role": "finance"}, as_="region_admin")
    assert finance.status_code == 201, finance.json_body


def test_a_personal_npwp_is_never_published(api):
    # a 16-digit NPWP not starting with 0 is a person's NIK
    project = register(api, contractor={"name": "Budi (perorangan)", "npwp": "3503012345670001"})
    assert project["contractor"] == {"name": "Budi (perorangan)", "npwp": None}
    export = api.get("/v1/regions/trenggalek/ocds").json_body
    assert "3503012345670001" not in json.dumps(export)
    # filtering by that NIK answers exactly as for a person with no projects
    for as_ in (None, "citizen", "region_admin"):
        mine = api.get("/v1/regions/trenggalek/projects?contractor=3503012345670001", as_=as_)
        other = api.get("/v1/regions/trenggalek/projects?contractor=3503012345679999", as_=as_)
        assert (mine.status_code, mine.json_body) == (other.status_code, other.json_body) == (200, {
            "items": [], "next_cursor": None}), as_


def test_audit_report_must_name_a_project_of_the_region(api):
    for project_id, code in (("f" * 32, "project_not_found"), (123, "wrong_type")):
        response = api.post("/v1/regions/trenggalek/reports", new_report(project_id=project_id))
        assert (response.status_code, response.json_body["error"]["code"]) == (400, code)


def test_a_retried_registration_is_not_counted_twice(api):
    headers = {"Idempotency-Key": "register-road-1"}
    first = api.post("/v1/regions/trenggalek/projects", project_body(), as_="region_admin", headers=headers)
    again = api.post("/v1/regions/trenggalek/projects", project_body(), as_="region_admin", headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json_body["id"] == again.json_body["id"]
    assert budget(api)["totals"]["projects"] == 1
    other = api.post("/v1/regions/trenggalek/projects", project_body(value=5), as_="region_admin", headers=headers)
    assert other.status_code == 422 and other.json_body["error"]["code"] == "idempotency_key_reused"
    # the key is the account's own: another admin's same key is another project
    assert api.post("/v1/regions/trenggalek/projects", project_body(), as_="officer",
                    headers=headers).json_body["id"] != first.json_body["id"]


def test_retried_progress_and_disbursement_are_applied_once(api, pipeline):
    pid = register(api)["id"]
    photo_id = progress_photo(api, pipeline, pid)
    body = {"percent": 30, "date": day(0), "photo_ids": [photo_id]}
    for _ in range(2):
        sent = api.post(f"/v1/projects/{pid}/progress", body, as_="contractor", headers={"Idempotency-Key": "p-1"})
        assert sent.status_code == 201, sent.json_body
    assert len(sent.json_body["progress"]) == 1
    pay = {"amount": 100_000_000, "date": day(0), "reference": "SP2D 5"}
    for _ in range(2):
        sent = api.post(f"/v1/projects/{pid}/disbursements", pay, as_="finance", headers={"Idempotency-Key": "d-1"})
        assert sent.status_code == 201, sent.json_body
    assert sent.json_body["disbursed"] == 100_000_000 and len(sent.json_body["disbursements"]) == 1
    assert budget(api)["totals"]["disbursed"] == 100_000_000


def test_a_transaction_conflict_is_retried_not_a_500(api, monkeypatch):
    from chalicelib.store import projects as store

    pid = register(api)["id"]
    real_apply, conflicts = store.apply, []

    def apply(*args, **kwargs):
        if not conflicts:  # another transaction held the region's totals
            conflicts.append(1)
            raise store.Busy(pid)
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(store, "apply", apply)
    paid = api.post(f"/v1/projects/{pid}/disbursements", {"amount": 5, "date": day(0), "reference": "R"},
                    as_="finance")
    assert paid.status_code == 201 and conflicts == [1]
    assert budget(api)["totals"]["disbursed"] == 5


# --- hostile numbers, cursors and text ------------------------------------------------

HUGE = "1" + "0" * 400  # an integer no float can hold


def state(api, pid):
    """What a refused request must leave as it was."""
    page = api.get(f"/v1/projects/{pid}").json_body
    listed = api.get("/v1/regions/trenggalek/projects?limit=200").json_body["items"]
    return (page["version"], page["history"], page["progress"], page["disbursements"], page["documents"],
            budget(api), [p["id"] for p in listed])


def assert_refused(response, code, status=400):
    assert response.status_code == status, (response.status_code, response.body[:300])
    error = response.json_body["error"]
    assert error["code"] == code and error["message"], error
    return error


def raw_body(body, **numbers):
    """``body`` as JSON with each ``"__name__"`` placeholder replaced by the raw JSON text ``numbers[name]``."""
    raw = json.dumps(body)
    for name, text in numbers.items():
        raw = raw.replace(f'"__{name}__"', text)
    return raw


def test_a_number_too_large_for_a_float_is_400_and_changes_nothing(api, pipeline):
    pid = register(api)["id"]
    photo_id = progress_photo(api, pipeline, pid)
    before = state(api, pid)
    projects_path = "/v1/regions/trenggalek/projects"
    for n in (HUGE, "-" + HUGE):
        cases = [
            (f"/v1/projects/{pid}/progress", "contractor", "percent",
             raw_body({"percent": "__n__", "date": day(0), "photo_ids": [photo_id]}, n=n)),
            (f"/v1/projects/{pid}/progress", "region_admin", "percent",
             raw_body({"percent": "__n__", "date": day(0), "correction_reason": "opname"}, n=n)),
            (f"/v1/projects/{pid}/disbursements", "finance", "amount",
             raw_body({"amount": "__n__", "date": day(0), "reference": "SP2D 9"}, n=n)),
            (projects_path, "region_admin", "value", raw_body(project_body(value="__n__"), n=n)),
            (projects_path, "region_admin", "location.coordinates[0]",
             raw_body(project_body(location={"type": "Point", "coordinates": ["__n__", -8.1]}), n=n)),
            (projects_path, "region_admin", "location.coordinates[1]",
             raw_body(project_body(location={"type": "Point", "coordinates": [111.7, "__n__"]}), n=n)),
            (projects_path, "region_admin", "location.coordinates[1][0]",
             raw_body(project_body(location={"type": "LineString", "coordinates": [[111.7, -8.1], ["__n__", -8.1]]}),
                      n=n)),
            (projects_path, "region_admin", "location.coordinates[0][2][1]",
             raw_body(project_body(location={"type": "Polygon", "coordinates": [[
                 [111.7, -8.1], [111.8, -8.1], [111.8, "__n__"], [111.7, -8.1]]]}), n=n)),
        ]
        for path, as_, field, raw in cases:
            response = api.post(path, raw=raw, as_=as_, headers={"Accept-Language": "en"})
            error = assert_refused(response, "out_of_range")
            assert error["params"]["field"] == field, (path, field, error)
    assert state(api, pid) == before


def test_a_tiny_float_is_stored_within_the_precision_kept(api, pipeline):
    """``1e-200`` is within range but below what DynamoDB can hold: the
    precision stored is bounded (coordinates 7 decimals, percent 2), so it
    is stored as 0."""
    from chalicelib.store import projects as store

    raised = register(api, location={"type": "Point", "coordinates": [111.70, -8.10, 1e-200]})
    assert raised["location"] == {"type": "Point", "coordinates": [111.7, -8.1, 0.0]} and not raised["out_of_area"]
    nowhere = register(api, location={"type": "Point", "coordinates": [1e-200, -1e-200]})
    assert nowhere["location"]["coordinates"] == [0.0, 0.0] and nowhere["point"] == {"lon": 0.0, "lat": 0.0}
    assert nowhere["out_of_area"] and nowhere["kelurahan_code"] is None
    assert store.get(nowhere["id"]).location == {"type": "Point", "coordinates": [0.0, 0.0]}

    pid = raised["id"]
    photo_id = progress_photo(api, pipeline, pid)
    reported = api.post(f"/v1/projects/{pid}/progress", raw=raw_body(
        {"percent": "__p__", "date": day(0), "photo_ids": [photo_id]}, p="1e-200"), as_="contractor")
    assert reported.status_code == 201, reported.json_body
    assert reported.json_body["progress"][0]["percent"] == 0.0 and reported.json_body["physical_progress"] == 0.0
    assert int(store.get(pid).progress_bp) == 0
    # below a hundredth of a percent but not negligible: refused, not rounded
    assert_refused(api.post(f"/v1/projects/{pid}/progress", {"percent": 0.001, "date": day(0),
                                                             "correction_reason": "x"}, as_="region_admin"),
                   "too_precise")


def cursor_of(value) -> str:
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_a_crafted_cursor_is_400_invalid_cursor(api):
    pid = register(api)["id"]
    register(api, title="Kedua")
    first = api.get("/v1/regions/trenggalek/projects?limit=1").json_body
    genuine = json.loads(base64.urlsafe_b64decode(first["next_cursor"] + "=" * (-len(first["next_cursor"]) % 4)))
    assert set(genuine) == {"region_id", "sort_key", "id"}
    before = state(api, pid)
    key = {"region_id": {"S": "trenggalek"}, "sort_key": genuine["sort_key"], "id": genuine["id"]}
    crafted = [
        {"region_id": {"S": 5}}, {"x": {"N": "1"}}, [1, 2], "text", 5, None, {},
        {**key, "sort_key": {"S": 5}}, {**key, "id": {"S": None}}, {**key, "sort_key": {"N": "1"}},
        {**key, "sort_key": {"N": "1e999999"}}, {**key, "id": {"B": "AAAA"}}, {**key, "id": {"NULL": True}},
        {**key, "x": {"N": "1"}}, {"region_id": key["region_id"], "sort_key": key["sort_key"]},
        {**key, "region_id": {"S": "trenggalek", "N": "1"}}, {**key, "region_id": {"S": "other-region"}},
        {**key, "sort_key": {"S": ""}}, {**key, "sort_key": {"S": "x" * 1100}}, {**key, "id": {"S": "\ud800"}},
        {**key, "id": {"S": {"S": "a"}}}, {**key, "id": [{"S": "a"}]},
        b"\xff\xfe not utf-8", b"{not json", b"[" * 1000, b"[" * 700 + b"]" * 700,
    ]
    for value in crafted:
        response = api.get(f"/v1/regions/trenggalek/projects?limit=1&cursor={cursor_of(value)}")
        assert_refused(response, "invalid_cursor")
    # a genuine cursor of one index is not one of another's
    response = api.get(f"/v1/regions/trenggalek/projects?agency=dpupr&cursor={first['next_cursor']}")
    assert_refused(response, "invalid_cursor")
    assert_refused(api.get("/v1/regions/trenggalek/projects?cursor=%25%25%25"), "invalid_cursor")
    # and the genuine one still pages
    second = api.get(f"/v1/regions/trenggalek/projects?limit=1&cursor={first['next_cursor']}")
    assert second.status_code == 200 and len(second.json_body["items"]) == 1
    assert state(api, pid) == before


LONE = ("\\ud800", "\\udfff", "a\\udc00b")  # JSON escapes of lone UTF-16 surrogates, as sent on the wire


def test_a_lone_surrogate_in_any_string_is_400_and_changes_nothing(api, pipeline):
    pid = register(api)["id"]
    photo_id = progress_photo(api, pipeline, pid)
    before = state(api, pid)
    progress = {"percent": 60, "date": day(0), "photo_ids": [photo_id], "note": "ok"}
    correction = {"percent": 10, "date": day(0), "correction_reason": "opname"}
    pay = {"amount": 5, "date": day(0), "reference": "SP2D 3"}
    document = {"content_type": "application/pdf", "document_type": "contractSigned", "title": "Kontrak"}
    projects_path = "/v1/regions/trenggalek/projects"
    for lone in LONE:
        def text(body, name, *path, lone=lone):
            """``body`` with the string at ``path`` (then ``name``) carrying the surrogate."""
            body = json.loads(json.dumps(body))
            target = body
            for step in path:
                target = target[step]
            target[name] = "__s__"
            return json.dumps(body).replace('"__s__"', f'"Jalan {lone}"')

        cases = [(projects_path, "region_admin", text(project_body(), name))
                 for name in ("title", "description", "agency", "contract_number", "start_date", "kelurahan_code")]
        cases += [(projects_path, "region_admin", text(project_body(), name, "contractor")) for name in ("name", "npwp")]
        cases += [(projects_path, "region_admin", text(project_body(), "type", "location"))]
        cases += [(projects_path, "region_admin", json.dumps(project_body()).replace('"title"', f'"ti{lone}tle"', 1))]
        cases += [(f"/v1/projects/{pid}/progress", "contractor", text(progress, name)) for name in ("note", "date")]
        cases += [(f"/v1/projects/{pid}/progress", "contractor", text(progress, 0, "photo_ids"))]
        cases += [(f"/v1/projects/{pid}/progress", "region_admin", text(correction, "correction_reason"))]
        cases += [(f"/v1/projects/{pid}/disbursements", "finance", text(pay, name)) for name in ("reference", "date")]
        cases += [(f"/v1/projects/{pid}/documents", "region_admin", text(document, name))
                  for name in ("title", "content_type", "document_type")]
        cases += [(f"/v1/projects/{pid}/photos", "contractor", text({"content_type": "image/jpeg"}, "content_type"))]
        for path, as_, raw in cases:
            assert "\\ud" in raw.lower() or "\\udf" in raw.lower(), raw
            response = api.post(path, raw=raw, as_=as_, headers={"Idempotency-Key": "same-key"})
            assert_refused(response, "invalid_text")
    assert state(api, pid) == before
    # a surrogate pair is an ordinary character
    paired = api.post(projects_path, raw=json.dumps(project_body(title="Jalan \U0001F6A7")), as_="region_admin")
    assert paired.status_code == 201 and paired.json_body["title"] == "Jalan \U0001F6A7"
