"""Content analytics for staff: how each chapter and question fares, to find bad questions.

Every number is one GROUP BY over the answer and progress tables, so a page costs
the same few queries however many chapters, questions or answers there are; the
rows (one per chapter or question: the curriculum, not the answers) are merged
and sorted in Python. The 7/30-day counts read a range of idx_submissions_timestamp;
a chapter's question statistics read its questions' answers via idx_submissions_question.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from django.db import NotSupportedError, connection
from django.db.models import Aggregate, Avg, Count, F, FloatField, Q, QuerySet
from django.utils import timezone

from analytics.models import StudentProgress
from curriculum.models import Chapter, Question, QuizSubmission
from edtech import cache

# The columns a page may be sorted by (?o=<column>, ?o=-<column> for descending).
CHAPTER_COLUMNS = ("name", "started", "mastery", "answers_7d", "answers_30d")
QUESTION_COLUMNS = ("quiz_id", "answers", "correct_pct", "wrong_count", "median_seconds")


class Median(Aggregate):
    """The median of a column: PostgreSQL's percentile_cont (SQLite has no such aggregate)."""

    function = "percentile_cont"
    name = "Median"
    arity = 1
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        if connection.vendor != "postgresql":
            raise NotSupportedError("Median needs PostgreSQL's percentile_cont.")
        return super().as_sql(compiler, connection, **extra_context)


class ChapterStats(TypedDict):
    id: str
    name: str
    subject: str
    started: int  # students with at least one question of the chapter answered
    mastery: Decimal | None  # their average mastery score (None: nobody started)
    answers_7d: int
    answers_30d: int


class QuestionStats(TypedDict):
    id: int
    quiz_id: str
    question_text: str
    chapter_id: str
    answers: int
    correct_pct: float | None  # None: never answered
    wrong_option: str | None  # the text of the most chosen wrong option (None: no wrong answer)
    wrong_count: int
    median_seconds: float | None


def chapter_stats(*, order: str = "", now: datetime.datetime | None = None) -> list[ChapterStats]:
    """One row per chapter, in chapter-map order unless `order` names a column of CHAPTER_COLUMNS."""
    now = now or timezone.now()
    started = {
        row["chapter_id"]: row
        for row in StudentProgress.objects.filter(questions_completed__gt=0)
        .values("chapter_id")
        .annotate(started=Count("id"), mastery=Avg("mastery_score"))
        .order_by()
    }
    # Grouped by question from the covering index on submitted_at (no join with questions), then
    # added up per chapter here: 4,000 rows instead of joining millions.
    chapter_of = dict(Question.objects.values_list("id", "chapter_id"))
    recent: dict[str, dict[str, int]] = defaultdict(lambda: {"answers_7d": 0, "answers_30d": 0})
    per_question = (
        QuizSubmission.objects.filter(submitted_at__gte=now - datetime.timedelta(days=30))
        .values("question_id")
        .annotate(
            answers_30d=Count("id"),
            answers_7d=Count("id", filter=Q(submitted_at__gte=now - datetime.timedelta(days=7))),
        )
        .order_by()
    )
    for row in per_question:
        counts = recent[chapter_of[row["question_id"]]]
        counts["answers_30d"] += row["answers_30d"]
        counts["answers_7d"] += row["answers_7d"]
    rows: list[ChapterStats] = []
    for chapter in Chapter.objects.in_map_order().values("id", "name", "subject"):
        progress: Mapping[str, Any] = started.get(chapter["id"], {})
        answers: dict[str, int] = recent.get(chapter["id"], {})
        rows.append(
            {
                "id": chapter["id"],
                "name": chapter["name"],
                "subject": chapter["subject"],
                "started": progress.get("started", 0),
                "mastery": progress.get("mastery"),
                "answers_7d": answers.get("answers_7d", 0),
                "answers_30d": answers.get("answers_30d", 0),
            }
        )
    return sort_rows(rows, order, CHAPTER_COLUMNS)


def counted_chapter_stats(*, order: str = "") -> tuple[list[ChapterStats], datetime.datetime]:
    """chapter_stats as counted at most cache.COUNT_FRESH_FOR ago (cache.get_or_count), and when."""
    counted = cache.get_or_count(cache.content_chapters_entry(), lambda: {"rows": chapter_stats()})
    rows: list[ChapterStats] = counted["rows"]
    return sort_rows(rows, order, CHAPTER_COLUMNS), counted["as_of"]


def counted_question_stats(*, chapter_id: str | None, order: str = "") -> tuple[list[QuestionStats], datetime.datetime]:
    """question_stats as counted at most one TTL ago (cache.content_questions_entry), and when: one chapter's
    answers are read from their index in about 0.4 s at 10M answers, too long for every page view."""
    counted = cache.get_or_count(
        cache.content_questions_entry(chapter_id), lambda: {"rows": question_stats(chapter_id=chapter_id)}
    )
    rows: list[QuestionStats] = counted["rows"]
    return sort_rows(rows, order, QUESTION_COLUMNS), counted["as_of"]


