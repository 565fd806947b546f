"""The whole staff flow by clicking in the console: the verifier verifies a
new report, the field officer takes it and finishes it with an evidence
photo chosen through the file input (uploaded from the browser straight to
the photo bucket), and the citizen's view of the report then says done."""
import uuid

import requests

from support.data import new_report
from support.images import jpeg_with_gps
from support.localstack import wait_until


def _in_list(watched, report_id, reload_to):
    """The report's card, reloading the list until the workers have put it there."""
    card = watched.page.locator(f"li[data-report-id='{report_id}']")

    def there():
        watched.open(reload_to)
        watched.page.reload()  # a fresh list, not the one of the previous tab
        watched.page.wait_for_selector("[data-testid=report-list], [data-testid=empty-list]")
        return card.count() > 0

    wait_until(there, timeout=30, interval=0.5)
    return card


def test_verify_take_finish_with_a_photo_then_the_citizen_sees_done(browser, console_stack, tmp_path):
    from tests.browser.conftest import DESKTOP, Watched

    base = console_stack.base
    description = f"Jalan berlubang dekat balai desa {uuid.uuid4().hex[:6]}"
    created = requests.post(f"{base}/v1/regions/trenggalek/reports", json=new_report(description=description),
                            headers={**console_stack.headers("citizen"), "Idempotency-Key": uuid.uuid4().hex},
                            timeout=30)
    assert created.status_code == 201, created.text
    report_id = created.json()["id"]
    photo = tmp_path / "bukti.jpg"
    photo.write_bytes(jpeg_with_gps(320, 240))

    problems = []
    for role in ("verifier", "officer"):
        context = browser.new_context(viewport=DESKTOP, locale="id-ID")
        watched = Watched(context.new_page(), base)
        watched.page.set_default_timeout(20_000)
        watched.sign_in(console_stack, role)
        if role == "verifier":
            card = _in_list(watched, report_id, "/queue")
            card.locator("[data-action=verify]").click()
            card.locator("[data-testid=verify-form] [data-action=submit]").click()
            card.get_by_role("status").wait_for()
            watched.shot("queue-after-verify")
        else:
            card = _in_list(watched, report_id, "/inbox?tab=verified")
            card.locator("[data-action=take]").click()
            card.get_by_role("status").wait_for()
            card = _in_list(watched, report_id, "/inbox?tab=in_process")
            card.locator("[data-action=note]").click()
            card.locator("[data-testid=note-form] textarea").fill("Tim sudah di lokasi.")
            card.locator("[data-testid=note-form] button[type=submit]").click()
            card.get_by_text("Catatan tersimpan.").wait_for()
            card.locator("[data-action=finish]").click()
            form = card.locator("[data-testid=finish-form]")
            form.locator("input[type=file]").set_input_files(str(photo))
            form.locator("textarea").fill("Lubang sudah ditambal.")
            watched.shot("inbox-finish")
            form.locator("[data-action=finish-submit]").click()
            card.get_by_text("Laporan selesai.").wait_for(timeout=45_000)
        problems += watched.problems
        context.close()
    assert not problems, problems

    # the citizen's view
    mine = requests.get(f"{base}/v1/reports/{report_id}", headers=console_stack.headers("citizen"), timeout=30).json()
    assert mine["status"] == "done"
    assert mine.get("photos"), "the evidence photo is on the report"
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    watched = Watched(context.new_page(), base)
    watched.open(f"/report/{report_id}")
    status = watched.page.get_by_test_id("report-status")
    status.wait_for()
    assert "Selesai" in status.inner_text()
    watched.shot("report-done")
    assert not watched.problems, watched.problems
    context.close()
