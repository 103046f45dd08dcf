"""Today's review: the questions FSRS says are due, across chapters, interleaved, capped per day."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery

from accounts.models import Student
from analytics import review
from analytics.models import ReviewCard
from curriculum.models import QuizSubmission
from edtech import cache


@dataclass(frozen=True)
class Due:
    question_id: int
    quiz_id: str
    chapter_id: str
    chapter_name: str
    question_text: str
    why: str


def due_summary(student: Student, today: datetime.date) -> tuple[int, Due | None]:
    """How many questions are due today and the first of them (the dashboard's count and its Continue),
    from the student's cached summary of the day when there is one: every answer changes the student's
    cache version, and retiring a question recomputes (and so re-versions) the students who answered it."""
    entry = cache.student_entry("review", student.pk, student.cache_version)
    cached = cache.get(entry)
    if isinstance(cached, dict) and cached.get("day") == today.isoformat():
        try:
            return cached["count"], Due(**cached["first"]) if cached["first"] else None
        except (KeyError, TypeError):  # written by another version of this code
            pass
    items = due_today(student, today)
    first = items[0] if items else None
    cache.set(
        entry, {"day": today.isoformat(), "count": len(items), "first": dataclasses.asdict(first) if first else None}
    )
    return len(items), first


def due_today(student: Student, today: datetime.date) -> list[Due]:
    cap = settings.REVIEW_DAILY_CAP
    done_today = QuizSubmission.objects.filter(student=student, answered_on=today, review_due_on__isnull=False).count()
    last_counted = QuizSubmission.objects.filter(
        student=student, question=OuterRef("question_id"), is_counted=True
    ).order_by("-id")
    rows = (
        ReviewCard.objects.filter(student=student, due_on__lte=today, question__is_retired=False)
        .annotate(last_correct=Subquery(last_counted.values("is_correct")[:1]))
        .order_by("due_at", "question_id")
        .values(
            "question_id",
            "last_review",
            "last_correct",
            "question__quiz_id",
            "question__chapter_id",
            "question__chapter__name",
            "question__question_text",
        )
    )
    items = [
        Due(
            question_id=row["question_id"],
            quiz_id=row["question__quiz_id"],
            chapter_id=row["question__chapter_id"],
            chapter_name=row["question__chapter__name"],
            question_text=row["question__question_text"],
            why=review.reason(
                last_correct=bool(row["last_correct"]), last_review=row["last_review"], today=today, zone=student.zone
            ),
        )
        for row in rows
    ]
    return review.interleave(items, chapter_of=lambda item: item.chapter_id)[: max(cap - done_today, 0)]