def question_stats(*, chapter_id: str | None = None, order: str = "") -> list[QuestionStats]:
    """One row per question (of one chapter, or of all), in curriculum order unless `order` names a
    column of QUESTION_COLUMNS. A wrong option chosen as often as another: the lower index is shown."""
    questions = Question.objects.order_by(
        "chapter__subject", F("chapter__order").asc(nulls_last=True), "chapter_id", "id"
    )
    submissions = QuizSubmission.objects.all()
    if chapter_id is not None:
        questions = questions.filter(chapter_id=chapter_id)
        # The chapter's question ids, not a join: PostgreSQL then plans with each question's own
        # statistics (popular first chapters have many more answers than the average).
        submissions = submissions.filter(question_id__in=list(questions.values_list("id", flat=True)))

    per_question = (
        submissions.values("question_id")
        .annotate(answers=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
        .order_by()
    )
    in_sql = connection.vendor == "postgresql"
    if in_sql:
        per_question = per_question.annotate(median=Median("time_taken_seconds"))
    totals: dict[int, dict[str, Any]] = {row["question_id"]: dict(row) for row in per_question}
    medians = {qid: row["median"] for qid, row in totals.items()} if in_sql else medians_in_python(submissions)

    most_wrong: dict[int, dict] = {}
    wrong_choices = (
        submissions.filter(is_correct=False)
        .values("question_id", "selected_answer_index")
        .annotate(chosen=Count("id"))
        .order_by("question_id", "-chosen", "selected_answer_index")
    )
    for row in wrong_choices:
        most_wrong.setdefault(row["question_id"], dict(row))  # the first of each question is its most chosen

    rows: list[QuestionStats] = []
    for question in questions.values("id", "quiz_id", "question_text", "chapter_id", "options"):
        total = totals.get(question["id"], {"answers": 0, "correct": 0})
        wrong = most_wrong.get(question["id"])
        rows.append(
            {
                "id": question["id"],
                "quiz_id": question["quiz_id"],
                "question_text": question["question_text"],
                "chapter_id": question["chapter_id"],
                "answers": total["answers"],
                "correct_pct": round(100 * total["correct"] / total["answers"], 1) if total["answers"] else None,
                "wrong_option": _option_text(question["options"], wrong["selected_answer_index"]) if wrong else None,
                "wrong_count": wrong["chosen"] if wrong else 0,
                "median_seconds": medians.get(question["id"]),
            }
        )
    return sort_rows(rows, order, QUESTION_COLUMNS)


def medians_in_python(submissions: QuerySet[QuizSubmission]) -> dict[int, float]:
    """Median time taken per question, computed in Python: for SQLite's small development data only
    (it reads every answer's time)."""
    times: dict[int, list[int]] = defaultdict(list)
    rows = submissions.filter(time_taken_seconds__isnull=False).values_list("question_id", "time_taken_seconds")
    for question_id, seconds in rows.iterator():
        if seconds is not None:
            times[question_id].append(seconds)
    return {question_id: float(statistics.median(values)) for question_id, values in times.items()}


def sort_rows[Row: Mapping[str, Any]](rows: list[Row], order: str, columns: tuple[str, ...]) -> list[Row]:
    """The rows sorted by `order`: a column name, with a leading "-" for descending.

    A name not in `columns` leaves the rows as they are (user input never reaches SQL).
    Empty values (a question never answered) go last in either direction; ties keep
    their original order.
    """
    column = order.removeprefix("-")
    if column not in columns:
        return rows
    present = [row for row in rows if row[column] is not None]
    empty = [row for row in rows if row[column] is None]

    def key(row):
        value = row[column]
        return value.casefold() if isinstance(value, str) else value

    present.sort(key=key, reverse=order.startswith("-"))
    return present + empty


def _option_text(options: object, index: int) -> str:
    if isinstance(options, list) and 0 <= index < len(options):
        return str(options[index])
    return f"option {index}"  # the options were edited after the answer


@dataclass(frozen=True)
class CalibrationBin:
    low: int  # percent
    high: int
    answers: int
    predicted: float  # mean predicted recall, percent
    observed: float  # share right, percent


def calibration() -> dict[str, Any]:
    """How well the review scheduler's predicted recall fits these children: counted answers to questions
    that were due, in bins of predicted probability with the share actually right, and the log loss
    (lower is better; 0.325 is what always predicting 90% scores when 90% are right). One query."""
    sql = """
        SELECT LEAST(FLOOR(recall_predicted * 10), 9)::int AS bin, COUNT(*),
               AVG(recall_predicted), AVG(is_correct::int),
               SUM(-LN(CASE WHEN is_correct THEN GREATEST(recall_predicted, 1e-6)
                            ELSE GREATEST(1 - recall_predicted, 1e-6) END))
        FROM quiz_submissions WHERE recall_predicted IS NOT NULL GROUP BY 1 ORDER BY 1
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    bins = [
        CalibrationBin(low=b * 10, high=b * 10 + 10, answers=n, predicted=float(p) * 100, observed=float(o) * 100)
        for b, n, p, o, _ in rows
    ]
    total = sum(n for _, n, _, _, _ in rows)
    loss = sum(float(s) for *_, s in rows) / total if total else None
    return {"bins": bins, "answers": total, "log_loss": loss}
