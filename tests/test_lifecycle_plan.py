"""The workflow's decisions, planned without reading the report: what each
change sets and the condition the report must meet, as data (no AWS).  The
condition and the explanation of its failure (404/403/409) are checked
against each other over every combination of the report's state."""
from __future__ import annotations

import itertools
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from chalicelib.domain import lifecycle
from chalicelib.domain import workflow as plans
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from chalicelib.domain.regions import RegionConfig, default_categories
from support.actors import Actor

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # Monday 09:00 WIB
AT = "2026-11-23T02:00:00.000000Z"
REPORT = "a" * 32
ORIGINAL = "b" * 32




VERIFIER = Actor("v", "verifier")
OFFICER = Actor("o", "officer", agency="dpupr", name="Petugas")
HEAD = Actor("h", "agency_head", agency="dpupr")
KELURAHAN = Actor("k", "officer", kelurahan_code="99.01.01.1001")
INSPECTOR = Actor("i", "officer", agency="inspektorat")
NOBODY = Actor("n", "officer")  # field staff with neither agency nor kelurahan
ADMIN = Actor("a", "region_admin")
PLATFORM = Actor("p", "platform_admin", region_id="*")
CITIZEN = Actor("c", "citizen")


def region():
    return RegionConfig.from_record({
        "region_id": "r", "name": "R", "kemendagri_code": "99.01", "time_zone": "WIB",
        "categories": default_categories(),
        "agencies": [{"code": "dpupr", "name_id": "Dinas PUPR", "name_en": "Public Works"},
                     {"code": "dlh", "name_id": "DLH", "name_en": "Environment"}],
        "areas": [{"code": "99.01.01", "name": "Kec", "kelurahan": [{"code": "99.01.01.1001", "name": "Kel"}]}]})


def request(to, **fields):
    return lifecycle.TransitionRequest(target=to, note=fields.pop("note", None), **fields)


def plan(to, actor, **fields):
    return plans.plan_transition(REPORT, request(to, **fields), actor, region(), NOW)


# --- the rules -------------------------------------------------------------------

def test_target_and_role_fix_the_source_status():
    for rule in lifecycle.RULES:
        for role in rule.roles:
            assert lifecycle.rule_for(rule.target, role) == rule
            assert [r for r in lifecycle.RULES if r.target == rule.target and role in r.roles] == [rule]


# --- transitions -------------------------------------------------------------------

def test_verify_keeping_the_proposed_agency():
    change = plan("verified", VERIFIER, note="ok")
    c = change.condition
    assert (c.region_id, c.statuses, c.routed, c.review_pending, c.assignee) == ("r", ("waiting",), True, None, None)
    assert c.scope.everything
    f = change.fields
    assert f["status"] == "verified" and f["verified_at"] == AT and f["updated_at"] == AT
    assert f["routed_at"] == plans.IfAbsent(AT) and f["unrouted_shard"] is None
    assert f["queue_key"] is None  # leaves the verification queue
    assert "agency" not in f and "agency_key" not in f  # kept as routed, never read
    # respond within 5 working days, resolve within 10, both from verification
    assert f["due_at"] == "2026-11-30T16:59:59.000000Z" and f["due_stage"] == "respond"
    assert f["inbox_at"] == "verified#2026-11-30T16:59:59.000000Z"
    assert f["due_shard"].startswith("due#") and f["overdue"] is False and f["overdue_key"] is None
    assert f["resolve_due_at"] == "2026-12-07T16:59:59.000000Z"
    assert f["resolve_inbox_at"] == "in_process#2026-12-07T16:59:59.000000Z"
    [entry] = change.append["history"]
    assert entry["status"] == "verified" and entry["actor"] == "v" and entry["comment"] == "ok"
    assert "note" not in entry  # the routing entry prepared it
    assert change.event == "status_changed"


def test_verify_correcting_agency_and_kelurahan():
    change = plan("verified", VERIFIER, agency="dlh", kelurahan_code="99.01.01.1001")
    assert change.condition.routed is False
    f = change.fields
    assert (f["agency"], f["agency_key"]) == ("dlh", "r#dlh")
    assert (f["kelurahan_code"], f["kelurahan"], f["kecamatan_code"], f["kecamatan"], f["out_of_area"]) == \
        ("99.01.01.1001", "Kel", "99.01.01", "Kec", False)
    assert f["kelurahan_key"] == "r#99.01.01.1001"
    assert "DLH" in change.append["history"][0]["note"]["id"]
    assert "Environment" in change.append["history"][0]["note"]["en"]


