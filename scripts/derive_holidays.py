"""Derive the SLA clock's table of Indonesia's public holidays from the
``holidays`` package (a development requirement, never packaged for Lambda).

    .venv/bin/python scripts/derive_holidays.py

Writes ``chalicelib/data/holidays/indonesia.json``: ``{"source", "first",
"last", "dates": {"YYYY": ["YYYY-MM-DD", …]}}``.  The table replaces the
package at run time: the clock only asks which dates are holidays, and the
package (1.2 MB with its lunar calendars) was a fifth of the Lambda zip.
``tests/test_sla.py`` checks the table equals the package for every year it
covers and that it reaches ten years ahead, so a stale table fails the tests
long before a clock needs it.  Regenerate after upgrading ``holidays`` (the
Islamic dates it estimates are corrected by Indonesia's yearly SKB)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "chalicelib" / "data" / "holidays" / "indonesia.json"
FIRST, LAST = 2020, 2045


def table(first: int = FIRST, last: int = LAST) -> dict[str, object]:
    import holidays

    dates = {str(year): sorted(day.isoformat() for day in holidays.country_holidays("ID", years=year))
             for year in range(first, last + 1)}
    return {"source": f"holidays=={holidays.__version__} (country_holidays('ID'))", "first": first, "last": last,
            "dates": dates}


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(table(), indent=0, sort_keys=True) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
