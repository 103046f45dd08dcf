"""A student's numbers as the dashboards show them, cached by the named TTLs.

Every entry is keyed by the student's id and cache version (edtech.cache.student_entry),
and is deleted right after an answer commits. An entry whose answer depends on the
calendar holds the student's day it was computed for, and is computed again on another
day. The student's dashboard and a parent's view of the child read the same entries.
Each entry records when it was computed ("as of HH:MM").
"""

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Student
from analytics import charts, rules
from analytics.models import DailyAnalytics, StudentProgress
from curriculum import catalog
from curriculum.models import Question, QuizSubmission, xp_missing
from edtech import cache

LEARN_URL = reverse_lazy("learn")
CHART_DAYS = 30
REVIEW_LIMIT = 20
RECENT_LIMIT = 10
LEADERBOARD_SIZE = 50


def today_for(student: Student, now: datetime.datetime | None = None) -> datetime.date:
    return rules.local_day(now or timezone.now(), student.zone)


def _stamp(value: dict[str, Any]) -> dict[str, Any]:
    value["as_of"] = timezone.now()
    return value


def _student_entry(dataset: str, student: Student) -> cache.Entry:
    return cache.student_entry(dataset, student.pk, student.cache_version)


def _for_day(
    dataset: str, student: Student, today: datetime.date, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The student's cached entry computed for `today`, or compute() (stamped with the day) cached anew."""
    entry = _student_entry(dataset, student)
    value: dict[str, Any] | None = cache.get(entry)
    if value is None or value.get("day") != today:
        value = {**compute(), "day": today}
        cache.set(entry, value)
    return value


def mastery(student: Student) -> dict[str, Any]:
    """{"chapters": {chapter_id: {"score", "completed", "correct", "last_answered_at"}}, "as_of"}."""

    def compute() -> dict[str, Any]:
        rows = StudentProgress.objects.filter(student=student).values(
            "chapter_id", "mastery_score", "questions_completed", "questions_correct", "last_answered_at"
        )
        return _stamp(
            {
                "chapters": {
                    row["chapter_id"]: {
                        "score": row["mastery_score"] or Decimal(0),
                        "completed": row["questions_completed"] or 0,
                        "correct": row["questions_correct"] or 0,
                        "last_answered_at": row["last_answered_at"],
                    }
                    for row in rows
                }
            }
        )

    return cache.get_or_compute(_student_entry("mastery", student), compute)


def streak(student: Student, today: datetime.date) -> dict[str, Any]:
    """{"current" (0 when broken), "best", "state": today|keep-going|none, "as_of"}."""

    def compute() -> dict[str, Any]:
        return _stamp(
            {
                "current": rules.streak_shown(
                    current=student.current_streak or 0, last_active=student.last_active_on, today=today
                ),
                "best": student.best_streak or 0,
                "state": rules.streak_state(last_active=student.last_active_on, today=today),
            }
        )

    return _for_day("streak", student, today, compute)


def activity(student: Student, today: datetime.date) -> dict[str, Any]:
    """The last 30 days of daily analytics, one entry per day (zeros on quiet days), oldest first."""

    def compute() -> dict[str, Any]:
        first = today - datetime.timedelta(days=CHART_DAYS - 1)
        rows = {
            row["analytics_date"]: row
            for row in DailyAnalytics.objects.filter(student=student, analytics_date__range=(first, today)).values(
                "analytics_date", "questions_answered", "questions_correct", "xp_earned", "time_spent_minutes"
            )
        }
        days = []
        for offset in range(CHART_DAYS):
            day = first + datetime.timedelta(days=offset)
            row: Mapping[str, Any] = rows.get(day, {})
            days.append(
                {
                    "date": day,
                    "answered": row.get("questions_answered") or 0,
                    "correct": row.get("questions_correct") or 0,
                    "xp": row.get("xp_earned") or 0,
                    "minutes": row.get("time_spent_minutes") or 0,
                }
            )
        return _stamp({"days": days})

    return _for_day("activity", student, today, compute)


def progress_summary(student: Student, today: datetime.date) -> dict[str, Any]:
    """The review list (latest counted answer wrong) and the last 10 answers."""

    def compute() -> dict[str, Any]:
        active: Any = Question.objects.active()  # annotated by with_history below: attributes stubs cannot see
        review = (
            active.answered_by(student)
            .with_history(student, today)
            .filter(latest_counted_correct=False)
            .select_related("chapter")
            .order_by("last_answered_at")[:REVIEW_LIMIT]
        )
        recent = (
            QuizSubmission.objects.filter(student=student)
            .select_related("question", "question__chapter")
            .order_by("-id")[:RECENT_LIMIT]
        )
        return _stamp(
            {
                "review": [
                    {
                        "quiz_id": q.quiz_id,
                        "chapter_id": q.chapter_id,
                        "chapter_name": q.chapter.name,
                        "question_text": q.question_text,
                        "last_answered_at": q.last_answered_at,
                        "can_earn_xp_today": not q.answered_today and not q.earned_xp,
                    }
                    for q in review
                ],
                "recent": [
                    {
                        "id": s.pk,
                        "quiz_id": s.question.quiz_id,
                        "chapter_id": s.question.chapter_id,
                        "chapter_name": s.question.chapter.name,
                        "question_text": s.question.question_text,
                        "options": s.question.options,
                        "selected_index": s.selected_answer_index,
                        "selected_text": _option(s.question.options, s.selected_answer_index),
                        "correct_text": _option(s.question.options, s.question.correct_answer_index),
                        "explanation": s.question.explanation or "",
                        "is_correct": s.is_correct,
                        "xp_earned": s.xp_earned or 0,
                        "submitted_at": s.submitted_at,
                    }
                    for s in recent
                ],
            }
        )

    return _for_day("recent_answers", student, today, compute)


def _chapter_score(progress: StudentProgress | None) -> dict[str, Any] | None:
    if progress is None:
        return None
    return {"id": progress.chapter_id, "name": progress.chapter.name, "score": progress.mastery_score}


def week(student: Student, today: datetime.date) -> dict[str, Any]:
    """This week's answers and accuracy (the last 7 days), and the weakest started chapter."""

    def compute() -> dict[str, Any]:
        totals = DailyAnalytics.objects.totals(student, today - datetime.timedelta(days=6), today)
        answered, correct = totals["answered"], totals["correct"]
        started = list(
            StudentProgress.objects.filter(student=student, questions_completed__gt=0)
            .select_related("chapter")
            .order_by("mastery_score", "chapter__subject", "chapter__order")
        )
        # The lowest-mastery started chapter below proficient; none when every started one is proficient.
        weakest = next((p for p in started if (p.mastery_score or 0) < rules.NEEDS_PRACTICE_BELOW), None)
        strongest = started[-1] if started else None
        return _stamp(
            {
                "answered": answered,
                "correct": correct,
                "xp": totals["xp"],
                "days": totals["days"],
                "minutes": round(totals["seconds"] / 60),
                "accuracy": round(100 * correct / answered) if answered else None,
                "started": len(started),
                "weakest": _chapter_score(weakest),
                "strongest": _chapter_score(strongest) if strongest is not weakest else None,
            }
        )

    return _for_day("week", student, today, compute)


def progress_page(student: Student) -> dict[str, Any]:
    """What a progress page shows about one student: the student's dashboard and a parent's child page."""
    today = today_for(student)
    activity_days = activity(student, today)
    started = started_chapters(student)  # one read of mastery and of the chapter list
    return {
        "student": student,
        "today": today,
        "streak": streak(student, today),
        "started": started["chapters"],
        "not_started_count": started["not_started"],
        "mastery_as_of": started["as_of"],
        "summary": progress_summary(student, today),
        "activity": activity_days,
        "chart": charts.activity_chart(activity_days["days"]),
        "week": week(student, today),
    }


def progress_html(student: Student, viewer: str) -> SafeString:
    """The progress part of the student's dashboard (viewer "student") or of a parent's child page ("parent"),
    rendered once per change of what it shows: the student's numbers (their versioned entry), their day, and
    the catalog (chapter names)."""
    return cache.get_or_render(
        cache.student_entry(f"html_progress_{viewer}", student.pk, student.cache_version),
        depends=[today_for(student), catalog.version()],
        render=lambda: render_to_string(
            "analytics/includes/progress.html", {**progress_page(student), "viewer": viewer}
        ),
    )


def chapter_map(student: Student) -> list[dict[str, Any]]:
    """Subjects in order, each with its chapters: mastery, band, and whether open or how much XP is missing.

    Display values (the link, the rounded percentage) are made here, once, so that the
    templates, which render up to hundreds of chapters, only print variables.
    """
    progress = mastery(student)["chapters"]
    subjects: dict[str, list[dict[str, Any]]] = {}
    for chapter in catalog.chapters():
        missing = xp_missing(
            is_locked=chapter["is_locked"], unlock_xp_required=chapter["unlock_xp_required"], total_xp=student.total_xp
        )
        subjects.setdefault(chapter["subject"], []).append(
            {
                **chapter,
                **_mastery_display(progress.get(chapter["id"])),
                "url": f"{LEARN_URL}{chapter['id']}/",
                "xp_missing": missing,
                "is_open": not missing,
                # Opened by XP and not started yet: the map marks it new until the child answers in it.
                "is_new": bool(chapter["is_locked"]) and not missing and chapter["id"] not in progress,
            }
        )
    return [{"subject": subject, "chapters": chapters} for subject, chapters in subjects.items()]


def started_chapters(student: Student) -> dict[str, Any]:
    """The dashboard's mastery table: {"chapters": the chapters the student has answered in, in map
    order, with their mastery; "not_started": how many others; "as_of": when mastery was computed}."""
    progress = mastery(student)
    all_chapters = catalog.chapters()
    started = [
        {
            **chapter,
            **_mastery_display(progress["chapters"][chapter["id"]]),
            "is_open": not xp_missing(
                is_locked=chapter["is_locked"],
                unlock_xp_required=chapter["unlock_xp_required"],
                total_xp=student.total_xp,
            ),
        }
        for chapter in all_chapters
        if chapter["id"] in progress["chapters"]
    ]
    return {"chapters": started, "not_started": len(all_chapters) - len(started), "as_of": progress["as_of"]}


# A chapter not started yet: the same display values for every such chapter (hundreds on a map).
_NOT_STARTED = {
    "score": Decimal(0),
    "score_value": "0.00",
    "score_percent": "0",
    "completed": 0,
    "started": False,
    "band": "not-started",
    "band_label": "Not started",
}


def _mastery_display(mine: dict[str, Any] | None) -> dict[str, Any]:
    if mine is None:
        return _NOT_STARTED
    band, band_label = rules.mastery_band(score=mine["score"], started=True)
    return {
        "score": mine["score"],
        "score_value": f"{mine['score']:.2f}",
        "score_percent": f"{mine['score']:.0f}",
        "completed": mine["completed"],
        "started": True,
        "band": band,
        "band_label": band_label,
    }


def leaderboard() -> dict[str, Any]:
    """The top 50 by total XP (first name and last initial only), recomputed every 6 hours; each row also
    as rendered for every viewer but the child it names ("row_html")."""

    def compute() -> dict[str, Any]:
        top = Student.objects.top_by_xp(LEADERBOARD_SIZE).values("id", "name", "total_xp")
        rows = []
        for position, row in enumerate(top, start=1):
            name = Student(name=row["name"]).display_name
            rows.append({"rank": position, "student_id": row["id"], "name": name, "total_xp": row["total_xp"]})
        row_html = [render_to_string("analytics/includes/leaderboard_row.html", {"row": row}) for row in rows]
        return _stamp({"rows": rows, "row_html": row_html})

    cached = cache.get(cache.leaderboard_entry())
    if isinstance(cached, dict) and isinstance(cached.get("row_html"), list):
        return cached
    board = compute()  # a miss, or an entry of the shape before the rows were rendered
    cache.set(cache.leaderboard_entry(), board)
    return board


def leaderboard_for(student: Student) -> dict[str, Any]:
    """The top 50 as the student sees it: the rows rendered once for everyone, and their own row marked."""
    board = leaderboard()
    mine = next((i for i, row in enumerate(board["rows"]) if row["student_id"] == student.pk), None)
    html = board["row_html"]
    if mine is None:
        before, after = html, []
    else:
        before, after = html[:mine], html[mine + 1 :]
    return {
        "as_of": board["as_of"],
        "size": len(board["rows"]),
        # Our own template's output for each row (the entry is ours: JSON, never pickled).
        "rows_before": mark_safe("".join(before)),  # noqa: S308
        "my_row": None if mine is None else board["rows"][mine],
        "rows_after": mark_safe("".join(after)),  # noqa: S308
    }


def _option(options: object, index: int) -> str:
    if isinstance(options, list) and 0 <= index < len(options):
        return str(options[index])
    return ""
