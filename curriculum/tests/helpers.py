"""Shared test helpers: answering through the service at a chosen moment."""

import datetime
import uuid

from curriculum.services import record_answer


def answer(student, question, index=None, *, at=None, seconds=20):
    """Record an answer (correct unless index says otherwise) as if served `seconds` before `at`."""
    at = at or datetime.datetime.now(tz=datetime.UTC)
    return record_answer(
        student=student,
        question=question,
        selected_index=question.correct_answer_index if index is None else index,
        served_at=at - datetime.timedelta(seconds=seconds),
        form_token=uuid.uuid4(),
        now=at,
    ).submission