@pytest.mark.parametrize("fields,code", [({"agency": "nasa"}, "unknown_agency"),
                                         ({"kelurahan_code": "00.00"}, "unknown_kelurahan")])
def test_verify_refuses_unknown_corrections_before_any_write(fields, code):
    with pytest.raises(InvalidInput) as error:
        plan("verified", VERIFIER, **fields)
    assert error.value.code == code


def test_take_copies_the_deadline_fixed_at_verification():
    change = plan("in_process", OFFICER)
    c = change.condition
    assert c.statuses == ("verified",) and c.scope == plans.Scope(agency="dpupr") and c.region_id == "r"
    f = change.fields
    assert (f["assignee"], f["assignee_name"]) == ("o", "Petugas")
    assert f["due_at"] == plans.Copy("resolve_due_at", "2026-12-07T16:59:59.000000Z")
    assert f["inbox_at"] == plans.Copy("resolve_inbox_at", "in_process#2026-12-07T16:59:59.000000Z")
    assert f["due_stage"] == "resolve"
    assert plan("in_process", KELURAHAN).condition.scope == plans.Scope(kelurahan_code="99.01.01.1001")


def test_finish_needs_the_assignee_and_evidence():
    change = plan("done", OFFICER)
    c = change.condition
    assert (c.statuses, c.assignee, c.evidence) == (("in_process",), "o", True)
    assert plan("done", HEAD).condition.assignee is None  # the agency head may close any of the agency's
    f = change.fields
    assert f["due_at"] is None and f["due_shard"] is None and f["due_stage"] is None
    assert f["inbox_at"] == f"done#{AT}" and f["review_pending"] is False


def test_reopen_and_confirm_only_while_a_review_is_pending():
    reopen, confirm = plan("in_process", VERIFIER), plan("done", VERIFIER)
    for change in (reopen, confirm):
        assert change.condition.statuses == ("done",) and change.condition.review_pending is True
        assert change.fields["review_pending"] is False and change.fields["queue_key"] is None
    assert reopen.fields["reopen_count"] == plans.Add(1)
    assert reopen.fields["inbox_at"] == "in_process#2026-12-07T16:59:59.000000Z"  # a fresh clock from now
    assert confirm.fields["inbox_at"] == f"done#{AT}"


def test_reject_and_duplicate_leave_every_inbox():
    rejected = plan("rejected", VERIFIER, reason="spam")
    assert rejected.fields["rejection_reason"] == "spam" and rejected.fields["inbox_at"] is None
    assert rejected.fields["due_at"] is None and "spam" in rejected.append["history"][0]["note"]["id"]
    duplicate = plan("duplicate", VERIFIER, duplicate_of=ORIGINAL)
    assert duplicate.fields["duplicate_of"] == ORIGINAL and duplicate.fields["inbox_at"] is None
    assert ORIGINAL[:8] in duplicate.append["history"][0]["note"]["en"]
    for original in (REPORT, "../x", ""):
        with pytest.raises(Unprocessable):
            plan("duplicate", VERIFIER, duplicate_of=original)


@pytest.mark.parametrize("actor,to", [(CITIZEN, "verified"), (ADMIN, "verified"), (PLATFORM, "done"),
                                      (NOBODY, "in_process"), (OFFICER, "verified"), (VERIFIER, "duplicate")])
def test_a_change_no_report_could_allow_is_not_planned(actor, to):
    """No rule for the role, or no scope: only the report can say which
    error applies, so the service reads it instead of writing."""
    if actor is VERIFIER:
        assert plans.plan_transition(REPORT, request(to, duplicate_of=ORIGINAL), actor, None, NOW) is None
    else:
        assert plan(to, actor) is None


# --- notes and ratings -------------------------------------------------------------

def test_a_note_is_written_in_whatever_status_the_report_is():
    change = plans.plan_note("dicek", INSPECTOR, NOW)
    assert change.condition.scope == plans.Scope(agency="inspektorat", watching=True)
    assert change.condition.statuses == () and change.condition.region_id == "r"
    [entry] = change.append["history"]
    assert "status" not in entry and entry["comment"] == "dicek" and entry["actor_role"] == "officer"
    assert change.event is None and change.fields == {"updated_at": AT}
    assert plans.plan_note("x", PLATFORM, NOW).condition.region_id is None  # every region
    assert plans.plan_note("x", NOBODY, NOW) is None


