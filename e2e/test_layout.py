"""Every main page fits a phone (nothing scrolls sideways); screenshots at phone and desktop sizes, in the light
and the dark colour scheme, for review."""

import pytest

from e2e import main_pages
from e2e.conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = pytest.mark.browser

PAGE_WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", main_pages.NAMES)
def test_the_page_fits_a_phone_and_is_captured_at_both_sizes(name, scheme, open_main_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_main_page(name, viewport=PHONE, color_scheme=scheme)
    scroll_width, inner_width = page.evaluate(PAGE_WIDTHS)
    assert inner_width == PHONE["width"]
    assert scroll_width <= inner_width, f"{name} scrolls sideways on a phone: {scroll_width} px wide"
    suffix = "" if scheme == "light" else "-dark"
    page.screenshot(path=SCREENSHOTS / f"{name}-phone{suffix}.png", full_page=True)

    page.set_viewport_size(DESKTOP)
    page.screenshot(path=SCREENSHOTS / f"{name}-desktop{suffix}.png", full_page=True)
