"""Today's review, scheduled by FSRS: cards from counted answers, due in the student's days, review XP once
per due review, interleaved and capped, rebuilt by rebuild_progress."""

import datetime
import io
import re
import uuid

import pytest
import time_machine
from django.core.management import CommandError, call_command

from accounts.models import Student
from accounts.tests.factories import StudentFactory
from accounts.tests.helpers import sign_in
from analytics import review
from analytics.models import ReviewCard
from curriculum.models import QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from edtech.tests.concurrency import run_together
from learning.services import record_answer
from learning.tests.helpers import answer

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)  # a Tuesday
DAY = datetime.timedelta(days=1)


def wrong(question) -> int:
    return (question.correct_answer_index + 1) % len(question.options)


@pytest.mark.django_db
def test_a_counted_answer_makes_a_card_due_in_the_students_own_days():
    student = StudentFactory(time_zone="Asia/Tokyo")
    right, missed = QuestionFactory(), QuestionFactory()
    answer(student, right, at=NOON)
    answer(student, missed, index=wrong(missed), at=NOON)
    answer(student, right, at=NOON + datetime.timedelta(minutes=5))  # not counted: no card change

    cards = {c.question_id: c for c in ReviewCard.objects.filter(student=student)}
    assert cards[right.pk].due_on == datetime.date(2026, 3, 12)  # Good: 2 days (21:00 in Tokyo)
    assert cards[missed.pk].due_on == datetime.date(2026, 3, 11)  # Again: tomorrow
    assert cards[right.pk].reps == 1
    assert cards[right.pk].due_at == NOON + 2 * DAY


@pytest.mark.django_db
def test_a_right_answer_to_a_due_review_earns_half_the_xp_once(frozen_clock):
    student = StudentFactory()
    question = QuestionFactory(difficulty_level="medium")  # 20 XP, review 10
    first = answer(student, question, at=NOON)
    assert first.xp_earned == 20

    early = answer(student, question, at=NOON + DAY)  # not due yet (due in 2 days): ordinary, no XP
    assert (early.is_counted, early.xp_earned, early.review_due_on) == (True, 0, None)
    card = ReviewCard.objects.get(student=student, question=question)
    due_day = card.due_on
    at = datetime.datetime.combine(due_day, datetime.time(12), tzinfo=datetime.UTC)
    due = answer(student, question, at=at)
    again = answer(student, question, at=at + datetime.timedelta(minutes=5))

    assert (due.xp_earned, due.review_due_on) == (10, due_day)
    assert 0 < due.recall_predicted < 1
    assert (again.is_counted, again.xp_earned) == (False, 0)
    student.refresh_from_db()
    assert student.total_xp == sum(QuizSubmission.objects.filter(student=student).values_list("xp_earned", flat=True))
    assert student.total_xp == 30


@pytest.mark.django_db
def test_a_wrong_due_review_earns_nothing_and_comes_back_soon():
    student = StudentFactory()
    question = QuestionFactory()
    answer(student, question, at=NOON)
    due_day = ReviewCard.objects.get(student=student).due_on
    at = datetime.datetime.combine(due_day, datetime.time(12), tzinfo=datetime.UTC)
    missed = answer(student, question, index=wrong(question), at=at)
    card = ReviewCard.objects.get(student=student)
    assert (missed.xp_earned, card.lapses, card.due_on) == (0, 1, due_day + DAY)


@pytest.mark.django_db
def test_a_review_shown_before_midnight_and_answered_after_is_an_ordinary_answer():
    student = StudentFactory()
    question = QuestionFactory()
    answer(student, question, at=NOON)
    due_day = ReviewCard.objects.get(student=student).due_on
    just_after = datetime.datetime.combine(due_day, datetime.time(0, 1), tzinfo=datetime.UTC)
    late = answer(student, question, at=just_after, seconds=180)  # shown at 23:58 the day before
    assert (late.is_counted, late.xp_earned, late.review_due_on) == (True, 0, None)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_answering_a_due_review_at_once_get_one_review_xp_and_one_card_update():
    student = StudentFactory()
    question = QuestionFactory(difficulty_level="easy")
    answer(student, question, at=NOON)
    due_day = ReviewCard.objects.get(student=student).due_on
    at = datetime.datetime.combine(due_day, datetime.time(12), tzinfo=datetime.UTC)

    def tab(start):
        start()
        return record_answer(
            student=Student.objects.get(pk=student.pk),
            question=question,
            selected_index=question.correct_answer_index,
            served_at=at - datetime.timedelta(seconds=20),
            form_token=uuid.uuid4(),
            now=at,
        ).submission

    results = run_together(tab, tab)

    assert sorted(s.xp_earned for s in results) == [0, 5]
    assert ReviewCard.objects.get(student=student).reps == 2