def test_a_rating_once_per_cycle_low_ones_back_to_the_verifier():
    low = plans.plan_rating(lifecycle.Rating(2, "masih rusak"), CITIZEN, NOW)
    c = low.condition
    assert (c.statuses, c.reporter_id, c.unrated, c.region_id) == (("done",), "c", True, "r")
    assert low.fields["review_pending"] is True and low.fields["queue_key"] == "r#review"
    assert low.append["ratings"] == [{"stars": 2, "comment": "masih rusak", "at": AT}]
    assert low.append["history"][0]["note_code"] == "history_rated_low"
    good = plans.plan_rating(lifecycle.Rating(5, None), CITIZEN, NOW)
    assert "queue_key" not in good.fields and good.append["history"][0]["note_code"] == "history_rated"
    assert plans.plan_rating(lifecycle.Rating(5, None), VERIFIER, NOW) is None


# --- the condition and the explanation of its failure agree -------------------------

def holds(condition, report):
    """The condition as DynamoDB evaluates it (``store.reports._condition``)."""
    c = condition
    return all((
        c.region_id is None or report.region_id == c.region_id,
        not c.statuses or report.status in c.statuses,
        c.review_pending is None or report.review_pending == c.review_pending,
        c.scope.admits(report),
        c.assignee is None or report.assignee == c.assignee,
        not c.evidence or len(report.evidence_ids) > 0,
        not c.routed or report.agency_key is not None,
        c.reporter_id is None or report.reporter_id == c.reporter_id,
        not c.unrated or len(report.ratings) <= report.reopen_count,
        c.reopens_below is None or report.reopen_count < c.reopens_below,
    ))


def states():
    for status, review, region_id, agency, kelurahan, assignee, evidence, routed in itertools.product(
            ("waiting", "verified", "in_process", "done", "rejected"), (False, True), ("r", "other"),
            ("dpupr", "dlh"), ("99.01.01.1001", "99.01.01.1002"), ("o", "someone"), ([], ["p"]), (False, True)):
        yield SimpleNamespace(
            status=status, review_pending=review, region_id=region_id, agency=agency, kelurahan_code=kelurahan,
            watchers=["inspektorat"], assignee=assignee, evidence_ids=evidence,
            agency_key=f"{region_id}#{agency}" if routed else None, reporter_id="c", ratings=[], reopen_count=0)


@pytest.mark.parametrize("actor", [VERIFIER, OFFICER, HEAD, KELURAHAN, INSPECTOR])
@pytest.mark.parametrize("to", ["verified", "in_process", "done", "rejected"])
def test_a_transition_applies_exactly_when_no_rule_refuses_it(actor, to):
    req = request(to, reason="spam" if to == "rejected" else None)
    change = plans.plan_transition(REPORT, req, actor, region(), NOW)
    for report in states():
        refusal = plans.transition_refusal(REPORT, report, req, actor)
        applies = change is not None and holds(change.condition, report)
        assert applies == (refusal.code == "concurrent_update"), (vars(report), refusal.code)


def test_the_refusals_come_in_the_promised_order():
    def refusal(actor, to="in_process", **state):
        report = SimpleNamespace(**{**vars(next(states())), **state})
        return plans.transition_refusal(REPORT, report, request(to), actor)

    assert isinstance(plans.transition_refusal(REPORT, None, request("verified"), VERIFIER), NotFound)
    assert isinstance(refusal(OFFICER, region_id="other", agency="dlh"), NotFound)  # never "not yours"
    assert refusal(OFFICER, agency="dlh", status="waiting").code == "not_your_report"
    illegal = refusal(OFFICER, status="waiting")
    assert illegal.status == 409 and illegal.details == {"current_status": "waiting", "allowed_transitions": []}
    assert refusal(OFFICER, "done", status="in_process", assignee="someone").code == "not_assignee"
    assert isinstance(refusal(OFFICER, "done", status="in_process", assignee="o"), Conflict)
    assert refusal(OFFICER, "done", status="in_process", assignee="o").code == "evidence_required"
    assert refusal(VERIFIER, "verified", status="waiting").code == "not_routed_yet"
    assert isinstance(refusal(CITIZEN, "verified"), NotFound)


