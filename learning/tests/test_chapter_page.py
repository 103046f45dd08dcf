import datetime

import pytest

from accounts.tests.factories import StudentFactory
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.tests.helpers import answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def test_each_question_shows_its_state_and_continue_goes_to_the_first_not_yet_right(student_client):
    chapter = ChapterFactory()
    right, wrong, new = (QuestionFactory(chapter=chapter) for _ in range(3))
    yesterday = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=1)
    answer(student_client.student, right, at=yesterday)
    answer(student_client.student, wrong, 0, at=yesterday)

    response = student_client.get(f"/learn/{chapter.id}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("state-correct") == 1
    assert html.count("state-wrong") == 1
    assert html.count("state-new") == 1
    assert f'href="/learn/{chapter.id}/q/{new.quiz_id}/" role="button">Continue' in html


def test_a_fresh_chapter_offers_start(student_client):
    chapter = ChapterFactory()
    first = QuestionFactory(chapter=chapter)
    QuestionFactory(chapter=chapter)
    html = student_client.get(f"/learn/{chapter.id}/").content.decode()
    assert f'href="/learn/{chapter.id}/q/{first.quiz_id}/" role="button">Start' in html


def test_unknown_chapter_is_404_and_locked_chapter_is_403(student_client):
    locked = ChapterFactory(is_locked=True, unlock_xp_required=30)
    assert student_client.get("/learn/nope/").status_code == 404
    response = student_client.get(f"/learn/{locked.id}/")
    assert response.status_code == 403
    assert "30 more XP" in response.content.decode()


def test_the_chapter_page_runs_a_fixed_number_of_queries(student_client, django_assert_num_queries):
    chapter = ChapterFactory()
    questions = [QuestionFactory(chapter=chapter) for _ in range(3)]
    for question in questions:
        answer(student_client.student, question)
    # The session, the account with its profile, the chapter list (cold), the questions with the student's
    # history, and mastery.
    with django_assert_num_queries(5):
        student_client.get(f"/learn/{chapter.id}/")
    for _ in range(10):
        answer(student_client.student, QuestionFactory(chapter=chapter), 0)
    with django_assert_num_queries(3):  # the chapter list, the session and the account are cached now
        student_client.get(f"/learn/{chapter.id}/")


def test_question_and_result_pages_run_a_fixed_number_of_queries(student_client, django_assert_num_queries):
    chapter = ChapterFactory()
    questions = [QuestionFactory(chapter=chapter) for _ in range(8)]
    submission = answer(student_client.student, questions[0])
    # The session, the account with its profile, and (on a cold cache only) the chapter list, the question and
    # the student's mastery (for "Question 2 of 8").
    with django_assert_num_queries(5):
        student_client.get(f"/learn/{chapter.id}/q/{questions[1].quiz_id}/")
    with django_assert_num_queries(1):  # warm: the student's row (the session and the account are cached)
        student_client.get(f"/learn/{chapter.id}/q/{questions[1].quiz_id}/")
    # The student's row, the answer with its question, the chapter's questions with history (mastery is
    # cached: the question page read it; so are the session and the account).
    with django_assert_num_queries(3):
        student_client.get(f"/learn/{chapter.id}/q/{questions[0].quiz_id}/answers/{submission.pk}/")


def test_a_result_page_is_only_for_the_student_who_answered(client):
    question = QuestionFactory()
    submission = answer(StudentFactory(), question)
    other = StudentFactory()
    client.force_login(other.user)
    url = f"/learn/{question.chapter_id}/q/{question.quiz_id}/answers/{submission.pk}/"
    assert client.get(url).status_code == 404


def test_the_childs_part_of_the_chapter_page_is_kept_until_what_it_shows_changes(
    student_client, django_assert_num_queries, django_capture_on_commit_callbacks, frozen_clock
):
    chapter = ChapterFactory()
    first, second = QuestionFactory(chapter=chapter, question_text="How many?"), QuestionFactory(chapter=chapter)
    url = f"/learn/{chapter.id}/"
    assert student_client.get(url).content.decode().count("state-new") == 2
    with django_assert_num_queries(1):  # the child's row (their XP opens the chapter): no history, no mastery
        assert student_client.get(url).content.decode().count("state-new") == 2

    answer(student_client.student, first, 0)  # wrong: a new version of the child's numbers
    html = student_client.get(url).content.decode()
    assert html.count("state-wrong") == 1 and html.count("state-new") == 1

    answer(student_client.student, first)  # put right in a retry the same day
    assert "Fixed today" in student_client.get(url).content.decode()
    frozen_clock.shift(datetime.timedelta(days=1))  # the child's next day: nothing new answered
    assert "Fixed today" not in student_client.get(url).content.decode()
    assert "Not yet right" in student_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # staff reword the question
        first.question_text = "How many apples?"
        first.save()
    assert "How many apples?" in student_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second.is_retired = True
        second.save()
    assert student_client.get(url).content.decode().count('class="state-') == 1
