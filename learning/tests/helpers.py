"""The shared test helper for answering: record_answer at a chosen moment, as a served form would."""

import datetime
import uuid

from curriculum.models import QuizSubmission
from learning.services import record_answer


def answer(student, question, index=None, *, at=None, seconds=20, token=None) -> QuizSubmission:
    """Record an answer (correct unless index says otherwise) as if its form was served `seconds` before `at`
    (default: now), with a fresh form token unless one is given. Returns the submission."""
    at = at or datetime.datetime.now(tz=datetime.UTC)
    return record_answer(
        student=student,
        question=question,
        selected_index=question.correct_answer_index if index is None else index,
        served_at=at - datetime.timedelta(seconds=seconds),
        form_token=token or uuid.uuid4(),
        now=at,
    ).submission