@pytest.fixture
def chapters():
    a = ChapterFactory(id="adding", name="Adding", subject="Math", order=1)
    b = ChapterFactory(id="plants", name="Plants", subject="Science", order=1)
    return {
        "adding": QuestionFactory.create_batch(4, chapter=a),
        "plants": QuestionFactory.create_batch(2, chapter=b),
    }


@pytest.mark.django_db
def test_the_review_page_interleaves_chapters_says_why_and_keeps_to_the_cap(client, chapters, settings):
    student = StudentFactory()
    for question in chapters["adding"]:
        answer(student, question, index=wrong(question), at=NOON)
    for question in chapters["plants"]:
        answer(student, question, at=NOON - 8 * DAY)
    sign_in(client, student.user)
    with time_machine.travel(NOON + 10 * DAY, tick=False):
        html = client.get("/review/").text
        chapters_in_order = re.findall(r"<small>(Adding|Plants) ·", html)
        assert len(chapters_in_order) == 6
        # No two in a row from the same chapter while another still has one due.
        assert chapters_in_order[:4] == ["Plants", "Adding", "Plants", "Adding"] or chapters_in_order[:4] == [
            "Adding",
            "Plants",
            "Adding",
            "Plants",
        ]
        assert "You missed this on 10 Mar" in html
        assert "Last right 18 days ago" in html
        settings.REVIEW_DAILY_CAP = 3
        assert len(re.findall(r'class="review-why"', client.get("/review/").text)) == 3
        dashboard = client.get("/dashboard/").text
        assert "3 questions to review today" in dashboard
        assert re.search(
            r'href="/learn/(adding|plants)/q/[^"]+/" role="button" class="continue-button">Continue', dashboard
        )


def test_the_interleaving_rule():
    items = ["a1", "a2", "a3", "b1", "c1"]
    ordered = review.interleave(items, chapter_of=lambda item: item[0])
    assert ordered == ["a1", "b1", "a2", "c1", "a3"]
    assert review.interleave(["a1", "a2"], chapter_of=lambda item: item[0]) == ["a1", "a2"]  # nothing else due


@pytest.mark.django_db
def test_continue_without_reviews_goes_to_the_next_question_of_the_last_chapter(client, chapters):
    student = StudentFactory()
    first = chapters["adding"][0]
    answer(student, first, at=NOON)
    sign_in(client, student.user)
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        dashboard = client.get("/dashboard/").text
    assert re.search(r'href="/learn/adding/q/[^"]+/" role="button" class="continue-button">Continue', dashboard)
    assert f'/learn/adding/q/{first.quiz_id}/" role="button" class="continue-button"' not in dashboard


@pytest.mark.django_db
def test_rebuild_progress_rebuilds_the_cards_and_check_reports_their_drift(chapters):
    student = StudentFactory()
    for n, question in enumerate(chapters["adding"]):
        answer(student, question, index=None if n % 2 else wrong(question), at=NOON + n * DAY)
    expected = {c.question_id: (c.due_at, c.stability) for c in ReviewCard.objects.filter(student=student)}
    call_command("rebuild_progress", "--check", stdout=io.StringIO())  # clean
    ReviewCard.objects.filter(student=student).update(stability=99.0)
    ReviewCard.objects.filter(question=chapters["adding"][0]).delete()

    with pytest.raises(CommandError):
        call_command("rebuild_progress", "--check", stdout=io.StringIO())
    call_command("rebuild_progress", stdout=io.StringIO())

    assert {c.question_id: (c.due_at, c.stability) for c in ReviewCard.objects.filter(student=student)} == expected


@pytest.mark.django_db
def test_staff_see_how_well_the_predictions_fit(staff_client):
    student = StudentFactory()
    question = QuestionFactory()
    answer(student, question, at=NOON)
    due_day = ReviewCard.objects.get(student=student).due_on
    answer(student, question, at=datetime.datetime.combine(due_day, datetime.time(12), tzinfo=datetime.UTC))
    html = staff_client.get("/admin/analytics/studentprogress/content/chapters/").text
    assert "Review scheduling: predicted against actual" in html
    assert "Log loss over 1 review" in html
    assert re.search(r"<th scope=\"row\">\d0–\d+0%</th><td>1</td>", html)
