"""The console's region after an admin edit: the region admin renames an
agency in ``#/admin/categories`` and, without signing in again or reloading
the page, the verification queue's agency choice already shows the new name
(``app.region`` is read again after the save)."""
import uuid

import requests

from support.console import queue_card, waiting_report

REGION = "/v1/regions/trenggalek"


def _agencies(stack):
    reply = requests.get(f"{stack.base}{REGION}", headers=stack.headers("region_admin"), timeout=30)
    assert reply.status_code == 200, reply.text
    return reply.json()["agencies"]


def _put_back(stack, agencies):
    reply = requests.patch(f"{stack.base}{REGION}", headers=stack.headers("region_admin"), timeout=30, json={
        "agencies": [{"code": a["code"], "name_id": a["name"]["id"], "name_en": a["name"]["en"]} for a in agencies]})
    assert reply.status_code < 300, reply.text


def test_an_agency_renamed_in_admin_shows_at_once_on_the_queue(watched, console_stack):
    before = _agencies(console_stack)
    dpupr = next(a for a in before if a["code"] == "dpupr")
    renamed = f"Dinas PUPR Baru {uuid.uuid4().hex[:6]}"
    report_id = waiting_report(console_stack, f"Saluran air tersumbat {uuid.uuid4().hex[:6]}")
    page = watched.page
    try:
        watched.sign_in(console_stack, "region_admin")  # the console reads the region now
        page.get_by_role("link", name="Kategori & dinas").click()
        page.evaluate("window.__sameDocument = true")  # gone if anything below reloaded the page
        form = page.get_by_test_id("agencies-form")
        form.locator("[data-code='dpupr']").get_by_label("Nama (Indonesia)").fill(renamed)
        form.get_by_role("button", name="Simpan dinas").click()
        page.get_by_test_id("agencies-saved").get_by_role("status").filter(has_text="Tersimpan.").wait_for()
        assert next(a for a in _agencies(console_stack) if a["code"] == "dpupr")["name"]["id"] == renamed

        page.get_by_role("link", name="Verifikasi", exact=True).click()
        card = queue_card(page, report_id)
        card.locator("[data-action=verify]").click()
        select = card.locator("[data-testid=verify-form] select[name=agency]")
        select.locator(f"option[value='dpupr']:has-text('{renamed}')").wait_for(state="attached")
        names = select.locator("option").all_inner_texts()
        assert renamed in names and dpupr["name"]["id"] not in names
        assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
        watched.shot("queue-after-agency-rename")
    finally:
        _put_back(console_stack, before)
    assert _agencies(console_stack) == before
