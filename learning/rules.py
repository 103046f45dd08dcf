"""The order of practice inside a chapter, and the order a child sees a question's options in. Pure
functions, no database."""

import datetime
import hashlib
import hmac
import random
from typing import Any

from django.conf import settings


def question_state(*, answered: bool, latest_counted_correct: bool | None, fixed_today: bool = False) -> str:
    """'new', 'wrong' (latest counted answer wrong), 'fixed' (wrong, but put right in a retry today: it
    counts on another day) or 'correct'."""
    if not answered or latest_counted_correct is None:
        return "new"
    if latest_counted_correct:
        return "correct"
    return "fixed" if fixed_today else "wrong"


def chapter_complete(questions: list[Any]) -> bool:
    """Every question of the chapter has a counted answer (the first answer of a day always counts):
    the next step is the chapter's summary, not another question."""
    return bool(questions) and all(q.state != "new" for q in questions)


_STATE_RANK = {"new": 0, "wrong": 1, "fixed": 2, "correct": 3}
_NEVER = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def practice_order(questions: list[Any]) -> list[Any]:
    """Unanswered first, then those whose latest counted answer was wrong, then the least recently
    answered. Each item has .state, .last_answered_at and .id (in creation order within a group)."""
    return sorted(
        questions,
        key=lambda q: (_STATE_RANK[q.state], q.last_answered_at or _NEVER, q.id),
    )


def next_question(questions: list[Any], *, after: int | None = None) -> Any:
    """The question to practise next: the first in practice order that is not `after`."""
    for question in practice_order(questions):
        if after is None or question.id != after:
            return question
    return None


def option_order(*, student_id: int, question_id: int, count: int) -> list[int]:
    """The indexes of a question's options in the order this student sees them: shuffled for the student
    and question, the same on every view (a reload, the result page), different between students.

    Seeded by an HMAC of the pair under SECRET_KEY, so the order cannot be worked out from the ids. The
    radio values stay the indexes into the stored options: what is recorded does not depend on it.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"options:{student_id}:{question_id}".encode(), hashlib.sha256
    ).digest()
    order = list(range(count))
    random.Random(digest).shuffle(order)  # noqa: S311 - fairness of display, not a secret
    return order
