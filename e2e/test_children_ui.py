"""What a child holds in their hand: big answer buttons, a one-line header, number keys, "Read to me"."""

import pytest
from playwright.sync_api import expect

from e2e import steps
from e2e.conftest import PHONE, SCREENSHOTS

pytestmark = pytest.mark.browser


def test_on_a_phone_the_answers_are_big_buttons_and_the_header_is_one_line(open_main_page):
    page = open_main_page("question", viewport=PHONE)
    header = page.locator("body > header").bounding_box()
    assert header["height"] <= 64, header
    options = page.locator(".options label")
    fieldset = page.locator(".options").bounding_box()
    for i in range(options.count()):
        box = options.nth(i).bounding_box()
        assert box["height"] >= 56, box
        assert box["width"] >= fieldset["width"] - 1, (box, fieldset)
    expect(options.first.locator(".option-badge")).to_have_text("A")
    expect(page.locator(".chapter-progress")).to_contain_text("Question")
    # The main links are in a bar at the bottom of the screen.
    bar = page.locator(".nav-links").bounding_box()
    assert bar["y"] + bar["height"] >= PHONE["height"] - 1, bar
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "question-buttons-phone.png")


def test_number_keys_choose_the_answer_in_that_place(open_main_page):
    page = open_main_page("question")
    page.keyboard.press("2")
    second = page.locator('.options input[name="selected_answer_index"]').nth(1)
    expect(second).to_be_checked()
    expect(second).to_be_focused()


def test_read_to_me_shows_only_where_the_browser_can_speak(open_main_page, new_context):
    page = open_main_page("question")
    expect(page.get_by_role("button", name="Read to me")).to_be_visible()
    mute = open_main_page("question")
    mute.context.add_init_script("delete window.speechSynthesis;")
    mute.reload()
    expect(mute.get_by_role("button", name="Read to me")).to_be_hidden()


def test_a_right_answer_celebrates_but_nothing_moves_when_motion_is_reduced(open_main_page):
    for motion, expected in (("no-preference", "lq-pop"), ("reduce", "none")):
        page = open_main_page("question", reduced_motion=motion)
        steps.answer(page, correctly=True)
        animation = page.locator(".result-correct").evaluate("element => getComputedStyle(element).animationName")
        assert animation == expected, motion
        expect(page.locator(".encouragement")).to_have_text("Well done! Keep the streak going.")
        page.context.close()


def test_the_30_day_charts_labels_are_legible_on_a_phone(open_main_page):
    page = open_main_page("dashboard", viewport=PHONE)
    heights = page.locator("figure.chart svg text").evaluate_all(
        "labels => labels.map(label => label.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 11, heights
