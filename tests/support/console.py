"""Helpers of the console's browser tests (tests/browser/): a report put in
the verification queue through the API, and its card found in the page."""
from __future__ import annotations

import uuid

import requests

from .data import new_report
from .localstack import wait_until

QUEUE = "/v1/regions/trenggalek/verification-queue"


def queued(stack, report_id: str) -> bool:
    """Whether the report is in the waiting queue yet (every page read)."""
    cursor = None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = requests.get(f"{stack.base}{QUEUE}", params=params, headers=stack.headers("verifier"), timeout=30)
        assert page.status_code == 200, page.text
        body = page.json()
        if any(item["id"] == report_id for item in body["items"]):
            return True
        cursor = body["next_cursor"]
        if not cursor:
            return False


def waiting_report(stack, description: str) -> str:
    """A citizen's new report, once the workers have put it in the queue."""
    created = requests.post(f"{stack.base}/v1/regions/trenggalek/reports", json=new_report(description=description),
                            headers={**stack.headers("citizen"), "Idempotency-Key": uuid.uuid4().hex}, timeout=30)
    assert created.status_code == 201, created.text
    report_id = created.json()["id"]
    wait_until(lambda: queued(stack, report_id), timeout=30, interval=0.5)
    return report_id


def queue_card(page, report_id: str):
    """The report's card in the queue page shown, loading further pages until it is there."""
    page.wait_for_selector("[data-testid=report-list], [data-testid=empty-list]")
    card = page.locator(f"li[data-report-id='{report_id}']")
    more = page.get_by_role("button", name="Muat lebih banyak")
    while card.count() == 0 and more.count() > 0:
        more.click()
        page.wait_for_timeout(300)
    assert card.count() == 1, f"{report_id} is not in the queue page"
    return card


def listed_card(watched, path: str, report_id: str):
    """The report's card on a list page (``path``), reloading until the
    page lists it (the workers may not have reached it yet)."""
    card = watched.page.locator(f"li[data-report-id='{report_id}']")

    def listed() -> bool:
        watched.open(path)
        watched.page.reload()
        watched.page.wait_for_selector("[data-testid=report-list], [data-testid=empty-list]")
        return card.count() > 0

    wait_until(listed, timeout=30, interval=0.5)
    return card
