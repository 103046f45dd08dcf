"""The one write that spans models: recording a student's answer."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import ranks
from accounts.models import Student
from analytics import review, rules
from analytics.models import DailyAnalytics, ReviewCard, StudentProgress
from classes.progress import chapters_opened_for
from curriculum.models import Question, QuizSubmission, hold_chapters
from edtech import cache


class ChapterClosed(Exception):
    """The chapter is still locked for this student."""

    def __init__(self, chapter_id: str, xp_missing: int):
        super().__init__(f"{xp_missing} more XP needed")
        self.chapter_id = chapter_id
        self.xp_missing = xp_missing


# No child answers 20 questions a minute: a faster stream is a script or a stuck key.
ANSWERS_PER_MINUTE = 20


class TooManyAnswers(Exception):
    """The student has answered ANSWERS_PER_MINUTE times within the last minute."""


@dataclass(frozen=True)
class AnswerResult:
    submission: QuizSubmission
    replayed: bool  # True when this form had already been answered (double submit)


def xp_still_needed(student: Student, chapter_id: str, xp_missing: int) -> int:
    """The XP the student still needs to open the chapter: none when an assignment of one of their classes
    opens it ("opened by your teacher"), else what their XP lacks. The one rule for pages and answers."""
    if xp_missing and chapter_id in chapters_opened_for(student, rules.local_day(timezone.now(), student.zone)):
        return 0
    return xp_missing


def record_answer(
    *,
    student: Student,
    question: Question,
    selected_index: int,
    served_at: datetime.datetime,
    form_token: uuid.UUID,
    now: datetime.datetime | None = None,
) -> AnswerResult:
    """Record one answer and update XP, streak, mastery and the day's analytics, atomically.

    Under concurrency: the student's row is locked first, so two tabs or two
    workers answering at once are serialised and no update is lost; XP, mastery
    and the daily counters change by SQL increments and upserts, and the streak
    is worked out from the locked row.
    A second submit of the same rendered form (same form_token) records nothing
    and returns the first submission. Raises ChapterClosed when the chapter is
    locked for the student, and TooManyAnswers after ANSWERS_PER_MINUTE answers
    within a minute; then nothing is recorded.
    """
    with transaction.atomic(durable=True):
        # A content edit's recompute of this chapter waits for the answer, or the answer for it.
        hold_chapters([question.chapter_id], exclusive=False)
        locked = Student.objects.select_for_update().get(pk=student.pk)
        # The clock is read after the lock: answers that wait for each other are recorded in time
        # order, so one landing just before midnight cannot follow one from just after it.
        now = now or timezone.now()

        first = QuizSubmission.objects.filter(form_token=form_token, student=locked).first()
        if first is not None:
            return AnswerResult(submission=first, replayed=True)

        xp_missing = xp_still_needed(locked, question.chapter_id, question.chapter.xp_needed_by(locked.total_xp))
        if xp_missing:
            raise ChapterClosed(question.chapter_id, xp_missing)

        today = rules.local_day(now, locked.zone)
        history = _history(locked, question, today)
        earlier = history["answer_before_last_n"]
        if earlier is not None and now - earlier < datetime.timedelta(minutes=1):
            raise TooManyAnswers
        is_correct = selected_index == question.correct_answer_index
        is_counted = not history["answered_today"]
        xp = rules.xp_for(
            difficulty=question.difficulty_level,
            is_correct=is_correct,
            is_counted=is_counted,
            earned_xp_before=history["earned_xp"],
        )
        # The question's review card (counted answers only review it). A due review, answered on the day its
        # form was shown, earns review XP when right; one served before midnight is an ordinary answer.
        card = _card(locked, question) if is_counted else None
        due_review = review.is_due(card, today) and rules.local_day(served_at, locked.zone) == today
        if due_review and is_correct and history["earned_xp"]:
            xp = review.review_xp(question.difficulty_level)
        time_taken = rules.clamp_time_taken((now - served_at).total_seconds())
        submission = QuizSubmission.objects.create(
            student=locked,
            question=question,
            selected_answer_index=selected_index,
            is_correct=is_correct,
            xp_earned=xp,
            time_taken_seconds=time_taken,
            submitted_at=now,
            is_counted=is_counted,
            answered_on=today,
            form_token=form_token,
            review_due_on=card["due_on"] if due_review and card else None,
            recall_predicted=review.recall(card, now) if due_review and card else None,
        )
        if is_counted:
            _save_card(locked, question, review.reviewed(card, is_correct=is_correct, at=now, zone=locked.zone))

        streak = rules.next_streak(
            current=locked.current_streak or 0,
            best=locked.best_streak or 0,
            last_active=locked.last_active_on,
            today=today,
        )
        Student.objects.filter(pk=locked.pk).update_with_new_version(
            total_xp=Coalesce(F("total_xp"), 0) + xp,
            current_streak=streak.current,
            best_streak=streak.best,
            last_active_on=max(today, locked.last_active_on or today),
        )
        # The locked row's XP plus this answer's is what commits: the leaderboard's ranking gets it after the commit.
        ranks.put(locked.pk, (locked.total_xp or 0) + xp, locked.on_leaderboard)

        if is_counted:
            was_correct = history["latest_counted_correct"]
            delta_correct = int(is_correct) - int(bool(was_correct))
        else:
            delta_correct = 0
        StudentProgress.objects.record_answer(
            student_id=locked.pk,
            chapter_id=question.chapter_id,
            new_question=not history["answered"],
            delta_correct=delta_correct,
            answered_at=now,
        )
        DailyAnalytics.objects.record_answer(
            student_id=locked.pk,
            day=today,
            is_correct=is_correct,
            xp=xp,
            seconds=time_taken,
            streak=streak.current,
        )
        old_version = locked.cache_version
        transaction.on_commit(lambda: cache.forget_student(locked.pk, old_version))
    return AnswerResult(submission=submission, replayed=False)


def _card(student: Student, question: Question) -> dict[str, Any] | None:
    card: dict[str, Any] | None = (
        ReviewCard.objects.filter(student=student, question=question).values(*review.CARD_FIELDS).first()
    )
    return card


def _save_card(student: Student, question: Question, fields: dict[str, Any]) -> None:
    """Insert or overwrite the card in one statement (INSERT … ON CONFLICT DO UPDATE)."""
    ReviewCard.objects.bulk_create(
        [ReviewCard(student=student, question=question, **fields)],
        update_conflicts=True,
        unique_fields=["student", "question"],
        update_fields=list(review.CARD_FIELDS),
    )


def _history(student: Student, question: Question, today: datetime.date) -> dict[str, Any]:
    """What the student did before with this question, and when they gave their ANSWERS_PER_MINUTE-th
    latest answer (to any question), in one query."""
    nth_latest = (
        QuizSubmission.objects.filter(student=student)
        .order_by("-id")
        .values("submitted_at")[ANSWERS_PER_MINUTE - 1 : ANSWERS_PER_MINUTE]
    )
    return dict(
        Question.objects.filter(pk=question.pk)
        .with_history(student, today)
        .annotate(answer_before_last_n=Subquery(nth_latest))
        .values("answered", "answered_today", "earned_xp", "latest_counted_correct", "answer_before_last_n")
        .get()
    )
