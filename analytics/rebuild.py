"""Recompute a student's numbers from quiz_submissions, the source of truth, and repair drift.

The counters on students, student_progress and daily_analytics are kept by
curriculum.services.record_answer one answer at a time. This module derives what
they should be from the answers themselves, lists every difference, and can
rewrite the rows that differ. The rules are the same pure functions the write
path uses (curriculum.rules), so the two cannot disagree about what a streak or a
mastery score is.
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Count

from accounts.models import Student
from analytics.models import DailyAnalytics, StudentProgress
from curriculum import rules
from curriculum.models import Question, QuizSubmission
from edtech import cache

STUDENT_FIELDS = ("total_xp", "current_streak", "best_streak", "last_active_on")
PROGRESS_FIELDS = ("questions_completed", "questions_correct", "mastery_score", "last_answered_at")
DAILY_FIELDS = (
    "questions_answered",
    "questions_correct",
    "xp_earned",
    "time_spent_seconds",
    "time_spent_minutes",
    "streak_count",
)


class Answer(NamedTuple):
    """The columns of one quiz_submissions row that the numbers are derived from."""

    id: int
    question_id: int
    chapter_id: str
    is_correct: bool
    is_counted: bool
    xp_earned: int | None
    time_taken_seconds: int | None
    submitted_at: datetime.datetime | None
    answered_on: datetime.date | None


@dataclass(frozen=True)
class Expected:
    """A student's numbers as the answers say they should be."""

    student: dict[str, Any]
    progress: dict[str, dict[str, Any]]  # by chapter id
    daily: dict[datetime.date, dict[str, Any]]  # by analytics_date


@dataclass(frozen=True)
class Drift:
    """One stored value (or row) that differs from what the answers say. Ids only: no names."""

    student_id: int
    what: str
    stored: str
    expected: str

    def __str__(self) -> str:
        return f"student {self.student_id}: {self.what}: stored {self.stored}, expected {self.expected}"


@dataclass
class StudentReport:
    student_id: int
    drifts: list[Drift] = field(default_factory=list)
    rows_changed: int = 0


def expected_numbers(answers: Iterable[Answer], *, zone: zoneinfo.ZoneInfo, chapter_sizes: dict[str, int]) -> Expected:
    """What a student's stored numbers should be, given all their answers in id order. No database.

    An answer's day is its answered_on, or (for rows recorded without one) the
    local date of submitted_at in `zone`; an answer with neither has no day and
    counts only toward XP and mastery. Streaks replay the active days in date
    order with rules.next_streak, and the stored current streak is the raw value
    after the last active day (a broken streak shows as 0 only when displayed).
    """
    total_xp = 0
    chapter_questions: dict[str, set[int]] = {}
    chapter_last_at: dict[str, datetime.datetime | None] = {}
    latest_counted_correct: dict[int, bool] = {}
    days: dict[datetime.date, dict[str, Any]] = {}

    for answer in sorted(answers, key=lambda a: a.id):
        xp = answer.xp_earned or 0
        seconds = answer.time_taken_seconds or 0
        total_xp += xp
        chapter_questions.setdefault(answer.chapter_id, set()).add(answer.question_id)
        chapter_last_at[answer.chapter_id] = answer.submitted_at
        if answer.is_counted:
            latest_counted_correct[answer.question_id] = answer.is_correct

        day = answer.answered_on
        if day is None and answer.submitted_at is not None:
            day = rules.local_day(answer.submitted_at, zone)
        if day is None:
            continue
        totals = days.setdefault(
            day, {"questions_answered": 0, "questions_correct": 0, "xp_earned": 0, "time_spent_seconds": 0}
        )
        totals["questions_answered"] += 1
        totals["questions_correct"] += int(answer.is_correct)
        totals["xp_earned"] += xp
        totals["time_spent_seconds"] += seconds

    progress = {}
    for chapter_id, question_ids in chapter_questions.items():
        correct = sum(1 for question_id in question_ids if latest_counted_correct.get(question_id) is True)
        progress[chapter_id] = {
            "questions_completed": len(question_ids),
            "questions_correct": correct,
            "mastery_score": rules.mastery_score(
                questions_correct=correct, questions_total=chapter_sizes.get(chapter_id, 0)
            ),
            "last_answered_at": chapter_last_at[chapter_id],
        }

    current, best, last_active = 0, 0, None
    daily = {}
    for day in sorted(days):
        streak = rules.next_streak(current=current, best=best, last_active=last_active, today=day)
        current, best, last_active = streak.current, streak.best, day
        totals = days[day]
        daily[day] = {
            **totals,
            "time_spent_minutes": totals["time_spent_seconds"] // 60,
            "streak_count": current,
        }

    student = {"total_xp": total_xp, "current_streak": current, "best_streak": best, "last_active_on": last_active}
    return Expected(student=student, progress=progress, daily=daily)


