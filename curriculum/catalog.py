"""Curriculum content as students see it, cached (question_content TTL) because it is the same for everyone.

Staff edits invalidate these entries (see curriculum.signals). Display data never
includes the correct answer or the explanation: those are read from the database
only when an answer is judged.
"""

import secrets
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from django.db.models import Count, Q

from curriculum.models import Chapter, Question
from edtech import cache


def chapters() -> Sequence[Mapping[str, Any]]:
    """All chapters in map order (subject, order), with their number of questions: read-only, shared.

    Nearly every student page reads the catalog (hundreds of chapters). Each process keeps the last one
    it decoded, under the version it was cached with; a request reads only the version (a few bytes)
    and decodes the catalog again only when it changed (curriculum.signals drops both on every edit)."""
    global _decoded
    version = cache.get(cache.chapters_version_entry())
    decoded = _decoded
    if version is not None and decoded is not None and decoded[0] == version:
        return decoded[1]
    value = cache.get(cache.chapters_entry())
    if not (isinstance(value, dict) and isinstance(value.get("version"), str)):
        value = {"version": secrets.token_hex(8), "chapters": _count_chapters()}
        cache.set(cache.chapters_entry(), value)
        cache.set(cache.chapters_version_entry(), value["version"])
    rows = tuple(MappingProxyType(chapter) for chapter in value["chapters"])
    _decoded = (value["version"], rows)
    return rows


def version() -> str:
    """The version of the catalog chapters() returns (what a rendered part that shows it depends on)."""
    chapters()
    assert _decoded is not None
    return _decoded[0]


# (version, chapters) of the catalog this process decoded last (chapters()).
_decoded: tuple[str, tuple[Mapping[str, Any], ...]] | None = None


def _count_chapters() -> list[dict[str, Any]]:
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


def chapter(chapter_id: str) -> Mapping[str, Any] | None:
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
    cache.delete(cache.chapters_entry(), cache.chapters_version_entry())
