"""A new student signs up, answers right and wrong, watches the numbers move and unlocks a chapter."""

import pytest
from playwright.sync_api import expect

from accounts.models import Student
from curriculum.models import QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from e2e import steps

pytestmark = pytest.mark.browser


@pytest.fixture
def curriculum():
    """An open chapter of three easy questions (10 XP each) and a chapter locked until 20 XP."""
    counting = ChapterFactory(id="counting", name="Counting", subject="Math", order=1, is_locked=False)
    QuestionFactory.create_batch(3, chapter=counting, difficulty_level="easy")
    shapes = ChapterFactory(id="shapes", name="Shapes", subject="Math", order=2, is_locked=True, unlock_xp_required=20)
    QuestionFactory(chapter=shapes)
    return counting, shapes


def test_a_student_signs_up_answers_and_unlocks_a_chapter(curriculum, new_context):
    page = new_context(timezone_id="Europe/Paris").new_page()

    steps.sign_up(
        page, "/accounts/signup/student/", name="Ada Lovelace", email="ada@example.com", button="Create my account"
    )
    expect(page).to_have_url("/learn/")
    expect(page.get_by_role("status")).to_have_text("Welcome, Ada Lovelace! Pick a chapter to start.")
    student = Student.objects.get(email="ada@example.com")
    assert student.time_zone == "Europe/Paris"  # filled in from the browser by timezone.js

    shapes = page.locator(".chapter-card", has=page.get_by_role("heading", name="Shapes"))
    expect(shapes).to_contain_text("earn 20 more XP to open")
    expect(shapes.get_by_role("link")).to_have_count(0)
    page.goto("/learn/shapes/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shapes is still locked")
    expect(page.locator("main")).to_contain_text("You need 20 more XP")

    page.goto("/dashboard/")
    assert steps.stats(page)[:3] == ["0 XP in total", "0 day streak", "0 best streak"]

    page.goto("/learn/")
    page.get_by_role("link", name="Counting").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Counting")
    page.get_by_role("button", name="Start").click()

    steps.answer(page, correctly=False)
    assert steps.stats(page) == ["+0 XP this answer", "0 XP in total", "1 day streak", "0% mastery of Counting"]
    expect(page.locator(".no-xp-reason")).to_have_text("No XP this time — read the explanation and try again tomorrow.")

    page.get_by_role("button", name="Next question").click()
    steps.answer(page, correctly=True)
    assert steps.stats(page) == ["+10 XP this answer", "10 XP in total", "1 day streak", "33% mastery of Counting"]

    page.get_by_role("button", name="Next question").click()
    steps.answer(page, correctly=True)
    assert steps.stats(page) == ["+10 XP this answer", "20 XP in total", "1 day streak", "67% mastery of Counting"]
    assert QuizSubmission.objects.filter(student=student).count() == 3

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hi Ada Lovelace!")
    assert steps.stats(page)[:3] == ["20 XP in total", "1 day streak — today counts ✔", "1 best streak"]
    assert steps.stats(page)[3] == "3 answers this week, 67% correct"
    counting_row = page.locator(".mastery-list li", has_text="Counting")  # a list, not a table, for a child
    expect(counting_row).to_contain_text("67%")
    expect(counting_row).to_contain_text("Familiar")

    page.get_by_role("link", name="Learn", exact=True).click()
    expect(page.locator("hgroup")).to_contain_text("You have 20 XP")
    expect(shapes).not_to_contain_text("more XP")
    shapes.get_by_role("link", name="Shapes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shapes")
    expect(page.get_by_role("button", name="Start")).to_be_visible()
