import datetime
import functools
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts.models import Student
from accounts.tests.factories import StudentFactory
from analytics.models import DailyAnalytics, StudentProgress
from analytics.rebuild import DAILY_FIELDS, PROGRESS_FIELDS, STUDENT_FIELDS
from analytics.tests.factories import DailyAnalyticsFactory
from curriculum.models import QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from edtech import cache
from learning.tests.helpers import answer as shared_answer

pytestmark = pytest.mark.django_db

# The shared helper, with each question open for 40 s before it is answered.
answer = functools.partial(shared_answer, seconds=40)

UTC = datetime.UTC
# Sunday 8 March 2026 is the first day of daylight saving time in Los Angeles.
START = datetime.datetime(2026, 3, 7, 18, 0, tzinfo=UTC)


def rebuild(*args):
    """(exit status, output) of the command."""
    out = io.StringIO()
    try:
        call_command("rebuild_progress", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def numbers():
    """Every stored number, without row ids or updated_at: what a repair must restore exactly."""
    return {
        "students": list(Student.objects.order_by("pk").values("pk", *STUDENT_FIELDS)),
        "progress": list(
            StudentProgress.objects.order_by("student", "chapter").values("student", "chapter", *PROGRESS_FIELDS)
        ),
        "daily": list(
            DailyAnalytics.objects.order_by("student", "analytics_date").values(
                "student", "analytics_date", *DAILY_FIELDS
            )
        ),
    }


def rows():
    """Every column of every row the command may write, ids and updated_at included."""
    return {
        "students": list(Student.objects.order_by("pk").values()),
        "progress": list(StudentProgress.objects.order_by("pk").values()),
        "daily": list(DailyAnalytics.objects.order_by("pk").values()),
    }


# --- Answers recorded one by one leave nothing to repair ----------------------------

ZONES = ["America/Los_Angeles", "Pacific/Auckland", None]  # None: settings.TIME_ZONE (UTC)
CHAPTERS = [("easy", "medium", "hard"), (None, "hard"), ("medium",)]  # difficulty of each question

answer_step = st.tuples(
    st.integers(0, len(ZONES) - 1),  # student
    st.integers(0, sum(map(len, CHAPTERS)) - 1),  # question
    st.lists(st.sampled_from([2, 0, 1, 3]), min_size=1, max_size=3),  # selected indexes (2 is correct): retries
    st.sampled_from([0, 0, 0, 0, 1, 1, 2, 4]),  # days since the previous answer
    st.one_of(st.integers(0, 20), st.integers(0, 12 * 60)),  # and minutes: often the same day
    st.integers(0, 900),  # seconds the question was on screen (over 600 is clamped)
)


@settings(
    max_examples=25,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the project tree
    # Shrinking replays dozens of answers through the database hundreds of times (minutes);
    # a failure already prints its steps and the drift --check found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(answer_step, min_size=5, max_size=25))
def test_answers_recorded_by_record_answer_show_no_drift(steps):
    # All examples share the test's transaction: start each from no students.
    Student.objects.all().delete()
    students = [StudentFactory(time_zone=zone) for zone in ZONES]
    questions = []
    for levels in CHAPTERS:
        chapter = ChapterFactory()
        questions += [QuestionFactory(chapter=chapter, difficulty_level=level) for level in levels]
    at = START
    for student, question, indexes, days, minutes, seconds_open in steps:
        at += datetime.timedelta(days=days, minutes=minutes)
        for index in indexes:
            at += datetime.timedelta(seconds=30)  # answers come in time order
            answer(students[student], questions[question], index, at=at, seconds=seconds_open)
    before = rows()

    status, output = rebuild("--check")

    assert status == 0, output
    assert "Students checked: 3; with drift: 0;" in output
    status, output = rebuild()
    assert status == 0
    assert "students fixed: 0; rows changed: 0" in output
    assert rows() == before


# --- Planted drift is found and repaired ----------------------------------------------


@pytest.fixture
def history():
    """Two students' answers over several days, recorded through record_answer."""
    first, second = ChapterFactory(), ChapterFactory()
    q1, q2, q3 = (QuestionFactory(chapter=first, difficulty_level=level) for level in ("easy", "medium", "hard"))
    q4, q5 = QuestionFactory(chapter=second, difficulty_level=None), QuestionFactory(chapter=second)
    kid = StudentFactory(time_zone="America/Los_Angeles")
    other = StudentFactory(time_zone=None)
    day = datetime.datetime(2026, 3, 10, 16, 0, tzinfo=UTC)

    answer(kid, q1, 2, at=day)
    answer(kid, q2, 0, at=day + datetime.timedelta(minutes=2))
    answer(kid, q2, 2, at=day + datetime.timedelta(minutes=3))  # practice: not counted
    # 03:00 UTC on the 11th is still the 10th in Los Angeles.
    answer(kid, q4, 2, at=day + datetime.timedelta(hours=11), seconds=3000)
    answer(kid, q2, 2, at=day + datetime.timedelta(days=1))
    answer(kid, q1, 0, at=day + datetime.timedelta(days=1, minutes=5))
    answer(kid, q3, 2, at=day + datetime.timedelta(days=4))
    answer(other, q1, 2, at=day + datetime.timedelta(days=4, minutes=1))
    answer(other, q5, 1, at=day + datetime.timedelta(days=5))
    return {"kid": kid, "other": other, "first": first, "second": second}


def plant_total_xp(kid, history):
    Student.objects.filter(pk=kid.pk).update(total_xp=F("total_xp") + 5)


def plant_current_streak(kid, history):
    Student.objects.filter(pk=kid.pk).update(current_streak=9)


def plant_best_streak(kid, history):
    Student.objects.filter(pk=kid.pk).update(best_streak=None)


def plant_last_active_on(kid, history):
    Student.objects.filter(pk=kid.pk).update(last_active_on=datetime.date(2026, 3, 11))


def plant_mastery_score(kid, history):
    StudentProgress.objects.filter(student=kid, chapter=history["first"]).update(mastery_score=Decimal("66.66"))


def plant_questions_correct(kid, history):
    StudentProgress.objects.filter(student=kid, chapter=history["first"]).update(questions_correct=3)


def plant_last_answered_at(kid, history):
    StudentProgress.objects.filter(student=kid, chapter=history["first"]).update(last_answered_at=START)


def plant_daily_counts(kid, history):
    DailyAnalytics.objects.filter(student=kid, analytics_date=datetime.date(2026, 3, 10)).update(
        questions_answered=F("questions_answered") + 1, questions_correct=0
    )


def plant_daily_time(kid, history):
    DailyAnalytics.objects.filter(student=kid, analytics_date=datetime.date(2026, 3, 11)).update(
        time_spent_seconds=0, time_spent_minutes=0
    )


def delete_progress_row(kid, history):
    StudentProgress.objects.filter(student=kid, chapter=history["second"]).delete()


def delete_daily_row(kid, history):
    DailyAnalytics.objects.filter(student=kid, analytics_date=datetime.date(2026, 3, 14)).delete()


def add_bogus_daily_row(kid, history):
    DailyAnalyticsFactory(student=kid, analytics_date=datetime.date(2026, 3, 12))


def add_bogus_progress_row(kid, history):
    StudentProgress.objects.create(student=kid, chapter=ChapterFactory(), questions_completed=1)


DRIFTS = [
    (plant_total_xp, "total_xp: stored 75, expected 70"),
    (plant_current_streak, "current_streak: stored 9, expected 1"),
    (plant_best_streak, "best_streak: stored NULL, expected 2"),
    (plant_last_active_on, "last_active_on: stored 2026-03-11, expected 2026-03-14"),
    (plant_mastery_score, "mastery_score: stored 66.66, expected 66.67"),
    (plant_questions_correct, "questions_correct: stored 3, expected 2"),
    (plant_last_answered_at, "last_answered_at: stored 2026-03-07T18:00:00+00:00, expected 2026-03-14T16:00:00+00:00"),
    (plant_daily_counts, "daily 2026-03-10 questions_answered: stored 5, expected 4"),
    (plant_daily_time, "daily 2026-03-11 time_spent_seconds: stored 0, expected 80"),
    (delete_progress_row, "stored no row, expected (questions_completed=1"),
    (delete_daily_row, "daily 2026-03-14: stored no row"),
    (add_bogus_daily_row, "daily 2026-03-12: stored (questions_answered=3"),
    (add_bogus_progress_row, "expected no row"),
]


@pytest.mark.parametrize(("plant", "message"), DRIFTS, ids=[plant.__name__ for plant, _ in DRIFTS])
def test_check_finds_planted_drift_and_a_fix_restores_what_record_answer_wrote(history, plant, message):
    kid = history["kid"]
    recorded = numbers()
    assert rebuild("--check")[0] == 0
    plant(kid, history)

    status, output = rebuild("--check")

    assert status == 1
    assert f"student {kid.pk}: " in output
    assert message in output
    assert f"student {history['other'].pk}:" not in output
    assert "Students checked: 2; with drift: 1;" in output
    for private in (kid.name, kid.email, kid.user.email):
        assert private not in output

    status, output = rebuild()
    assert status == 0
    assert "Students checked: 2; students fixed: 1;" in output
    assert rebuild("--check")[0] == 0
    assert numbers() == recorded


def test_check_changes_nothing(history):
    kid = history["kid"]
    plant_total_xp(kid, history)
    plant_mastery_score(kid, history)
    delete_progress_row(kid, history)
    add_bogus_daily_row(kid, history)
    entry = cache.student_entry("week", kid.pk, Student.objects.get(pk=kid.pk).cache_version)
    cache.set(entry, "cached")
    before = rows()

    assert rebuild("--check")[0] == 1

    assert rows() == before
    assert cache.get(entry) == "cached"
    assert cache.student_entry("week", kid.pk, Student.objects.get(pk=kid.pk).cache_version) == entry


def test_a_fix_bumps_updated_at_and_drops_the_cache_of_fixed_students_only(history):
    kid, other = (Student.objects.get(pk=history[name].pk) for name in ("kid", "other"))
    DailyAnalytics.objects.filter(student=kid).update(streak_count=0)
    for student in (kid, other):
        for dataset in cache.STUDENT_DATASETS:
            cache.set(cache.student_entry(dataset, student.pk, student.cache_version), "cached")

    status, output = rebuild()

    assert status == 0
    assert "students fixed: 1; rows changed: 3" in output
    fixed, untouched = Student.objects.get(pk=kid.pk), Student.objects.get(pk=other.pk)
    assert fixed.updated_at > kid.updated_at
    assert untouched.updated_at == other.updated_at
    for dataset in cache.STUDENT_DATASETS:
        assert cache.get(cache.student_entry(dataset, kid.pk, kid.cache_version)) is None
        assert cache.get(cache.student_entry(dataset, other.pk, other.cache_version)) == "cached"


def test_a_fix_on_consistent_data_changes_nothing(history):
    before = rows()

    status, output = rebuild()

    assert status == 0
    assert "Students checked: 2; students fixed: 0; rows changed: 0" in output
    assert rows() == before


def test_answers_without_answered_on_count_on_the_students_local_day(history):
    # Rows from before answered_on existed: 03:00 UTC on the 11th is the 10th in Los Angeles.
    QuizSubmission.objects.update(answered_on=None)

    assert rebuild("--check") == (0, "Students checked: 2; with drift: 0; differences: 0; rows that would change: 0\n")


def test_student_option_limits_the_run_to_the_given_ids(history):
    kid, other = history["kid"], history["other"]
    for student in (kid, other):
        Student.objects.filter(pk=student.pk).update(total_xp=999)

    status, output = rebuild("--student", str(kid.pk))

    assert "Students checked: 1; students fixed: 1;" in output
    assert rebuild("--check", "--student", str(kid.pk))[0] == 0
    status, output = rebuild("--check", "--student", f"{kid.pk},{other.pk}")
    assert status == 1
    assert f"student {other.pk}: total_xp: stored 999" in output
    assert "Students checked: 2; with drift: 1;" in output


def test_student_option_rejects_unknown_ids(history):
    with pytest.raises(CommandError, match="No student with id 0"):
        call_command("rebuild_progress", "--check", "--student", "0", stdout=io.StringIO())


def test_check_reads_each_student_in_six_queries_however_many_answers(history):
    with CaptureQueriesContext(connection) as queries:
        rebuild("--check")

    # The test's transaction turns each student's transaction into a savepoint.
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    # Two pages of student ids, then per student: lock, answers, chapter sizes, progress rows, daily rows,
    # review cards.
    assert len(statements) == 2 + 2 * 6
