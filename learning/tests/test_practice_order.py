"""The order of practice inside a chapter, as pure functions: no database."""

import datetime
from types import SimpleNamespace

from learning import rules

DAY = datetime.timedelta(days=1)


def q(ident, state, last=None):
    return SimpleNamespace(id=ident, state=state, last_answered_at=last)


def test_practice_order_is_unanswered_then_wrong_then_least_recently_answered():
    t = datetime.datetime(2026, 3, 10, tzinfo=datetime.UTC)
    items = [
        q(1, "correct", t),
        q(2, "wrong", t + DAY),
        q(3, "new"),
        q(4, "correct", t - DAY),
        q(5, "wrong", t - DAY),
        q(6, "new"),
    ]
    assert [i.id for i in rules.practice_order(items)] == [3, 6, 5, 2, 4, 1]
    assert rules.next_question(items).id == 3
    assert rules.next_question(items, after=3).id == 6
    assert rules.next_question([q(1, "correct", t)], after=1) is None


def test_question_state():
    assert rules.question_state(answered=False, latest_counted_correct=None) == "new"
    assert rules.question_state(answered=True, latest_counted_correct=False) == "wrong"
    assert rules.question_state(answered=True, latest_counted_correct=True) == "correct"
