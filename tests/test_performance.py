"""Performance figures end to end: reports move through the API, the reports
table's stream reaches the tallies (through the same poller the local stack
runs), and the rankings and stats endpoints read them."""
import msgspec
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib import resources
from support.data import REGION, new_report
from support.images import jpeg_with_gps, upload


def create(api, **overrides):
    response = api.post("/v1/regions/trenggalek/reports", new_report(**overrides))
    assert response.status_code == 201, response.json_body
    return response.json_body["id"]


def move(api, report_id, as_, **body):
    response = api.post(f"/v1/reports/{report_id}/transitions", body, as_=as_)
    assert response.status_code == 200, response.json_body
    return response.json_body


def take_and_finish(api, pipeline, report_id):
    move(api, report_id, "officer", to="in_process")
    grant = api.post(f"/v1/reports/{report_id}/photos", {"content_type": "image/jpeg", "kind": "evidence"},
                     as_="officer")
    upload(report_id, grant.json_body["photo_id"], jpeg_with_gps())
    pipeline.run()
    move(api, report_id, "officer", to="done")


def finish(api, pipeline, report_id):
    move(api, report_id, "verifier", to="verified")
    take_and_finish(api, pipeline, report_id)


def stats(api, as_=None, **query):
    params = "&".join(f"{k}={v}" for k, v in {"group_by": "status", **query}.items())
    response = api.get(f"/v1/regions/trenggalek/stats?{params}", as_=as_)
    assert response.status_code == 200, response.json_body
    return response.json_body


