"""A student may answer at most 20 times a minute: the next answer gets a friendly 429 and records nothing."""

import datetime

import pytest

from accounts.tests.factories import StudentFactory
from curriculum.models import QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.forms import make_form_token
from learning.services import ANSWERS_PER_MINUTE, TooManyAnswers
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def test_the_answer_after_twenty_in_a_minute_is_refused_and_not_recorded():
    chapter = ChapterFactory()
    questions = [QuestionFactory(chapter=chapter) for _ in range(ANSWERS_PER_MINUTE + 1)]
    student = StudentFactory()
    for n, question in enumerate(questions[:ANSWERS_PER_MINUTE]):
        answer(student, question, at=NOON + datetime.timedelta(seconds=2 * n))

    with pytest.raises(TooManyAnswers):
        answer(student, questions[-1], at=NOON + datetime.timedelta(seconds=59))

    assert QuizSubmission.objects.filter(student=student).count() == ANSWERS_PER_MINUTE
    # A minute after the first of the twenty, the next one is fine.
    answer(student, questions[-1], at=NOON + datetime.timedelta(seconds=60))
    assert QuizSubmission.objects.filter(student=student).count() == ANSWERS_PER_MINUTE + 1


def test_the_page_says_to_slow_down_with_429_and_retry_after(student_client):
    chapter = ChapterFactory()
    questions = [QuestionFactory(chapter=chapter) for _ in range(ANSWERS_PER_MINUTE + 1)]
    now = datetime.datetime.now(tz=datetime.UTC)
    for question in questions[:ANSWERS_PER_MINUTE]:
        answer(student_client.student, question, at=now)
    last = questions[-1]
    token = make_form_token(student=student_client.student, question=last)

    response = student_client.post(
        f"/learn/{chapter.id}/q/{last.quiz_id}/", {"selected_answer_index": 2, "token": token}
    )

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "this answer was not saved" in response.text
    assert not QuizSubmission.objects.filter(question=last).exists()


def test_a_double_submit_is_a_replay_not_an_extra_answer():
    student, question = StudentFactory(), QuestionFactory()
    first = answer(student, question, at=NOON)
    token = first.form_token
    for n in range(ANSWERS_PER_MINUTE + 5):
        assert answer(student, question, at=NOON + datetime.timedelta(seconds=n), token=token).pk == first.pk