def test_note_and_rating_refusals():
    report = SimpleNamespace(**vars(next(states())))
    assert isinstance(plans.note_refusal(REPORT, report, Actor("x", "officer", region_id="other", agency="dpupr")),
                      NotFound)
    assert isinstance(plans.note_refusal(REPORT, report, Actor("x", "officer", agency="dinkes")), Forbidden)
    assert plans.note_refusal(REPORT, report, INSPECTOR).code == "concurrent_update"  # it follows the report
    assert plans.rating_refusal(REPORT, report, Actor("y", "citizen")).code == "not_reporter"
    assert plans.rating_refusal(REPORT, report, CITIZEN).code == "not_done"
    report.status, report.ratings = "done", [{"stars": 2}]
    assert plans.rating_refusal(REPORT, report, CITIZEN).code == "already_rated"
    report.reopen_count = 1  # reopened after that rating: this cycle is unrated
    assert plans.rating_refusal(REPORT, report, CITIZEN).code == "concurrent_update"
    assert isinstance(plans.rating_refusal(REPORT, None, CITIZEN), NotFound)


def test_the_sweep_flags_a_report_only_if_unchanged_since_read():
    report = SimpleNamespace(id=REPORT, region_id="r", status="verified", agency="dpupr", due_at=AT,
                             due_stage="respond", version=7)
    change = plans.plan_overdue(report, region(), NOW)
    assert change.condition.version == 7
    assert change.fields["overdue_key"] == "r#dpupr" and change.fields["due_shard"] is None
    assert change.fields["overdue_count"] == plans.Add(1)
    assert "dieskalasi" in change.append["history"][0]["note"]["id"]


# --- what a history entry leaves implied -----------------------------------------

def test_the_history_fills_in_what_its_writers_could_not_know():
    from chalicelib.store.models import ReportModel

    prepared = {"history_verified": {"id": "Diteruskan ke Dinas PUPR.", "en": "Forwarded to Public Works."}}
    stored = [
        {"status": "waiting", "at": "1", "note_code": "history_received", "note": {"id": "a", "en": "a"}},
        {"status": "waiting", "at": "2", "note_code": "history_routed", "note": {"id": "b", "en": "b"},
         "prepared": prepared},
        {"at": "3", "note_code": "history_note", "note": {"id": "c", "en": "c"}},
        {"status": "verified", "at": "4", "note_code": "history_verified"},
        {"at": "5", "note_code": "history_note", "note": {"id": "d", "en": "d"}},
    ]
    history = ReportModel.history.deserialize(ReportModel.history.serialize(stored))
    assert [h["status"] for h in history] == ["waiting", "waiting", "waiting", "verified", "verified"]
    assert history[3]["note"] == prepared["history_verified"]


def test_every_attribute_a_plan_names_is_in_the_model():
    """The store applies a change by attribute name: each must exist."""
    from chalicelib.store.models import ReportModel

    changes = [plan("verified", VERIFIER), plan("verified", VERIFIER, agency="dlh", kelurahan_code="99.01.01.1001"),
               plan("in_process", OFFICER), plan("done", OFFICER), plan("in_process", VERIFIER),
               plan("done", VERIFIER), plan("rejected", VERIFIER, reason="spam"),
               plan("duplicate", VERIFIER, duplicate_of=ORIGINAL), plans.plan_note("x", OFFICER, NOW),
               plans.plan_rating(lifecycle.Rating(1, None), CITIZEN, NOW),
               plans.plan_overdue(SimpleNamespace(region_id="r", status="waiting", agency=None, due_at=AT,
                                                  due_stage="verify", version=1), region(), NOW),
               SimpleNamespace(fields=plans.on_receipt("r", REPORT, AT) | plans.on_routing("r", "dlh", "k"),
                               append={})]
    for change in changes:
        for name in [*change.fields, *change.append]:
            assert name in ReportModel.get_attributes(), name
        for value in change.fields.values():
            if isinstance(value, plans.Copy):
                assert value.source in ReportModel.get_attributes()


def test_a_report_is_reopened_at_most_reopen_max_times():
    reopen = plans.plan_transition(REPORT, request("in_process"), VERIFIER, region(), NOW)
    assert reopen.condition.reopens_below == plans.REOPEN_MAX
    for count, code in ((plans.REOPEN_MAX - 1, "concurrent_update"), (plans.REOPEN_MAX, "reopen_limit")):
        report = next(r for r in states() if r.status == "done" and r.review_pending and r.region_id == "r")
        report.reopen_count = count
        assert holds(reopen.condition, report) == (code == "concurrent_update")
        assert plans.transition_refusal(REPORT, report, request("in_process"), VERIFIER).code == code
