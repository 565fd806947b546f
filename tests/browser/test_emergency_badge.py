"""An emergency in the console: the staff lists and the report page say so in
words ("DARURAT" / "EMERGENCY"), not by colour alone."""
import uuid

import requests

from support.console import listed_card
from support.data import new_report
from support.localstack import wait_until


def test_an_emergency_is_marked_in_the_officers_inbox_and_on_its_page(browser, console_stack):
    from tests.browser.conftest import DESKTOP, Watched

    base = console_stack.base
    created = requests.post(f"{base}/v1/regions/trenggalek/reports",
                            json=new_report(category="kebakaran", description=f"Gudang terbakar {uuid.uuid4().hex[:6]}"),
                            headers={**console_stack.headers("citizen"), "Idempotency-Key": uuid.uuid4().hex},
                            timeout=30)
    assert created.status_code == 201, created.text
    report_id = created.json()["id"]

    def dispatched():
        view = requests.get(f"{base}/v1/reports/{report_id}", timeout=30).json()
        return view["status"] == "verified" and view["emergency"] is True

    wait_until(dispatched, timeout=30, interval=0.5)  # no verifier: the routing worker dispatched it
    # the demo's officer is Dinas PUPR's: the desk passes the fire to PUPR (a collapsed road blocks the way)
    passed = requests.post(f"{base}/v1/reports/{report_id}/handoff", json={"reason": "Akses jalan amblas",
                                                                           "agency": "dpupr"},
                           headers=console_stack.headers("verifier"), timeout=30)
    assert passed.status_code == 200, passed.text

    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    watched = Watched(context.new_page(), base)
    watched.page.set_default_timeout(20_000)
    watched.sign_in(console_stack, "officer")
    card = listed_card(watched, "/inbox?tab=verified", report_id)
    badge = card.locator("[data-emergency=true]")
    assert badge.inner_text().strip().endswith("DARURAT")
    assert watched.page.locator("[data-emergency=true]").count() >= 1
    assert watched.axe_critical() == []
    watched.shot("inbox-emergency")

    watched.open(f"/report/{report_id}")
    assert watched.page.get_by_test_id("report-emergency").inner_text().strip().endswith("DARURAT")
    watched.page.evaluate("localStorage.setItem('aduan.lang', 'en')")
    watched.page.reload()
    assert watched.page.get_by_test_id("report-emergency").inner_text().strip().endswith("EMERGENCY")
    assert not watched.problems, watched.problems
    context.close()
