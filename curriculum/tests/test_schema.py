"""The seed's tables as a data contract: constraints reject bad rows, deletes cascade in the database."""

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.tests.factories import ParentFactory, StudentFactory, StudentParentLinkFactory
from analytics.models import DailyAnalytics, StudentProgress
from analytics.tests.factories import DailyAnalyticsFactory, StudentProgressFactory
from curriculum.models import QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory, QuizSubmissionFactory

pytestmark = pytest.mark.django_db


def rejects(sql: str, params=()) -> bool:
    """True when the database refuses the statement with an IntegrityError."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Django's foreign keys are DEFERRABLE: check them now, not at commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql, params)
    except IntegrityError:
        return True
    return False


def test_a_row_with_only_the_seeds_columns_gets_the_database_defaults():
    student = StudentFactory()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO chapters (id, name, subject) VALUES ('seed1', 'Numbers', 'Math')")
        cursor.execute(
            "INSERT INTO questions (quiz_id, chapter_id, question_text, options, correct_answer_index)"
            " VALUES ('seedq', 'seed1', 'What is 12 x 12?', '[\"100\", \"122\", \"144\", \"152\"]', 2) RETURNING id"
        )
        (question_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO quiz_submissions (student_id, question_id, selected_answer_index, is_correct)"
            " VALUES (%s, %s, 2, TRUE) RETURNING xp_earned, submitted_at IS NOT NULL, is_counted",
            [student.pk, question_id],
        )
        assert cursor.fetchone() == (0, True, True)
        cursor.execute("SELECT is_locked, unlock_xp_required, created_at IS NOT NULL FROM chapters WHERE id='seed1'")
        assert cursor.fetchone() == (True, 0, True)
        cursor.execute("SELECT total_xp, current_streak, best_streak FROM students WHERE id=%s", [student.pk])
        assert cursor.fetchone() == (0, 0, 0)


def test_chapters_order_column_keeps_its_reserved_name():
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "chapters")]
    assert "order" in columns


@pytest.mark.parametrize(
    "column, value",
    [("total_xp", -1), ("current_streak", -1), ("best_streak", -1), ("grade_level", 0), ("grade_level", 13)],
)
def test_students_reject_bad_numbers(column, value):
    student = StudentFactory()
    assert rejects(f"UPDATE students SET {column} = %s WHERE id = %s", [value, student.pk])


def test_students_reject_a_duplicate_email_and_a_missing_account():
    student = StudentFactory()
    other = StudentFactory()
    assert rejects("UPDATE students SET email = %s WHERE id = %s", [student.email, other.pk])
    assert rejects("UPDATE students SET user_id = 'no-such-account' WHERE id = %s", [other.pk])


def test_parents_reject_a_duplicate_user_id():
    parent = ParentFactory()
    other = ParentFactory()
    assert rejects("UPDATE parents SET user_id = %s WHERE id = %s", [parent.user_id, other.pk])


def test_a_parent_is_linked_to_a_child_once():
    link = StudentParentLinkFactory()
    assert rejects(
        "INSERT INTO student_parent_link (student_id, parent_id) VALUES (%s, %s)", [link.student_id, link.parent_id]
    )
    assert rejects("INSERT INTO student_parent_link (student_id, parent_id) VALUES (NULL, %s)", [link.parent_id])


@pytest.mark.parametrize(
    "options, index",
    [('["a", "b", "c", "d"]', 4), ('["a", "b", "c", "d"]', -1), ('["a", "b"]', 2)],
)
def test_questions_reject_a_correct_answer_outside_the_options(options, index):
    chapter = ChapterFactory()
    assert rejects(
        "INSERT INTO questions (quiz_id, chapter_id, question_text, options, correct_answer_index)"
        " VALUES ('bad', %s, 'Q?', %s, %s)",
        [chapter.pk, options, index],
    )


def test_questions_reject_an_unknown_difficulty_and_a_duplicate_quiz_id():
    question = QuestionFactory()
    assert rejects("UPDATE questions SET difficulty_level = 'impossible' WHERE id = %s", [question.pk])
    other = QuestionFactory(chapter=question.chapter)
    assert rejects("UPDATE questions SET quiz_id = %s WHERE id = %s", [question.quiz_id, other.pk])


def test_questions_reject_an_unknown_chapter():
    assert rejects(
        "INSERT INTO questions (quiz_id, chapter_id, question_text, options, correct_answer_index)"
        " VALUES ('orphan', 'nope', 'Q?', '[\"a\", \"b\"]', 0)"
    )


def test_a_student_earns_xp_for_a_question_once():
    first = QuizSubmissionFactory(xp_earned=10)
    assert rejects(
        "INSERT INTO quiz_submissions (student_id, question_id, selected_answer_index, is_correct, xp_earned)"
        " VALUES (%s, %s, 2, TRUE, 10)",
        [first.student_id, first.question_id],
    )
    # Answers without XP may repeat as often as the child likes.
    assert not rejects(
        "INSERT INTO quiz_submissions (student_id, question_id, selected_answer_index, is_correct, xp_earned)"
        " VALUES (%s, %s, 2, TRUE, 0)",
        [first.student_id, first.question_id],
    )


def test_submissions_reject_negative_xp_and_negative_times():
    submission = QuizSubmissionFactory()
    assert rejects("UPDATE quiz_submissions SET xp_earned = -5 WHERE id = %s", [submission.pk])
    assert rejects("UPDATE quiz_submissions SET time_taken_seconds = -1 WHERE id = %s", [submission.pk])
    assert rejects("UPDATE quiz_submissions SET selected_answer_index = -1 WHERE id = %s", [submission.pk])


@pytest.mark.parametrize("score", [-0.01, 100.01])
def test_progress_rejects_mastery_outside_0_to_100(score):
    progress = StudentProgressFactory()
    assert rejects("UPDATE student_progress SET mastery_score = %s WHERE id = %s", [score, progress.pk])


def test_progress_and_daily_analytics_are_unique_per_student_and_key():
    progress = StudentProgressFactory()
    assert rejects(
        "INSERT INTO student_progress (student_id, chapter_id) VALUES (%s, %s)",
        [progress.student_id, progress.chapter_id],
    )
    day = DailyAnalyticsFactory()
    assert rejects(
        "INSERT INTO daily_analytics (student_id, analytics_date) VALUES (%s, %s)",
        [day.student_id, day.analytics_date],
    )
    assert rejects("UPDATE daily_analytics SET questions_answered = -1 WHERE id = %s", [day.pk])


def test_deleting_a_student_row_cascades_in_the_database():
    student = StudentFactory()
    chapter = ChapterFactory()
    QuizSubmissionFactory(student=student, question=QuestionFactory(chapter=chapter))
    StudentProgressFactory(student=student, chapter=chapter)
    DailyAnalyticsFactory(student=student)
    StudentParentLinkFactory(student=student)
    survivor = QuizSubmissionFactory()

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM students WHERE id = %s", [student.pk])

    assert not QuizSubmission.objects.filter(student_id=student.pk).exists()
    assert not StudentProgress.objects.filter(student_id=student.pk).exists()
    assert not DailyAnalytics.objects.filter(student_id=student.pk).exists()
    assert not student.parent_links.exists()
    assert QuizSubmission.objects.filter(pk=survivor.pk).exists()


def test_deleting_a_chapter_row_removes_its_questions_and_their_answers():
    submission = QuizSubmissionFactory()
    chapter_id = submission.question.chapter_id
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM chapters WHERE id = %s", [chapter_id])
    assert not QuizSubmission.objects.filter(pk=submission.pk).exists()


def test_deleting_a_login_account_removes_the_profile():
    student = StudentFactory()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_user WHERE id = %s", [student.user.pk])
        cursor.execute("SELECT count(*) FROM students WHERE id = %s", [student.pk])
        assert cursor.fetchone() == (0,)
