"""Each page against the API it shows: the map's cluster counts add up to
the map endpoint's reports, the overview's numbers are the stats endpoint's,
the rankings table is in the rankings endpoint's order; the phone layout
has no horizontal scrolling; every page passes axe-core with no critical
violation and leaves a screenshot."""
import uuid

import pytest
import requests

from support.data import new_report
from support.localstack import wait_until

PUBLIC = [("map", "/", "report-map"), ("rankings", "/rankings", "rankings-table")]
LEADERS = [("overview", "/overview", "tile-waiting"), ("sla", "/sla", "sla-verify"),
           ("pilot", "/admin/pilot", "pilot-days-left"), ("export", "/export", "export-form")]
STAFF = [("queue", "/queue", None, "verifier"), ("inbox", "/inbox", None, "officer"),
         ("escalations", "/escalations", None, "agency_head")]


@pytest.fixture(scope="module")
def verified_reports(console_stack):
    """A few verified reports on the map (the seeded region starts empty)."""
    base, ids = console_stack.base, []
    for n in range(4):
        reply = requests.post(f"{base}/v1/regions/trenggalek/reports",
                              json=new_report(description=f"Sampah menumpuk {n} {uuid.uuid4().hex[:6]}",
                                              lat=-8.10 + n * 0.004, lon=111.70 + n * 0.003),
                              headers={**console_stack.headers("citizen"), "Idempotency-Key": uuid.uuid4().hex},
                              timeout=30)
        assert reply.status_code == 201, reply.text
        ids.append(reply.json()["id"])
    for report_id in ids:
        def verified(report_id=report_id):
            reply = requests.post(f"{base}/v1/reports/{report_id}/transitions", json={"to": "verified"},
                                  headers={**console_stack.headers("verifier"), "Idempotency-Key": uuid.uuid4().hex},
                                  timeout=30)
            return reply.status_code == 200
        wait_until(verified, timeout=30, interval=0.5)  # once routed
    return ids


def _map_total(base, **params):
    total, cursor = 0, None
    while True:
        page = requests.get(f"{base}/v1/regions/trenggalek/reports/map",
                            params={**params, "limit": 100, **({"cursor": cursor} if cursor else {})}, timeout=30).json()
        total += len(page["features"])
        cursor = page["next_cursor"]
        if not cursor:
            return total


@pytest.mark.parametrize("status", [None, "verified"])
def test_the_maps_clusters_add_up_to_the_map_endpoint(watched, console_stack, verified_reports, status):
    expected = wait_until(lambda: _map_total(console_stack.base, **({"status": status} if status else {})) >= 4
                          and _map_total(console_stack.base, **({"status": status} if status else {})))
    watched.open("/" + (f"?status={status}" if status else ""))
    count = watched.page.get_by_test_id("map-count")
    count.wait_for()
    watched.page.wait_for_function("document.querySelector('[data-testid=map-count]').dataset.count !== undefined")
    assert int(count.get_attribute("data-count")) == expected, (
        expected, _map_total(console_stack.base, **({"status": status} if status else {})))
    # what the clusters hold: the count at the top of markercluster's tree, whose icons show their counts
    drawn = watched.page.evaluate("window.__aduanMap.markers._topClusterLevel.getChildCount()")
    assert drawn == expected


def test_overview_numbers_are_the_stats_endpoints(watched, console_stack, verified_reports):
    stats = requests.get(f"{console_stack.base}/v1/regions/trenggalek/stats",
                         headers=console_stack.headers("region_admin"), timeout=30).json()
    watched.sign_in(console_stack, "region_admin")
    watched.open("/overview")
    for key in ("waiting", "in_process", "done", "overdue"):
        tile = watched.page.get_by_test_id(f"tile-{key}")
        tile.wait_for()
        shown = tile.locator(".value").inner_text().replace(".", "").replace(",", "")
        assert int(shown) == stats["now"][key], key


def test_rankings_table_is_in_the_endpoints_order(watched, console_stack, verified_reports):
    reply = requests.get(f"{console_stack.base}/v1/regions/trenggalek/rankings", params={"level": "kelurahan"},
                         timeout=30).json()
    watched.open("/rankings?level=kelurahan")
    table = watched.page.get_by_test_id("rankings-table")
    table.wait_for()
    keys = table.locator("tbody tr[data-key]").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert keys == [row["unit"] for row in reply["rows"]]


