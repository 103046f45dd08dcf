"""The leaderboard's own rank from a Redis sorted set, instead of counting the students ahead.

Counting the students ahead in PostgreSQL (Student.counted_rank) reads a share of the students table on
every leaderboard view: 100 to 160 ms for the last student at 1M students, growing with the count
(bench/rank.py; 0.07 ms from Redis at any size). The ranking is therefore also kept in Redis, where a
place is O(log n). PostgreSQL stays the truth. The set is a copy, corrected from the database, and
rank() counts in the database whenever the copy is missing or Redis cannot be reached.

The set (edtech.cache.ranks_key()) has one member per student on the leaderboard with XP, the students
who have a place; the others have none. The member is the student's id, zero-padded to 19 digits, and
the score is minus their total XP. ZRANK orders by score, then equal scores by member, byte by byte. So
the most XP comes first and, at equal XP, the smaller id (the earlier account) first, as top_by_xp and
the count order them. (One number holding both the XP and the id would need more than a double's 53
exact bits.) A last member, BUILT, scored +inf, marks a set that was built: Redis deletes an empty
sorted set, and a board with nobody on it is still a built board.

Writes. Whatever changes a student's place calls put() or remove() in its transaction; both write to
Redis once it commits (transaction.on_commit). The answer path (learning.services.record_answer) puts
the XP it wrote under the row lock, and so does a rebuild_progress fix. A parent's leaderboard switch
puts the row as committed (refresh()). An erasure removes the student. A write only changes a set that
exists: a lost set is rebuilt whole, never started again from one student, which would give that student
the first place.

A lost set (the key is missing because Redis restarted, was flushed, evicted the set, or let it expire)
is rebuilt by the first reader that takes the lock. It runs one streaming query and ZADDs in batches of
BATCH into a set of its own, renamed over the key at the end, so nobody reads a half-built set (about 4 s
for 680k students on the board: the one reader waits that long). Until then, and while Redis is down,
every other reader counts: correct, and slower.

Lost writes. A put that cannot reach Redis is lost, and a rebuild's query does not see a write that
commits while it reads. Such an entry is put right by whichever comes first:
- the student's own next rank(). It compares their entry with the student's total_xp and on_leaderboard,
  and on a difference puts the row as the database has it (one more query, only then), so nobody's own
  place is ever computed from a stale entry of their own;
- the student's next answer, which puts their whole XP again (not an increment);
- the hourly rebuild (accounts.tasks.rebuild_ranks in settings.PERIODIC_TASKS). It also drops what a
  lost removal left behind, and renews the set's TTL (leaderboard, 6 h; if the scheduler stops, the set
  lapses and a reader rebuilds it).
So each stale entry of another student can shift someone's place by one, for an hour at most. (The same
holds for two writes of one student whose callbacks run in the opposite order to their commits.)

Without Redis (the local-memory cache of development) rank() always counts.
"""

import itertools
import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError

from accounts.models import Student
from edtech import cache

logger = logging.getLogger(__name__)

BATCH = 5000
BUILT = "built"

# KEYS[1]: the ranking; ARGV[1]: a member. False when the ranking does not exist; else the member's
# score and 0-based place (false, false when it is not a member).
_PLACE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return {redis.call('ZSCORE', KEYS[1], ARGV[1]), redis.call('ZRANK', KEYS[1], ARGV[1])}
"""

# KEYS[1]: the ranking; ARGV[1]: a member; ARGV[2]: its score, or '' for none (not a member). False when
# the ranking does not exist (nothing is written); else the member's 0-based place, -1 for none.
_PUT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if ARGV[2] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return -1
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return redis.call('ZRANK', KEYS[1], ARGV[1])
"""

# KEYS[1]: the lock; ARGV[1]: the token of the rebuild that took it. Deleted only by its holder.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def member(student_id: int) -> str:
    return f"{student_id:019d}"


def score(total_xp: int | None, on_leaderboard: bool) -> int | None:
    """The student's score in the ranking, or None when they have no place (off the board, or no XP yet)."""
    return -total_xp if on_leaderboard and total_xp else None  # total_xp is never negative (a constraint)


