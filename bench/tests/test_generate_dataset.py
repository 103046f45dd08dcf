import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import Parent, Student
from analytics.models import DailyAnalytics, StudentProgress
from curriculum.models import Chapter, Question, QuizSubmission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bench_app")]


def test_a_generated_dataset_is_consistent_with_the_rules():
    call_command("generate_dataset", students=60, chapters=8, questions_per_chapter=5, days=20, parents=6, stdout=None)

    assert Chapter.objects.count() == 8
    assert Question.objects.count() == 40
    assert Student.objects.count() == 60
    assert Parent.objects.count() == 6
    assert QuizSubmission.objects.count() > 500
    assert StudentProgress.objects.exists() and DailyAnalytics.objects.exists()
    # The derived numbers agree with the answers, rule for rule.
    call_command("rebuild_progress", check=True)
    # The secondary indexes are back after the load.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'quiz_submissions'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"idx_submissions_student", "idx_submissions_question", "idx_submissions_timestamp"} <= names


def test_it_refuses_a_database_that_already_has_students():
    from django.core.management.base import CommandError

    from accounts.tests.factories import StudentFactory

    StudentFactory()
    with pytest.raises(CommandError, match="already has students"):
        call_command("generate_dataset", students=5, chapters=2, questions_per_chapter=2, days=3)
