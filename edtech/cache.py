"""The cache: the seed's seven named TTLs, the data sets cached under them, and the helpers every app uses.

No other module hard-codes a TTL or builds a key. Each cached data set has one key
function here and is stored for the seed TTL that names it (the table in the
README). Keys are ``<data set>:<part>:<part>…`` under CACHE_KEY_PREFIX.

Per-student entries carry the student's cache version (``Student.cache_version``,
which changes on every write to the student's numbers), so an invalidation lost
during a Redis outage can never serve stale numbers later: the next write changes
the key. Entries that depend on the student's calendar day hold that day in the
value (see ``analytics.summaries``), so that the key of a student's entry is
exactly known and ``forget_student`` can drop every one of them.

The cache backend swallows connection errors (django-redis IGNORE_EXCEPTIONS), so
every helper here degrades to a miss when Redis is down.

Values are stored as JSON (JSONSerializer below), never pickled: whoever can write to
Redis can change what a page shows until the entry expires, but cannot run code in
the web workers. A value that is not our JSON reads as a miss.
"""

import datetime
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_redis.serializers.base import BaseSerializer

logger = logging.getLogger(__name__)

TTL: dict[str, int] = {
    "student_streak": 300,
    "chapter_mastery": 1800,
    "daily_analytics": 3600,
    "question_content": 86400,
    "student_profile": 7200,
    "progress_summary": 900,
    "leaderboard": 21600,
}

# One student's numbers (keyed by the student's id and cache version), and the TTL of each.
STUDENT_DATASETS: dict[str, str] = {
    "streak": "student_streak",
    "mastery": "chapter_mastery",
    "activity": "daily_analytics",
    "recent_answers": "progress_summary",
    "week": "progress_summary",
    # Today's review list ({"day": the student's today, "items": …}; learning.review).
    "review": "progress_summary",
    # Rendered parts of a student's pages (get_or_render): the HTML, and a digest of what else it shows.
    "html_chapter_map": "progress_summary",
    "html_progress_student": "progress_summary",  # the dashboard's numbers, chart and lists
    "html_progress_parent": "progress_summary",  # the same on a parent's child page
}

# A student's rendered parts of one chapter's page (keyed by the chapter as well): dropped on an erasure by
# their key's pattern, and left to their versions otherwise.
STUDENT_CHAPTER_DATASETS: dict[str, str] = {
    "html_chapter": "progress_summary",  # the chapter page's progress and questions with their states
}


@dataclass(frozen=True)
class Entry:
    """One cache entry: the data set it belongs to, the parts that identify it, and its TTL name."""

    dataset: str
    parts: tuple[object, ...]
    ttl_name: str

    def __post_init__(self) -> None:
        if self.ttl_name not in TTL:
            raise KeyError(f"unknown cache TTL name {self.ttl_name!r}")

    @property
    def key(self) -> str:
        return ":".join([self.dataset, *(str(part) for part in self.parts)])

    @property
    def timeout(self) -> int:
        return TTL[self.ttl_name]


# --- The key of each data set ------------------------------------------------------------


def student_entry(dataset: str, student_id: int, version: int) -> Entry:
    """One of a student's numbers (a data set of STUDENT_DATASETS) at the student's cache version."""
    return Entry(dataset, (student_id, version), STUDENT_DATASETS[dataset])


def student_chapter_entry(dataset: str, student_id: int, version: int, chapter_id: str) -> Entry:
    """A student's part of one chapter's page (a data set of STUDENT_CHAPTER_DATASETS) at their version."""
    return Entry(dataset, (student_id, version, chapter_id), STUDENT_CHAPTER_DATASETS[dataset])


def leaderboard_entry() -> Entry:
    """The site-wide top of the leaderboard (names and XP)."""
    return Entry("leaderboard", ("top",), "leaderboard")


def chapters_entry() -> Entry:
    """Every chapter as students see it (the chapter map's content), with the version it was cached under
    (a key of its own since it holds the version: code that cached the bare list used "chapters")."""
    return Entry("catalog", (), "question_content")


def chapters_version_entry() -> Entry:
    """The version of the cached chapters (curriculum.catalog): set with them, dropped with them."""
    return Entry("catalog", ("version",), "question_content")


def question_entry(quiz_id: str) -> Entry:
    """One question as students see it (never its answer)."""
    return Entry("question", (quiz_id,), "question_content")


def landing_page_entry() -> Entry:
    """The landing page's HTML, the same for every anonymous visitor."""
    return Entry("landing_page", (), "question_content")


def content_chapters_entry() -> Entry:
    """Staff's content analytics per chapter (the same for every member of staff): counting the last 30
    days' answers reads millions of index entries, so they are counted again once per COUNT_FRESH_FOR by one
    process (get_or_count), the last count kept for the TTL meanwhile, and the page says when it was counted."""
    return Entry("content_chapters", (), "daily_analytics")


