import datetime

import pytest
import time_machine

from conftest import FROZEN_NOW
from curriculum import catalog
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.tests.helpers import answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

NOW = FROZEN_NOW
DAY = datetime.timedelta(days=1)


def test_the_dashboard_shows_xp_streak_mastery_review_and_recent_answers(student_client):
    chapter = ChapterFactory(name="Counting")
    right = QuestionFactory(chapter=chapter, question_text="What comes after 7?", difficulty_level="medium")
    wrong = QuestionFactory(chapter=chapter, question_text="What comes before 3?")
    answer(student_client.student, right, at=NOW - DAY)
    answer(student_client.student, wrong, 0, at=NOW)

    html = student_client.get("/dashboard/").content.decode()

    assert "<strong>20</strong> <span>XP in total" in html
    assert "<strong>2</strong> <span>day streak — today counts" in html
    assert "Counting" in html and "50%" in html
    # Today's review (FSRS): nothing is due yet (the wrong one comes back tomorrow); the old list is gone.
    assert "Nothing to review today." in html
    assert "To review" not in html
    recent = html[html.index("Recent answers") :]
    assert recent.index("What comes before 3?") < recent.index("What comes after 7?")
    assert "<svg" in html and "<desc" in html  # the chart and its text alternative


def test_a_streak_broken_before_yesterday_shows_zero_and_yesterday_says_keep_going(student_client):
    question = QuestionFactory()
    answer(student_client.student, question, at=NOW - 3 * DAY)
    html = student_client.get("/dashboard/").content.decode()
    assert "<strong>0</strong> <span>day streak</span>" in html

    answer(student_client.student, QuestionFactory(chapter=question.chapter), at=NOW - DAY)
    html = student_client.get("/dashboard/").content.decode()
    assert "keep it going today" in html


def test_the_chart_has_thirty_days_and_a_table_of_the_numbers(student_client):
    question = QuestionFactory()
    answer(student_client.student, question, at=NOW - 2 * DAY)
    answer(student_client.student, QuestionFactory(chapter=question.chapter), 0, at=NOW - 2 * DAY)
    html = student_client.get("/dashboard/").content.decode()
    assert "2 answers, 1 correct, on 1 of the last 30 days" in html
    assert html.count('class="bar-answered"') == 1


def test_a_new_answer_shows_at_once(student_client):
    chapter = ChapterFactory()
    answer(student_client.student, QuestionFactory(chapter=chapter))
    assert "<strong>10</strong> <span>XP in total" in student_client.get("/dashboard/").content.decode()

    answer(student_client.student, QuestionFactory(chapter=chapter, difficulty_level="hard"))

    assert "<strong>40</strong> <span>XP in total" in student_client.get("/dashboard/").content.decode()


def test_the_dashboard_runs_a_fixed_number_of_queries(student_client, django_assert_num_queries):
    def grow():
        chapter = ChapterFactory()
        for index in range(4):
            answer(student_client.student, QuestionFactory(chapter=chapter), index % 3)

    # Cold: the session, the account with its profile, mastery, the chapter list, the 30 days, the review
    # list, the recent answers, the week's totals and its weakest chapter (the streak is the student row's);
    # the child's classes; today's review (reviews done today, the cards due); and, with nothing due, the
    # "Continue" button's last answer and that chapter's questions.
    grow()
    with django_assert_num_queries(14):
        student_client.get("/dashboard/")
    grow()
    grow()
    catalog.forget_chapters()  # as the new chapters' commit would
    # The session and the account are copies in Redis now (edtech.auth_cache): the student's row instead.
    with django_assert_num_queries(13):
        student_client.get("/dashboard/")
    # Warm: the student's row, classes and Continue (2); today's review count is the student's cached one.
    with django_assert_num_queries(4):
        student_client.get("/dashboard/")


def test_the_dashboard_is_for_students(client):
    assert client.get("/dashboard/").status_code == 302


def test_the_review_count_follows_an_answer_and_the_next_day(student_client):
    """The dashboard's review count is cached for the student's version and day: an answer, or the next
    day, counts again."""
    from analytics.models import ReviewCard

    student = student_client.student
    questions = [QuestionFactory() for _ in range(2)]
    for question in questions:
        answer(student, question)
    assert student_client.get("/dashboard/").context["reviews_due"] == 0
    card = (
        ReviewCard.objects.filter(student=student).order_by("due_on", "question_id").select_related("question").first()
    )
    later = datetime.datetime.combine(card.due_on, datetime.time(9), tzinfo=datetime.UTC)
    with time_machine.travel(later, tick=False):
        due = student_client.get("/dashboard/").context["reviews_due"]
        assert due >= 1  # the day the first card is due: counted again, not the cached count of an earlier day
        answer(student, card.question)  # the review done
        assert student_client.get("/dashboard/").context["reviews_due"] == due - 1
