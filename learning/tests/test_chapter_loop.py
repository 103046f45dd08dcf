"""The loop inside a chapter: a summary when it is done, a retry that says it fixed the mistake, "Try again"
at once, the moment a chapter opens, and a result with its own address."""

import datetime
import re

import pytest

from accounts.tests.factories import StudentFactory
from accounts.tests.helpers import sign_in
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def chapter():
    counting = ChapterFactory(id="counting", name="Counting", subject="Math", order=1, is_locked=False)
    ChapterFactory(id="adding", name="Adding", subject="Math", order=2, is_locked=False)
    ChapterFactory(id="plants", name="Plants", subject="Science", order=1, is_locked=False)
    questions = QuestionFactory.create_batch(3, chapter=counting, difficulty_level="easy")
    return counting, questions


def wrong(question) -> int:
    return (question.correct_answer_index + 1) % len(question.options)


def result_of(client, submission):
    question = submission.question
    return client.get(f"/learn/{question.chapter_id}/q/{question.quiz_id}/answers/{submission.pk}/").text


def test_the_summary_comes_exactly_when_every_question_has_a_counted_answer(client, chapter, frozen_clock):
    _, (q1, q2, q3) = chapter
    student = StudentFactory()
    sign_in(client, student.user)
    answer(student, q1)
    second = answer(student, q2, index=wrong(q2))
    assert "See how the chapter went" not in result_of(client, second)
    assert client.get("/learn/counting/summary/")["Location"] == "/learn/counting/"  # not yet

    last = answer(student, q3)

    html = result_of(client, last)
    assert "See how the chapter went" in html and "Next question" not in html
    summary = client.get("/learn/counting/summary/").text
    assert re.search(r"<strong>2 of 3</strong> <span>right</span>", summary)
    assert "<strong>20 XP</strong> <span>earned here</span>" in summary
    assert f"/learn/counting/q/{q2.quiz_id}/" in summary and "Practise the 1 you missed" in summary
    assert "Next chapter: Adding" in summary  # the next open chapter of the same subject
    assert "See how the chapter went" in client.get("/learn/counting/").text


def test_a_wrong_answer_offers_try_again_at_once_and_a_right_retry_says_it_fixed_it(client, chapter, frozen_clock):
    _, (q1, _q2, _q3) = chapter
    student = StudentFactory()
    sign_in(client, student.user)
    missed = answer(student, q1, index=wrong(q1))
    html = result_of(client, missed)
    assert f'href="/learn/counting/q/{q1.quiz_id}/" role="button">Try again' in html

    retry = answer(student, q1, at=NOON + datetime.timedelta(minutes=5))

    html = result_of(client, retry)
    assert "You fixed it!" in html
    assert "It counts when you get it right on another day" in html
    assert "it is in your review on Wednesday 11 Mar" in html  # its card: a wrong answer comes back tomorrow
    assert "Fixed today" in client.get("/learn/counting/").text
    assert retry.xp_earned == 0 and not retry.is_counted  # the counting rule is unchanged


def test_the_answer_that_opens_a_chapter_says_so_once_and_the_map_marks_it_new(client, chapter, frozen_clock):
    _, (q1, q2, q3) = chapter
    ChapterFactory(id="shapes", name="Shapes", subject="Math", order=3, is_locked=True, unlock_xp_required=20)
    student = StudentFactory()
    sign_in(client, student.user)
    first = answer(student, q1)
    assert "New chapter open" not in result_of(client, first)

    second = answer(student, q2)

    html = result_of(client, second)
    assert 'New chapter open: <a href="/learn/shapes/">Shapes</a>' in html
    third = answer(student, q3)
    assert "New chapter open" not in result_of(client, third)  # once: the answer that crossed the line
    learn = client.get("/learn/").text
    shapes = re.search(r'<article class="chapter-card">.*?Shapes.*?</article>', learn, re.S)[0]
    assert "New!" in shapes
    answer(student, QuestionFactory(chapter_id="shapes"))
    learn = client.get("/learn/").text
    shapes = re.search(r'<article class="chapter-card">.*?Shapes.*?</article>', learn, re.S)[0]
    assert "New!" not in shapes


def test_the_htmx_answer_pushes_the_results_address_and_title(client, chapter):
    _, (q1, _q2, _q3) = chapter
    student = StudentFactory()
    sign_in(client, student.user)
    page = client.get(f"/learn/counting/q/{q1.quiz_id}/").text
    token = re.search(r'name="token" value="([^"]+)"', page)[1]

    response = client.post(
        f"/learn/counting/q/{q1.quiz_id}/",
        {"token": token, "selected_answer_index": q1.correct_answer_index},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    pushed = response["HX-Push-Url"]
    assert re.fullmatch(rf"/learn/counting/q/{q1.quiz_id}/answers/\d+/", pushed)
    assert "<title>Correct! · Counting · Learning Quest</title>" in response.text
    assert 'id="result-heading" tabindex="-1" autofocus' in response.text
    assert client.get(pushed).status_code == 200  # a reload shows the result