def content_chapters_rows_entry(order: str) -> Entry:
    """The rows of staff's chapters table as HTML, in one sort order (get_or_render, valid for one count):
    the same for every member of staff."""
    return Entry("html_content_chapters", (order or "map",), "daily_analytics")


def chapter_select_entry(chapter_id: str | None) -> Entry:
    """Staff's chapter filter (a <select> of every chapter) as HTML, with this chapter chosen (None: all)."""
    return Entry("html_chapter_select", (chapter_id or "*",), "question_content")


def content_questions_entry(chapter_id: str | None) -> Entry:
    """Staff's content analytics per question, of one chapter (or all: None): every answer to them read."""
    return Entry("content_questions", (chapter_id or "*",), "daily_analytics")


def class_grid_entry(class_id: int) -> Entry:
    """A class page's rendered part about its children, the progress grid and the roster (get_or_render; what
    it shows, to the minute, in its digest), for its teachers: kept 5 minutes at most (the shortest TTL; its
    digest changes every minute anyway)."""
    return Entry("html_class_grid", (class_id,), "student_streak")


def auth_key_prefix() -> str:
    """Where edtech.auth_cache keeps sessions and accounts (its own key scheme, generations and versions,
    under this prefix; TTL student_profile): inside the cache's namespace, so clearing the cache clears it."""
    return cache.make_key("auth:")


# The leaderboard's ranking (accounts.ranks): a Redis sorted set, not a cached value, so its keys are made
# here but read and written by that module; inside the cache's namespace, so clearing the cache clears it.
# The set is kept for TTL leaderboard from its last rebuild. A rebuild holds its lock, and fills a set of
# its own, for at most RANKS_REBUILD_SECONDS: then a process that died while rebuilding is taken over.
RANKS_REBUILD_SECONDS = 300


def ranks_key() -> str:
    """The sorted set of the students on the leaderboard with XP."""
    return cache.make_key("ranks")


def ranks_lock_key() -> str:
    """Held by the one process rebuilding the ranking."""
    return cache.make_key("ranks:rebuilding")


def ranks_building_key(token: str) -> str:
    """The set one rebuild fills (named by the rebuild's token) before it replaces the ranking."""
    return cache.make_key(f"ranks:building:{token}")


# --- Reading and writing ------------------------------------------------------------------


def get(entry: Entry) -> Any:
    """The cached value, or None on a miss (or when the cache is down, or the entry is not our JSON)."""
    try:
        return cache.get(entry.key)
    except ValueError:
        logger.warning("cache entry unreadable, ignored dataset=%s", entry.dataset)
        return None


def get_many(entries: Iterable[Entry]) -> dict[Entry, Any]:
    """The cached values of several entries in one round trip; missing (or unreadable) entries are left out."""
    by_key = {entry.key: entry for entry in entries}
    try:
        found = cache.get_many(list(by_key)) if by_key else {}
    except ValueError:
        logger.warning("cache entries unreadable, ignored")
        return {}
    return {by_key[key]: value for key, value in found.items()}


def set(entry: Entry, value: Any) -> None:  # noqa: A001 - the cache's verb; this module never needs the builtin
    cache.set(entry.key, value, entry.timeout)


def delete(*entries: Entry) -> None:
    """Delete the entries, in one round trip."""
    if entries:
        cache.delete_many([entry.key for entry in entries])


def get_or_compute[T](entry: Entry, compute: Callable[[], T]) -> T:
    """The cached value, or compute() cached for the entry's TTL. None is never cached (so a row
    created later is seen at once)."""
    value: T | None = get(entry)
    if value is None:
        value = compute()
        if value is not None:
            set(entry, value)
    return value


# Counts that take seconds (get_or_count): counted again when older than this, by one process at a time,
# whose lock lapses after COUNT_LOCK_SECONDS (a process that died counting); the others show the last count,
# or, when there is none, wait for the one counting up to COUNT_WAIT_SECONDS.
COUNT_FRESH_FOR = TTL["progress_summary"]
COUNT_LOCK_SECONDS = 60
COUNT_WAIT_SECONDS = 10.0


def get_or_count(entry: Entry, count: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """count() with {"as_of": when it was counted}: the cached count while it is fresh; else counted again by
    the one process that takes the entry's lock, while the others show the count before (staff's pages say
    when it was counted). Under load, the expiry of a count that takes seconds costs one count, not one per
    request that finds it expired. With Redis down, counted in the request."""
    cached: dict[str, Any] | None = _count_of(get(entry))
    if cached is not None and cached["as_of"] > timezone.now() - datetime.timedelta(seconds=COUNT_FRESH_FOR):
        return cached
    lock = f"{entry.key}:counting"
    taken = cache.add(lock, "1", COUNT_LOCK_SECONDS)
    if taken is None:  # Redis is down: nothing to share a count through
        return {**count(), "as_of": timezone.now()}
    if taken:
        try:
            counted = {**count(), "as_of": timezone.now()}
            set(entry, counted)
        finally:
            cache.delete(lock)
        return counted
    if cached is not None:
        return cached  # being counted again by another process: the count before meanwhile
    deadline = time.monotonic() + COUNT_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.1)
        cached = _count_of(get(entry))
        if cached is not None:
            return cached
    return {**count(), "as_of": timezone.now()}  # the process counting is slow or gone: count here