def rank_of(student: Student) -> int | None:
    """The student's place (1 = first), or None when they have none: from the ranking in Redis, after
    putting right their own entry if it differs from `student`; counted in the database when the ranking
    is being rebuilt by another process or Redis cannot be reached. Rebuilds a lost ranking first when no
    other process is rebuilding it."""
    client = _client()
    if client is None:
        return student.counted_rank()
    try:
        found = _place(client, student.pk)
        if found is None and rebuild():
            found = _place(client, student.pk)
        if found is None:  # another process is rebuilding it
            return student.counted_rank()
        stored, place = found
        if stored != score(student.total_xp, student.on_leaderboard):
            # A lost write, or `student` is older than its row: put the row as the database has it.
            place = _put(client, student.pk, _score_in_database(student.pk))
            if place is None:  # the ranking was lost in between
                return student.counted_rank()
    except RedisError:  # the circuit breaker (edtech.redis_breaker) logs the outage
        return student.counted_rank()
    return None if place is None or place < 0 else place + 1


def put(student_id: int, total_xp: int | None, on_leaderboard: bool) -> None:
    """Once the current transaction commits (at once outside one), write the student's entry: these are
    the values it commits."""
    entry = score(total_xp, on_leaderboard)
    transaction.on_commit(lambda: _write(student_id, entry))


def remove(student_id: int) -> None:
    """Once the current transaction commits, drop the student's entry (an erasure)."""
    transaction.on_commit(lambda: _write(student_id, None))


def refresh(student_id: int) -> None:
    """Once the current transaction commits, write the student's entry as the database then has it (for
    a writer that does not know the committed XP, such as the parent's leaderboard switch)."""
    transaction.on_commit(lambda: _write(student_id, _score_in_database(student_id)))


def rebuild() -> bool:
    """Build the ranking from the database and put it in place of the old one (or of none), unless another
    process holds the lock: True when this call rebuilt it.

    One streaming query (the students on the board with XP, a server-side cursor), ZADDs of BATCH members
    into a set of this rebuild's own, then one MULTI that swaps it in: readers see the old ranking (or
    none) until then, never a half-built one. Raises RedisError when Redis fails halfway (the half-built
    set expires on its own).
    """
    client = _client()
    if client is None:
        return False
    token = secrets.token_hex(8)
    lock = cache.ranks_lock_key()
    if not client.set(lock, token, nx=True, ex=cache.RANKS_REBUILD_SECONDS):
        return False
    building = cache.ranks_building_key(token)
    try:
        client.zadd(building, {BUILT: float("inf")})
        client.expire(building, cache.RANKS_REBUILD_SECONDS)
        rows = Student.objects.filter(on_leaderboard=True, total_xp__gt=0).values_list("pk", "total_xp")
        for batch in itertools.batched(rows.iterator(chunk_size=BATCH), BATCH, strict=False):
            client.zadd(building, {member(pk): -total_xp for pk, total_xp in batch if total_xp})
        with client.pipeline(transaction=True) as swap:
            swap.unlink(cache.ranks_key())  # the old set is freed in the background, not inside the MULTI
            swap.rename(building, cache.ranks_key())
            swap.expire(cache.ranks_key(), cache.TTL["leaderboard"])
            swap.execute()
    finally:
        client.eval(_RELEASE, 1, lock, token)
    return True


def _client() -> Any:
    """The Redis connection of the default cache (with its circuit breaker), or None without Redis."""
    if not settings.REDIS_URL:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def _place(client: Any, student_id: int) -> tuple[int | None, int | None] | None:
    """The student's score and 0-based place in the ranking, or None when the ranking does not exist."""
    found = client.eval(_PLACE, 1, cache.ranks_key(), member(student_id))
    if found is None:
        return None
    stored, place = found
    return (None if stored is None else int(float(stored))), place


def _put(client: Any, student_id: int, entry: int | None) -> int | None:
    """Write the student's entry; their 0-based place (-1 for none), or None when the ranking does not exist."""
    written: int | None = client.eval(_PUT, 1, cache.ranks_key(), member(student_id), "" if entry is None else entry)
    return written


def _write(student_id: int, entry: int | None) -> None:
    client = _client()
    if client is None:
        return
    try:
        _put(client, student_id, entry)
    except RedisError:
        # The entry is put right by the student's next rank() or answer, or the hourly rebuild.
        logger.warning("ranks: Redis unreachable, entry not written student_id=%s", student_id)


def _score_in_database(student_id: int) -> int | None:
    row = Student.objects.filter(pk=student_id).values_list("total_xp", "on_leaderboard").first()
    return None if row is None else score(*row)
