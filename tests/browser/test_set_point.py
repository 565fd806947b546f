"""The verification desk places a report that has no point: a call centre's
report placed by its desa code only shows "Tetapkan titik" in the queue;
the verifier clicks the small map inside the desa and saves; the API then
gives the report a point in that desa, and once verified it is on the map."""
import uuid

import requests

from support.console import listed_card
from support.localstack import wait_until

DESA = "35.03.01.2001"


def test_the_verifier_sets_the_point_of_a_desa_only_report(browser, console_stack):
    from tests.browser.conftest import DESKTOP, Watched

    base = console_stack.base
    admin, verifier = console_stack.headers("region_admin"), console_stack.headers("verifier")
    partner = requests.post(f"{base}/v1/regions/trenggalek/partners", json={"name": "Call centre", "channel": "call_centre"},
                            headers=admin, timeout=30)
    assert partner.status_code == 201, partner.text
    created = requests.post(f"{base}/v1/partner/reports", timeout=30, headers={"X-Api-Key": partner.json()["api_key"]},
                            json={"tracking_id": f"CC-{uuid.uuid4().hex[:8]}", "category": "jalan-rusak",
                                  "description": "Jalan berlubang di depan balai desa (telepon warga).",
                                  "kelurahan_code": DESA})
    assert created.status_code == 201, created.text
    report_id = created.json()["id"]
    wait_until(lambda: requests.get(f"{base}/v1/reports/{report_id}", headers=verifier, timeout=30).json()["routed"],
               timeout=30, interval=0.5)

    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    watched = Watched(context.new_page(), base)
    watched.page.set_default_timeout(20_000)
    watched.sign_in(console_stack, "verifier")
    card = listed_card(watched, "/queue", report_id)
    button = card.locator("[data-action=set-point]")
    assert button.inner_text().strip() == "Tetapkan titik"
    button.click()
    point_map = card.locator("[data-testid=point-map][data-ready=true]")
    point_map.wait_for()  # the boundaries drawn, zoomed to the report's desa
    assert card.locator("[data-action=save-point]").is_disabled()  # nothing chosen yet
    point_map.click()  # the middle of the desa
    assert "Titik dipilih" in card.get_by_test_id("point-chosen").inner_text()
    card.locator("[data-testid=set-point-form] textarea").fill("Lokasi dari penelepon: depan balai desa.")
    assert watched.axe_critical() == []
    watched.shot("queue-set-point")
    card.locator("[data-action=save-point]").click()
    card.get_by_text("Titik lokasi tersimpan.").wait_for()

    staff = requests.get(f"{base}/v1/reports/{report_id}", headers=verifier, timeout=30).json()
    assert staff["lat"] is not None and staff["lon"] is not None
    assert staff["kelurahan_code"] == DESA and staff["status"] == "waiting"
    assert staff["history"][-1]["comment"] == "Lokasi dari penelepon: depan balai desa."
    # once verified it is on the public map at that point
    verified = requests.post(f"{base}/v1/reports/{report_id}/transitions", json={"to": "verified"}, headers=verifier,
                             timeout=30)
    assert verified.status_code == 200, verified.text
    features = requests.get(f"{base}/v1/regions/trenggalek/reports/map?limit=100", timeout=30).json()["features"]
    assert [f["geometry"]["coordinates"] for f in features if f["properties"]["id"] == report_id] == \
        [[staff["lon"], staff["lat"]]]
    # the card no longer offers it (the list reloads after saving)
    watched.page.wait_for_function(
        f"!document.querySelector(\"li[data-report-id='{report_id}'] [data-action=set-point]\")")
    assert not watched.problems, watched.problems
    context.close()
