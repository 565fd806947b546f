"""Nothing a user does pushes an item toward DynamoDB's 400 KB: a report's
history keeps its recent entries on the item and moves older ones to their
own items; a project's progress reports and history likewise; a region's
tables have documented limits."""
import boto3

from chalicelib import resources
from chalicelib.domain import workflow
from support.data import REGION, new_report

NOTE = "Catatan petugas. " * 117 + "x"  # 1,990 characters


def item_bytes(table, key):
    """An item's size as DynamoDB counts it (names + values, UTF-8), from the raw item."""
    item = boto3.client("dynamodb", region_name=REGION).get_item(TableName=table, Key=key)["Item"]

    def size(value):
        [(kind, inner)] = value.items()
        if kind in ("S", "N"):
            return len(inner.encode())
        if kind == "BOOL" or kind == "NULL":
            return 1
        if kind == "L":
            return 3 + sum(size(v) + 1 for v in inner)
        if kind == "M":
            return 3 + sum(len(k.encode()) + size(v) + 1 for k, v in inner.items())
        if kind in ("SS", "NS"):
            return sum(len(v.encode()) for v in inner)
        raise AssertionError(kind)

    return sum(len(name.encode()) + size(value) for name, value in item.items())


def staff(api, role):
    """The account the API would see for ``role``'s token: the growth is driven
    through the services the thin handlers call (an HTTP round trip per entry,
    with every reply checked against the document, would only make it slower)."""
    from chalicelib.auth import verifier

    return verifier.identify(f"Bearer {api.tokens[role]}")


def test_500_long_notes_and_the_report_still_moves_with_its_whole_history(api, pipeline):
    from chalicelib.contract.reports import NoteRequest
    from chalicelib.services import workflow as service

    report_id = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    pipeline.run()
    verifier = staff(api, "verifier")
    for n in range(499):
        service.add_note(report_id, NoteRequest(note=f"{n:03d} {NOTE}"), verifier)
    last = api.post(f"/v1/reports/{report_id}/notes", {"note": f"499 {NOTE}"}, as_="verifier")
    assert last.status_code == 201, last.json_body
    moved = api.post(f"/v1/reports/{report_id}/transitions", {"to": "verified"}, as_="verifier")
    assert moved.status_code == 200, moved.json_body
    size = item_bytes(resources.REPORTS.name, {"id": {"S": report_id}})
    print(f"\nreport item after 500 notes of 2,000 characters: {size / 1024:.1f} KB")
    assert size < 150 * 1024
    view = api.get(f"/v1/reports/{report_id}", as_="verifier").json_body
    assert len(view["history"]) <= workflow.HISTORY_MAX and view["history"][-1]["status"] == "verified"
    earlier, cursor = [], None
    while True:
        page = api.get(f"/v1/reports/{report_id}/earlier-history?limit=100"
                       + (f"&cursor={cursor}" if cursor else ""), as_="verifier").json_body
        earlier += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    whole = earlier + view["history"]
    assert view["history_earlier"] == len(earlier)
    notes = [entry["comment"][:3] for entry in whole if entry.get("comment")]
    assert notes == [f"{n:03d}" for n in range(500)]  # every note, in order, once
    assert [entry["status"] for entry in whole][0] == "waiting" and whole[-1]["status"] == "verified"
    # the public reads the earlier history too, without staff comments
    public = api.get(f"/v1/reports/{report_id}/earlier-history?limit=5").json_body
    assert public["items"] and all("comment" not in entry for entry in public["items"])
    assert api.get(f"/v1/reports/{report_id}/earlier-history?cursor=abc").status_code == 400


def test_500_corrections_and_the_project_still_moves_and_publishes_every_one(api, pipeline):
    from chalicelib.contract.projects import ProgressRequest
    from chalicelib.services.projects import commands
    from support.projects import day, register

    pid = register(api)["id"]
    # 500 characters: enough to have broken the old layout after ~150 corrections; longer ones only make moto
    # (which copies every table a transaction touches) slower, the item holds 20 of them whatever their length
    reason = "Hasil opname lapangan. " * 21 + "xx"
    admin = staff(api, "region_admin")
    for n in range(499):
        commands.report_progress(pid, ProgressRequest(percent=10 + (n % 50) / 100, date=day(0),
                                                      note=f"{n:03d} Opname", correction_reason=f"{n:03d} {reason}"),
                                 admin)
    last = api.post(f"/v1/projects/{pid}/progress", {"percent": 11, "date": day(0), "note": "499 Opname",
                                                    "correction_reason": f"499 {reason}"}, as_="region_admin")
    assert last.status_code == 201, last.json_body
    paid = api.post(f"/v1/projects/{pid}/disbursements", {"amount": 1_000_000, "date": day(0), "reference": "SP2D 1"},
                    as_="finance")
    assert paid.status_code == 201, paid.json_body
    size = item_bytes(resources.PROJECTS.name, {"id": {"S": pid}})
    print(f"\nproject item after 500 corrections of 500 characters: {size / 1024:.1f} KB")
    assert size < 150 * 1024
    page = paid.json_body
    assert len(page["progress"]) == 20 and page["progress_earlier"] == 480
    assert page["history_earlier"] + len(page["history"]) == 502  # registered, 500 corrections, the payment
    # the region's OCDS export still publishes every progress report, in order
    export = api.get("/v1/regions/trenggalek/ocds").json_body
    [release] = [r for r in export["releases"] if pid in r["ocid"]]
    [contract] = release["contracts"]
    milestones = contract["implementation"]["milestones"]
    assert len(milestones) == 500 and len({m["id"] for m in milestones}) == 500
    assert [m["description"].split(". ", 1)[1][:3] for m in milestones] == [f"{n:03d}" for n in range(500)]


def test_a_category_table_of_3000_is_refused_and_nothing_stored(api):
    before = api.get("/v1/regions/trenggalek/categories").json_body
    categories = [{"code": f"kategori-{n}", "name_id": f"Kategori {n}", "name_en": f"Category {n}",
                   "agency": "dpupr", "team": "orange"} for n in range(3000)]
    response = api.post("/v1/regions/trenggalek/categories", {"categories": categories}, as_="region_admin")
    assert 400 <= response.status_code < 500, response.json_body
    assert api.get("/v1/regions/trenggalek/categories").json_body == before


def test_a_report_is_reopened_at_most_reopen_max_times_so_its_ratings_stay_bounded(api, pipeline):
    from chalicelib.store.models import ReportModel

    report_id = api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]
    pipeline.run()

    def rated_low(reopened):
        # the state a verifier reopens from (done, a low rating under review), after ``reopened`` earlier cycles
        ReportModel(report_id).update(actions=[ReportModel.status.set("done"), ReportModel.review_pending.set(True),
                                               ReportModel.reopen_count.set(reopened)])

    rated_low(workflow.REOPEN_MAX - 1)
    reopen = api.post(f"/v1/reports/{report_id}/transitions", {"to": "in_process"}, as_="verifier")
    assert reopen.status_code == 200, reopen.json_body
    rated_low(workflow.REOPEN_MAX)
    before = ReportModel.get(report_id)
    refused = api.post(f"/v1/reports/{report_id}/transitions", {"to": "in_process"}, as_="verifier")
    assert refused.status_code == 409 and refused.json_body["error"]["code"] == "reopen_limit"
    after = ReportModel.get(report_id)
    assert (after.status, after.version, len(after.history)) == ("done", before.version, len(before.history))