def test_every_change_reaches_the_figures_once(api, pipeline):
    done_id, rejected_id, _waiting = create(api), create(api), create(api)
    pipeline.run()
    finish(api, pipeline, done_id)
    move(api, rejected_id, "verifier", to="rejected", reason="spam")
    pipeline.run()
    assert api.post(f"/v1/reports/{done_id}/rating", {"stars": 4}).status_code == 201
    pipeline.run()

    public = stats(api)
    assert public["now"] == {"waiting": 1, "in_process": 0, "done": 1, "overdue": 0}
    by_status = {g["key"]: g["count"] for g in public["groups"]}
    assert by_status == {"waiting": 1, "verified": 0, "in_process": 0, "done": 1, "rejected": 1, "duplicate": 0,
                         "forwarded": 0}
    assert public["total"]["received"] == 3 and public["total"]["rejected"] == 1 and public["total"]["done"] == 1
    assert public["total"]["sla"] is None and public["queries"] == 2  # counts only, for everyone
    staff = stats(api, as_="verifier", group_by="agency")
    [pupr] = [g for g in staff["groups"] if g["key"] == "dpupr"]
    # the agency counts what was verified into it: not the rejected report, not the waiting one
    assert pupr["name"] and pupr["received"] == 1 and pupr["done"] == 1 and pupr["rating"] == 4.0
    assert pupr["ratings"] == 1 and pupr["low_rating_share"] == 0.0
    assert pupr["sla"]["take"] == 1.0 and pupr["response_rate"] == 1.0
    assert pupr["median_days"]["finish"] is not None

    agencies = api.get("/v1/regions/trenggalek/rankings?level=agency").json_body
    [row] = [r for r in agencies["rows"] if r["unit"] == "dpupr"]
    assert row["rank"] is None and row["not_ranked_reason"] == "too_few_reports"  # 2 charged stages < 5
    assert row["components"]["stages"] == 2 and row["volume"]["done"] == 1 and "Bayesian" in agencies["score"]

    # the platform admin sees every region's month side by side; nobody else does
    platform = api.get("/v1/platform/rankings", as_="platform_admin").json_body
    [mine] = [r for r in platform["rows"] if r["unit"] == "trenggalek"]
    assert mine["name"] == "Kabupaten Trenggalek" and mine["volume"]["done"] == 1 and mine["volume"]["received"] == 3
    assert api.get("/v1/platform/rankings", as_="region_admin").status_code == 403
    assert api.get("/v1/platform/rankings").status_code == 401

    # a redelivered stream batch changes nothing
    before = stats(api, as_="verifier")
    stream = pipeline.pollers["stream"]
    streams = stream.streams
    shard = streams.describe_stream(StreamArn=stream.arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=stream.arn, ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    stream.iterators = {shard: iterator}
    assert pipeline.run() > 0
    assert stats(api, as_="verifier") == before


def test_the_officer_ranking_is_for_admins_and_agency_heads(api, pipeline):
    report_id = create(api)
    pipeline.run()
    finish(api, pipeline, report_id)
    pipeline.run()
    for who in (None, "citizen", "officer", "verifier"):
        response = api.get("/v1/regions/trenggalek/rankings?level=officer", as_=who)
        assert response.status_code in (401, 403), (who, response.status_code)
    head = api.get("/v1/regions/trenggalek/rankings?level=officer", as_="agency_head").json_body
    assert [r["name"] for r in head["rows"]] == ["Petugas PUPR Demo"]
    assert api.get("/v1/regions/trenggalek/rankings?level=officer", as_="region_admin").json_body["rows"]
    assert api.get("/v1/regions/kupang/rankings?level=officer", as_="agency_head").status_code in (403, 404)


@pytest.mark.parametrize("query", ["level=mayor", "level=agency&month=2026-13", "level=agency&month=x" * 50])
def test_hostile_ranking_queries_are_400(api, query):
    response = api.get(f"/v1/regions/trenggalek/rankings?{query}")
    assert response.status_code == 400 and response.json_body["error"]["code"]


@pytest.mark.parametrize("query", ["from=2026-02-30", "from=2026-05-01&to=2026-04-01", "from=2025-01-01&to=2026-06-01",
                                   "group_by=reporter", "to=2026-1-1"])
def test_hostile_stats_queries_are_400(api, query):
    response = api.get(f"/v1/regions/trenggalek/stats?{query}")
    assert response.status_code == 400 and response.json_body["error"]["code"], query


def test_the_stats_table_is_declared(aws):
    assert resources.STATS in resources.TABLES and resources.REPORTS.stream


def test_a_rebuild_from_the_reports_equals_what_the_stream_produced(api, pipeline, monkeypatch):
    from datetime import datetime, timedelta, timezone

    from chalicelib.services import performance, workflow
    from chalicelib.store import stats as store

    ids = [create(api) for _ in range(5)]
    pipeline.run()
    assert workflow.mark_overdue(datetime.now(timezone.utc) + timedelta(days=21)) == 5  # the gauge rebuilds too
    pipeline.run()
    finish(api, pipeline, ids[0])
    finish(api, pipeline, ids[1])
    move(api, ids[2], "verifier", to="rejected", reason="not_actionable")
    move(api, ids[3], "verifier", to="duplicate", duplicate_of=ids[0])
    pipeline.run()
    assert api.post(f"/v1/reports/{ids[1]}/rating", {"stars": 1}).status_code == 201
    move(api, ids[1], "verifier", to="in_process", note="Dicek ulang")  # reopened after a low rating
    for number in range(3):  # notes: writes that count nothing
        assert api.post(f"/v1/reports/{ids[1]}/notes", {"note": f"catatan {number}"}, as_="officer").status_code == 201
    move(api, ids[1], "officer", to="done")
    assert api.post(f"/v1/reports/{ids[1]}/rating", {"stars": 5}).status_code == 201
    pipeline.run()

    assert api.get("/v1/regions/trenggalek/stats").json_body["now"]["overdue"] == 1  # ids[4] still waits
    monkeypatch.undo()  # the rebuild is an offline command: it may Scan (the request paths may not)
    from_stream = store.region_items("trenggalek")
    assert from_stream and any(sk.startswith("m#") for _pk, sk in from_stream)
    summary = performance.rebuild("trenggalek")
    assert summary["reports"] >= 5 and summary["items_removed"] == len(from_stream)
    assert store.region_items("trenggalek") == from_stream
    officer = api.get("/v1/regions/trenggalek/rankings?level=officer", as_="region_admin").json_body["rows"]
    assert officer[0]["volume"]["done"] == 3 and officer[0]["volume"]["reopened"] == 1


def handoff(api, report_id, as_, **body):
    return api.post(f"/v1/reports/{report_id}/handoff", {"reason": "Bukan kewenangan kami", **body}, as_=as_)


def test_a_desa_passes_a_report_to_an_agency_and_is_not_charged(api, pipeline, monkeypatch):
    """Kelurahan X (the demo desa 35.03.01.2001) passes a verified report to
    the environment agency: it leaves X's work, the agency's clock starts,
    the history and the reporter say so; X's figures carry no stage of it."""
    from chalicelib.services import performance
    from chalicelib.store import stats as store

    report_id = create(api)
    pipeline.run()
    move(api, report_id, "verifier", to="verified", kelurahan_code="35.03.01.2001")
    pipeline.run()
    # who may pass it: not the citizen, not another agency's officer while it is not theirs
    assert handoff(api, report_id, "citizen", agency="dlh").status_code == 403
    assert handoff(api, report_id, "kelurahan_officer", agency="nope").status_code == 400
    assert handoff(api, report_id, "kelurahan_officer").status_code == 400  # no target
    assert handoff(api, report_id, "kelurahan_officer", agency="dpupr").status_code == 400  # already there
    passed = handoff(api, report_id, "kelurahan_officer", agency="dlh")
    assert passed.status_code == 200, passed.json_body
    view = passed.json_body
    assert view["status"] == "verified" and view["agency"] == "dlh" and view["due_at"]
    assert view["history"][-1]["note"]["id"].startswith("Dialihkan ke Dinas Lingkungan Hidup")
    assert handoff(api, report_id, "officer", agency="dpupr").status_code == 403  # no longer PUPR's
    pipeline.run()
    backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]  # the reporter is told, by SMS
    assert any("Dialihkan ke Dinas Lingkungan Hidup" in m[1] for m in backend.sms_messages.values())
    assert [h["status"] for h in api.get(f"/v1/reports/{report_id}", as_="citizen").json_body["history"]][-1] \
        == "verified"
    # the desk finishes it for the agency (the demo has no DLH officer): a verifier passes it back to PUPR
    assert handoff(api, report_id, "verifier", agency="dpupr").status_code == 200
    take_and_finish(api, pipeline, report_id)
    pipeline.run()

    desa = api.get("/v1/regions/trenggalek/rankings?level=kelurahan").json_body["rows"]
    assert [r for r in desa if r["unit"] == "35.03.01.2001"][0]["components"]["stages"] == 0  # not charged
    agencies = {r["unit"]: r for r in api.get("/v1/regions/trenggalek/rankings?level=agency").json_body["rows"]}
    assert agencies["dpupr"]["components"]["stages"] == 2
    assert agencies["dlh"]["components"]["stages"] == 0 and agencies["dlh"]["volume"]["received"] == 1
    by_agency = {g["key"]: g for g in stats(api, as_="verifier", group_by="agency")["groups"]}
    assert by_agency["dpupr"]["done"] == 1 and by_agency["dlh"]["open"] == 0

    monkeypatch.undo()  # the rebuild (an offline command) may Scan
    from_stream = store.region_items("trenggalek")
    performance.rebuild("trenggalek")
    assert store.region_items("trenggalek") == from_stream


