"""The offline checks CI runs after ``cdk synth``: cfn-lint (no errors) and
checkov (no failed check; suppressions live in code, in ``infra/stack.py``,
each with its reason).  ``python -m infra.checks <template>``; exit 1 on failure."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def cfn_lint(template: Path) -> dict:
    run = subprocess.run([str(BIN / "cfn-lint"), "--format", "json", str(template)], capture_output=True, text=True)
    findings = json.loads(run.stdout or "[]")
    levels = [f["Level"] for f in findings]
    return {"errors": levels.count("Error"), "warnings": levels.count("Warning"), "findings": findings}


def checkov(template: Path) -> dict:
    run = subprocess.run([str(BIN / "checkov"), "-f", str(template), "--framework", "cloudformation", "-o", "json",
                          "--quiet", "--skip-download"], capture_output=True, text=True)
    report = json.loads(run.stdout)
    report = report[0] if isinstance(report, list) else report
    results = report.get("results", {})
    return {"summary": report["summary"],
            "failed": [(f["check_id"], f["resource"]) for f in results.get("failed_checks", [])],
            "skipped": sorted({(f["check_id"], f.get("suppress_comment", "")) for f in results.get("skipped_checks", [])})}


def main(argv: list[str]) -> int:
    template = Path(argv[0])
    lint, scan = cfn_lint(template), checkov(template)
    resources = json.loads(template.read_text())["Resources"]
    print(f"{template}: {len(resources)} resources")
    print(f"cfn-lint: {lint['errors']} errors, {lint['warnings']} warnings")
    for f in lint["findings"]:
        if f["Level"] == "Error":
            print(f"  {f['Rule']['Id']} {f['Message']}")
    s = scan["summary"]
    print(f"checkov: {s['passed']} passed, {s['failed']} failed, {s['skipped']} skipped (suppressed in code)")
    for check_id, resource in scan["failed"]:
        print(f"  FAILED {check_id} {resource}")
    return 1 if lint["errors"] or scan["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
