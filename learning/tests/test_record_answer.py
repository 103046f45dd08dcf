import datetime
import functools
import uuid
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Student
from accounts.tests.factories import StudentFactory
from analytics.models import DailyAnalytics, StudentProgress
from curriculum.models import QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.services import ChapterClosed, record_answer
from learning.tests.helpers import answer as shared_answer

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


# The shared helper, at noon on 10 March unless a test says otherwise.
answer = functools.partial(shared_answer, at=NOON)


def fresh(student):
    return Student.objects.get(pk=student.pk)


def test_a_correct_first_answer_earns_xp_by_difficulty():
    student = StudentFactory()
    chapter = ChapterFactory()
    easy = QuestionFactory(chapter=chapter, difficulty_level="easy")
    medium = QuestionFactory(chapter=chapter, difficulty_level="medium")
    hard = QuestionFactory(chapter=chapter, difficulty_level="hard")
    plain = QuestionFactory(chapter=chapter, difficulty_level=None)

    earned = [answer(student, q, 2).xp_earned for q in (easy, medium, hard, plain)]

    assert earned == [10, 20, 30, 10]
    assert fresh(student).total_xp == 70


def test_a_wrong_answer_earns_nothing_but_is_recorded():
    student = StudentFactory()
    question = QuestionFactory()

    submission = answer(student, question, 0)

    assert submission.is_correct is False
    assert submission.xp_earned == 0
    assert QuizSubmission.objects.filter(student=student).count() == 1
    assert fresh(student).total_xp == 0


def test_a_repeat_on_the_same_day_is_practice():
    student = StudentFactory()
    question = QuestionFactory()

    answer(student, question, 0)
    practice = answer(student, question, 2, at=NOON + datetime.timedelta(minutes=5))

    assert practice.is_counted is False
    assert practice.xp_earned == 0
    progress = StudentProgress.objects.get(student=student)
    assert progress.questions_correct == 0  # the counted answer was wrong
    assert progress.questions_completed == 1


def test_xp_is_earned_once_per_question():
    student = StudentFactory()
    question = QuestionFactory()

    answer(student, question, 2)
    again = answer(student, question, 2, at=NOON + datetime.timedelta(days=1))

    assert again.is_counted is True
    assert again.xp_earned == 0
    assert fresh(student).total_xp == 10


def test_mastery_follows_the_latest_counted_answer_down_and_up():
    student = StudentFactory()
    chapter = ChapterFactory()
    q1, q2, q3 = (QuestionFactory(chapter=chapter) for _ in range(3))

    answer(student, q1, 2)
    answer(student, q2, 2)
    assert StudentProgress.objects.get(student=student).mastery_score == Decimal("66.67")

    answer(student, q1, 0, at=NOON + datetime.timedelta(days=1))
    progress = StudentProgress.objects.get(student=student)
    assert (progress.questions_completed, progress.questions_correct) == (2, 1)
    assert progress.mastery_score == Decimal("33.33")

    answer(student, q3, 2, at=NOON + datetime.timedelta(days=1))
    answer(student, q1, 2, at=NOON + datetime.timedelta(days=2))
    assert StudentProgress.objects.get(student=student).mastery_score == Decimal("100.00")


def test_streak_grows_on_consecutive_days_and_restarts_after_a_gap():
    student = StudentFactory()
    questions = [QuestionFactory() for _ in range(5)]

    answer(student, questions[0], 2, at=NOON)
    answer(student, questions[1], 2, at=NOON + datetime.timedelta(hours=1))
    assert (fresh(student).current_streak, fresh(student).best_streak) == (1, 1)
    answer(student, questions[2], 2, at=NOON + datetime.timedelta(days=1))
    assert (fresh(student).current_streak, fresh(student).best_streak) == (2, 2)
    answer(student, questions[3], 2, at=NOON + datetime.timedelta(days=3))
    assert (fresh(student).current_streak, fresh(student).best_streak) == (1, 2)


def test_the_day_is_the_students_own_calendar_day():
    student = StudentFactory(time_zone="America/Los_Angeles")
    q1, q2 = QuestionFactory(), QuestionFactory()
    # 23:30 and 00:30 UTC are the same evening in Los Angeles: one day, streak 1.
    late = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    answer(student, q1, 2, at=late)
    answer(student, q2, 2, at=late + datetime.timedelta(hours=1))

    days = list(DailyAnalytics.objects.filter(student=student).values_list("analytics_date", "questions_answered"))
    assert days == [(datetime.date(2026, 3, 10), 2)]
    assert fresh(student).current_streak == 1


def test_daily_analytics_add_up_the_day():
    student = StudentFactory()
    q1, q2, q3 = QuestionFactory(), QuestionFactory(difficulty_level="hard"), QuestionFactory()

    answer(student, q1, 2, seconds=50)
    answer(student, q2, 2, seconds=50, at=NOON + datetime.timedelta(minutes=1))
    answer(student, q3, 1, seconds=30, at=NOON + datetime.timedelta(minutes=2))

    day = DailyAnalytics.objects.get(student=student)
    assert (day.questions_answered, day.questions_correct, day.xp_earned) == (3, 2, 40)
    assert (day.time_spent_seconds, day.time_spent_minutes, day.streak_count) == (130, 2, 1)


def test_time_taken_is_clamped_to_ten_minutes():
    student = StudentFactory()
    submission = answer(student, QuestionFactory(), 2, seconds=3600)
    assert submission.time_taken_seconds == 600


def test_a_double_submit_records_one_answer():
    student = StudentFactory()
    question = QuestionFactory()
    token = uuid.uuid4()

    first = record_answer(student=student, question=question, selected_index=2, served_at=NOON, form_token=token)
    second = record_answer(student=student, question=question, selected_index=2, served_at=NOON, form_token=token)

    assert (first.replayed, second.replayed) == (False, True)
    assert second.submission.pk == first.submission.pk
    assert QuizSubmission.objects.count() == 1
    assert fresh(student).total_xp == 10


def test_a_closed_chapter_records_nothing():
    student = StudentFactory()
    question = QuestionFactory(chapter=ChapterFactory(is_locked=True, unlock_xp_required=50))

    with pytest.raises(ChapterClosed) as closed:
        answer(student, question, 2)

    assert closed.value.xp_missing == 50
    assert not QuizSubmission.objects.exists()


def statements_of(work) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        work()
    # The test's own transaction turns the durable block into a savepoint; production has none.
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_recording_a_counted_answer_takes_ten_statements():
    student = StudentFactory()
    question = QuestionFactory()
    answer(student, QuestionFactory(chapter=question.chapter), 2)

    statements = statements_of(lambda: answer(student, question, 2, at=NOON + datetime.timedelta(days=1)))

    # Hold the chapter (shared: against a content edit's recompute); lock the student; the form token; the
    # question's history; its review card; insert the answer; upsert the card; the student's numbers; the
    # chapter's progress row; the day's row. (The budget: 10; a practice answer, not counted, skips the card.)
    assert len(statements) == 10, statements
    assert statements[0].startswith("SELECT pg_advisory_xact_lock_shared")


def test_the_first_answer_in_a_chapter_takes_one_more_to_create_its_progress_row():
    student, question = StudentFactory(), QuestionFactory()

    statements = statements_of(lambda: answer(student, question, 2))

    assert len(statements) == 11, statements
    assert statements[8].startswith("UPDATE") and statements[9].startswith('INSERT INTO "student_progress"')


def test_zone_falls_back_to_time_zone_setting(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert StudentFactory(time_zone=None).zone == zoneinfo.ZoneInfo("Europe/Paris")
