"""The learning rules: days, XP, streaks, mastery. Pure functions, no database.

The README states these rules in plain words; this module is their one home.
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# A correct, counted answer to a question that has never earned the student XP.
XP_BY_DIFFICULTY = {"easy": 10, "medium": 20, "hard": 30}
DEFAULT_XP = 10  # no difficulty set

# time_taken_seconds is clamped so an idle tab cannot inflate time spent.
MAX_TIME_TAKEN_SECONDS = 600


def xp_missing(*, is_locked: bool | None, unlock_xp_required: int | None, total_xp: int | None) -> int:
    """XP a student still needs to open a chapter: 0 when it is open (not locked, or enough XP)."""
    if not is_locked:
        return 0
    return max(0, (unlock_xp_required or 0) - (total_xp or 0))


def local_day(instant: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.date:
    """The student's calendar date of an instant, in their own time zone."""
    return instant.astimezone(zone).date()


def clamp_time_taken(seconds: float) -> int:
    return int(min(max(seconds, 0), MAX_TIME_TAKEN_SECONDS))


def xp_for(*, difficulty: str | None, is_correct: bool, is_counted: bool, earned_xp_before: bool) -> int:
    """XP for one answer: only a counted correct answer to a question that never paid out."""
    if not (is_correct and is_counted) or earned_xp_before:
        return 0
    return XP_BY_DIFFICULTY.get(difficulty or "", DEFAULT_XP)


def no_xp_reason(*, xp_earned: int, is_correct: bool, is_counted: bool) -> str:
    """Why an answer earned nothing, in words for a child ('' when it earned XP)."""
    if xp_earned:
        return ""
    if not is_counted:
        return "Practice: you answered this question earlier today — come back tomorrow for XP."
    if not is_correct:
        return "No XP this time — read the explanation and try again tomorrow."
    return "You already earned the XP for this question."


@dataclass(frozen=True)
class Streak:
    current: int
    best: int


def next_streak(*, current: int, best: int, last_active: datetime.date | None, today: datetime.date) -> Streak:
    """The streak after an answer on `today`, given the previous active day.

    Same day: unchanged; the day after: +1; any other gap (or the first answer): 1.
    A day before the last active one (possible only after the student moves to an
    earlier time zone) changes nothing: the streak is never broken by a clock.
    """
    if last_active is not None and today <= last_active:
        new = max(current, 1)
    elif last_active == today - datetime.timedelta(days=1):
        new = current + 1
    else:
        new = 1
    return Streak(current=new, best=max(best, new))


def streak_shown(*, current: int, last_active: datetime.date | None, today: datetime.date) -> int:
    """A streak whose last active day is before yesterday is broken: it shows as 0."""
    if last_active is None or last_active < today - datetime.timedelta(days=1):
        return 0
    return current


def streak_state(*, last_active: datetime.date | None, today: datetime.date) -> str:
    """'today' (today already counts), 'keep-going' (last day was yesterday) or 'none'."""
    if last_active == today:
        return "today"
    if last_active == today - datetime.timedelta(days=1):
        return "keep-going"
    return "none"


def mastery_score(*, questions_correct: int, questions_total: int) -> Decimal:
    """100 × correct ÷ questions in the chapter, rounded half up to 2 decimals, within 0..100."""
    if questions_total <= 0:
        return Decimal("0.00")
    score = Decimal(100 * questions_correct) / Decimal(questions_total)
    score = min(max(score, Decimal(0)), Decimal(100))
    return score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


MASTERY_BANDS = [
    # (lowest score, key, label)
    (Decimal(100), "mastered", "Mastered"),
    (Decimal(80), "proficient", "Proficient"),
    (Decimal(50), "familiar", "Familiar"),
    (Decimal(0), "attempted", "Attempted"),
]


def mastery_band(*, score: Decimal | float | int | None, started: bool) -> tuple[str, str]:
    """(key, label) of the band: not started, attempted (<50), familiar (50–79), proficient (80–99), mastered."""
    if not started:
        return "not-started", "Not started"
    value = Decimal(str(score or 0))
    for lowest, key, label in MASTERY_BANDS:
        if value >= lowest:
            return key, label
    return "attempted", "Attempted"


def question_state(*, answered: bool, latest_counted_correct: bool | None) -> str:
    """'new', 'wrong' (latest counted answer wrong) or 'correct'."""
    if not answered or latest_counted_correct is None:
        return "new"
    return "correct" if latest_counted_correct else "wrong"


_STATE_RANK = {"new": 0, "wrong": 1, "correct": 2}
_NEVER = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def practice_order(questions: list) -> list:
    """Unanswered first, then those whose latest counted answer was wrong, then the least recently
    answered. Each item has .state, .last_answered_at and .id (in creation order within a group)."""
    return sorted(
        questions,
        key=lambda q: (_STATE_RANK[q.state], q.last_answered_at or _NEVER, q.id),
    )


def next_question(questions: list, *, after=None):
    """The question to practise next: the first in practice order that is not `after`."""
    for question in practice_order(questions):
        if after is None or question.id != after:
            return question
    return None
