"""The cache stores JSON, never pickles: a value planted in Redis can change nothing but a cache miss."""

import datetime
import pickle
from decimal import Decimal

import pytest
from django.core.cache import cache as django_cache
from django_redis import get_redis_connection

from edtech import cache

pytestmark = pytest.mark.django_db

RAN = []


class Exploit:
    """What an attacker who can write to Redis would plant: unpickling it runs code."""

    def __reduce__(self):
        return (RAN.append, ("code ran in the web worker",))


def raw(entry: cache.Entry) -> bytes:
    return get_redis_connection("default").get(django_cache.make_and_validate_key(entry.key))


def test_entries_are_stored_as_json_and_read_back_with_their_types():
    entry = cache.leaderboard_entry()
    value = {
        "as_of": datetime.datetime(2026, 3, 10, 12, 30, 5, 123456, tzinfo=datetime.UTC),
        "day": datetime.date(2026, 3, 10),
        "score": Decimal("66.67"),
        "rows": [{"rank": 1, "name": "Ana L.", "total_xp": 90}],
        "empty": None,
    }

    cache.set(entry, value)

    assert raw(entry).startswith(b'{"as_of":{"$datetime":"2026-03-10T12:30:05.123456+00:00"}')
    assert cache.get(entry) == value
    assert type(cache.get(entry)["score"]) is Decimal


def test_a_pickle_planted_in_redis_is_a_miss_and_never_runs():
    entry = cache.leaderboard_entry()
    get_redis_connection("default").set(django_cache.make_and_validate_key(entry.key), pickle.dumps(Exploit()))

    assert cache.get(entry) is None
    assert cache.get_many([entry]) == {}
    assert cache.get_or_compute(entry, lambda: {"rows": []}) == {"rows": []}
    assert RAN == []


def test_pages_still_render_from_json_entries(student_client):
    student_client.get("/dashboard/")  # fills the student's entries
    warm = student_client.get("/dashboard/")

    assert warm.status_code == 200
    assert "XP in total" in warm.text


def test_the_landing_page_makes_one_key_whatever_the_query_string(client):
    redis = get_redis_connection("default")
    pattern = django_cache.make_and_validate_key("landing_page*")
    for n in range(400):
        assert client.get(f"/?utm_source=ad-{n}").status_code == 200

    assert len(redis.keys(pattern)) == 1
