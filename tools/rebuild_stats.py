"""Recompute a region's performance figures from its reports.

    python -m tools.rebuild_stats --region trenggalek [--port 8000 | --aws]

The tallies are kept up to date from the reports table's stream; this
command rebuilds them from the reports themselves (each report's whole
history), e.g. after a change of the counting rules or a stream outage
longer than the stream keeps records (24 hours).  It scans the region's
reports: run it off-peak.  Against the running local stack by default, or
with ``--aws`` against the stage in the environment (``ADUAN_STAGE`` and the
usual AWS credentials).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.rebuild_stats", description=__doc__.split("\n\n")[0])
    parser.add_argument("--region", required=True)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--aws", action="store_true", help="the AWS stage in the environment, not the local stack")
    args = parser.parse_args(argv)
    if not args.aws:
        from tools.onboard import use_local_stack

        use_local_stack(args.port)
    from chalicelib.services import performance

    print(json.dumps(performance.rebuild(args.region)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
