"""The rules of the numbers as pure functions (no database), and the mastery formula in SQL."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from analytics import rules
from analytics.models import mastery_score
from curriculum.models import Chapter
from curriculum.tests.factories import ChapterFactory

D = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


def test_the_day_is_the_calendar_date_in_the_students_zone():
    instant = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC)
    assert rules.local_day(instant, zoneinfo.ZoneInfo("UTC")) == datetime.date(2026, 3, 10)
    assert rules.local_day(instant, zoneinfo.ZoneInfo("Europe/Berlin")) == datetime.date(2026, 3, 11)
    assert rules.local_day(instant, zoneinfo.ZoneInfo("America/New_York")) == datetime.date(2026, 3, 10)


def test_days_follow_the_calendar_across_a_dst_change():
    # Europe/Berlin springs forward on 2026-03-29: that day has 23 hours, still one day.
    zone = zoneinfo.ZoneInfo("Europe/Berlin")
    before = datetime.datetime(2026, 3, 28, 23, 30, tzinfo=zone)
    after = datetime.datetime(2026, 3, 29, 23, 30, tzinfo=zone)
    assert rules.local_day(after, zone) - rules.local_day(before, zone) == DAY
    streak = rules.next_streak(current=1, best=1, last_active=rules.local_day(before, zone), today=after.date())
    assert streak.current == 2


@pytest.mark.parametrize("difficulty, expected", [("easy", 10), ("medium", 20), ("hard", 30), (None, 10), ("", 10)])
def test_a_counted_correct_first_earning_answer_earns_xp_by_difficulty(difficulty, expected):
    assert rules.xp_for(difficulty=difficulty, is_correct=True, is_counted=True, earned_xp_before=False) == expected


@pytest.mark.parametrize(
    "is_correct, is_counted, earned_before",
    [(False, True, False), (True, False, False), (True, True, True), (False, False, True)],
)
def test_every_other_answer_earns_nothing(is_correct, is_counted, earned_before):
    assert (
        rules.xp_for(difficulty="hard", is_correct=is_correct, is_counted=is_counted, earned_xp_before=earned_before)
        == 0
    )


def test_the_reason_for_no_xp_is_explained():
    assert "come back tomorrow for XP" in rules.no_xp_reason(xp_earned=0, is_correct=True, is_counted=False)
    assert "already earned" in rules.no_xp_reason(xp_earned=0, is_correct=True, is_counted=True)
    assert "try again tomorrow" in rules.no_xp_reason(xp_earned=0, is_correct=False, is_counted=True)
    assert rules.no_xp_reason(xp_earned=10, is_correct=True, is_counted=True) == ""


def test_streak_same_day_is_unchanged():
    assert rules.next_streak(current=3, best=5, last_active=D, today=D) == rules.Streak(3, 5)


def test_streak_next_day_grows_and_raises_best():
    assert rules.next_streak(current=5, best=5, last_active=D - DAY, today=D) == rules.Streak(6, 6)


def test_streak_after_a_gap_restarts_at_one():
    assert rules.next_streak(current=5, best=7, last_active=D - 2 * DAY, today=D) == rules.Streak(1, 7)


def test_the_first_answer_ever_starts_a_streak():
    assert rules.next_streak(current=0, best=0, last_active=None, today=D) == rules.Streak(1, 1)


def test_a_broken_streak_shows_as_zero_and_yesterday_keeps_it_going():
    assert rules.streak_shown(current=4, last_active=D - 2 * DAY, today=D) == 0
    assert rules.streak_shown(current=4, last_active=D - DAY, today=D) == 4
    assert rules.streak_shown(current=4, last_active=D, today=D) == 4
    assert rules.streak_state(last_active=D - DAY, today=D) == "keep-going"
    assert rules.streak_state(last_active=D, today=D) == "today"
    assert rules.streak_state(last_active=None, today=D) == "none"


@pytest.mark.parametrize(
    "correct, total, expected",
    [
        (2, 3, "66.67"),
        (1, 3, "33.33"),
        (1, 8, "12.50"),
        (0, 5, "0.00"),
        (5, 5, "100.00"),
        (1, 0, "0.00"),
        (7, 5, "100.00"),
        (1, 6, "16.67"),
        (1, 200, "0.50"),
    ],
)
@pytest.mark.django_db
def test_mastery_is_a_percentage_rounded_to_two_decimals(correct, total, expected):
    # The formula is SQL (the database applies it to many rows at once): PostgreSQL evaluates it here.
    ChapterFactory()
    score = Chapter.objects.annotate(score=mastery_score(correct, total)).values_list("score", flat=True).get()
    assert score == Decimal(expected)


@pytest.mark.parametrize(
    "score, started, band",
    [
        (0, False, "not-started"),
        (0, True, "attempted"),
        (49.99, True, "attempted"),
        (50, True, "familiar"),
        (79.99, True, "familiar"),
        (80, True, "proficient"),
        (99.99, True, "proficient"),
        (100, True, "mastered"),
    ],
)
def test_mastery_bands(score, started, band):
    assert rules.mastery_band(score=Decimal(str(score)), started=started)[0] == band


def test_time_taken_is_clamped_to_0_and_600():
    assert rules.clamp_time_taken(-5) == 0
    assert rules.clamp_time_taken(42.9) == 42
    assert rules.clamp_time_taken(10_000) == 600


def test_a_day_before_the_last_active_one_leaves_the_streak_alone():
    # Only possible after the student moves to an earlier time zone.
    assert rules.next_streak(current=4, best=6, last_active=D, today=D - DAY) == rules.Streak(4, 6)
