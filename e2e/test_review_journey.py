"""A child finishes a chapter (its summary), then meets a question again in today's review and earns review XP."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import StudentFactory
from analytics.models import ReviewCard
from curriculum.models import QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from e2e import steps
from e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_a_child_finishes_a_chapter_and_answers_a_due_review(new_context, log_in_context):
    counting = ChapterFactory(id="counting", name="Counting", subject="Math", order=1, is_locked=False)
    QuestionFactory.create_batch(2, chapter=counting, difficulty_level="easy")
    ChapterFactory(id="adding", name="Adding", subject="Math", order=2, is_locked=False)
    QuestionFactory(chapter_id="adding")
    student = StudentFactory(name="Ada Lovelace")
    page = log_in_context(new_context(), student.user).new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto("/learn/counting/")
    page.get_by_role("button", name="Start").click()
    steps.answer(page, correctly=True)
    page.get_by_role("button", name="Next question").click()
    steps.answer(page, correctly=False)
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    page.get_by_role("button", name="See how the chapter went").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You finished Counting!")
    expect(page.locator(".chapter-summary")).to_contain_text("1 of 2")
    expect(page.get_by_role("button", name="Next chapter: Adding")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "chapter-summary.png", full_page=True)

    # Days later (as the scheduler would have it): the question she got right is due today.
    right = QuizSubmission.objects.get(student=student, is_correct=True).question
    ReviewCard.objects.filter(student=student, question=right).update(
        due_on=timezone.localdate(), due_at=timezone.now(), last_review=timezone.now() - timezone.timedelta(days=3)
    )
    page.goto("/dashboard/")
    expect(page.locator("main")).to_contain_text("1 question to review today")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"/learn/counting/q/{right.quiz_id}/")
    page.goto("/review/")
    expect(page.locator(".review-list")).to_contain_text("Last right 3 days ago")
    page.screenshot(path=SCREENSHOTS / "review.png", full_page=True)
