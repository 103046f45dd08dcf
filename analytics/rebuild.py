"""Recompute a student's numbers from quiz_submissions, the source of truth, and repair drift.

The counters on students, student_progress and daily_analytics are kept by
learning.services.record_answer one answer at a time. This module derives what
they should be from the answers themselves, lists every difference, and can
rewrite the rows that differ. The derivation is the one the benchmark dataset
uses too: expected_numbers() (pure Python, with the same rule functions the write
path uses, analytics.rules) for the student's totals and days, and
StudentProgress.objects.derived_from() (SQL, with the one mastery formula) for the
chapters, so no two of them can disagree about what a streak or a mastery score is.
"""

import datetime
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction

from accounts import ranks
from accounts.models import Student
from analytics import review, rules
from analytics.models import DailyAnalytics, ReviewCard, StudentProgress
from curriculum.models import QuizSubmission
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
    """The columns of one quiz_submissions row that a student's totals and days are derived from."""

    id: int
    question_id: int
    is_correct: bool
    is_counted: bool
    xp_earned: int | None
    time_taken_seconds: int | None
    submitted_at: datetime.datetime | None
    answered_on: datetime.date | None


ANSWER_COLUMNS = Answer._fields


@dataclass(frozen=True)
class Expected:
    """A student's totals and days as the answers say they should be."""

    student: dict[str, Any]
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


def expected_numbers(answers: Iterable[Answer], *, zone: zoneinfo.ZoneInfo) -> Expected:
    """What a student's totals and daily_analytics rows should be, given all their answers. No database.

    An answer's day is its answered_on, or (for rows recorded without one) the
    local date of submitted_at in `zone`; an answer with neither has no day and
    counts only toward XP. Streaks replay the active days in date order with
    rules.next_streak, and the stored current streak is the raw value after the
    last active day (a broken streak shows as 0 only when displayed).
    """
    total_xp = 0
    days: dict[datetime.date, dict[str, Any]] = {}
    for answer in sorted(answers, key=lambda a: a.id):
        xp = answer.xp_earned or 0
        total_xp += xp
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
        totals["time_spent_seconds"] += answer.time_taken_seconds or 0

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
    return Expected(student=student, daily=daily)


def expected_progress(student_id: int) -> dict[str, dict[str, Any]]:
    """What the student's student_progress rows should be, by chapter id (one query)."""
    rows = StudentProgress.objects.derived_from(QuizSubmission.objects.filter(student_id=student_id))
    return {row["chapter"]: {name: row[name] for name in PROGRESS_FIELDS} for row in rows}


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
            for row in QuizSubmission.objects.filter(student_id=student_id).order_by("id").values_list(*ANSWER_COLUMNS)
        ]
        expected = expected_numbers(answers, zone=student.zone)
        report = StudentReport(student_id=student_id)
        _compare_student(student, expected, report)
        _compare_progress(student, expected_progress(student_id), report, fix=fix)
        _compare_daily(student, expected, report, fix=fix)
        _compare_cards(student, answers, report, fix=fix)
        if fix and report.drifts:
            Student.objects.filter(pk=student_id).update_with_new_version(**expected.student)
            ranks.put(student_id, expected.student["total_xp"], student.on_leaderboard)
    if fix and report.drifts:
        cache.forget_student(student_id, version_before)
    return report


def _compare_student(student: Student, expected: Expected, report: StudentReport) -> None:
    changed = False
    for name in STUDENT_FIELDS:
        stored = getattr(student, name)
        if stored != expected.student[name]:
            report.drifts.append(Drift(student.pk, name, _shown(stored), _shown(expected.student[name])))
            changed = True
    # The row itself is written with the updated_at bump in rebuild_student.
    report.rows_changed += int(changed)


def _compare_progress(
    student: Student, expected: dict[str, dict[str, Any]], report: StudentReport, *, fix: bool
) -> None:
    stored = {row.chapter_id: row for row in StudentProgress.objects.filter(student=student)}
    _compare_rows(
        StudentProgress,
        "chapter_id",
        stored,
        expected,
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


def _compare_cards(student: Student, answers: list[Answer], report: StudentReport, *, fix: bool) -> None:
    """The review cards, replayed from the counted answers through the same scheduler (analytics.review)."""
    expected = review.expected_cards(
        ((a.question_id, a.is_correct, a.submitted_at) for a in answers if a.is_counted), zone=student.zone
    )
    stored = {row.question_id: row for row in ReviewCard.objects.filter(student=student)}
    _compare_rows(
        ReviewCard,
        "question_id",
        stored,
        expected,
        review.CARD_FIELDS,
        student,
        report,
        fix=fix,
        label=lambda question_id: f"review card question {question_id}",
    )


def _compare_rows(
    model: type[StudentProgress] | type[DailyAnalytics] | type[ReviewCard],
    key_field: str,
    stored_rows: dict[Any, Any],
    expected_rows: dict[Any, dict[str, Any]],
    fields: tuple[str, ...],
    student: Student,
    report: StudentReport,
    *,
    fix: bool,
    label: Callable[[Any], str],
) -> None:
    """Compare one student's stored rows of a derived table with the expected ones, keyed by key_field;
    with fix, create the missing, update the different and delete the unexpected rows."""
    to_create, to_update, to_delete = [], [], []
    for key in sorted(stored_rows.keys() | expected_rows.keys()):
        row, values = stored_rows.get(key), expected_rows.get(key)
        what = label(key)
        if row is None:
            assert values is not None
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


def _diff(student: Student, what: str, row: Any, values: dict[str, Any], report: StudentReport) -> bool:
    """Record each field of `row` that differs from `values`, and set it to the expected value."""
    changed = False
    for name, value in values.items():
        stored = getattr(row, name)
        if stored != value:  # Decimal == Decimal is exact; NULL differs from 0
            report.drifts.append(Drift(student.pk, f"{what} {name}", _shown(stored), _shown(value)))
            setattr(row, name, value)
            changed = True
    return changed


def _write(
    model: type[StudentProgress] | type[DailyAnalytics] | type[ReviewCard],
    to_create: list[Any],
    to_update: list[Any],
    to_delete: list[int],
    fields: tuple[str, ...],
) -> None:
    if to_delete:
        model.objects.filter(pk__in=to_delete).delete()
    if to_update:
        model.objects.bulk_update(to_update, fields)
    if to_create:
        model.objects.bulk_create(to_create)


def _row_values(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
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
