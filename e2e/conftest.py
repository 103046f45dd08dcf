"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

One Chromium for the whole e2e package, a fresh browser context (cookies, storage) per test, and
the live server on the test database (transactional: the server thread sees what a test writes).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from accounts.tests.helpers import sign_in
from e2e import main_pages

CHROMIUM = "/usr/bin/chromium"  # Debian's package (.ci/run installs it): Playwright's download is not used
# The background-networking flags keep Chromium from calling home: on a closed network those
# calls hang until they time out, and in CI they are noise.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# A step that has not happened within this time has failed: fail fast with the reason.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all the browser tests.

    Package-scoped, not session-scoped: Playwright's sync API keeps an asyncio loop running in the
    test thread while it lives. Django then refuses ORM calls in that thread (SynchronousOnlyOperation),
    so DJANGO_ALLOW_ASYNC_UNSAFE is set, but only while the browser runs; and asyncio.run() or
    async_to_sync() in any later test would fail. Closing it after e2e/ keeps the rest of the suite
    as it is without the browser tests.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"No Chromium at {CHROMIUM}: install Debian's chromium package (apt-get install chromium).")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def site(live_server) -> str:
    """The live server's base URL (no trailing slash)."""
    return live_server.url


@pytest.fixture
def new_context(browser, site, request):
    """The per-test browser contexts: open one per person (each its own cookie jar); all close after the test.

    Keyword arguments go to Playwright's browser.new_context (e.g. java_script_enabled=False).
    A failing test leaves a screenshot of each open page under test-artifacts/failures/.
    """
    contexts = []

    def open_context(**options):
        options = {"base_url": site, "viewport": DESKTOP, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        failures = ARTIFACTS / "failures"
        failures.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for c, context in enumerate(contexts):
            for p, page in enumerate(context.pages):
                page.screenshot(path=failures / f"{name}-{c}-{p}.png", full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def log_in_context(site):
    """Sign a browser context in as a user without the login form (Django's force_login session)."""

    def log_in(context, user):
        client = sign_in(Client(), user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])
        return context

    return log_in


@pytest.fixture
def world(transactional_db):
    """Content and people for every main page (see main_pages.build_world)."""
    return main_pages.build_world()


@pytest.fixture
def open_main_page(world, new_context, log_in_context):
    """Open one of the main pages, as the person it is for, in a context of its own."""

    def open_page(name: str, **options):
        main_page = world.pages[name]
        context = new_context(**options)
        user = world.users[main_page.who]
        if user is not None:
            log_in_context(context, user)
        page = context.new_page()
        response = page.goto(main_page.path)
        assert response.status == 200, f"{name}: {main_page.path} answered {response.status}"
        return page

    return open_page


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell that the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
