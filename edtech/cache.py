"""The cache: the seed's seven named TTLs and the helpers every app uses.

No other module hard-codes a TTL. Keys are built here, from a TTL name and the
parts that identify the entry. Per-student entries carry the student's cache
version (see ``Student.cache_version``), so an invalidation lost during a Redis
outage can never serve stale numbers later: the next write changes the key.

The cache backend is configured to swallow connection errors (django-redis
IGNORE_EXCEPTIONS), so every helper here degrades to a miss when Redis is down.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

TTL: dict[str, int] = {
    "student_streak": 300,
    "chapter_mastery": 1800,
    "daily_analytics": 3600,
    "question_content": 86400,
    "student_profile": 7200,
    "progress_summary": 900,
    "leaderboard": 21600,
}


def make_key(name: str, *parts: object) -> str:
    """The key of a named entry: ``<ttl name>:<part>:<part>…``."""
    if name not in TTL:
        raise KeyError(f"unknown cache TTL name {name!r}")
    return ":".join([name, *(str(part) for part in parts)])


def get(name: str, *parts: object) -> Any:
    """The cached value, or None on a miss (or when the cache is down)."""
    return cache.get(make_key(name, *parts))


def set(name: str, parts: tuple, value: Any) -> None:  # noqa: A001 - mirrors cache.set
    cache.set(make_key(name, *parts), value, TTL[name])


def get_or_compute(name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """The cached value, or compute() cached for the named TTL. None is never cached (so a
    row created later is seen at once)."""
    key = make_key(name, *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, TTL[name])
    return value


def delete(name: str, *parts: object) -> None:
    cache.delete(make_key(name, *parts))


def delete_many(keys: list[tuple]) -> None:
    """Delete several entries given as (name, part, part, …) tuples, in one round trip."""
    if keys:
        cache.delete_many([make_key(*key) for key in keys])


# The entries that hold one student's numbers, keyed (student id, cache version).
STUDENT_ENTRIES = ("student_profile", "student_streak", "chapter_mastery", "progress_summary", "daily_analytics")


def forget_student(student_id: int, version: int) -> None:
    """Drop a student's cached numbers (call after the write commits, with the version read before it)."""
    delete_many([(name, student_id, version) for name in STUDENT_ENTRIES])
