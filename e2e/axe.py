"""axe-core (e2e/vendor/axe.min.js, from the npm package) run inside a page."""

import functools
from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@functools.cache
def _source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def blocking_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one readable line each.

    The script goes in through Playwright's evaluate (the DevTools protocol), which the page's
    Content-Security-Policy does not govern: a <script> tag added to the page would be refused.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]
