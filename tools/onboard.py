"""Onboard a whole regency in one command: the region from its Kemendagri
code, its boundaries, its staff from a CSV.  It calls the same services as
the HTTP API, as a platform admin, against the running local stack
(``--port``, default ``PORT`` or 8000) or, with ``--aws``, against the AWS
account and stage in the environment (``ADUAN_STAGE``, ``ADUAN_USER_POOL_ID``,
``ADUAN_USER_POOL_CLIENT_ID`` and the usual AWS credentials).

    python -m tools.onboard --code 35.03 --region trenggalek-2 \\
        --boundaries examples/trenggalek-demo-boundaries.geojson --staff examples/trenggalek-staff.csv

Boundaries go through the same presigned upload and worker as the API's
``POST …/boundaries/uploads`` (progress shown); ``--reproject`` converts a
file of any projection to WGS84 here first (``tools/boundaries.py``).

Staff CSV columns: name, email, phone, role, agency, kelurahan_code (e-mail
or phone needed).  Running it again is safe: what exists is left as it is.
"""
from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def use_local_stack(port: int) -> None:
    from devstack.stack import REGION, aws_environment, state_path

    path = state_path(port)
    if not path.exists():
        raise SystemExit(f"no local stack on port {port}: start it with `make run` (or use --aws)")
    state = json.loads(path.read_text())
    os.environ.update(aws_environment(state["aws_endpoint"]))
    os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = REGION
    os.environ["ADUAN_USER_POOL_ID"] = state["user_pool_id"]
    os.environ["ADUAN_USER_POOL_CLIENT_ID"] = state["client_id"]
    if state.get("stage"):
        os.environ["ADUAN_STAGE"] = state["stage"]


def progress(done: int, total: int, width: int = 30) -> None:
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r  staff [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()
    if done == total:
        sys.stderr.write("\n")


def onboard(code: str, region_id: str, boundaries: Path | None, staff: Path | None,
            time_zone: str | None = None, code_field: str | None = None, reproject_file: bool = False,
            repair: bool = False, pause: Callable[[float], None] = time.sleep) -> dict[str, object]:
    from chalicelib.api.body import convert as read_model
    from chalicelib.auth.identity import Identity
    from chalicelib.contract.accounts import StaffRequest
    from chalicelib.contract.regions import NewRegion
    from chalicelib.domain.errors import AppError
    from chalicelib.services import accounts, onboarding

    operator = Identity(sub=f"cli:{getpass.getuser()}", username="cli", role="platform_admin", region_id="*")
    summary: dict[str, object] = {"region_id": region_id}
    started = time.perf_counter()
    try:
        body = {"kemendagri_code": code, "region_id": region_id, **({"time_zone": time_zone} if time_zone else {})}
        region = onboarding.create_region(read_model(body, NewRegion), operator)
        summary["region"] = f"created: {region.name} ({region.time_zone}), trial until {region.trial_ends_at}"
    except AppError as error:
        if error.code != "region_exists":
            raise
        summary["region"] = "already there"
    if boundaries is not None:
        from .boundaries import reproject, upload

        if reproject_file or boundaries.suffix.lower() not in (".zip", ".geojson", ".json"):
            data, content_type = reproject(boundaries, repair), "application/geo+json"
        else:
            data = boundaries.read_bytes()
            content_type = "application/zip" if boundaries.suffix.lower() == ".zip" else "application/geo+json"
        result = upload(region_id, data, content_type, operator, code_field, f"{boundaries.name} (tools.onboard)",
                        pause=pause)
        if result["status"] == "accepted":
            summary["boundaries"] = (f"version {result['version']}: {result['summary']['features']} polygons, "
                                     f"{result['summary']['vertices']} vertices ({result['summary']['projection']})")
        else:
            summary["boundaries"] = (f"REJECTED: {result['problems_total']} problems: "
                                     + json.dumps(result["problems"][:20], ensure_ascii=False)[:4000])
    if staff is not None:
        with staff.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        created = existing = 0
        failed: list[str] = []
        for number, row in enumerate(rows, start=1):
            body = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
            try:
                accounts.create_staff(region_id, read_model(body, StaffRequest), operator)
                created += 1
            except AppError as error:
                if error.code == "account_exists":
                    existing += 1
                else:
                    failed.append(f"line {number + 1}: {error.code} {error.params}")
            progress(number, len(rows))
        summary["staff"] = {"created": created, "already_there": existing, "failed": len(failed)}
        if failed:
            summary["staff_problems"] = failed
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.onboard", description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", required=True, help="Kemendagri code of the regency or city, e.g. 35.03")
    parser.add_argument("--region", required=True, help="the region id, e.g. trenggalek")
    parser.add_argument("--time-zone", choices=("WIB", "WITA", "WIT"), help="default: from the province")
    parser.add_argument("--boundaries", type=Path,
                        help="the official desa polygons: a .geojson (WGS84 or UTM) or a .zip holding a Shapefile")
    parser.add_argument("--code-field", help="the attribute holding the desa code (default: KDEPUM and the usual ones)")
    parser.add_argument("--reproject", action="store_true",
                        help="reproject from any projection to WGS84 here first (pyproj), e.g. TM-3 or Web Mercator")
    parser.add_argument("--repair", action="store_true", help="with --reproject: repair invalid rings (shapely)")
    parser.add_argument("--staff", type=Path, help="CSV: name,email,phone,role,agency,kelurahan_code")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--aws", action="store_true", help="use the AWS account in the environment")
    args = parser.parse_args(argv)
    if not args.aws:
        use_local_stack(args.port)
    summary = onboard(args.code, args.region, args.boundaries, args.staff, args.time_zone, args.code_field,
                      args.reproject or args.repair, args.repair)
    for key, value in summary.items():
        print(f"{key}: {value}")
    return 1 if summary.get("staff_problems") or str(summary.get("boundaries", "")).startswith("REJECTED") else 0


if __name__ == "__main__":
    sys.exit(main())
