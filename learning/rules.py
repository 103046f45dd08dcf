"""The order of practice inside a chapter. Pure functions, no database."""

import datetime
from typing import Any


def question_state(*, answered: bool, latest_counted_correct: bool | None) -> str:
    """'new', 'wrong' (latest counted answer wrong) or 'correct'."""
    if not answered or latest_counted_correct is None:
        return "new"
    return "correct" if latest_counted_correct else "wrong"


_STATE_RANK = {"new": 0, "wrong": 1, "correct": 2}
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
