"""Browser tests of the web console: Debian's chromium driven by Playwright
(``executable_path``; Playwright's own browser downloads are not used)
against the real local stack (``make run``'s ``python -m devstack run``),
which serves the console and the API from one origin.

Every page opened through the ``page`` fixture fails its test on a console
error, an uncaught exception or a failed request of the console's own
origin. Screenshots go to ``test-artifacts/screenshots/`` (the README
names it)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from devstack.seed import DEMO_PASSWORD
from support.localstack import running_stack

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate:
            return candidate
    pytest.fail("no chromium: `make test` installs Debian's package as root; elsewhere install it "
                "(apt-get install chromium) or set CHROMIUM=/path/to/chrome")


@pytest.fixture(scope="session")
def console_stack(tmp_path_factory):
    if not (Path(os.environ.get("ADUAN_CONSOLE_DIST") or ROOT / "web" / "dist") / "index.html").exists():
        pytest.fail("the console is not built: run `make console` (make test does)")
    with running_stack(tmp_path_factory.mktemp("console"), "--retry-delay", "0", "--schedule-seconds", "2") as stack:
        yield stack


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page whose console errors, uncaught exceptions and failed requests
    are collected."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.problems: list[str] = []
        page.on("console", lambda m: self.problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        # a request cut short by leaving the page (ERR_ABORTED) is not a failure
        page.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "") else
                self.problems.append(f"request failed: {r.url} {r.failure}"))

    def open(self, hash_path: str = "/") -> None:
        self.page.goto(f"{self.base}/#{hash_path}")

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe_critical(self) -> list[dict]:
        """axe-core (pinned in web/package.json) run in the page; the
        critical violations."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text() + "\n;true")
        result = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"] if v["impact"] == "critical"]

    def sign_in(self, stack, role: str, password: str = DEMO_PASSWORD) -> None:
        """Sign in by typing into the console's form, as staff do."""
        self.open("/signin")
        form = self.page.get_by_test_id("signin-form")
        form.locator("input[name=username]").fill(stack.state()["accounts"][role])
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        self.page.get_by_test_id("signout").wait_for()


@pytest.fixture
def watched(browser, console_stack, request):
    viewport = PHONE if "phone" in request.node.name else DESKTOP
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    result = Watched(page, console_stack.base)
    yield result
    problems = list(result.problems)
    context.close()
    assert not problems, "the console logged errors:\n" + "\n".join(problems)
