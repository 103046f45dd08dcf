"""Accessibility: no serious or critical axe-core violation on any main page, the quiz works with the
keyboard alone, and the activity chart has a text alternative."""

import re

import pytest
from playwright.sync_api import expect

from curriculum.models import QuizSubmission
from e2e import main_pages, steps
from e2e.axe import blocking_violations
from e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

OPEN_ALL_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
FOCUSED = "() => [document.activeElement.name || '', document.activeElement.value || '']"


@pytest.mark.parametrize("name", main_pages.NAMES)
def test_the_page_has_no_serious_accessibility_violation(name, open_main_page):
    # At phone width in light mode, then at desktop width in dark mode (Pico follows the system's
    # colour scheme): both widths and both palettes are checked.
    page = open_main_page(name, viewport=PHONE, color_scheme="light")
    page.evaluate(OPEN_ALL_DETAILS)  # what is folded away is checked too
    assert blocking_violations(page) == [], f"{name} at phone width, light"

    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="dark")
    page.reload()  # loaded dark, not caught halfway through Pico's colour transitions
    page.evaluate(OPEN_ALL_DETAILS)
    assert blocking_violations(page) == [], f"{name} at desktop width, dark"


def test_a_question_can_be_answered_with_the_keyboard_alone(world, open_main_page):
    page = open_main_page("question")
    question = steps.shown_question(page)
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED)[0] == "selected_answer_index":
            break
    # The options are in this child's own order: the first one shown takes the focus.
    shown = page.locator('input[name="selected_answer_index"]').evaluate_all("radios => radios.map(r => r.value)")
    assert page.evaluate(FOCUSED) == ["selected_answer_index", shown[0]], "Tab never reached the first option"

    right = str(question.correct_answer_index)
    for _ in range(shown.index(right)):
        page.keyboard.press("ArrowDown")  # moves and checks
    if shown.index(right) == 0:
        page.keyboard.press("Space")  # Tab only focused it
    assert page.evaluate(FOCUSED) == ["selected_answer_index", right]
    expect(page.get_by_role("radio", name=question.options[question.correct_answer_index], exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Check my answer")).to_be_focused()
    page.keyboard.press("Space")

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Correct!"))
    latest = QuizSubmission.objects.filter(student__user=world.users["student"]).latest("id")
    assert (latest.selected_answer_index, latest.is_correct) == (question.correct_answer_index, True)


def test_the_activity_chart_has_a_text_alternative(open_main_page):
    page = open_main_page("dashboard")
    chart = page.locator("figure.chart svg")
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator("title")).to_have_text("Answers per day, last 30 days")
    expect(chart.locator("desc")).to_contain_text("2 answers, 1 correct, on 1 of the last 30 days")
    expect(chart).to_have_accessible_name(re.compile(r"^Answers per day, last 30 days 2 answers, 1 correct"))