def test_the_public_map_shows_verified_reports_and_nothing_personal(api, pipeline):
    named = create(api, address="Jl. Soekarno-Hatta 12")
    hidden = create(api, address="Rumah saya, Jl. Melati 3", anonymous=True)
    rejected = create(api, address="Jl. Mawar 1")
    waiting = create(api)
    pipeline.run()
    move(api, named, "verifier", to="verified")
    move(api, hidden, "verifier", to="verified")
    move(api, rejected, "verifier", to="rejected", reason="spam")
    response = api.get("/v1/regions/trenggalek/reports/map")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/geo+json")
    page = response.json_body
    features = {f["properties"]["id"]: f for f in page["features"]}
    assert set(features) == {named, hidden}  # never the rejected or the waiting one
    assert features[named]["properties"]["address"] == "Jl. Soekarno-Hatta 12"
    assert features[hidden]["properties"]["address"] is None  # anonymous: no free text
    body = response.body.decode()
    for secret in ("Melati", "6281200000001", "Warga Demo", "description", "reporter", waiting):
        assert secret not in body
    assert features[named]["geometry"]["type"] == "Point" and page["choropleth_url"].startswith(
        "/v1/regions/trenggalek/stats?group_by=kelurahan")
    # filters and paging
    assert api.get("/v1/regions/trenggalek/reports/map?bbox=100,-1,101,0").json_body["features"] == []
    assert len(api.get("/v1/regions/trenggalek/reports/map?bbox=111.6,-8.2,111.8,-8.0").json_body["features"]) == 2
    assert api.get("/v1/regions/trenggalek/reports/map?status=done").json_body["features"] == []
    first = api.get("/v1/regions/trenggalek/reports/map?limit=1").json_body
    second = api.get(f"/v1/regions/trenggalek/reports/map?limit=1&cursor={first['next_cursor']}").json_body
    assert {f["properties"]["id"] for f in first["features"] + second["features"]} == {named, hidden}


