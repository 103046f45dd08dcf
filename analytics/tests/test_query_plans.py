"""Every hot query is served by an index, checked with EXPLAIN on a generated dataset.

Sequential scans are switched off for the EXPLAIN: a plan that still scans a big table then has no
index to use. (On small test tables the planner would rightly prefer a scan anyway.)
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q

from accounts.models import Student
from analytics import content
from analytics.models import DailyAnalytics, StudentProgress
from curriculum.models import Question, QuizSubmission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bench_app")]

BIG_TABLES = ("quiz_submissions", "daily_analytics", "student_progress", "students", "questions")


@pytest.fixture
def dataset():
    call_command("generate_dataset", students=300, chapters=12, questions_per_chapter=10, days=30, parents=10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET enable_seqscan = off")
    student = Student.objects.filter(total_xp__gt=0).order_by("id").first()
    question = QuizSubmission.objects.filter(student=student).select_related("question").first().question
    return student, question


def assert_indexed(queryset):
    plan = queryset.explain()
    for table in BIG_TABLES:
        assert f"Seq Scan on {table}" not in plan, plan


def test_the_answer_path_reads_by_index(dataset):
    student, question = dataset
    today = datetime.date.today()
    assert_indexed(Student.objects.select_for_update().filter(pk=student.pk))
    assert_indexed(QuizSubmission.objects.filter(form_token="00000000-0000-0000-0000-000000000000"))
    assert_indexed(Question.objects.filter(pk=question.pk).with_history(student, today))


def test_the_dashboard_reads_by_index(dataset):
    student, _ = dataset
    today = datetime.date.today()
    assert_indexed(StudentProgress.objects.filter(student=student))
    assert_indexed(DailyAnalytics.objects.filter(student=student, analytics_date__gte=today - datetime.timedelta(29)))
    assert_indexed(QuizSubmission.objects.filter(student=student).order_by("-id")[:10])
    assert_indexed(
        Question.objects.answered_by(student).with_history(student, today).filter(latest_counted_correct=False)
    )


def test_the_chapter_page_reads_by_index(dataset):
    student, question = dataset
    assert_indexed(Question.objects.filter(chapter_id=question.chapter_id).with_history(student, datetime.date.today()))


def test_the_leaderboard_and_the_rank_read_by_index(dataset):
    student, _ = dataset
    assert_indexed(Student.objects.filter(total_xp__gt=0).order_by("-total_xp", "id")[:50])
    xp = student.total_xp
    assert_indexed(Student.objects.filter(Q(total_xp__gt=xp) | Q(total_xp=xp, id__lt=student.pk)))


def test_content_analytics_for_a_chapter_reads_by_index(dataset):
    _, question = dataset
    assert_indexed(QuizSubmission.objects.filter(question__chapter_id=question.chapter_id))
    assert content.question_stats(chapter_id=question.chapter_id)  # runs on the same dataset
