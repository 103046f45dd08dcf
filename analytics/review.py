"""Spaced review with FSRS-6 (the fsrs package, default parameters): one card per student and question.

A counted answer reviews the card: right is Good, wrong is Again. The package works in UTC; due dates
are turned into the student's own calendar days here, at the edge. Learning and relearning steps are
off (minutes-long steps would make a card due again the same day, when a second answer does not count),
and so is fuzzing (a rebuild must derive exactly the cards the answers made).
"""

import datetime
import math
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from analytics import rules

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
CARD_FIELDS = ("state", "stability", "difficulty", "due_at", "due_on", "last_review", "reps", "lapses")


def _card(fields: dict[str, Any] | None) -> Card:
    if fields is None:
        return Card(card_id=1)
    return Card(
        card_id=1,
        state=State(fields["state"]),
        step=None,
        stability=fields["stability"],
        difficulty=fields["difficulty"],
        due=fields["due_at"].astimezone(datetime.UTC),
        last_review=fields["last_review"].astimezone(datetime.UTC),
    )


def reviewed(
    fields: dict[str, Any] | None, *, is_correct: bool, at: datetime.datetime, zone: zoneinfo.ZoneInfo
) -> dict[str, Any]:
    """The card's fields after a counted answer at `at` (None: the question's first counted answer)."""
    card, _ = SCHEDULER.review_card(
        _card(fields), Rating.Good if is_correct else Rating.Again, at.astimezone(datetime.UTC)
    )
    return {
        "state": int(card.state),
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due_at": card.due,
        "due_on": rules.local_day(card.due, zone),
        "last_review": card.last_review,
        "reps": (fields["reps"] if fields else 0) + 1,
        "lapses": (fields["lapses"] if fields else 0) + int(not is_correct and fields is not None),
    }


def recall(fields: dict[str, Any], at: datetime.datetime) -> float:
    """FSRS's predicted probability that the student answers right at `at`."""
    return float(SCHEDULER.get_card_retrievability(_card(fields), at.astimezone(datetime.UTC)))


def is_due(fields: dict[str, Any] | None, today: datetime.date) -> bool:
    return fields is not None and fields["due_on"] <= today


def review_xp(difficulty: str | None) -> int:
    """A right answer to a due review: half the question's XP, rounded up."""
    return math.ceil(rules.xp_for(difficulty=difficulty, is_correct=True, is_counted=True, earned_xp_before=False) / 2)


def expected_cards(
    answers: Iterable[tuple[int, bool, datetime.datetime | None]], *, zone: zoneinfo.ZoneInfo
) -> dict[int, dict[str, Any]]:
    """Every card as the student's counted answers (question id, right?, when; in order) make it."""
    cards: dict[int, dict[str, Any]] = {}
    for question_id, is_correct, at in answers:
        if at is None:  # submitted_at is nullable in the design document; the app always sets it
            continue
        cards[question_id] = reviewed(cards.get(question_id), is_correct=is_correct, at=at, zone=zone)
    return cards


def interleave[T](items: list[T], *, chapter_of: Callable[[T], Any]) -> list[T]:
    """The items in their order, but never two in a row from the same chapter while another chapter has one
    left: each next item is the first left whose chapter differs from the previous one's."""
    left: list[T] = list(items)
    ordered: list[T] = []
    while left:
        previous = chapter_of(ordered[-1]) if ordered else None
        index = next((i for i, item in enumerate(left) if chapter_of(item) != previous), 0)
        ordered.append(left.pop(index))
    return ordered


def reason(*, last_correct: bool, last_review: datetime.datetime, today: datetime.date, zone: zoneinfo.ZoneInfo) -> str:
    """Why the question is back, in words: "You missed this on 28 Nov", "Last right 9 days ago"."""
    day = rules.local_day(last_review, zone)
    if not last_correct:
        return f"You missed this on {day.day} {day:%b}"
    days = (today - day).days
    return "Last right yesterday" if days == 1 else f"Last right {days} days ago"