@pytest.mark.parametrize("query", ["bbox=1,2,3", "bbox=200,0,201,1", "bbox=10,5,9,6", "cursor=AAAA",
                                   "status=rejected", "limit=0", "limit=501", "limit=1e3", "from=2026-13-01"])
def test_hostile_map_queries_are_400(api, query):
    response = api.get(f"/v1/regions/trenggalek/reports/map?{query}")
    assert response.status_code == 400 and response.json_body["error"]["code"], query


def test_the_csv_export_matches_the_staff_stats_and_holds_nothing_personal(api, pipeline, monkeypatch):
    import csv
    import io

    import requests

    from chalicelib.services import exports

    done_id, rejected_id = create(api, address="Jl. Melati 3"), create(api)
    create(api)
    pipeline.run()
    finish(api, pipeline, done_id)
    move(api, rejected_id, "verifier", to="rejected", reason="spam")
    pipeline.run()
    for who, status in ((None, 401), ("citizen", 403), ("contractor", 403)):
        assert api.get("/v1/regions/trenggalek/exports/reports.csv", as_=who).status_code == status, who
    response = api.get("/v1/regions/trenggalek/exports/reports.csv", as_="agency_head")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    text = response.body.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "Melati" not in text and "Warga" not in text and "description" not in rows[0]
    staff = stats(api, as_="verifier")["total"]
    assert len(rows) == staff["received"] == 3
    assert sum(r["status"] == "done" for r in rows) == staff["done"] == 1
    assert sum(r["status"] == "rejected" for r in rows) == staff["rejected"] == 1
    [done] = [r for r in rows if r["id"] == done_id]
    assert done["taken_at"] and done["done_at"] and float(done["finish_days"]) >= 0 and done["verify_days"]
    # a rating later moves the report's last write, not when it was finished
    assert api.post(f"/v1/reports/{done_id}/rating", {"stars": 5}).status_code == 201
    again = list(csv.DictReader(io.StringIO(api.get("/v1/regions/trenggalek/exports/reports.csv",
                                                    as_="agency_head").body.decode())))
    [rated] = [r for r in again if r["id"] == done_id]
    assert (rated["done_at"], rated["finish_days"], rated["rating"]) == (done["done_at"], done["finish_days"], "5")
    text = api.get("/v1/regions/trenggalek/exports/reports.csv", as_="agency_head").body.decode()

    # a range larger than the synchronous limit is written in the background, then linked
    monkeypatch.setattr(exports, "SYNC_ROWS", 1)
    started = api.get("/v1/regions/trenggalek/exports/reports.csv", as_="agency_head")
    assert started.status_code == 200 and started.json_body["status"] == "processing", started.body
    status_url = started.json_body["status_url"]
    assert api.get(status_url, as_="agency_head").json_body["status"] == "processing"
    pipeline.run()
    ready = api.get(status_url, as_="agency_head").json_body
    assert ready["status"] == "ready"
    assert requests.get(ready["url"], timeout=10).content.decode() == text
    assert api.get(status_url, as_="citizen").status_code == 403
    assert api.get("/v1/regions/trenggalek/exports/" + "z" * 32, as_="agency_head").status_code == 404


