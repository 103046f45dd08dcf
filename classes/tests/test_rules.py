"""The "needs help" rule and the one status function, scenario by scenario (pure functions: no database)."""

import datetime
import zoneinfo

import pytest

from classes.progress import Answer, Status, needs_help, status_of

NOW = datetime.datetime(2026, 12, 1, 15, 0, tzinfo=datetime.UTC)  # a Tuesday
UTC = zoneinfo.ZoneInfo("UTC")


def answers(pattern: str, *, chapter: str = "Fractions", start: datetime.datetime | None = None, step_minutes: int = 2):
    """'WWRWR' → answers oldest first, `step_minutes` apart, ending 10 minutes before NOW (unless `start`)."""
    start = start or NOW - datetime.timedelta(minutes=10 + step_minutes * (len(pattern) - 1))
    return [
        Answer(at=start + datetime.timedelta(minutes=step_minutes * n), chapter=chapter, is_correct=c == "R")
        for n, c in enumerate(pattern)
    ]


@pytest.mark.parametrize(
    ("pattern", "badge"),
    [
        ("", False),  # never for work not yet tried
        ("W", False),
        ("WW", False),
        ("WWW", True),  # 3 of the last 3
        ("WWWW", True),
        ("WWWWW", True),
        ("RRWWW", True),  # 3 of the last 5
        ("WRWRW", True),
        ("WWRWR", True),  # the last two are not both right
        ("WWWRR", False),  # followed by 2 right in a row: recovering
        ("WWRRR", False),
        ("RRRWW", False),  # only 2 wrong
        ("RWRWR", False),
        ("RRRRR", False),
        ("WWWWWRR", False),  # the last 5 are WWWRR: recovering
        ("WWWWWRRR", False),  # the last 5 are WWRRR: 2 wrong
        ("RRRRRWWW", True),  # the last 5 are RRWWW
        ("WWWRRW", True),  # last 5 WWRRW: 3 wrong, the last one wrong
        ("WRRWW", True),  # 3 wrong of 5, ends wrong
        ("RWWRW", True),
        ("WWRW", True),  # 3 of the last 4
        ("RWW", False),
    ],
)
def test_the_badge_follows_the_rule(pattern, badge):
    assert (needs_help(answers(pattern), now=NOW) is not None) is badge


def test_answers_older_than_seven_days_do_not_count():
    old = answers("WWW", start=NOW - datetime.timedelta(days=8))
    assert needs_help(old, now=NOW) is None
    assert needs_help(old + answers("W"), now=NOW) is None  # only one within the week
    just_inside = answers("WWW", start=NOW - datetime.timedelta(days=6, hours=23))
    assert needs_help(just_inside, now=NOW) is not None


def test_answers_after_now_are_not_seen():
    future = answers("WWW", start=NOW + datetime.timedelta(minutes=5))
    assert needs_help(future, now=NOW) is None


def test_the_order_given_does_not_matter():
    assert needs_help(list(reversed(answers("RRWWW"))), now=NOW) == needs_help(answers("RRWWW"), now=NOW)


def test_the_reason_says_how_many_where_and_since_when_today():
    reason = needs_help(answers("RRWWW", start=datetime.datetime(2026, 12, 1, 10, 2, tzinfo=datetime.UTC)), now=NOW)
    assert reason.words(UTC, NOW) == "3 of the last 5 wrong in Fractions since 10:02"


def test_the_reason_names_each_chapter_wrong_and_the_day_when_not_today():
    start = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC)
    mixed = answers("WW", chapter="Fractions", start=start) + answers(
        "W", chapter="Decimals", start=start + datetime.timedelta(hours=1)
    )
    reason = needs_help(mixed, now=NOW)
    assert reason.words(UTC, NOW) == "3 of the last 3 wrong in Fractions and Decimals since Sat 28 Nov, 09:30"


def test_the_reason_is_in_the_class_time_zone():
    start = datetime.datetime(2026, 12, 1, 10, 2, tzinfo=datetime.UTC)
    reason = needs_help(answers("WWW", start=start), now=NOW)
    assert reason.words(zoneinfo.ZoneInfo("America/New_York"), NOW) == "3 of the last 3 wrong in Fractions since 05:02"
    # In Tokyo it is already the next day: the answers' day is named.
    tokyo = reason.words(zoneinfo.ZoneInfo("Asia/Tokyo"), NOW)
    assert tokyo == "3 of the last 3 wrong in Fractions since Tue 1 Dec, 19:02"


DUE = NOW + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("kwargs", "status", "label"),
    [
        ({"answered": 0, "total": 10}, Status.NOT_STARTED, "not started"),
        ({"answered": 4, "total": 10}, Status.IN_PROGRESS, "in progress"),
        ({"answered": 10, "total": 10, "done_at": NOW}, Status.DONE, "done"),
        ({"answered": 0, "total": 10, "now": DUE + datetime.timedelta(minutes=1)}, Status.LATE, "late"),
        ({"answered": 9, "total": 10, "now": DUE + datetime.timedelta(days=3)}, Status.LATE, "late"),
        (
            {
                "answered": 10,
                "total": 10,
                "done_at": DUE + datetime.timedelta(hours=2),
                "now": DUE + datetime.timedelta(days=1),
            },
            Status.DONE,
            "done late",
        ),
        (
            {"answered": 0, "total": 10, "excused": True, "now": DUE + datetime.timedelta(days=3)},
            Status.EXCUSED,
            "excused",
        ),
        ({"answered": 10, "total": 10, "excused": True, "done_at": NOW}, Status.EXCUSED, "excused"),
        ({"answered": 0, "total": 0}, Status.NOT_STARTED, "not started"),  # a chapter with no question yet
        ({"answered": 0, "total": 10, "now": DUE}, Status.NOT_STARTED, "not started"),  # due at 23:59: not late yet
    ],
)
def test_the_status_rule(kwargs, status, label):
    arguments = {"now": NOW, "due": DUE, "excused": False, "done_at": None} | kwargs
    result = status_of(**arguments)
    assert (result.status, result.label) == (status, label)
