"""QuestionQuerySet.with_history (hand-written subqueries): each annotation agrees with a recount in Python of
the same answers, for questions with every kind of history, and for this student only."""

import datetime

import pytest

from accounts.tests.factories import StudentFactory
from curriculum.models import Question, QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory, QuizSubmissionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)
YESTERDAY = TODAY - datetime.timedelta(days=1)
AT = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)


def answer(student, question, *, on, correct, counted=True, xp=0, minutes=0):
    return QuizSubmissionFactory(
        student=student,
        question=question,
        answered_on=on,
        is_correct=correct,
        is_counted=counted,
        xp_earned=xp,
        selected_answer_index=2 if correct else 0,
        submitted_at=AT + datetime.timedelta(minutes=minutes),
    )


def recount(student, question) -> dict:
    mine = sorted(QuizSubmission.objects.filter(student=student, question=question), key=lambda s: s.pk)
    counted = [s for s in mine if s.is_counted]
    return {
        "answered": bool(mine),
        "answered_today": any(s.answered_on == TODAY for s in mine),
        "earned_xp": any((s.xp_earned or 0) > 0 for s in mine),
        "latest_counted_correct": counted[-1].is_correct if counted else None,
        "fixed_today": any(s.answered_on == TODAY and not s.is_counted and s.is_correct for s in mine),
        "last_answered_at": mine[-1].submitted_at if mine else None,
    }


def test_each_annotation_agrees_with_a_recount_of_the_answers():
    chapter = ChapterFactory()
    student, other = StudentFactory(), StudentFactory()
    never, wrong_then_right, fixed, earned, only_yesterday, others_only = QuestionFactory.create_batch(
        6, chapter=chapter
    )
    answer(student, wrong_then_right, on=YESTERDAY, correct=False)
    answer(student, wrong_then_right, on=TODAY, correct=True, xp=10, minutes=1)
    answer(student, fixed, on=TODAY, correct=False)
    answer(student, fixed, on=TODAY, correct=True, counted=False, minutes=2)  # a retry: put right, not counted
    answer(student, earned, on=YESTERDAY, correct=True, xp=15)
    answer(student, only_yesterday, on=YESTERDAY, correct=False, minutes=3)
    answer(student, only_yesterday, on=YESTERDAY, correct=True, counted=False, minutes=4)
    answer(other, others_only, on=TODAY, correct=True, xp=10)
    answer(other, never, on=TODAY, correct=True, xp=10)

    rows = {q.pk: q for q in Question.objects.filter(chapter=chapter).with_history(student, TODAY)}
    names = ("answered", "answered_today", "earned_xp", "latest_counted_correct", "fixed_today", "last_answered_at")
    for question in (never, wrong_then_right, fixed, earned, only_yesterday, others_only):
        assert {name: getattr(rows[question.pk], name) for name in names} == recount(student, question), question
    assert rows[fixed.pk].fixed_today and not rows[only_yesterday.pk].fixed_today
    assert rows[wrong_then_right.pk].latest_counted_correct is True and rows[fixed.pk].latest_counted_correct is False
    assert not rows[never.pk].answered and not rows[others_only.pk].answered  # another child's answers are theirs


def test_the_annotations_can_be_filtered_on_and_read_as_values():
    student, question = StudentFactory(), QuestionFactory()
    answer(student, question, on=TODAY, correct=False)
    assert list(Question.objects.with_history(student, TODAY).filter(latest_counted_correct=False)) == [question]
    values = Question.objects.filter(pk=question.pk).with_history(student, TODAY).values("answered", "earned_xp").get()
    assert values == {"answered": True, "earned_xp": False}