def _count_of(value: Any) -> dict[str, Any] | None:
    """A cached count (get_or_count's value), or None for a miss or an entry of another shape."""
    if isinstance(value, dict) and isinstance(value.get("as_of"), datetime.datetime):
        return value
    return None


# A part many requests read at once (get_or_render(shared=True)): when it is stale, one request renders it
# while the others wait for it, up to RENDER_WAIT_SECONDS (then they render it themselves); a renderer that
# died leaves its lock for RENDER_LOCK_SECONDS at most.
RENDER_LOCK_SECONDS = 10
RENDER_WAIT_SECONDS = 2.0
RENDER_POLL_SECONDS = 0.02


def get_or_render(entry: Entry, depends: object, render: Callable[[], str], *, shared: bool = False) -> SafeString:
    """A rendered page part, cached under its entry (a student's versioned entry, a class's grid, staff's
    table), valid while `depends` (what else the part shows: the catalog, their classes' assignments, the
    count …) is the same; else render() again and keep that. Safe to print: render() is one of our templates.

    shared: a part that many requests read at once (a class's grid, which every minute makes stale for all
    its teachers' requests at the same moment; staff's tables): rendered again by one request at a time."""
    digest = depends_digest(depends)
    html = _html_of(get(entry), digest)
    if html is None:
        html = _render_once(entry, digest, render) if shared else _render_and_keep(entry, digest, render)
    return mark_safe(html)  # noqa: S308 - our own templates' output (the entry is ours: JSON, never pickled)


def depends_digest(depends: object) -> str:
    return hashlib.blake2b(json.dumps(depends, cls=_Encoder).encode(), digest_size=16).hexdigest()


def render_lock_key(entry: Entry, digest: str) -> str:
    """Held by the one request rendering a shared part at these depends."""
    return f"{entry.key}:rendering:{digest}"


def _html_of(cached: Any, digest: str) -> str | None:
    html = cached.get("html") if isinstance(cached, dict) and cached.get("depends") == digest else None
    return html if isinstance(html, str) else None


def _render_and_keep(entry: Entry, digest: str, render: Callable[[], str]) -> str:
    html = render()
    set(entry, {"depends": digest, "html": html})
    return html


def _render_once(entry: Entry, digest: str, render: Callable[[], str]) -> str:
    lock = render_lock_key(entry, digest)
    taken = cache.add(lock, "1", RENDER_LOCK_SECONDS)
    if taken is None:  # Redis is down: nothing to share the part through
        return render()
    if taken:
        try:
            return _render_and_keep(entry, digest, render)
        finally:
            cache.delete(lock)
    # Wait while the lock is held (a small key to ask about, not the part itself), then read the part once.
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while cache.has_key(lock) and time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
    html = _html_of(get(entry), digest)
    return html if html is not None else _render_and_keep(entry, digest, render)  # its renderer failed or is slow


def forget_student(student_id: int, version: int, *, erased: bool = False) -> None:
    """Drop every cached number of a student at a version (after the write commits, with the version read
    before it). Versions make this an optimisation, except for an erasure: then nothing may stay behind,
    at any version or chapter."""
    delete(*(student_entry(dataset, student_id, version) for dataset in STUDENT_DATASETS))
    if erased:
        for dataset in STUDENT_CHAPTER_DATASETS:
            cache.delete_pattern(f"{dataset}:{student_id}:*")  # type: ignore[attr-defined]  # django-redis


# --- Storing values as JSON ----------------------------------------------------------------

# The types the cached data sets hold beside JSON's own, each written as {"<tag>": "<text>"}.
_TAGGED: dict[str, Callable[[str], Any]] = {
    "$datetime": datetime.datetime.fromisoformat,
    "$date": datetime.date.fromisoformat,
    "$decimal": Decimal,
}


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):  # before date: a datetime is a date
            return {"$datetime": o.isoformat()}
        if isinstance(o, datetime.date):
            return {"$date": o.isoformat()}
        if isinstance(o, Decimal):
            return {"$decimal": str(o)}
        return super().default(o)


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        (tag, text), *_ = obj.items()
        if tag in _TAGGED and isinstance(text, str):
            return _TAGGED[tag](text)
    return obj


class JSONSerializer(BaseSerializer):  # type: ignore[misc]  # django-redis ships no type hints
    """django-redis's serializer (settings: CACHES OPTIONS SERIALIZER): JSON with dates, times and decimals.

    Loading anything else (a pickle planted in Redis, say) raises ValueError, which the helpers above
    read as a miss: nothing stored in Redis is ever executed.
    """

    def dumps(self, value: Any) -> bytes:
        return json.dumps(value, cls=_Encoder, separators=(",", ":"), ensure_ascii=False).encode()

    def loads(self, value: bytes) -> Any:
        return json.loads(value, object_hook=_decode)
