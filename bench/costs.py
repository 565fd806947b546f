"""``make cost``: the monthly AWS bill of one stage in ap-southeast-3 (Jakarta)
from the AWS calls per operation that ``make bench`` *measures* (run here with
``--requests``), for a small regency and at Jakarta's scale.

Measured: the calls of every API request type the benchmark drives (create,
lookup, verify, take, note, the inbox queries, and QlueWork's progress
report, disbursement, project page, list and budget).  Not measured (the benchmark
does not drive the workers yet), counted from the code and marked "assumed":
the routing, photo and dispatch workers' calls.  Prices are list prices as
written in PRICES; check them against https://aws.amazon.com/pricing/ before
relying on a figure.  Everything assumed is in ASSUMPTIONS and PRICES."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# US$, ap-southeast-3, on-demand list prices (assumed; see the docstring).
PRICES = {
    "api_request": 3.50e-6 * 1.21,        # REST API, first 333M/month (Jakarta ~21% over us-east-1)
    "lambda_request": 0.20e-6,
    "lambda_gb_s_arm": 0.0000133334,
    "ddb_write_unit": 0.7125e-6,          # on-demand WRU (<= 1 KB)
    "ddb_read_unit": 0.1425e-6,           # on-demand RRU (<= 4 KB, strongly consistent)
    "ddb_storage_gb": 0.285, "ddb_pitr_gb": 0.228,
    "sqs_request": 0.40e-6,
    "s3_put": 0.0055e-3, "s3_get": 0.00044e-3, "s3_gb": 0.025,
    "logs_ingest_gb": 0.70, "alarm": 0.10,
    "cognito_mau": 0.0055,                # Cognito Lite tier, after 10,000 free MAU
    "sms_indonesia": 0.0380,              # SNS SMS to an Indonesian number, per message (assumed)
    "sms_gateway_reply": 0.0250,          # a reply sent by the region's SMS gateway (~Rp 400 A2P, assumed)
}
FREE = {"lambda_request": 1e6, "lambda_gb_s_arm": 400_000, "sqs_request": 1e6, "alarm": 10, "cognito_mau": 10_000,
        "logs_ingest_gb": 5, "ddb_storage_gb": 25}

SCENARIOS = {
    "small regency": {"reports_per_day": 300, "photos_per_report": 2, "staff": 50, "users": 3_000,
                      "monthly_active_users": 3_000, "active_projects": 150, "project_page_views": 30_000},
    "Jakarta scale": {"reports_per_day": 40_000, "photos_per_report": 2, "staff": 2_000, "users": 500_000,
                      "monthly_active_users": 150_000, "active_projects": 5_000, "project_page_views": 1_000_000},
}
ASSUMPTIONS = {
    "lookups_per_report": 4,          # the reporter checks status a few times
    "staff_actions_per_report": 3,    # verify, take, note
    "staff_queries_per_staff_day": 40,  # inbox / queue pages opened
    "sms_per_report": 2,              # received + closed; other changes in the app only
    # The SMS channel (services/sms.py): a share of the reports arrive by SMS; each takes
    # ~2.5 inbound messages (the LAPOR, a CEK, now and then a help or a repeated-desa
    # answer), each answered by one SMS the gateway sends (its price, not SNS's).  Per
    # inbound message: GetItem (partner) + UpdateItem (its limit); a LAPOR adds UpdateItem
    # (the sender's hourly limit) + PutItem (its tracking number) on top of the intake's
    # create (counted as a created report); a CEK adds Query + GetItem.
    "sms_share": 0.2, "sms_inbound_per_report": 2.5, "sms_checks_per_report": 1,
    "photo_bytes": 400_000, "thumb_bytes": 30_000,
    "api_ms": 60, "worker_ms": 150, "photo_ms": 800, "memory_gb": 0.5,
    "log_bytes_per_invocation": 600,
    "item_kb": 2,                     # a report item with its history; GSIs replicate writes
    "alarms": 9,
    # QlueWork: per active project and month, weekly progress reports (one
    # photo each) and one disbursement every two months; public reads split
    # between project pages, lists/maps and the budget page.  A project
    # change is one transaction on 7 items (the project and its 6 totals),
    # billed at twice the write units.
    "progress_per_project_month": 4.3, "disbursements_per_project_month": 0.5,
    "project_item_kb": 8,
    # Worker calls, assumed from the code (not measured): routing = GetItem
    # (report) + GetItem (region config, cached 60 s) + UpdateItem + SendMessage;
    # photo = HeadObject + GetObject + 2 PutObject + DeleteObject + UpdateItem;
    # dispatch = GetItem + UpdateItem (counter) + SMS publish per status SMS.
}


def measured_calls() -> dict[str, Counter]:
    out = subprocess.run([sys.executable, "-m", "bench", "--requests", "20", "--import-runs", "1"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    ops: dict[str, Counter] = {}
    for line in out.splitlines():
        m = re.match(r"\s*(create report|report lookup|verify|take|note|verification queue|officer inbox|"
                     r"progress report|disbursement|GET budget|GET project|GET projects)\s+\d+\s+"
                     r"(?:AWS calls:\s*)?(.*?)(?:\s{2,}[\d.]+.*)?$", line)
        if m:
            ops[m.group(1)] = Counter({op: float(n) for op, n in re.findall(r"(\w+\.\w+) x([\d.]+)", m.group(2))})
    return ops


def monthly(s: dict, calls: dict[str, Counter]) -> dict[str, float]:
    a, days = ASSUMPTIONS, 30
    reports = s["reports_per_day"] * days
    photos = reports * s["photos_per_report"]
    api = {"create report": reports, "report lookup": reports * a["lookups_per_report"],
           "verify": reports, "take": reports, "note": reports * (a["staff_actions_per_report"] - 2),
           "verification queue": s["staff"] * a["staff_queries_per_staff_day"] * days / 2,
           "officer inbox": s["staff"] * a["staff_queries_per_staff_day"] * days / 2,
           "progress report": s["active_projects"] * a["progress_per_project_month"],
           "disbursement": s["active_projects"] * a["disbursements_per_project_month"],
           "GET project": s["project_page_views"] / 2, "GET projects": s["project_page_views"] / 4,
           "GET budget": s["project_page_views"] / 4}
    photos += s["active_projects"] * a["progress_per_project_month"]  # progress photos, same worker path
    photo_presigns = photos
    total = Counter()
    for op, n in api.items():
        total.update({k: v * n for k, v in calls.get(op, Counter()).items()})
    sms_reports = reports * a["sms_share"]
    sms_in = sms_reports * a["sms_inbound_per_report"]
    sms_checks = sms_reports * a["sms_checks_per_report"]
    total.update({"dynamodb.GetItem": sms_in + sms_checks, "dynamodb.UpdateItem": sms_in + sms_reports,
                  "dynamodb.PutItem": sms_reports, "dynamodb.Query": sms_checks})
    total.update({"dynamodb.GetItem": 2 * reports, "dynamodb.UpdateItem": reports + photos + reports,
                  "sqs.SendMessage": reports, "s3.HeadObject": photos, "s3.GetObject": photos,
                  "s3.PutObject": 2 * photos + photos, "s3.DeleteObject": photos})  # workers; + client's upload PUT
    api_requests = sum(api.values()) + photo_presigns + sms_in - sms_reports  # an SMS report is one of `reports`
    sqs_messages = reports * 2 + photos  # routing + dispatch + photo notifications
    invocations = api_requests + sqs_messages + 2 * 12 * 24 * days
    gb_s = a["memory_gb"] * (api_requests * a["api_ms"] + reports * 2 * a["worker_ms"] + photos * a["photo_ms"]
                             + 2 * 12 * 24 * days * a["worker_ms"]) / 1000
    units = max(1, a["item_kb"])
    wru = (total["dynamodb.PutItem"] + total["dynamodb.UpdateItem"]) * units * 3  # table + ~2 GSIs touched
    wru += total["dynamodb.TransactWriteItems"] * 2 * (a["project_item_kb"] * 4 + 6)  # project + 3 GSIs, 6 totals
    rru = total["dynamodb.GetItem"] + total["dynamodb.Query"] * 2
    # project items span ~2 read units (conservatively added on top of the 1 counted per GetItem)
    rru += (api["progress report"] + api["disbursement"] + api["GET project"]) * (a["project_item_kb"] / 4)
    storage_gb = reports * 12 * a["item_kb"] * 4 / 1e6  # a year of reports, GSIs included
    s3_gb = photos * 12 * (a["photo_bytes"] + a["thumb_bytes"]) / 1e9

    def paid(key: str, qty: float) -> float:
        return max(0.0, qty - FREE.get(key, 0)) * PRICES[key]
    return {
        "API Gateway": api_requests * PRICES["api_request"],
        "Lambda": paid("lambda_request", invocations) + paid("lambda_gb_s_arm", gb_s),
        "DynamoDB": wru * PRICES["ddb_write_unit"] + rru * PRICES["ddb_read_unit"]
        + paid("ddb_storage_gb", storage_gb) + storage_gb * PRICES["ddb_pitr_gb"],
        "SQS": paid("sqs_request", sqs_messages * 3 + 2 * 3 * 30 * 24 * 3600 / 20),  # send/receive/delete + idle long polls
        "S3": total["s3.PutObject"] * PRICES["s3_put"] + (total["s3.GetObject"] + total["s3.HeadObject"]
                                                           + reports * a["lookups_per_report"]) * PRICES["s3_get"]
        + s3_gb * PRICES["s3_gb"],
        "CloudWatch": paid("logs_ingest_gb", invocations * a["log_bytes_per_invocation"] / 1e9)
        + paid("alarm", a["alarms"]),
        "Cognito": paid("cognito_mau", s["monthly_active_users"]),
        "SMS (SNS)": reports * a["sms_per_report"] * PRICES["sms_indonesia"],
        "SMS replies (gateway)": sms_in * PRICES["sms_gateway_reply"],
    }


def main() -> int:
    calls = measured_calls()
    print("measured AWS calls per request (make bench):")
    for op, c in calls.items():
        print(f"  {op:<20} " + ", ".join(f"{k} x{v:g}" for k, v in sorted(c.items())))
    for name, s in SCENARIOS.items():
        bill = monthly(s, calls)
        total = sum(bill.values())
        without_sms = total - bill["SMS (SNS)"] - bill["SMS replies (gateway)"]
        print(f"\n{name}: {s['reports_per_day']} reports/day, {s['photos_per_report']} photos each, "
              f"{s['staff']} staff, {s['users']} users ({s['monthly_active_users']} active a month)")
        for k, v in sorted(bill.items(), key=lambda kv: -kv[1]):
            print(f"  {k:<22} US$ {v:>10.2f}")
        print(f"  {'total':<22} US$ {total:>10.2f} / month beyond the free tier "
              f"(US$ {without_sms:.2f} without SMS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
