"""The web console's figures: its first-load size (compressed JS + CSS +
index.html, from ``web/dist/build.json``) and the time Debian's chromium
takes to show the public map with 5,000 reports.

The map is measured on the real local stack (``python -m devstack run``: the
console, its API, the embedded AWS); only the map endpoint's pages are
answered by the browser itself with 5,000 reports in the endpoint's own
shape (``contract.ReportsMap``, encoded by the contract), paged as the
endpoint pages them, so that the figure is the console's (paging, clustering,
drawing) and not the seeding of 5,000 reports into moto.  Printed, never
asserted."""
from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORTS = 5000
PAGE = 500  # what the console asks for (the endpoint's largest page)


def bundle() -> None:
    built = json.loads((Path(os.environ.get("ADUAN_CONSOLE_DIST") or ROOT / "web" / "dist") / "build.json").read_text())
    files = built["files"]
    print(f"\nweb console first load: {built['first_load_gzip'] / 1024:.1f} KB gzip (JS {files[built['js']]['gzip'] / 1024:.1f}"
          f" + CSS {files[built['css']]['gzip'] / 1024:.1f} + index.html; target <= 300 KB)")


def features(count: int, seed: int = 7) -> list[bytes]:
    """``count`` reports inside Trenggalek, as pages of the map endpoint."""
    import msgspec

    from chalicelib.contract import performance as contract
    from chalicelib.contract.common import I18nText

    rng = random.Random(seed)
    statuses = ["verified", "in_process", "done"]
    items = [contract.MapFeature(
        type="Feature", geometry=contract.Point(type="Point", coordinates=[round(rng.uniform(111.45, 111.85), 6),
                                                                           round(rng.uniform(-8.35, -7.95), 6)]),
        properties=contract.MapProperties(
            id=f"bench{n:05d}", status=(status := statuses[n % 3]), status_label=I18nText(id=status, en=status),
            category="sampah", category_name="Sampah", created_at="2026-11-20T08:00:00+07:00",
            kelurahan_code=None, kelurahan=None, kecamatan=None, address=None)) for n in range(count)]
    pages = []
    for start in range(0, count, PAGE):
        last = start + PAGE >= count
        pages.append(msgspec.json.encode(contract.ReportsMap(
            type="FeatureCollection", features=items[start:start + PAGE],
            next_cursor=None if last else f"bench{start + PAGE}",
            choropleth_url="/v1/regions/trenggalek/stats?group_by=kelurahan")))
    return pages


def map_render(runs: int = 3) -> None:
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("map with 5,000 reports: skipped (no chromium; `make browser` installs it)")
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from support.localstack import running_stack

    pages = features(REPORTS)

    def answer(route: Any) -> None:
        cursor = dict(p.split("=", 1) for p in route.request.url.split("?", 1)[-1].split("&") if "=" in p).get("cursor")
        index = int(cursor[5:]) // PAGE if cursor else 0
        route.fulfill(status=200, content_type="application/geo+json", body=pages[index])

    totals, renders = [], []
    with tempfile.TemporaryDirectory() as directory, running_stack(Path(directory), stage="bench") as stack, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"])
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.route("**/v1/regions/*/reports/map*", answer)
            page.goto(f"{stack.base}/#/")
            page.wait_for_function(
                f"() => window.__aduanMap && window.__aduanMap.markers._topClusterLevel.getChildCount() === {REPORTS}",
                timeout=60_000, polling=16)
            # the frame after the last cluster was added is painted
            drawn = page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
                                  "() => r(performance.now()))))")
            last_page = page.evaluate("Math.max(...performance.getEntriesByType('resource')"
                                      ".filter(e => e.name.includes('/reports/map')).map(e => e.responseEnd))")
            totals.append(drawn)
            renders.append(drawn - last_page)
            context.close()
        browser.close()
    print(f"map with {REPORTS:,} reports in chromium (median of {runs}): {statistics.median(totals):.0f} ms from "
          f"navigation to all drawn ({REPORTS // PAGE} pages of {PAGE}), of which {statistics.median(renders):.0f} ms "
          f"clustering and drawing after the last page; target <= 2000 ms")


def main() -> None:
    bundle()
    map_render()


if __name__ == "__main__":
    main()
