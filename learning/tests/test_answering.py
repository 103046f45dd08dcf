"""Answering a question through the browser's forms: the whole flow and every kind of bad input."""

import datetime
import re

import pytest

from accounts.tests.factories import ParentFactory, StaffFactory
from accounts.tests.helpers import sign_in
from curriculum.models import QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning import forms as answer_forms

pytestmark = pytest.mark.django_db


def url(question):
    return f"/learn/{question.chapter_id}/q/{question.quiz_id}/"


def token_from(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_the_question_page_shows_options_but_never_the_answer(student_client):
    question = QuestionFactory(options=["Mars", "Venus", "Jupiter"], correct_answer_index=2, explanation="Big one.")

    response = student_client.get(url(question))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="selected_answer_index"') == 3
    for index in range(3):
        assert f'value="{index}"' in html
    assert "Big one." not in html
    assert "correct_answer_index" not in html


def test_answering_redirects_to_the_result_with_the_explanation_and_xp(student_client):
    question = QuestionFactory(options=["1", "2", "3"], correct_answer_index=1, explanation="One more than one.")
    page = student_client.get(url(question))

    response = student_client.post(url(question), {"selected_answer_index": "1", "token": token_from(page)})

    assert response.status_code == 303
    result = student_client.get(response["Location"])
    html = result.content.decode()
    assert "Correct!" in html
    assert "One more than one." in html
    assert "+10 XP" in html
    assert "10 XP" in html


def test_a_wrong_answer_shows_the_correct_option(student_client):
    question = QuestionFactory(options=["red", "blue"], correct_answer_index=1)
    page = student_client.get(url(question))

    response = student_client.post(
        url(question), {"selected_answer_index": "0", "token": token_from(page)}, follow=True
    )

    html = response.content.decode()
    assert "Not quite" in html
    assert "Correct answer" in html
    assert QuizSubmission.objects.get().is_correct is False


def test_a_practice_answer_says_why_it_earned_nothing(student_client):
    question = QuestionFactory()
    for _ in range(2):
        page = student_client.get(url(question))
        response = student_client.post(
            url(question), {"selected_answer_index": "2", "token": token_from(page)}, follow=True
        )
    assert "come back tomorrow for XP" in response.content.decode()


def test_a_resubmitted_form_records_one_answer_and_shows_the_same_result(student_client):
    question = QuestionFactory()
    token = token_from(student_client.get(url(question)))

    first = student_client.post(url(question), {"selected_answer_index": "2", "token": token})
    second = student_client.post(url(question), {"selected_answer_index": "2", "token": token})

    assert first["Location"] == second["Location"]
    assert QuizSubmission.objects.count() == 1
    student_client.student.refresh_from_db()
    assert student_client.student.total_xp == 10


@pytest.mark.parametrize("value", [None, "", "abc", "1.5", "4", "-1"])
def test_a_bad_answer_index_shows_the_question_again_with_400(student_client, value):
    question = QuestionFactory()
    data = {"token": token_from(student_client.get(url(question)))}
    if value is not None:
        data["selected_answer_index"] = value

    response = student_client.post(url(question), data)

    assert response.status_code == 400
    assert "Choose one of the answers" in response.content.decode()
    assert 'name="selected_answer_index"' in response.content.decode()
    assert not QuizSubmission.objects.exists()


def test_a_tampered_token_asks_to_reload(student_client):
    question = QuestionFactory()
    token = token_from(student_client.get(url(question)))

    response = student_client.post(url(question), {"selected_answer_index": "2", "token": token[:-2] + "xx"})

    assert response.status_code == 400
    assert "reload the question" in response.content.decode()
    assert not QuizSubmission.objects.exists()


def test_a_token_for_another_question_or_student_is_refused(student_client):
    question = QuestionFactory()
    other = QuestionFactory(chapter=question.chapter)
    token = token_from(student_client.get(url(other)))

    response = student_client.post(url(question), {"selected_answer_index": "2", "token": token})

    assert response.status_code == 400
    assert not QuizSubmission.objects.exists()


def test_an_expired_token_asks_to_reload(student_client, monkeypatch):
    question = QuestionFactory()
    token = token_from(student_client.get(url(question)))
    # Age the form: any token older than "-1 second" has expired.
    monkeypatch.setattr(answer_forms, "TOKEN_MAX_AGE", datetime.timedelta(seconds=-1))

    response = student_client.post(url(question), {"selected_answer_index": "2", "token": token})

    assert response.status_code == 400
    assert "reload the question" in response.content.decode()
    assert not QuizSubmission.objects.exists()


def test_unknown_chapter_or_question_or_wrong_chapter_is_404(student_client):
    question = QuestionFactory()
    other_chapter = ChapterFactory()

    assert student_client.get(f"/learn/nope/q/{question.quiz_id}/").status_code == 404
    assert student_client.get(f"/learn/{question.chapter_id}/q/nope/").status_code == 404
    assert student_client.get(f"/learn/{other_chapter.id}/q/{question.quiz_id}/").status_code == 404
    assert student_client.post(f"/learn/{other_chapter.id}/q/{question.quiz_id}/", {}).status_code == 404


def test_a_locked_chapter_says_how_much_xp_is_missing_and_records_nothing(student_client):
    question = QuestionFactory(chapter=ChapterFactory(is_locked=True, unlock_xp_required=40))

    page = student_client.get(url(question))
    post = student_client.post(url(question), {"selected_answer_index": "2", "token": "x"})

    assert page.status_code == 403
    assert "40 more XP" in page.content.decode()
    assert post.status_code == 403
    assert not QuizSubmission.objects.exists()


def test_a_locked_chapter_that_needs_no_xp_is_open(student_client):
    question = QuestionFactory(chapter=ChapterFactory(is_locked=True, unlock_xp_required=0))
    assert student_client.get(url(question)).status_code == 200


@pytest.mark.parametrize("factory", [ParentFactory, StaffFactory])
def test_parents_and_staff_may_not_answer(client, factory):
    account = factory()
    sign_in(client, getattr(account, "user", account))
    question = QuestionFactory()

    assert client.get(url(question)).status_code == 403
    assert client.post(url(question), {"selected_answer_index": "2", "token": "x"}).status_code == 403
    assert not QuizSubmission.objects.exists()


def test_anonymous_visitors_are_sent_to_login_with_next(client):
    question = QuestionFactory()
    response = client.get(url(question))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(question)}"


def test_htmx_gets_the_result_fragment_in_place(student_client):
    question = QuestionFactory()
    token = token_from(student_client.get(url(question)))

    response = student_client.post(
        url(question), {"selected_answer_index": "2", "token": token}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Correct!" in html
    assert "<html" not in html
