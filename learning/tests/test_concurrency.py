"""record_answer under real concurrency: threads with their own PostgreSQL connections, started together.

These tests use real transactions (transaction=True), so each thread's work is committed and
seen by the others exactly as in production, where several workers answer for one child at once.
"""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import Client

from accounts.models import Student
from accounts.tests.factories import StudentFactory
from analytics.models import DailyAnalytics, StudentProgress
from curriculum.models import Question, QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from edtech.tests.concurrency import THREADS, run_together
from learning.services import record_answer

pytestmark = pytest.mark.django_db(transaction=True)

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def answering(student, question, *, index=2, token=None, at=NOON):
    """A job that answers as a web worker would: its own copies of the student and question, then the service."""

    def job(start):
        mine = Student.objects.get(pk=student.pk)
        asked = Question.objects.select_related("chapter").get(pk=question.pk)
        start()
        return record_answer(
            student=mine,
            question=asked,
            selected_index=index,
            served_at=at - datetime.timedelta(seconds=20),
            form_token=token or uuid.uuid4(),
            now=at,
        )

    return job


def fresh(student):
    return Student.objects.get(pk=student.pk)


def submitted_xp(student):
    return QuizSubmission.objects.filter(student=student).aggregate(total=Sum("xp_earned"))["total"]


def test_answers_to_different_questions_at_once_lose_no_update():
    chapter = ChapterFactory()
    difficulties = ["easy", "medium", "hard"]
    questions = [QuestionFactory(chapter=chapter, difficulty_level=difficulties[i % 3]) for i in range(THREADS)]
    QuestionFactory.create_batch(4, chapter=chapter)  # never answered: mastery is 8 of 12

    # Several rounds, each with a new student, make a lost update that depends on timing likely to show.
    for round_ in range(3):
        student = StudentFactory()

        results = run_together(*(answering(student, question) for question in questions))

        assert sorted(r.submission.xp_earned for r in results) == [10, 10, 10, 20, 20, 20, 30, 30], f"round {round_}"
        assert [r.replayed for r in results] == [False] * THREADS, f"round {round_}"
        assert all(r.submission.is_counted for r in results), f"round {round_}"
        student = fresh(student)
        assert student.total_xp == 150, f"round {round_}"
        assert (student.current_streak, student.best_streak) == (1, 1), f"round {round_}"
        assert student.last_active_on == datetime.date(2026, 3, 10), f"round {round_}"
        assert QuizSubmission.objects.filter(student=student).count() == THREADS, f"round {round_}"
        assert submitted_xp(student) == student.total_xp, f"round {round_}"
        progress = StudentProgress.objects.get(student=student)
        assert (progress.questions_completed, progress.questions_correct) == (THREADS, THREADS), f"round {round_}"
        assert progress.mastery_score == Decimal("66.67"), f"round {round_}"
        day = DailyAnalytics.objects.get(student=student)
        assert (day.analytics_date, day.questions_answered, day.questions_correct) == (
            datetime.date(2026, 3, 10),
            THREADS,
            THREADS,
        ), f"round {round_}"
        assert (day.xp_earned, day.time_spent_seconds, day.time_spent_minutes, day.streak_count) == (
            150,
            THREADS * 20,
            2,
            1,
        ), f"round {round_}"


def test_the_same_form_submitted_at_once_records_one_answer():
    student = StudentFactory()
    question = QuestionFactory()
    token = uuid.uuid4()

    results = run_together(*(answering(student, question, token=token) for _ in range(THREADS)))

    submission = QuizSubmission.objects.get()
    assert [r.submission.pk for r in results] == [submission.pk] * THREADS
    assert sorted(r.replayed for r in results) == [False] + [True] * (THREADS - 1)
    assert (submission.form_token, submission.xp_earned, submission.is_counted) == (token, 10, True)
    assert fresh(student).total_xp == 10
    progress = StudentProgress.objects.get(student=student)
    assert (progress.questions_completed, progress.questions_correct) == (1, 1)
    day = DailyAnalytics.objects.get(student=student)
    assert (day.questions_answered, day.questions_correct, day.xp_earned) == (1, 1, 10)


def test_the_same_question_from_two_tabs_at_once_pays_xp_once():
    student = StudentFactory()
    question = QuestionFactory()

    # Two rendered forms (two tokens); a unique-index error from either would fail run_together.
    results = run_together(answering(student, question), answering(student, question))

    by_counted = sorted((r.submission.is_counted, r.submission.xp_earned) for r in results)
    assert by_counted == [(False, 0), (True, 10)]
    assert QuizSubmission.objects.filter(student=student).count() == 2
    assert fresh(student).total_xp == 10
    assert submitted_xp(student) == 10
    progress = StudentProgress.objects.get(student=student)
    assert (progress.questions_completed, progress.questions_correct) == (1, 1)
    day = DailyAnalytics.objects.get(student=student)
    assert (day.questions_answered, day.questions_correct, day.xp_earned) == (2, 2, 10)


def test_two_students_answering_at_once_both_get_their_own_totals():
    chapter = ChapterFactory()
    questions = QuestionFactory.create_batch(THREADS // 2, chapter=chapter, difficulty_level="medium")
    ann, bob = StudentFactory(), StudentFactory()

    run_together(*(answering(student, question) for student in (ann, bob) for question in questions))

    for student in (ann, bob):
        assert fresh(student).total_xp == 80
        assert submitted_xp(student) == 80
        assert QuizSubmission.objects.filter(student=student).count() == THREADS // 2
        progress = StudentProgress.objects.get(student=student)
        assert (progress.questions_completed, progress.questions_correct) == (THREADS // 2, THREADS // 2)
        assert progress.mastery_score == Decimal("100.00")
        day = DailyAnalytics.objects.get(student=student)
        assert (day.questions_answered, day.xp_earned) == (THREADS // 2, 80)


def test_one_students_lock_does_not_hold_up_another_student():
    question = QuestionFactory()
    ann, bob = StudentFactory(), StudentFactory()

    with transaction.atomic():
        # Ann's answer is in progress: her row stays locked until this block ends.
        Student.objects.select_for_update().get(pk=ann.pk)
        (result,) = run_together(answering(bob, question))

    assert result.submission.xp_earned == 10
    assert fresh(bob).total_xp == 10


def question_url(question):
    return f"/learn/{question.chapter_id}/q/{question.quiz_id}/"


def posting(client, url, data):
    def job(start):
        start()
        return client.post(url, data)

    return job


def test_a_form_posted_twice_at_once_over_http_records_one_answer_and_redirects_both_to_it():
    student = StudentFactory()
    question = QuestionFactory()
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(student.user)
    second_tab.force_login(student.user)
    page = first_tab.get(question_url(question))
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    data = {"selected_answer_index": "2", "token": token}

    responses = run_together(
        posting(first_tab, question_url(question), data), posting(second_tab, question_url(question), data)
    )

    submission = QuizSubmission.objects.get()
    assert [r.status_code for r in responses] == [303, 303]
    assert [r["Location"] for r in responses] == [f"{question_url(question)}answers/{submission.pk}/"] * 2
    assert fresh(student).total_xp == 10
