"""Counts that take seconds (cache.get_or_count): counted once however many requests want them at once, the
count before shown while one process counts again, and counted in the request when Redis is down."""

import copy
import datetime
import threading
import time

import time_machine
from django.conf import settings
from django.test import override_settings

from edtech import cache, redis_breaker
from edtech.tests.concurrency import at_once

ENTRY = cache.content_chapters_entry()


class Counter:
    """A count that takes a while, and how often it ran."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.runs = 0
        self.lock = threading.Lock()

    def __call__(self) -> dict:
        with self.lock:
            self.runs += 1
            run = self.runs
        time.sleep(self.seconds)
        return {"rows": [run]}


def test_many_requests_for_a_missing_count_count_it_once_and_all_get_it():
    count = Counter(seconds=0.5)
    results = at_once(8, lambda: cache.get_or_count(ENTRY, count))
    assert count.runs == 1
    assert all(result["rows"] == [1] for result in results)
    assert len({result["as_of"] for result in results}) == 1
    assert cache.get_or_count(ENTRY, count)["rows"] == [1] and count.runs == 1  # and it is kept


def test_a_stale_count_is_counted_again_by_one_while_the_others_show_the_count_before():
    count = Counter(seconds=0.5)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        first = cache.get_or_count(ENTRY, count)
    assert first["rows"] == [1]
    results = at_once(6, lambda: cache.get_or_count(ENTRY, count))  # now: hours later, the count is stale
    assert count.runs == 2
    assert sorted(result["rows"][0] for result in results) == [1, 1, 1, 1, 1, 2]  # one counted, five waited not
    assert cache.get_or_count(ENTRY, count)["rows"] == [2]


def test_a_fresh_count_is_not_counted_again():
    count = Counter()
    cache.get_or_count(ENTRY, count)
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=cache.COUNT_FRESH_FOR - 60)
    with time_machine.travel(later, tick=False):
        assert cache.get_or_count(ENTRY, count)["rows"] == [1]
    assert count.runs == 1


def test_a_count_whose_counter_died_is_counted_by_the_next_request_after_the_wait(monkeypatch):
    monkeypatch.setattr(cache, "COUNT_WAIT_SECONDS", 0.3)
    assert cache.cache.add(f"{ENTRY.key}:counting", "1", 60)  # a process took the lock and died
    count = Counter()
    assert cache.get_or_count(ENTRY, count)["rows"] == [1]
    assert count.runs == 1


def test_with_redis_down_the_count_is_made_in_the_request(monkeypatch):
    # The failures trip the process's circuit breaker (edtech.redis_breaker): closed again after the test.
    monkeypatch.setattr(redis_breaker, "_open_until", 0.0)
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = "redis://127.0.0.1:1/0"  # nothing listens there
    count = Counter()
    with override_settings(CACHES=caches):
        started = time.monotonic()
        assert cache.get_or_count(ENTRY, count)["rows"] == [1]
        assert cache.get_or_count(ENTRY, count)["rows"] == [2]
        assert time.monotonic() - started < cache.COUNT_WAIT_SECONDS  # no waiting for a lock nobody holds
    monkeypatch.undo()
    assert not redis_breaker.is_open()