def test_phone_layout_shows_the_overview_without_horizontal_scrolling(watched, console_stack, verified_reports):
    watched.sign_in(console_stack, "agency_head")
    watched.open("/overview")
    watched.page.get_by_test_id("tile-waiting").wait_for()
    widths = watched.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == 360
    watched.shot("phone-overview")


@pytest.mark.parametrize("name,path,ready", PUBLIC)
def test_public_page_passes_axe_and_is_photographed(watched, verified_reports, name, path, ready):
    watched.open(path)
    watched.page.get_by_test_id(ready).wait_for()
    assert watched.axe_critical() == []
    watched.shot(name)


def test_report_page_passes_axe_and_is_photographed(watched, verified_reports):
    watched.open(f"/report/{verified_reports[0]}")
    watched.page.get_by_test_id("report-status").wait_for()
    assert watched.axe_critical() == []
    watched.shot("report")


@pytest.mark.parametrize("name,path,ready", LEADERS)
def test_leaders_page_passes_axe_and_is_photographed(watched, console_stack, verified_reports, name, path, ready):
    watched.sign_in(console_stack, "region_admin")
    watched.open(path)
    watched.page.get_by_test_id(ready).wait_for()
    assert watched.axe_critical() == []
    watched.shot(name)


@pytest.mark.parametrize("name,path,ready,role", STAFF)
def test_staff_page_passes_axe_and_is_photographed(watched, console_stack, verified_reports, name, path, ready, role):
    watched.sign_in(console_stack, role)
    watched.open(path)
    watched.page.wait_for_selector("[data-testid=report-list], [data-testid=empty-list]")
    assert watched.axe_critical() == []
    watched.shot(name)


PHONE_PAGES = [("rankings", "/rankings", None, "[data-testid=rankings-table]"),
               ("report", "/report/{report}", None, "[data-testid=report-status]"),
               ("signin", "/signin", None, "[data-testid=signin-form]"),
               ("sla", "/sla", "region_admin", "[data-testid=sla-verify]"),
               ("export", "/export", "agency_head", "[data-testid=export-form]"),
               ("pilot", "/admin/pilot", "region_admin", "[data-testid=pilot-days-left]"),
               ("queue", "/queue", "verifier", "[data-testid=report-list], [data-testid=empty-list]"),
               ("inbox", "/inbox", "officer", "[data-testid=report-list], [data-testid=empty-list]"),
               ("escalations", "/escalations", "agency_head", "[data-testid=report-list], [data-testid=empty-list]")]


@pytest.mark.parametrize("name,path,role,ready", PHONE_PAGES)
def test_phone_layout_of_every_page_has_no_horizontal_scrolling(watched, console_stack, verified_reports, name, path,
                                                               role, ready):
    if role:
        watched.sign_in(console_stack, role)
    watched.open(path.format(report=verified_reports[0]))
    watched.page.wait_for_selector(ready)
    widths = watched.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == 360, name
    watched.shot(f"phone-{name}")


def test_phone_map_page(watched, verified_reports):
    watched.open("/")
    watched.page.get_by_test_id("report-map").wait_for()
    widths = watched.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
    watched.shot("phone-map")


def test_csv_export_downloads_the_endpoints_file(watched, console_stack, verified_reports):
    expected = requests.get(f"{console_stack.base}/v1/regions/trenggalek/exports/reports.csv",
                            headers=console_stack.headers("agency_head"), timeout=30)
    assert expected.headers["Content-Type"].startswith("text/csv")
    watched.sign_in(console_stack, "agency_head")
    watched.open("/export")
    with watched.page.expect_download() as download:
        watched.page.get_by_test_id("export-form").locator("button[type=submit]").click()
    path = download.value.path()
    assert open(path, encoding="utf-8-sig").read().splitlines()[0] == expected.text.lstrip("\ufeff").splitlines()[0]
    watched.page.get_by_role("status").wait_for()


def test_pilot_page_shows_the_days_left_of_the_region(watched, console_stack):
    region = requests.get(f"{console_stack.base}/v1/regions/trenggalek", headers=console_stack.headers("region_admin"),
                          timeout=30).json()
    watched.sign_in(console_stack, "region_admin")
    watched.open("/admin/pilot")
    from playwright.sync_api import expect

    # the staff view of the region replaces the public one once the sign-in's token is used
    expect(watched.page.get_by_test_id("pilot-days-left").locator(".value")).to_have_text(str(region["days_left"]))
