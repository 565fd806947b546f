"""The public works page (#/works) against the API it shows: its cards are
exactly the projects of GET /v1/regions/trenggalek/projects (in that order)
and its map one marker per project at the point the API places it; its
budget tables are GET /v1/regions/trenggalek/budget, row by row and in
total; a project whose money runs ahead of its work (the contractor reports
10 % with a photo, the finance officer pays 50 %) shows the red flag with
the rule that raised it, in both languages, on its card and its own page;
axe finds no critical violation; desktop and phone (360 × 800, no
horizontal scrolling) screenshots."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from support.images import jpeg_with_gps
from support.localstack import wait_until

WIB = timezone(timedelta(hours=7))  # Trenggalek's calendar
DEMO_NPWP = "01.234.567.8-901.000"  # the seeded `contractor` account's company
OTHER_NPWP = "02.987.654.3-210.000"  # the seeded `contractor2` account's company
VALUE = 400_000_000


def _day(offset: int = 0) -> str:
    return (datetime.now(WIB).date() + timedelta(days=offset)).isoformat()


def _body(title: str, location: dict, npwp: str, **overrides) -> dict:
    body = {
        "title": title, "agency": "dpupr", "fiscal_year": datetime.now(WIB).year, "funding_source": "apbd",
        "location": location, "value": VALUE, "contractor": {"name": "CV Uji Coba", "npwp": npwp},
        "contract_number": f"600/{uuid.uuid4().hex[:6]}/2026", "start_date": _day(-30), "end_date": _day(150),
    }
    body.update(overrides)
    return body


@pytest.fixture(scope="module")
def works(console_stack):
    """Two projects besides the seeded road (a LineString): a market hall
    (a Polygon, nothing paid, no progress due yet) and a bridge (a Point)
    whose money runs ahead of its work, reported the way the roles do it."""
    base = console_stack.base

    def post(path, body, role):
        reply = requests.post(f"{base}{path}", json=body, timeout=30,
                              headers={**console_stack.headers(role), "Idempotency-Key": uuid.uuid4().hex})
        assert reply.status_code == 201, (path, reply.text)
        return reply.json()

    ring = [[111.712, -8.095], [111.714, -8.095], [111.714, -8.093], [111.712, -8.093], [111.712, -8.095]]
    market = post("/v1/regions/trenggalek/projects",
                  _body(f"Pasar Desa {uuid.uuid4().hex[:4]}", {"type": "Polygon", "coordinates": [ring]}, OTHER_NPWP,
                        agency="dpupr", start_date=_day(10), end_date=_day(200)), "region_admin")
    bridge = post("/v1/regions/trenggalek/projects",
                  _body(f"Jembatan Kali {uuid.uuid4().hex[:4]}", {"type": "Point", "coordinates": [111.69, -8.11]},
                        DEMO_NPWP), "region_admin")
    pid = bridge["id"]

    # the contractor's progress report, backed by a photo uploaded as the app does it
    grant = post(f"/v1/projects/{pid}/photos", {"content_type": "image/jpeg"}, "contractor")
    upload = grant["upload"]
    sent = requests.post(upload["url"], data=upload["fields"], timeout=30,
                         files={"file": ("progress.jpg", jpeg_with_gps(), "image/jpeg")})
    assert sent.status_code in (200, 201, 204), sent.text
    photo_id = grant["photo_id"]
    wait_until(lambda: photo_id in [p["id"] for p in requests.get(f"{base}/v1/projects/{pid}", timeout=30).json()["photos"]],
               timeout=60, interval=0.5)
    post(f"/v1/projects/{pid}/progress", {"percent": 10, "date": _day(), "note": "Fondasi", "photo_ids": [photo_id]},
         "contractor")
    paid = post(f"/v1/projects/{pid}/disbursements",
                {"amount": VALUE // 2, "date": _day(), "reference": f"SP2D {uuid.uuid4().hex[:6]}"}, "finance")
    assert paid["physical_progress"] == 10 and paid["financial_progress"] == 50
    return {"flagged": pid, "plain": market["id"]}


def _projects(base: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = requests.get(f"{base}/v1/regions/trenggalek/projects",
                            params={"limit": 200, **({"cursor": cursor} if cursor else {})}, timeout=30).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def _open_works(watched, path: str = "/works") -> None:
    watched.open(path)
    watched.page.wait_for_selector("[data-testid=works-count][data-count]")  # the list is drawn (maybe empty)
    watched.page.wait_for_selector("[data-testid=works-list]", state="attached")
    watched.page.wait_for_selector("[data-testid=works-map][data-markers]", state="attached")
    watched.page.get_by_test_id("budget-agency").wait_for()


def _digits(shown: str) -> int:
    return int(re.sub(r"[^0-9]", "", shown))


def _percent(shown: str) -> float:  # "50,0%" (id-ID)
    return float(shown.replace("%", "").replace(".", "").replace(",", ".").strip())


def test_the_list_and_the_map_are_the_endpoints_projects(watched, console_stack, works):
    projects = _projects(console_stack.base)
    assert {works["flagged"], works["plain"]} <= {p["id"] for p in projects}
    _open_works(watched)
    page = watched.page
    shown = page.locator("[data-testid=works-list] > li[data-project]").evaluate_all(
        "cards => cards.map(c => c.dataset.project)")
    assert shown == [p["id"] for p in projects]
    assert int(page.get_by_test_id("works-count").get_attribute("data-count")) == len(projects)

    # every project has a location: one marker each, where the API places it
    markers = page.evaluate("window.__aduanWorksMap.markers.getLayers()"
                            ".map(m => [m.projectId, m.getLatLng().lat, m.getLatLng().lng])")
    assert sorted(m[0] for m in markers) == sorted(p["id"] for p in projects)
    assert int(page.get_by_test_id("works-map").get_attribute("data-markers")) == len(projects)
    for project_id, lat, lon in markers:
        point = requests.get(f"{console_stack.base}/v1/projects/{project_id}", timeout=30).json()["point"]
        assert abs(lat - point["lat"]) < 1e-6 and abs(lon - point["lon"]) < 1e-6, project_id

    # each card: its figures as the endpoint gives them
    for project in projects:
        card = page.locator(f"li[data-project='{project['id']}']")
        assert _digits(card.locator("[data-field=value]").inner_text()) == project["value"]
        assert _digits(card.locator("[data-field=disbursed]").inner_text()) == project["disbursed"]
        assert card.locator("[data-field=agency]").inner_text() == project["agency_name"]["id"]
        assert project["contractor"]["name"] in card.locator("[data-field=contractor]").inner_text()
        assert float(card.locator("[data-field=physical]").get_attribute("data-value")) == project["physical_progress"]
        assert float(card.locator("[data-field=financial]").get_attribute("data-value")) == project["financial_progress"]
        assert card.get_attribute("data-flags").split() == [f["code"] for f in project["red_flags"]]


def test_the_budget_tables_are_the_budget_endpoint(watched, console_stack, works):
    budget = requests.get(f"{console_stack.base}/v1/regions/trenggalek/budget", timeout=30).json()
    assert budget["totals"]["projects"] >= 3 and budget["totals"]["disbursed"] >= VALUE // 2
    _open_works(watched)
    checks = [("budget-agency", budget["agencies"], lambda row: row["agency"]),
              ("budget-kecamatan", budget["kecamatan"], lambda row: row["kecamatan_code"] or "none")]
    for testid, rows, key in checks:
        table = watched.page.get_by_test_id(testid)
        keys = table.locator("tbody tr[data-key]").evaluate_all("rows => rows.map(r => r.dataset.key)")
        assert keys == [key(row) for row in rows], testid
        for data_key, expected in [*[(key(row), row) for row in rows], ("total", budget["totals"])]:
            row = table.locator(f"tr[data-key='{data_key}']")

            def cell(field, row=row):
                return row.locator(f"[data-field={field}]").inner_text()
            assert _digits(cell("projects")) == expected["projects"], (testid, data_key)
            assert _digits(cell("contract_value")) == expected["contract_value"], (testid, data_key)
            assert _digits(cell("disbursed")) == expected["disbursed"], (testid, data_key)
            assert _digits(cell("projects_flagged")) == expected["projects_flagged"], (testid, data_key)
            # shown to one decimal (the API gives two)
            assert abs(_percent(cell("financial_progress")) - expected["financial_progress"]) <= 0.05 + 1e-9
            assert abs(_percent(cell("physical_progress")) - expected["physical_progress"]) <= 0.05 + 1e-9
        # the rows add up to the region's total
        assert sum(row["contract_value"] for row in rows) == budget["totals"]["contract_value"]


def test_money_ahead_of_work_shows_its_red_flag_with_the_rule(watched, console_stack, works):
    base, pid = console_stack.base, works["flagged"]
    project = requests.get(f"{base}/v1/projects/{pid}", timeout=30).json()
    [flag] = [f for f in project["red_flags"] if f["code"] == "money_ahead_of_work"]
    margin = project["rules"]["money_ahead_points"]
    assert flag["values"] == {"financial": 50.0, "physical": 10.0, "margin": margin}
    plain = requests.get(f"{base}/v1/projects/{works['plain']}", timeout=30).json()
    assert plain["red_flags"] == []

    _open_works(watched, "/works?red_flag=money_ahead_of_work")
    page = watched.page
    card = page.locator(f"li[data-project='{pid}']")
    assert "flagged" in card.get_attribute("class")
    rule = card.locator("li[data-flag=money_ahead_of_work] .work-rule").inner_text()
    assert rule == flag["rule"]["id"]
    # the rule with this project's figures and the region's margin
    assert f"lebih dari {margin} poin" in rule and "keuangan 50,0%" in rule and "fisik 10,0%" in rule  # decimal comma
    assert "Progres fisik: 10%" in card.locator("[data-field=physical]").inner_text()
    assert "Progres keuangan: 50%" in card.locator("[data-field=financial]").inner_text()
    # the filter is the endpoint's: the market hall has no flag, so it is not listed
    assert page.locator(f"li[data-project='{works['plain']}']").count() == 0

    # in English too: the page asks again, and the rule comes from the API in the page's language
    selector = f"li[data-project='{pid}'] li[data-flag=money_ahead_of_work] .work-rule"
    shows = "([sel, want]) => { const el = document.querySelector(sel); return !!el && el.textContent === want; }"
    page.get_by_test_id("lang-switch").click()
    page.wait_for_function(shows, arg=[selector, flag["rule"]["en"]])
    page.get_by_test_id("lang-switch").click()
    page.wait_for_function(shows, arg=[selector, flag["rule"]["id"]])

    # the project's own page: the flag, the region's thresholds, the report and the payment
    page.locator(f"li[data-project='{pid}'] h3 a").click()
    page.get_by_test_id("work-flags").wait_for()
    assert page.locator("[data-testid=work-flags] li[data-flag=money_ahead_of_work] .work-rule").inner_text() \
        == flag["rule"]["id"]
    rules = page.get_by_test_id("work-rules")
    rules.locator("summary").click()
    rule_text = rules.inner_text()
    for figure in project["rules"].values():
        assert f" {figure} " in rule_text
    assert page.get_by_test_id("work-timeline").locator("img").count() == 1
    assert _digits(page.get_by_test_id("work-disbursements").locator("td.num").inner_text()) == VALUE // 2
    page.wait_for_selector("[data-testid=work-map][data-fitted]", state="attached")
    assert watched.axe_critical() == []
    watched.shot("work")


def _fitted(watched) -> None:
    """The map has come to the projects (after the region's boundaries)."""
    watched.page.wait_for_selector("[data-testid=works-map][data-fitted]", state="attached")


def test_works_page_passes_axe_and_is_photographed(watched, works):
    _open_works(watched)
    _fitted(watched)
    assert watched.axe_critical() == []
    watched.shot("works")


def test_phone_works_page_has_no_horizontal_scrolling(watched, works):
    _open_works(watched)
    _fitted(watched)
    widths = watched.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == 360
    assert watched.axe_critical() == []
    watched.shot("phone-works")
