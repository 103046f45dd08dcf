"""A student's numbers as the dashboards show them, cached by the named TTLs.

Every entry is keyed by the student's id and cache version (and, where the
answer depends on the calendar, the student's today), and is deleted right
after an answer commits. The student's dashboard and a parent's view of the
child read the same entries. Each entry records when it was computed
("as of HH:MM").
"""

import datetime
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse_lazy
from django.utils import timezone

from accounts.models import Student
from analytics.models import DailyAnalytics, StudentProgress
from curriculum import catalog, rules
from curriculum.models import Question, QuizSubmission
from edtech import cache

LEARN_URL = reverse_lazy("learn")
CHART_DAYS = 30
REVIEW_LIMIT = 20
RECENT_LIMIT = 10
LEADERBOARD_SIZE = 50


def today_for(student: Student, now: datetime.datetime | None = None) -> datetime.date:
    return rules.local_day(now or timezone.now(), student.zone)


def _stamp(value: dict) -> dict:
    value["as_of"] = timezone.now()
    return value


def mastery(student: Student) -> dict:
    """{"chapters": {chapter_id: {"score", "completed", "correct", "last_answered_at"}}, "as_of"}."""

    def compute():
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

    return cache.get_or_compute("chapter_mastery", (student.pk, student.cache_version), compute)


def streak(student: Student, today: datetime.date) -> dict:
    """{"current" (0 when broken), "best", "state": today|keep-going|none, "as_of"}."""

    def compute():
        return _stamp(
            {
                "current": rules.streak_shown(
                    current=student.current_streak or 0, last_active=student.last_active_on, today=today
                ),
                "best": student.best_streak or 0,
                "state": rules.streak_state(last_active=student.last_active_on, today=today),
            }
        )

    return cache.get_or_compute("student_streak", (student.pk, student.cache_version, today), compute)


def activity(student: Student, today: datetime.date) -> dict:
    """The last 30 days of daily analytics, one entry per day (zeros on quiet days), oldest first."""

    def compute():
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
            row = rows.get(day, {})
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

    return cache.get_or_compute("daily_analytics", (student.pk, student.cache_version, today), compute)


def progress_summary(student: Student, today: datetime.date) -> dict:
    """The review list (latest counted answer wrong) and the last 10 answers."""

    def compute():
        review = (
            Question.objects.answered_by(student)
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

    return cache.get_or_compute("progress_summary", (student.pk, student.cache_version, today), compute)


def week(student: Student, today: datetime.date) -> dict:
    """This week's answers and accuracy (the last 7 days), and the weakest started chapter."""

    def compute():
        first = today - datetime.timedelta(days=6)
        totals = DailyAnalytics.objects.filter(student=student, analytics_date__range=(first, today)).aggregate(
            answered=Sum("questions_answered"), correct=Sum("questions_correct"), xp=Sum("xp_earned")
        )
        answered = totals["answered"] or 0
        correct = totals["correct"] or 0
        weakest = (
            StudentProgress.objects.filter(student=student, questions_completed__gt=0)
            .select_related("chapter")
            .order_by("mastery_score", "chapter__subject", "chapter__order")
            .first()
        )
        return _stamp(
            {
                "answered": answered,
                "correct": correct,
                "xp": totals["xp"] or 0,
                "accuracy": round(100 * correct / answered) if answered else None,
                "weakest": (
                    {"id": weakest.chapter_id, "name": weakest.chapter.name, "score": weakest.mastery_score}
                    if weakest
                    else None
                ),
            }
        )

    return cache.get_or_compute("student_profile", (student.pk, student.cache_version, today), compute)


def chapter_map(student: Student) -> list[dict]:
    """Subjects in order, each with its chapters: mastery, band, and whether open or how much XP is missing.

    Display values (the link, the rounded percentage) are made here, once, so that the
    templates, which render up to hundreds of chapters, only print variables.
    """
    progress = mastery(student)["chapters"]
    subjects: dict[str, list[dict]] = {}
    for chapter in catalog.chapters():
        xp_missing = rules.xp_missing(
            is_locked=chapter["is_locked"], unlock_xp_required=chapter["unlock_xp_required"], total_xp=student.total_xp
        )
        subjects.setdefault(chapter["subject"], []).append(
            {
                **chapter,
                **_mastery_display(progress.get(chapter["id"])),
                "url": f"{LEARN_URL}{chapter['id']}/",
                "xp_missing": xp_missing,
                "is_open": not xp_missing,
            }
        )
    return [{"subject": subject, "chapters": chapters} for subject, chapters in subjects.items()]


def started_chapters(student: Student) -> dict:
    """The dashboard's mastery table: {"chapters": the chapters the student has answered in, in map
    order, with their mastery; "not_started": how many others; "as_of": when mastery was computed}."""
    progress = mastery(student)
    all_chapters = catalog.chapters()
    started = [
        {
            **chapter,
            **_mastery_display(progress["chapters"][chapter["id"]]),
            "is_open": not rules.xp_missing(
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


def _mastery_display(mine: dict | None) -> dict:
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


def leaderboard() -> dict:
    """The top 50 by total XP (first name and last initial only), recomputed every 6 hours."""

    def compute():
        top = (
            Student.objects.filter(total_xp__gt=0)
            .order_by("-total_xp", "id")
            .values("id", "name", "total_xp")[:LEADERBOARD_SIZE]
        )
        rows = []
        for position, row in enumerate(top, start=1):
            name = Student(name=row["name"]).display_name
            rows.append({"rank": position, "student_id": row["id"], "name": name, "total_xp": row["total_xp"]})
        return _stamp({"rows": rows})

    return cache.get_or_compute("leaderboard", ("top",), compute)


def rank_of(student: Student) -> int | None:
    """The student's live rank by total XP (None before their first XP)."""
    if not student.total_xp:
        return None
    ahead = Student.objects.filter(Q(total_xp__gt=student.total_xp) | Q(total_xp=student.total_xp, id__lt=student.pk))
    return ahead.count() + 1


def _option(options, index) -> str:
    try:
        return str(options[index])
    except (IndexError, TypeError, KeyError):
        return ""
