"""Curriculum content as students see it, cached (question_content TTL) because it is the same for everyone.

Staff edits invalidate these entries (see curriculum.signals). Display data never
includes the correct answer or the explanation: those are read from the database
only when an answer is judged.
"""

from typing import Any

from django.db.models import Count, Q

from curriculum.models import Chapter, Question
from edtech import cache


def chapters() -> list[dict[str, Any]]:
    """All chapters in map order (subject, order), with their number of questions."""

    def compute() -> list[dict[str, Any]]:
        rows = Chapter.objects.in_map_order().annotate(
            question_count=Count("questions", filter=Q(questions__is_retired=False))
        )
        return [
            {
                "id": c.id,
                "name": c.name,
                "description": c.description or "",
                "subject": c.subject,
                "order": c.order,
                "is_locked": bool(c.is_locked),
                "unlock_xp_required": c.unlock_xp_required or 0,
                "question_count": c.question_count,
            }
            for c in rows
        ]

    return cache.get_or_compute(cache.chapters_entry(), compute)


def chapter(chapter_id: str) -> dict[str, Any] | None:
    return next((c for c in chapters() if c["id"] == chapter_id), None)


def question_display(quiz_id: str) -> dict[str, Any] | None:
    """What the question page shows: text, image and options, never the answer."""

    def compute() -> dict[str, Any] | None:
        row = (
            Question.objects.active()
            .filter(quiz_id=quiz_id)
            .values(
                "id",
                "quiz_id",
                "chapter_id",
                "question_text",
                "options",
                "image",
                "image_alt",
                "image_url",
                "difficulty_level",
            )
            .first()
        )
        return dict(row) if row else None

    return cache.get_or_compute(cache.question_entry(quiz_id), compute)


def forget_question(quiz_id: str) -> None:
    cache.delete(cache.question_entry(quiz_id))


def forget_chapters() -> None:
    cache.delete(cache.chapters_entry())