def rebuild_student(student_id: int, *, fix: bool) -> StudentReport | None:
    """Compare one student's stored numbers with their answers; with fix=True, rewrite what differs.

    Runs in its own transaction with the student's row locked first — the lock
    record_answer takes — so no answer of this student can land between reading
    the answers and reading (or writing) the counters: it is safe to run while
    students answer, and a check never reports a half-recorded answer as drift.
    The check only reads. A fix bumps updated_at (the cache version) and drops the
    student's cache entries after the commit. None when the student no longer exists.
    """
    with transaction.atomic(durable=True):
        student = Student.objects.select_for_update().filter(pk=student_id).first()
        if student is None:
            return None
        version_before = student.cache_version
        answers = [
            Answer(*row)
            for row in QuizSubmission.objects.filter(student_id=student_id)
            .order_by("id")
            .values_list(
                "id",
                "question_id",
                "question__chapter_id",
                "is_correct",
                "is_counted",
                "xp_earned",
                "time_taken_seconds",
                "submitted_at",
                "answered_on",
            )
        ]
        expected = expected_numbers(answers, zone=student.zone, chapter_sizes=_chapter_sizes(answers))
        report = StudentReport(student_id=student_id)
        _compare_student(student, expected, report)
        _compare_progress(student, expected, report, fix=fix)
        _compare_daily(student, expected, report, fix=fix)
        if fix and report.drifts:
            Student.objects.filter(pk=student_id).update(**expected.student, updated_at=student.next_updated_at())
    if fix and report.drifts:
        cache.forget_student(student_id, version_before)
    return report


def _chapter_sizes(answers: list[Answer]) -> dict[str, int]:
    chapter_ids = {answer.chapter_id for answer in answers}
    if not chapter_ids:
        return {}
    return dict(
        Question.objects.filter(chapter_id__in=chapter_ids)
        .values("chapter_id")
        .annotate(size=Count("id"))
        .values_list("chapter_id", "size")
    )


def _compare_student(student: Student, expected: Expected, report: StudentReport) -> None:
    changed = False
    for name in STUDENT_FIELDS:
        stored = getattr(student, name)
        if stored != expected.student[name]:
            report.drifts.append(Drift(student.pk, name, _shown(stored), _shown(expected.student[name])))
            changed = True
    # The row itself is written with the updated_at bump in rebuild_student.
    report.rows_changed += int(changed)


def _compare_progress(student: Student, expected: Expected, report: StudentReport, *, fix: bool) -> None:
    stored = {row.chapter_id: row for row in StudentProgress.objects.filter(student=student)}
    _compare_rows(
        StudentProgress,
        "chapter_id",
        stored,
        expected.progress,
        PROGRESS_FIELDS,
        student,
        report,
        fix=fix,
        label=lambda chapter_id: f"progress chapter {chapter_id}",
    )


def _compare_daily(student: Student, expected: Expected, report: StudentReport, *, fix: bool) -> None:
    stored = {row.analytics_date: row for row in DailyAnalytics.objects.filter(student=student)}
    _compare_rows(
        DailyAnalytics,
        "analytics_date",
        stored,
        expected.daily,
        DAILY_FIELDS,
        student,
        report,
        fix=fix,
        label=lambda day: f"daily {day.isoformat()}",
    )


def _compare_rows(model, key_field, stored_rows, expected_rows, fields, student, report, *, fix, label) -> None:
    """Compare one student's stored rows of a derived table with the expected ones, keyed by key_field;
    with fix, create the missing, update the different and delete the unexpected rows."""
    to_create, to_update, to_delete = [], [], []
    for key in sorted(stored_rows.keys() | expected_rows.keys()):
        row, values = stored_rows.get(key), expected_rows.get(key)
        what = label(key)
        if row is None:
            report.drifts.append(Drift(student.pk, what, "no row", _shown_row(values)))
            to_create.append(model(student=student, **{key_field: key}, **values))
        elif values is None:
            report.drifts.append(Drift(student.pk, what, _shown_row(_row_values(row, fields)), "no row"))
            to_delete.append(row.pk)
        elif _diff(student, what, row, values, report):
            to_update.append(row)
    if fix:
        _write(model, to_create, to_update, to_delete, fields)
    report.rows_changed += len(to_create) + len(to_update) + len(to_delete)


def _diff(student: Student, what: str, row, values: dict[str, Any], report: StudentReport) -> bool:
    """Record each field of `row` that differs from `values`, and set it to the expected value."""
    changed = False
    for name, value in values.items():
        stored = getattr(row, name)
        if stored != value:  # Decimal == Decimal is exact; NULL differs from 0
            report.drifts.append(Drift(student.pk, f"{what} {name}", _shown(stored), _shown(value)))
            setattr(row, name, value)
            changed = True
    return changed


def _write(model, to_create: list, to_update: list, to_delete: list, fields: tuple[str, ...]) -> None:
    if to_delete:
        model.objects.filter(pk__in=to_delete).delete()
    if to_update:
        model.objects.bulk_update(to_update, fields)
    if to_create:
        model.objects.bulk_create(to_create)


def _row_values(row, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


def _shown(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, datetime.date):  # dates and datetimes
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _shown_row(values: dict[str, Any]) -> str:
    return "(" + ", ".join(f"{name}={_shown(value)}" for name, value in values.items()) + ")"
