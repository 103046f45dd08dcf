"""The rules of the numbers: days, XP, streaks, mastery bands. Pure functions, no database.

The README states these rules in plain words; this module is their one home, except the
mastery formula itself, which is SQL (analytics.models.mastery_score) because the database
applies it to many rows at once. The unlocking rule is the curriculum's
(curriculum.models.xp_missing); the question order in a chapter is learning's (learning.rules).
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

# A correct, counted answer to a question that has never earned the student XP.
XP_BY_DIFFICULTY = {"easy": 10, "medium": 20, "hard": 30}
DEFAULT_XP = 10  # no difficulty set

# time_taken_seconds is clamped so an idle tab cannot inflate time spent.
MAX_TIME_TAKEN_SECONDS = 600


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


# A started chapter below this needs practice ("Needs most practice"); at or above it, it is proficient.
NEEDS_PRACTICE_BELOW = Decimal(80)

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