def test_jakarta_whole_has_its_kota_administrasi_as_a_level(api, monkeypatch):
    """DKI Jakarta (31) is onboarded whole: its five kota and one kabupaten
    administrasi sit between the region and its kecamatan, and the figures
    count a report in the kota of its kecamatan."""
    from datetime import datetime, timezone

    from chalicelib.domain import performance as rules
    from chalicelib.services import performance, regions

    created = api.post("/v1/regions", {"kemendagri_code": "31", "region_id": "jakarta"}, as_="platform_admin")
    assert created.status_code == 201, created.json_body
    assert created.json_body["time_zone"] == "WIB"
    areas = api.get("/v1/regions/jakarta/areas").json_body
    kota = {k["kota_code"]: k["kota"] for k in areas["kecamatan"]}
    assert kota["31.71"] == "Kota Administrasi Jakarta Pusat" and len(kota) == 6
    assert sum(len(k["kelurahan"]) for k in areas["kecamatan"]) == 267
    assert api.get("/v1/regions/jakarta/rankings?level=kota").json_body["rows"] == []
    assert api.post("/v1/regions", {"kemendagri_code": "35", "region_id": "jatim"},
                    as_="platform_admin").status_code == 400  # other provinces: regency by regency

    region = regions.get_region("jakarta")
    kecamatan = next(k for k in areas["kecamatan"] if k["kota_code"] == "31.74")
    at = datetime(2026, 3, 2, 2, tzinfo=timezone.utc)
    snap = performance.in_kota(rules.Snapshot(region_id="jakarta", status="in_process", at=at, created_at=at,
                                              kecamatan_code=kecamatan["code"],
                                              kelurahan_code=kecamatan["kelurahan"][0]["code"],
                                              assignee="lurah-staff", taken_at=at,
                                              assignee_kelurahan=kecamatan["kelurahan"][0]["code"]), region)
    assert snap.kota_code == "31.74"
    done = rules.Snapshot(**{**msgspec.structs.asdict(snap), "status": "done",
                             "at": datetime(2026, 3, 3, 2, tzinfo=timezone.utc)})
    units = {(c.level, c.unit) for c in rules.changes(snap, done, region.tz, performance.sla_days(region))}
    assert ("kota", "31.74") in units and ("kecamatan", kecamatan["code"]) in units


def test_the_issue_scenario_through_the_stream(api, pipeline):
    """In March 2026 officer A finishes 6 reports one working day after taking
    each, officer B 6 after four working days, officer C 1 in ten minutes:
    written as the workflow writes them, counted from the stream, ranked."""
    import uuid

    from chalicelib.store.models import ReportModel

    def life(officer, name, finished):
        report = ReportModel(uuid.uuid4().hex, region_id="trenggalek", category="jalan-rusak", description="x",
                             lat=-8.1, lon=111.7, status="waiting", created_at="2026-03-01T23:00:00.000000Z",
                             updated_at="2026-03-01T23:00:00.000000Z", channel="app")
        report.save()
        for fields in ({"status": "verified", "verified_at": "2026-03-01T23:30:00.000000Z", "agency": "dpupr",
                        "updated_at": "2026-03-01T23:30:00.000000Z"},
                       {"status": "in_process", "taken_at": "2026-03-02T02:00:00.000000Z", "assignee": officer,
                        "assignee_name": name, "assignee_agency": "dpupr", "updated_at": "2026-03-02T02:00:00.000000Z"},
                       {"status": "done", "updated_at": finished}):
            for key, value in fields.items():
                setattr(report, key, value)
            report.save()

    for _ in range(6):
        life("officer-a", "Petugas A", "2026-03-03T02:00:00.000000Z")  # Tuesday 09:00 WIB: 1 working day
        life("officer-b", "Petugas B", "2026-03-06T02:00:00.000000Z")  # Friday 09:00 WIB: 4 working days
    life("officer-c", "Petugas C", "2026-03-02T02:10:00.000000Z")  # ten minutes
    pipeline.run()

    reply = api.get("/v1/regions/trenggalek/rankings?level=officer&month=2026-03", as_="region_admin").json_body
    rows = {r["name"]: r for r in reply["rows"]}
    a, b, c = rows["Petugas A"], rows["Petugas B"], rows["Petugas C"]
    assert (a["rank"], b["rank"], c["rank"]) == (1, 2, None) and a["score"] > b["score"]
    assert c["not_ranked_reason"] == "too_few_reports" and c["components"]["stages"] == 2  # take and finish
    assert a["median_days"]["finish"] <= 1.0 < b["median_days"]["finish"] <= 4.0
    assert a["components"]["within_sla"] == b["components"]["within_sla"] == 1.0  # both within: speed decides
    assert a["components"]["timeliness"] > b["components"]["timeliness"]
    assert "Bayesian" in reply["score"] and reply["min_volume"] == 5
