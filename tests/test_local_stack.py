"""End to end: the real local stack (``python -m devstack run``, what
``make run`` starts) driven over HTTP as the mobile app drives it."""
import datetime
import io
import json
import os
import signal
import subprocess
import sys
import time

import boto3
import pytest
import requests
from PIL import Image

from support.data import ROOT, new_report
from support.images import GPS_IFD, jpeg_with_gps
from support.localstack import running_stack, wait_until


class _Http(requests.Session):
    """Every call with a timeout: a stuck local stack fails its test instead of hanging the suite."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", 60)
        return super().request(*args, **kwargs)


http = _Http()

@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("stack"), "--retry-delay", "0", "--schedule-seconds", "2") as running:
        aws = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local",
                                    region_name="ap-southeast-3")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ADUAN_"))}
        env["ADUAN_STAGE"] = "e2e"
        tokens = {}

        def token(role):
            # `make token ROLE=…` is this very command.
            if role not in tokens:
                out = subprocess.run([sys.executable, "-m", "devstack", "token", "--port", str(running.api_port),
                                      "--role", role], cwd=ROOT, env=env, capture_output=True, text=True,
                                     check=True).stdout
                tokens[role] = out.strip().splitlines()[-1]
            return {"Authorization": f"Bearer {tokens[role]}"}

        yield {"base": running.base, "process": running.process, "aws_endpoint": running.aws_endpoint,
               "session": aws, "aws_port": running.aws_port, "token": token, "console": running.console}


def test_mobile_flow_report_photo_routing(stack):
    base = stack["base"]
    categories = http.get(f"{base}/v1/regions/trenggalek/categories").json()["categories"]
    assert any(c["code"] == "jalan-rusak" for c in categories)
    boundaries = http.get(f"{base}/v1/regions/trenggalek/boundaries").json()
    assert len(boundaries["features"]) == 157

    headers = {"Idempotency-Key": "e2e-report-1", "Accept-Language": "en", **stack["token"]("citizen")}
    created = http.post(f"{base}/v1/regions/trenggalek/reports", json=new_report(), headers=headers)
    assert created.status_code == 201, created.text
    report_id = created.json()["id"]
    retried = http.post(f"{base}/v1/regions/trenggalek/reports", json=new_report(), headers=headers)
    assert retried.json()["id"] == report_id

    grant = http.post(f"{base}/v1/reports/{report_id}/photos", json={"content_type": "image/jpeg"},
                          headers=stack["token"]("citizen"))
    assert grant.status_code == 201, grant.text
    upload = grant.json()["upload"]
    assert upload["url"].startswith(stack["aws_endpoint"])
    posted = http.post(upload["url"], data=upload["fields"],
                           files={"file": ("photo.jpg", jpeg_with_gps(), "image/jpeg")})
    assert posted.status_code in (200, 201, 204), posted.text

    def finished():  # the reporter's view: the public sees photos only once the report is verified
        report = http.get(f"{base}/v1/reports/{report_id}", headers=stack["token"]("citizen")).json()
        return report if report["routed"] and report["photos"] else None

    report = wait_until(finished)
    assert report["agency"] == "dpupr" and report["team"]["code"] == "orange"
    assert report["kelurahan"] and report["kecamatan"]
    assert [h["status"] for h in report["history"]] == ["waiting", "waiting"]
    photo = http.get(report["photos"][0]["url"])
    assert photo.status_code == 200
    with Image.open(io.BytesIO(photo.content)) as image:
        assert image.format == "JPEG" and not image.getexif().get_ifd(GPS_IFD)
    assert http.get(report["photos"][0]["thumbnail_url"]).status_code == 200


def test_bucket_is_not_public(stack):
    from chalicelib.resources import PHOTOS_BUCKET

    # An unsigned request to the local S3 must not list or read the bucket's
    # objects.  (moto does not enforce bucket policies; the check here is
    # that the bucket is configured to block public access.)
    s3 = stack["session"].client("s3", endpoint_url=stack["aws_endpoint"])
    name = f"aduan-e2e-{PHOTOS_BUCKET.logical}"
    block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert all(block.values())


def test_photo_bucket_admits_uploads_from_the_console_only(stack):
    """``make run`` serves the console on the API's port; its browser POSTs
    photos to the embedded S3, which the bucket's CORS rule admits.  moto's
    server answers every preflight itself, so the rule is read back."""
    from chalicelib.resources import PHOTOS_BUCKET

    port = stack["base"].rsplit(":", 1)[1]
    s3 = stack["session"].client("s3", endpoint_url=stack["aws_endpoint"])
    [rule] = s3.get_bucket_cors(Bucket=f"aduan-e2e-{PHOTOS_BUCKET.logical}")["CORSRules"]
    assert set(rule["AllowedOrigins"]) == {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    assert "POST" in rule["AllowedMethods"] and "http://evil.example" not in rule["AllowedOrigins"]


def test_poison_message_ends_in_the_dead_letter_queue(stack):
    sqs = stack["session"].client("sqs", endpoint_url=stack["aws_endpoint"])
    routing = sqs.get_queue_url(QueueName="aduan-e2e-routing")["QueueUrl"]
    dlq = sqs.get_queue_url(QueueName="aduan-e2e-routing-dlq")["QueueUrl"]
    sqs.send_message(QueueUrl=routing, MessageBody=json.dumps({"report_id": "d" * 32}))

    def dead():
        got = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1).get("Messages", [])
        return got

    messages = wait_until(dead, timeout=60)
    assert json.loads(messages[0]["Body"]) == {"report_id": "d" * 32}


def test_bad_input_over_http(stack):
    base = stack["base"]
    response = http.post(f"{base}/v1/regions/trenggalek/reports", data="{not json",
                             headers={"Content-Type": "application/json", "Accept-Language": "en",
                                      **stack["token"]("citizen")})
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "invalid_json", "message": "The request body is not valid JSON."}
    missing = http.get(f"{base}/v1/reports/{'a' * 32}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "report_not_found"


def test_unknown_path_over_http_is_our_404(stack):
    from chalicelib.domain.i18n import message

    for headers, lang in (({}, "id"), ({"Accept-Language": "en"}, "en")):
        response = http.get(f"{stack['base']}/v1/does-not-exist", headers=headers)
        assert response.status_code == 404
        assert response.json() == {"error": {"code": "not_found", "message": message("not_found", lang)}}


def upload_photo(stack, report_id, role, kind=None):
    body = {"content_type": "image/jpeg", **({"kind": kind} if kind else {})}
    grant = http.post(f"{stack['base']}/v1/reports/{report_id}/photos", json=body, headers=stack["token"](role))
    assert grant.status_code == 201, grant.text
    upload = grant.json()["upload"]
    posted = http.post(upload["url"], data=upload["fields"],
                           files={"file": ("photo.jpg", jpeg_with_gps(), "image/jpeg")})
    assert posted.status_code in (200, 201, 204), posted.text
    return grant.json()["photo_id"]


def test_verify_work_rate_reopen_finish(stack):
    base, token = stack["base"], stack["token"]

    def report(as_="verifier"):
        return http.get(f"{base}/v1/reports/{report_id}", headers=token(as_)).json()

    def move(role, **body):
        response = http.post(f"{base}/v1/reports/{report_id}/transitions", json=body, headers=token(role))
        assert response.status_code == 200, response.text
        return response.json()

    report_id = http.post(f"{base}/v1/regions/trenggalek/reports", headers=token("citizen"), json=new_report(
        )).json()["id"]
    wait_until(lambda: report()["routed"])
    queue = http.get(f"{base}/v1/regions/trenggalek/verification-queue?limit=100", headers=token("verifier")).json()
    assert report_id in [item["id"] for item in queue["items"]]
    move("verifier", to="verified")
    inbox = http.get(f"{base}/v1/me/inbox?limit=100", headers=token("officer")).json()
    assert report_id in [item["id"] for item in inbox["items"]]
    move("officer", to="in_process")
    photo_id = upload_photo(stack, report_id, "officer", kind="evidence")
    wait_until(lambda: photo_id in [p["id"] for p in report()["photos"]])
    move("officer", to="done")
    rated = http.post(f"{base}/v1/reports/{report_id}/rating", json={"stars": 2}, headers=token("citizen"))
    assert rated.status_code == 201, rated.text
    assert move("verifier", to="in_process")["reopen_count"] == 1
    final = move("officer", to="done")
    assert [h["status"] for h in final["history"]][-1] == "done"
    # the reports table's stream reached the figures: the officer's month shows the two finishes and the reopen
    wib = datetime.timezone(datetime.timedelta(hours=7))
    month = datetime.datetime.fromisoformat(final["updated_at"]).astimezone(wib).strftime("%Y-%m")

    def officer_row():
        rows = http.get(f"{base}/v1/regions/trenggalek/rankings?level=officer&month={month}",
                        headers=token("region_admin")).json()["rows"]
        return next((r for r in rows if r["name"] == "Petugas PUPR Demo" and r["volume"]["done"] >= 2), None)

    row = wait_until(officer_row)
    assert row["volume"]["reopened"] >= 1 and row["components"]["ratings"] >= 1
    # the reporter was told, by SMS through the embedded SNS, and the console says so without the number
    wait_until(lambda: stack["console"].read_text().count(f"report {report_id} notified: topic sent, sms sent") >= 5)
    assert not [line for line in stack["console"].read_text().splitlines()
                if "notified" in line and "6281200000001" in line]


def test_onboarding_a_whole_regency_is_one_command(stack):
    command = [sys.executable, "-m", "tools.onboard", "--port", str(stack["base"].rsplit(":", 1)[1]),
               "--code", "35.03", "--region", "trenggalek-2",
               "--boundaries", "examples/trenggalek-demo-boundaries.geojson", "--staff", "examples/trenggalek-staff.csv"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ADUAN_"))}
    started = time.monotonic()
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - started
    assert first.returncode == 0, first.stdout + first.stderr
    assert "region: created: Kabupaten Trenggalek (WIB)" in first.stdout
    assert "boundaries: version 1: 157 polygons" in first.stdout
    assert "boundaries: accepted" in first.stderr  # the worker's progress, followed
    assert "staff: {'created': 200, 'already_there': 0, 'failed': 0}" in first.stdout
    assert "200/200" in first.stderr  # the progress bar
    print(f"\nonboarding Trenggalek (region, 157 polygons, 200 staff) on the local stack: {elapsed:.1f} s")
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "region: already there" in again.stdout
    assert "staff: {'created': 0, 'already_there': 200, 'failed': 0}" in again.stdout
    region = http.get(f"{stack['base']}/v1/regions/trenggalek-2").json()
    assert region["status"] == "trial" and region["name"] == "Kabupaten Trenggalek"


def test_public_works_flow_on_the_local_stack(stack, tmp_path):
    """QlueWork end to end over HTTP: the seeded project and accounts
    (``make token ROLE=contractor|finance``) → progress photo through the
    presigned POST → progress → disbursement → citizen audit → budget →
    OCDS export validated offline."""
    from datetime import datetime, timedelta, timezone

    from support.ocds import validate_offline

    base, token = stack["base"], stack["token"]
    today = datetime.now(timezone(timedelta(hours=7))).date().isoformat()
    me = http.get(f"{base}/v1/me", headers=token("contractor")).json()
    assert me["role"] == "contractor" and me["contractor_npwp"]
    mine = http.get(f"{base}/v1/regions/trenggalek/projects?contractor={me['contractor_npwp']}").json()["items"]
    [project] = mine
    pid = project["id"]
    grant = http.post(f"{base}/v1/projects/{pid}/photos", json={"content_type": "image/jpeg"},
                          headers=token("contractor"))
    assert grant.status_code == 201, grant.text
    upload = grant.json()["upload"]
    posted = http.post(upload["url"], data=upload["fields"],
                           files={"file": ("progress.jpg", jpeg_with_gps(), "image/jpeg")})
    assert posted.status_code in (200, 201, 204), posted.text
    photo_id = grant.json()["photo_id"]
    wait_until(lambda: photo_id in [p["id"] for p in http.get(f"{base}/v1/projects/{pid}").json()["photos"]])
    progress = http.post(f"{base}/v1/projects/{pid}/progress", headers=token("contractor"),
                             json={"percent": 62.5, "date": today, "note": "Aspal lapis kedua", "photo_ids": [photo_id]})
    assert progress.status_code == 201, progress.text
    paid = http.post(f"{base}/v1/projects/{pid}/disbursements", headers=token("finance"),
                         json={"amount": 500_000_000, "date": today, "reference": "SP2D 900/2026"})
    assert paid.status_code == 201, paid.text
    over = http.post(f"{base}/v1/projects/{pid}/disbursements", headers={**token("finance"), "Accept-Language": "en"},
                         json={"amount": 800_000_000, "date": today, "reference": "SP2D 901/2026"})
    assert over.status_code == 400 and over.json()["error"]["code"] == "over_contract_value"

    audit = http.post(f"{base}/v1/regions/trenggalek/reports", headers=token("citizen"),
                          json=new_report(category="fasilitas-umum", description="Aspal baru sudah mengelupas.",
                                          project_id=pid))
    assert audit.status_code == 201, audit.text
    audit_id = audit.json()["id"]
    wait_until(lambda: http.get(f"{base}/v1/reports/{audit_id}").json()["routed"])
    verified = http.post(f"{base}/v1/reports/{audit_id}/transitions", json={"to": "verified"},
                             headers=token("verifier"))
    assert verified.status_code == 200, verified.text
    page = wait_until(lambda: (lambda p: p if p["audits"]["open"] == 1 else None)(
        http.get(f"{base}/v1/projects/{pid}").json()))
    assert "open_citizen_audits" in [f["code"] for f in page["red_flags"]]
    assert page["physical_progress"] == 62.5 and page["financial_progress"] == 40.0

    budget = http.get(f"{base}/v1/regions/trenggalek/budget?year=2026").json()
    assert budget["totals"]["disbursed"] == 500_000_000 and budget["totals"]["projects_flagged"] >= 1
    export = http.get(f"{base}/v1/regions/trenggalek/ocds")
    assert export.status_code == 200
    result = validate_offline(export.json(), tmp_path)
    assert result["validation_errors"] == [] and result["additional_closed_codelist_values"] == {}
    [release] = [r for r in export.json()["releases"] if r["ocid"].endswith(pid)]
    [document] = release["contracts"][0]["implementation"]["documents"]
    photo = http.get(document["url"].replace("https://", "http://"))
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg"


def test_a_utm_shapefile_of_real_detail_over_http(stack):
    """The regency's IT officer's path on `make run`: grant, the presigned POST
    to the local S3, the boundaries worker, the status until accepted, then
    the map reply and a report routed by the new polygons."""
    from support import boundaries as gen

    base, admin = stack["base"], stack["token"]("region_admin")
    fc = gen.realistic_region(vertices_per_desa=400, big_desa_vertices=30_000, seed=5)
    granted = http.post(f"{base}/v1/regions/trenggalek/boundaries/uploads",
                        json={"content_type": "application/zip", "note": "BIG 1:25.000"}, headers=admin)
    assert granted.status_code == 201, granted.text
    form = granted.json()["form"]
    sent = http.post(form["url"], data=form["fields"], files={"file": ("batas.zip", gen.shapefile_zip(fc))})
    assert sent.status_code in (200, 204), sent.text
    started = time.monotonic()
    status = wait_until(lambda: (lambda s: s if s["status"] in ("accepted", "rejected") else None)(
        http.get(base + granted.json()["status_url"], headers=admin).json()), timeout=300)
    print(f"\nupload to switch on the local stack (157 desa, {status['summary']['vertices']} vertices, UTM 49S "
          f"Shapefile): {time.monotonic() - started:.1f} s after the file was sent")
    assert status["status"] == "accepted", status["problems"]
    reply = http.get(f"{base}/v1/regions/trenggalek/boundaries")
    assert reply.json()["version"] == status["version"] and len(reply.content) < 1_500_000
    lon, lat, expected = gen.probe_points(fc)["big"]
    report = http.post(f"{base}/v1/regions/trenggalek/reports", json=new_report(lat=lat, lon=lon),
                       headers={"Idempotency-Key": "e2e-boundaries-1", **stack["token"]("citizen")}).json()
    routed = wait_until(lambda: (lambda r: r if r.get("kelurahan_code") else None)(
        http.get(f"{base}/v1/reports/{report['id']}").json()), timeout=60)
    assert routed["kelurahan_code"] == expected


def test_ctrl_c_stops_everything(stack):
    process = stack["process"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    with pytest.raises(requests.ConnectionError):
        http.get(f"{stack['base']}/health", timeout=1)
    with pytest.raises(requests.ConnectionError):
        http.get(f"http://127.0.0.1:{stack['aws_port']}/", timeout=1)
