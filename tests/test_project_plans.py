"""The decisions on public works projects, as data (no AWS): what a
registration, a progress report, a disbursement, a citizen audit and the
flag sweep change, the condition of the write and the deltas of the budget
totals, from the project as read, the request, the actor, the region's
rules and today."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from chalicelib.api.body import convert
from chalicelib.contract import projects as contract
from chalicelib.domain import projects as rules
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, Unprocessable
from chalicelib.domain.regions import RegionConfig, default_categories
from support.actors import Actor

TODAY = date(2026, 6, 10)
AT = "2026-06-10T02:00:00.000000Z"
PROJECT = "p" * 32
NPWP = "012345678901000"
KELURAHAN = "99.01.01.1001"
SCOPES = ("2026#region", "2026#agency#dpupr", "2026#kecamatan#99.01.01",
          "all#region", "all#agency#dpupr", "all#kecamatan#99.01.01")


CONTRACTOR = Actor("c", "contractor", contractor=NPWP)
OTHER_CONTRACTOR = Actor("c2", "contractor", contractor="098765432109000")
FINANCE = Actor("f", "finance")
ADMIN = Actor("a", "region_admin")
OFFICER = Actor("o", "officer", agency="dpupr")
OTHER_OFFICER = Actor("o2", "officer", agency="dlh")
ELSEWHERE = Actor("x", "region_admin", region_id="elsewhere")


def a_region(**record: Any) -> RegionConfig:
    return RegionConfig.from_record({
        "region_id": "r", "name": "R", "kemendagri_code": "99.01", "time_zone": "WIB",
        "categories": default_categories(),
        "agencies": [{"code": "dpupr", "name_id": "Dinas PUPR", "name_en": "Public Works"},
                     {"code": "dlh", "name_id": "DLH", "name_en": "Environment"},
                     {"code": "inspektorat", "name_id": "Inspektorat", "name_en": "Inspectorate"}],
        "areas": [{"code": "99.01.01", "name": "Kec", "kelurahan": [{"code": KELURAHAN, "name": "Kel"}]}],
        **record})


REGION = a_region()


@dataclass
class Project:
    """A project as read (what ``store.models.ProjectModel`` holds)."""

    id: str = PROJECT
    region_id: str = "r"
    agency: str = "dpupr"
    fiscal_year: int = 2026
    kecamatan_code: str | None = "99.01.01"
    contractor_npwp: str = NPWP
    value: int = 1_000_000_000
    disbursed: int = 0
    progress_bp: int = 4000  # on schedule on TODAY (44 % of the time elapsed)
    start_date: str = "2026-01-01"
    end_date: str = "2026-12-31"
    last_report_on: str | None = "2026-06-01"
    audits_open: int = 0
    flags: list[Any] = field(default_factory=list)
    progress: list[Any] = field(default_factory=list)
    disbursements: list[Any] = field(default_factory=list)
    photos: list[Any] = field(default_factory=lambda: [{"id": "ph1"}, {"id": "ph2"}])
    used_photos: list[Any] = field(default_factory=list)
    version: int = 7


def progress(percent: float = 50, on: str = "2026-06-10", photo_ids: tuple[str, ...] = ("ph1",),
             reason: str | None = None) -> contract.ProgressRequest:
    return contract.ProgressRequest(percent=percent, date=on, photo_ids=list(photo_ids), correction_reason=reason)


def payment(amount: int, reference: str = "SP2D 1", on: str = "2026-06-10") -> contract.DisbursementRequest:
    return contract.DisbursementRequest(amount=amount, date=on, reference=reference)


# --- progress ------------------------------------------------------------------------

def test_a_progress_report_sets_progress_appends_its_entry_and_moves_the_totals():
    change = rules.plan_progress(Project(), progress(45.25), CONTRACTOR, REGION, TODAY, AT, "e1", "fp")
    assert change is not None
    assert change.version == 7 and change.disbursed_at_most is None and change.audit is None
    assert change.fields == {"progress_bp": 4525, "last_report_on": "2026-06-10", "flags": [], "updated_at": AT}
    assert change.add == {}
    [entry] = change.append["progress"]
    assert entry == {"id": "e1", "percent_bp": 4525, "date": "2026-06-10", "note": None, "photo_ids": ["ph1"],
                     "correction_reason": None, "actor": "c", "actor_role": "contractor", "at": AT,
                     "fingerprint": "fp"}
    assert change.append["used_photos"] == ["ph1"]
    assert (change.entry.entry_id, change.entry.kind, change.entry.fingerprint) == ("e1", "progress", "fp")
    [event] = change.append["history"]
    assert event == {"action": "progress", "actor": "c", "actor_role": "contractor", "at": AT,
                     "detail": {"percent": 45.25, "previous": 40.0, "date": "2026-06-10", "reason": None}}
    assert change.scopes == SCOPES
    assert change.totals == {"progress_value": 1_000_000_000 * (4525 - 4000)}


def test_a_retried_progress_report_is_not_planned_again():
    project = Project(progress=[{"id": "e1", "photo_ids": ["ph1"], "fingerprint": "fp"}], progress_bp=4525)
    assert rules.plan_progress(project, progress(45.25), CONTRACTOR, REGION, TODAY, AT, "e1", "fp") is None
    # the same id (the same Idempotency-Key) with another request: refused, nothing planned
    with pytest.raises(Unprocessable) as reused:
        rules.plan_progress(project, progress(50), CONTRACTOR, REGION, TODAY, AT, "e1", "other")
    assert reused.value.code == "idempotency_key_reused"


@pytest.mark.parametrize("actor", [OTHER_CONTRACTOR, FINANCE, OFFICER, ELSEWHERE, Actor("c", "contractor", "other",
                                                                                        contractor=NPWP)])
def test_only_the_projects_contractor_or_an_admin_reports_progress(actor):
    with pytest.raises(Forbidden) as refused:
        rules.plan_progress(Project(), progress(), actor, REGION, TODAY, AT, "e1", "fp")
    assert refused.value.code == "not_project_contractor"


@pytest.mark.parametrize("photo_ids", [("nope",), ("ph2",)])
def test_a_progress_photo_must_be_processed_and_unused(photo_ids):
    project = Project(progress=[{"id": "e0", "photo_ids": ["ph2"]}], progress_bp=1000)
    with pytest.raises(Conflict) as refused:
        rules.plan_progress(project, progress(photo_ids=photo_ids), CONTRACTOR, REGION, TODAY, AT, "e1", "fp")
    assert refused.value.code == "photo_not_ready"


def test_progress_never_goes_down_except_an_admins_correction():
    project = Project(progress_bp=7000, progress=[{"id": "e0", "photo_ids": ["ph2"]}])
    with pytest.raises(InvalidInput) as down:
        rules.plan_progress(project, progress(55), CONTRACTOR, REGION, TODAY, AT, "e1", "fp")
    assert down.value.code == "progress_decrease"
    change = rules.plan_progress(project, progress(55, photo_ids=(), reason="Opname"), ADMIN, REGION, TODAY, AT, "e1", "fp")
    assert change is not None and change.fields["progress_bp"] == 5500
    assert change.append["history"][0]["action"] == "correction"
    assert change.append["history"][0]["detail"]["previous"] == 70.0
    assert change.totals == {"progress_value": 1_000_000_000 * (5500 - 7000)}


def test_an_older_report_date_keeps_the_latest_report_day():
    project = Project(progress_bp=1000, last_report_on="2026-06-08")
    change = rules.plan_progress(project, progress(20, on="2026-06-05", reason="Koreksi"), ADMIN, REGION, TODAY,
                                 AT, "e1", "fp")
    assert change is not None and change.fields["last_report_on"] == "2026-06-08"


# --- disbursements ---------------------------------------------------------------------

def test_a_disbursement_adds_to_the_sum_on_the_condition_that_it_leaves_room():
    project = Project(progress_bp=5000, disbursed=100_000_000)
    change = rules.plan_disbursement(project, payment(300_000_000), FINANCE, REGION, TODAY, AT, "d1", "fp")
    assert change is not None
    assert change.add == {"disbursed": 300_000_000}
    assert change.disbursed_at_most == 700_000_000  # disbursed + amount <= value, checked by the write
    assert "disbursed" not in change.fields  # ADD, never SET from what was read
    assert change.append["disbursements"] == [{"id": "d1", "amount": 300_000_000, "date": "2026-06-10",
                                               "reference": "SP2D 1", "actor": "f", "at": AT, "fingerprint": "fp"}]
    assert change.append["history"][0]["action"] == "disbursement"
    assert change.totals == {"disbursed": 300_000_000}
    assert change.scopes == SCOPES and change.version == 7


def test_money_ahead_of_work_flags_the_project_in_the_totals():
    within = rules.plan_disbursement(Project(), payment(600_000_000), FINANCE, REGION, TODAY, AT, "d1", "fp")
    assert within is not None and within.fields["flags"] == [] and "flagged" not in within.totals  # 20 points: not past them
    change = rules.plan_disbursement(Project(), payment(600_100_000), FINANCE, REGION, TODAY, AT, "d1", "fp")  # 20.01
    assert change is not None
    assert change.fields["flags"] == ["money_ahead_of_work"]
    assert change.totals == {"disbursed": 600_100_000, "flagged": 1}


def test_a_disbursement_is_refused_past_the_contract_value_for_a_reused_reference_or_a_wrong_role():
    project = Project(disbursed=900_000_000, disbursements=[{"id": "d0", "reference": "SP2D 1", "fingerprint": "fp"}])
    with pytest.raises(InvalidInput) as over:
        rules.plan_disbursement(project, payment(100_000_001, "SP2D 2"), FINANCE, REGION, TODAY, AT, "d1", "fp")
    assert over.value.code == "over_contract_value" and over.value.params["remaining"] == 100_000_000
    with pytest.raises(Conflict) as reused:
        rules.plan_disbursement(project, payment(1, "sp2d 1"), FINANCE, REGION, TODAY, AT, "d1", "fp")
    assert reused.value.code == "duplicate_reference"
    for actor in (ADMIN, OFFICER, Actor("f", "finance", "elsewhere")):
        with pytest.raises(Forbidden):
            rules.plan_disbursement(project, payment(1, "SP2D 2"), actor, REGION, TODAY, AT, "d1", "fp")
    assert rules.plan_disbursement(project, payment(1, "SP2D 1"), FINANCE, REGION, TODAY, AT, "d0", "fp") is None


def test_the_whole_contract_value_may_be_disbursed():
    change = rules.plan_disbursement(Project(progress_bp=10_000, disbursed=999_999_999), payment(1), FINANCE, REGION,
                                     TODAY, AT, "d1", "fp")
    assert change is not None and change.disbursed_at_most == 999_999_999


# --- citizen audits and the calendar -------------------------------------------------------

def test_an_audit_is_counted_open_then_done_with_the_reports_marker():
    opened = rules.plan_audit(Project(), "r1", None, "open", REGION, TODAY, AT)
    assert opened is not None
    assert opened.add == {"audits_open": 1}
    assert opened.audit == rules.AuditMark("r1", None, "open")
    assert opened.fields["flags"] == ["open_citizen_audits"] and opened.totals == {"flagged": 1}
    done = rules.plan_audit(Project(audits_open=1, flags=["open_citizen_audits"]), "r1", "open", "done", REGION,
                            TODAY, AT)
    assert done is not None
    assert done.add == {"audits_open": -1, "audits_done": 1}
    assert done.audit == rules.AuditMark("r1", "open", "done")
    assert done.fields["flags"] == [] and done.totals == {"flagged": -1}
    assert rules.plan_audit(Project(), "r1", "open", "open", REGION, TODAY, AT) is None


@pytest.mark.parametrize("status,state", [("waiting", None), ("verified", "open"), ("in_process", "open"),
                                          ("done", "done"), ("rejected", None), ("duplicate", None)])
def test_how_an_audit_report_counts(status, state):
    assert rules.audit_state(status) == state


def test_the_flag_sweep_writes_only_flags_the_calendar_moved():
    fresh = Project(last_report_on="2026-06-01")
    assert rules.plan_flags(fresh, REGION, TODAY, AT) is None
    change = rules.plan_flags(fresh, REGION, date(2026, 7, 1), AT)
    assert change is not None
    assert change.fields == {"flags": ["no_recent_progress"], "updated_at": AT}  # 30 days since the last report
    assert change.totals == {"flagged": 1} and change.add == {} and change.append == {}
    stricter = a_region(project_rules={"stale_days": 5})
    assert rules.plan_flags(fresh, stricter, TODAY, AT).fields["flags"] == ["no_recent_progress"]


def test_the_inspectorate_follows_audits_when_the_region_has_one():
    assert rules.watchers(REGION.agencies) == ["inspektorat"]
    assert rules.watchers({"dpupr": None}) == []


# --- registration ---------------------------------------------------------------------------

def new_project(**overrides: Any) -> contract.NewProject:
    body = {"title": "Jalan", "agency": "dpupr", "fiscal_year": 2026, "funding_source": "apbd",
            "location": {"type": "Point", "coordinates": [111.7, -8.1]}, "value": 2_000_000_000,
            "contractor": {"name": "CV Maju", "npwp": "01.234.567.8-901.000"}, "contract_number": "K-1",
            "start_date": "2026-01-01", "end_date": "2026-12-31", **overrides}
    return convert(body, contract.NewProject)


def test_a_registration_is_its_fields_and_its_first_count_in_six_totals():
    draft = rules.admit_registration(new_project(), OFFICER, REGION)
    plan = rules.plan_registration(PROJECT, draft, KELURAHAN, OFFICER, REGION, TODAY, AT, "fp")
    assert plan.project_id == PROJECT and plan.scopes == SCOPES
    assert plan.totals == {"projects": 1, "value": 2_000_000_000, "flagged": 1}  # 160 days without a report
    fields = plan.fields
    assert fields["flags"] == ["behind_schedule", "no_recent_progress"]
    assert (fields["kelurahan_code"], fields["kelurahan"], fields["kecamatan_code"], fields["kecamatan"]) == (
        KELURAHAN, "Kel", "99.01.01", "Kec")
    assert fields["out_of_area"] is False and fields["contractor_npwp"] == NPWP
    assert fields["version"] == 1 and fields["fingerprint"] == "fp" and fields["created_at"] == AT
    assert fields["history"] == [{"action": "registered", "actor": "o", "actor_role": "officer", "at": AT,
                                  "detail": {"value": 2_000_000_000}}]
    assert not {"sort_key", "agency_key", "kecamatan_key", "contractor_key"} & set(fields)  # the store's


def test_a_project_outside_every_polygon_is_placed_by_the_kelurahan_named():
    draft = rules.admit_registration(new_project(kelurahan_code=KELURAHAN, start_date="2026-07-01"), ADMIN, REGION)
    plan = rules.plan_registration(PROJECT, draft, None, ADMIN, REGION, TODAY, AT, "fp")
    assert plan.fields["out_of_area"] is True and plan.fields["kecamatan_code"] == "99.01.01"
    assert plan.totals == {"projects": 1, "value": 2_000_000_000}  # not started: no flag
    unplaced = rules.plan_registration(PROJECT, rules.admit_registration(new_project(), ADMIN, REGION), None, ADMIN,
                                       REGION, TODAY, AT, "fp")
    assert unplaced.fields["kelurahan_code"] is None and unplaced.scopes[2] == "2026#kecamatan#none"


def test_who_may_register():
    for actor, code in ((OTHER_OFFICER, "not_project_agency"), (FINANCE, "not_project_agency"),
                        (CONTRACTOR, "not_project_agency"), (ELSEWHERE, "not_project_agency")):
        with pytest.raises(Forbidden) as refused:
            rules.admit_registration(new_project(), actor, REGION)
        assert refused.value.code == code
    with pytest.raises(Forbidden) as ended:
        rules.admit_registration(new_project(), ADMIN, a_region(status="expired"))
    assert ended.value.code == "pilot_ended"


# --- ids and listing ---------------------------------------------------------------------------

def test_an_idempotency_key_names_the_same_entry_for_the_same_account_only():
    assert rules.entry_id_for(PROJECT, FINANCE, "k") == rules.entry_id_for(PROJECT, FINANCE, "k")
    assert rules.entry_id_for(PROJECT, FINANCE, "k") != rules.entry_id_for(PROJECT, ADMIN, "k")
    assert rules.entry_id_for(PROJECT, FINANCE, None) != rules.entry_id_for(PROJECT, FINANCE, None)
    assert rules.project_id_for("r", ADMIN, "k") != rules.entry_id_for("r", ADMIN, "k")


def test_the_lists_status_and_red_flag_filters():
    quiet = rules.figures_of(SimpleNamespace(**vars(Project())), TODAY)
    late = rules.figures_of(SimpleNamespace(**vars(Project(last_report_on=None))), TODAY)
    default = rules.Rules()
    assert rules.listed(quiet, default, "active", None) and not rules.listed(quiet, default, "planned", None)
    assert rules.listed(quiet, default, None, "none") and not rules.listed(quiet, default, None, "any")
    assert rules.listed(late, default, None, "any") and rules.listed(late, default, None, "no_recent_progress")
    assert not rules.listed(late, default, None, "money_ahead_of_work")
