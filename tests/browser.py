"""Browser tests: Playwright driving Debian's Chromium, axe-core on every page visited.

`page` is a fresh browser tab on the live server. Call `assert_accessible(page)` once a
page is displayed: it runs axe-core, fails on any violation, and saves a screenshot to
var/screenshots/. At the end of the test, a page that was loaded but never checked fails
the test too, so no page a journey visits escapes the audit.

Screenshots are for engineers to look at; CI looks at none, and a full-page one cost
0.24 s, about 7 per journey: with `CI=true` (set by .ci/run) they are not taken, unless
`GUICHET_SCREENSHOTS=1`; `GUICHET_SCREENSHOTS=0` turns them off anywhere. axe-core itself
runs on every page whatever the setting.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults

CHROMIUM = os.environ.get("GUICHET_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TAKE_SCREENSHOTS = os.environ.get(
    "GUICHET_SCREENSHOTS", "0" if os.environ.get("CI") == "true" else "1"
) not in ("0", "")
# axe-core's script (570 kB) is injected once per document rather than before every run
# (several runs on one document after htmx swaps); only the violations come back to Python:
# the passes and inapplicable rules, which nothing reads, were serialised at each run.
_AXE_PRESENT = "() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"
_AXE_RUN = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return {violations: results.violations};
}"""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        # Never skipped: a missing browser is an install step to fix (`make browser-deps`).
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageAudit:
    def __init__(self, page):
        self.loads: list[str] = []
        self.audited: set[str] = set()
        page.on("load", lambda: self.loads.append(page.url))

    def unaudited(self) -> list[str]:
        return [url for url in self.loads if url not in self.audited]


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.audit = PageAudit(page)
    page.test_name = re.sub(r"\W+", "_", request.node.name)
    yield page
    unaudited = page.audit.unaudited()
    context.close()
    if unaudited:
        pytest.fail(f"Pages loaded without assert_accessible(page): {unaudited}")


def assert_accessible(page, name: str | None = None) -> None:
    """Run axe-core on the page as displayed now; fail on any violation; screenshot it."""
    page.wait_for_load_state("load")
    if not page.evaluate(_AXE_PRESENT):
        page.evaluate(AXE_SCRIPT)
    results = AxeResults(page.evaluate(_AXE_RUN))
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        label = name or re.sub(r"\W+", "_", page.url.split("//", 1)[-1].split("/", 1)[-1]) or "home"
        page.screenshot(path=SCREENSHOTS / f"{page.test_name}__{label}.png", full_page=True)
    page.audit.audited.add(page.url)
    assert results.violations_count == 0, f"axe-core on {page.url}:\n{results.generate_report()}"
