"""Bukan wewenang from the console: the verifier forwards a waiting report
from the verification queue to the region's LAPOR! partner (choosing it,
writing the reason, confirming); the report leaves the queue with a notice
and the API then says ``forwarded``.  A partner revoked, or none with a
webhook, is never offered."""
import uuid

import requests

from support.console import queue_card, waiting_report

PARTNERS = "/v1/regions/trenggalek/partners"


def _partner(stack, name, webhook=True):
    body = {"name": name, "channel": "lapor"}
    if webhook:
        body["webhook_url"] = "https://lapor.example.go.id/hooks/aduan"
    made = requests.post(f"{stack.base}{PARTNERS}", json=body, headers=stack.headers("region_admin"), timeout=30)
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _revoke(stack, partner_id):
    reply = requests.post(f"{stack.base}{PARTNERS}/{partner_id}/revoke", headers=stack.headers("region_admin"),
                          timeout=30)
    assert reply.status_code == 200, reply.text


def test_the_verifier_forwards_a_report_to_lapor_from_the_queue(watched, console_stack):
    tag = uuid.uuid4().hex[:6]
    lapor = _partner(console_stack, f"LAPOR! SP4N {tag}")
    revoked = _partner(console_stack, f"LAPOR! lama {tag}")
    _revoke(console_stack, revoked)
    silent = _partner(console_stack, f"Tanpa webhook {tag}", webhook=False)
    report_id = waiting_report(console_stack, f"Jalan nasional Trenggalek–Ponorogo rusak {tag}")
    page = watched.page
    try:
        watched.sign_in(console_stack, "verifier")
        watched.open("/queue")
        card = queue_card(page, report_id)
        card.locator("[data-action=forward]").click()
        form = card.get_by_test_id("forward-form")
        offered = form.locator("select[name=partner_id] option").evaluate_all("os => os.map(o => o.value)")
        assert lapor in offered and revoked not in offered and silent not in offered
        form.locator("select[name=partner_id]").select_option(lapor)
        # too short a reason: said in the page's language, nothing sent
        form.locator("textarea[name=reason]").fill("  x ")
        form.locator("[data-action=forward-next]").click()
        assert "minimal 3 karakter" in form.get_by_role("alert").inner_text()
        form.locator("textarea[name=reason]").fill("Jalan nasional: wewenang BBPJN, bukan wewenang kabupaten.")
        form.locator("[data-action=forward-next]").click()
        confirm = card.get_by_test_id("forward-confirm")
        assert f"LAPOR! SP4N {tag}" in confirm.inner_text()
        watched.shot("queue-forward-confirm")
        confirm.locator("[data-action=forward-confirm]").click()
        notice = page.get_by_test_id("forward-notice")
        notice.get_by_role("status").filter(has_text=f"Laporan diteruskan ke LAPOR! SP4N {tag}.").wait_for()
        page.locator(f"li[data-report-id='{report_id}']").wait_for(state="detached")
        watched.shot("queue-after-forward")

        report = requests.get(f"{console_stack.base}/v1/reports/{report_id}", headers=console_stack.headers("verifier"),
                              timeout=30).json()
        assert report["status"] == "forwarded"
        assert report["history"][-1]["status"] == "forwarded"
        public = requests.get(f"{console_stack.base}/v1/reports/{report_id}", timeout=30).json()
        assert public["status"] == "forwarded" and "BBPJN" not in str(public)
    finally:
        _revoke(console_stack, lapor)  # the stack is shared by the session


def test_no_forward_button_without_an_active_partner(watched, console_stack):
    silent = _partner(console_stack, f"Tanpa webhook {uuid.uuid4().hex[:6]}", webhook=False)
    targets = requests.get(f"{console_stack.base}/v1/regions/trenggalek/forward-targets",
                           headers=console_stack.headers("verifier"), timeout=30).json()["items"]
    assert targets == [], "a partner left active by another test"  # the one above has no webhook
    report_id = waiting_report(console_stack, f"Lampu jalan mati {uuid.uuid4().hex[:6]}")
    watched.sign_in(console_stack, "verifier")
    watched.open("/queue")
    card = queue_card(watched.page, report_id)
    card.locator("[data-action=verify]").wait_for()
    assert card.locator("[data-action=forward]").count() == 0
    _revoke(console_stack, silent)


def test_a_refused_forward_says_why_in_the_pages_language_and_the_report_stays(watched, console_stack):
    tag = uuid.uuid4().hex[:6]
    partner = _partner(console_stack, f"LAPOR! SP4N {tag}")
    report_id = waiting_report(console_stack, f"Jembatan provinsi retak {tag}")
    page = watched.page
    watched.sign_in(console_stack, "verifier")
    page.get_by_test_id("lang-switch").click()  # English
    watched.open("/queue")
    card = queue_card(page, report_id)
    card.locator("[data-action=forward]").click()
    form = card.get_by_test_id("forward-form")
    form.locator("select[name=partner_id]").select_option(partner)
    form.locator("textarea[name=reason]").fill("Provincial bridge")
    form.locator("[data-action=forward-next]").click()
    _revoke(console_stack, partner)  # revoked meanwhile: the API refuses (422)
    card.locator("[data-action=forward-confirm]").click()
    alert = card.get_by_test_id("forward-confirm").get_by_role("alert")
    alert.wait_for()
    assert alert.get_attribute("data-error-code") == "partner_revoked"
    assert "This partner's key is revoked." in alert.inner_text()
    watched.shot("queue-forward-refused-en")
    report = requests.get(f"{console_stack.base}/v1/reports/{report_id}", headers=console_stack.headers("verifier"),
                          timeout=30).json()
    assert report["status"] == "waiting"
    # the browser logs the refused request itself; nothing else went wrong
    assert any("status of 422" in p for p in watched.problems)
    watched.problems[:] = [p for p in watched.problems if "status of 422" not in p]
