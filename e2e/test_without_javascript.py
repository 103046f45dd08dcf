"""With JavaScript off, answering is a plain form post and the result page follows (Post/Redirect/Get)."""

import re

import pytest
from playwright.sync_api import expect

from curriculum.models import QuizSubmission
from e2e import steps

pytestmark = pytest.mark.browser


def test_a_student_answers_a_question_without_javascript(world, open_main_page):
    page = open_main_page("question", java_script_enabled=False)
    assert page.evaluate("typeof window.htmx") == "undefined"  # the page's scripts did not run
    question = steps.shown_question(page)

    page.get_by_role("radio", name=question.options[question.correct_answer_index], exact=True).check()
    with page.expect_response(re.compile(r"/q/[^/]+/$")) as posted:
        page.get_by_role("button", name="Check my answer").click()

    assert posted.value.status == 303
    submission = QuizSubmission.objects.filter(student__user=world.users["student"], question=question).get()
    expect(page).to_have_url(f"/learn/{question.chapter_id}/q/{question.quiz_id}/answers/{submission.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Correct!"))
    assert steps.stats(page)[:2] == ["+10 XP this answer", "20 XP in total"]
