"""How long the leaderboard's own rank (Student.rank()) takes as the students grow from 100k to 1M.

    .venv/bin/python bench/rank.py [--sizes 100000,250000,500000,1000000] [--runs 15] [--drop]

Works in a scratch database of its own (BENCH_RANK_DB, default edtech_rank_bench, on BENCH_PG): made and
migrated when missing, reused (and grown) when it holds no more than the first size, made again when it
holds more, dropped at the end with --drop; and in the Redis of REDIS_URL (default db 5) under a prefix
of its own, whose ranking it deletes at the end. For each
size it inserts the missing students with generate_series (an account row and a student row each), runs
VACUUM ANALYZE, rebuilds the ranking in Redis from scratch (timed, with the set's memory), then times, for
the first, the middle and the last student of the ranking, rank() (from Redis) and counted_rank() (the
count in the database: rank() before accounts.ranks, and its fallback when Redis cannot say), and rank()
for the last one with the cache pointed at a closed port (the fallback end to end): the median of --runs
runs after two warm-up runs. It checks that both give the same place for those three and for
SAMPLE more students drawn at random. The XP is drawn as children's XP looks: a fifth never answered, most
have a little, a long tail has a lot (a Pareto draw); 15% are off the leaderboard.
"""

import argparse
import os
import socket
import statistics
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_RANK_DB", "edtech_rank_bench")
os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")
os.environ["CACHE_KEY_PREFIX"] = "rankbench"  # never the keys of the app or its tests in the same Redis
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edtech.settings")

import django  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from accounts import ranks  # noqa: E402
from accounts.models import Student  # noqa: E402
from edtech import cache, redis_breaker  # noqa: E402

SAMPLE = 20

# One statement per table for the students from %(first)s to %(last)s; ids of accounts and students alike.
INSERT_ACCOUNTS = """
INSERT INTO accounts_user (id, password, is_superuser, email, public_id, is_staff, is_active, date_joined)
SELECT n, '!', false, 'student' || n || '@rank.example', md5('rank' || n), false, true, now()
FROM generate_series(%(first)s, %(last)s) AS n
"""
INSERT_STUDENTS = """
INSERT INTO students (id, user_id, email, name, grade_level, total_xp, on_leaderboard)
SELECT n, md5('rank' || n), 'student' || n || '@rank.example', 'Student ' || n, 1 + n %% 12,
       CASE WHEN answered < 0.2 THEN 0 ELSE least(500000, floor(10 * power(1 - random(), -1 / 1.2)))::int END,
       random() >= 0.15
FROM (SELECT n, random() AS answered FROM generate_series(%(first)s, %(last)s) AS n) AS drawn
"""


def scratch_database(first_size: int) -> None:
    """The scratch database, migrated; made again when it holds more students than the first size. (Checked
    before Django connects: its connection pool does not outlive a dropped database.)"""
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            with psycopg.connect(f"{PG}/{DB_NAME}") as scratch:
                migrated = scratch.execute("SELECT to_regclass('students') IS NOT NULL").fetchone() == (True,)
                students = scratch.execute("SELECT count(*) FROM students").fetchone() if migrated else (0,)
                too_many = students is not None and students[0] > first_size
            if too_many:
                admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    call_command("migrate", verbosity=0)


def drop_database() -> None:
    connection.close()
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))


def grow_to(students: int) -> None:
    """Insert students until there are `students` (ids 1..students), then VACUUM ANALYZE."""
    have = Student.objects.count()
    with connection.cursor() as cursor:
        if have < students:
            cursor.execute("SELECT setseed(%s)", [have / students])
            for first in range(have + 1, students + 1, 100_000):
                bounds = {"first": first, "last": min(first + 99_999, students)}
                cursor.execute(INSERT_ACCOUNTS, bounds)
                cursor.execute(INSERT_STUDENTS, bounds)
            for table in ("accounts_user", "students"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                )
        cursor.execute("VACUUM ANALYZE students")


def sample_students() -> dict[str, Student]:
    """The first, the middle and the last student of the ranking (on the board, with XP)."""
    ranked = Student.objects.filter(on_leaderboard=True, total_xp__gt=0).order_by("-total_xp", "id")
    count = ranked.count()
    return {"top": ranked[0], "middle": ranked[count // 2], "bottom": ranked[count - 1]}


def median_ms(call, runs: int) -> float:
    for _ in range(2):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def rebuilt_ranking() -> tuple[float, float]:
    """Rebuild the ranking from nothing: (seconds, megabytes of the set in Redis)."""
    client = ranks._client()
    client.delete(cache.ranks_key())
    started = time.perf_counter()
    assert ranks.rebuild(), "another process holds the ranking's rebuild lock"
    seconds = time.perf_counter() - started
    return seconds, client.memory_usage(cache.ranks_key()) / 2**20


def redis_down_ms(student: Student, runs: int) -> float:
    """rank() with the cache pointed at a closed port: the failed call to Redis, then the count."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    down = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{closed}/0"}}
    with override_settings(CACHES=down):
        ms = median_ms(student.rank, runs)
    time.sleep(redis_breaker.BREAK_SECONDS + 0.5)  # the circuit breaker closes again: Redis is asked again
    return ms


def check_places(sample: dict[str, Student]) -> None:
    others = Student.objects.order_by("?")[:SAMPLE]
    for student in [*sample.values(), *others]:
        assert student.rank() == student.counted_rank(), f"student {student.pk}: Redis and the count differ"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,250000,500000,1000000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    places = ("top", "middle", "bottom")

    scratch_database(sizes[0])
    print(f"ms, median of {args.runs} warm runs ({DB_NAME}); rank() from Redis, counted_rank() in PostgreSQL")
    print(
        "| students | on the board with XP | rebuild s | set MB | "
        + " | ".join(f"rank() {place}" for place in places)
        + " | "
        + " | ".join(f"counted {place}" for place in places)
        + " | rank() bottom, Redis down |"
    )
    print("|---:" * (5 + 2 * len(places)) + "|")
    try:
        for size in sizes:
            grow_to(size)
            sample = sample_students()
            seconds, megabytes = rebuilt_ranking()
            check_places(sample)
            redis_ms = [median_ms(sample[place].rank, args.runs) for place in places]
            counted_ms = [median_ms(sample[place].counted_rank, args.runs) for place in places]
            down_ms = redis_down_ms(sample["bottom"], args.runs)
            cells = " | ".join(f"{ms:.2f}" for ms in [*redis_ms, *counted_ms, down_ms])
            board = sample["bottom"].counted_rank()
            print(f"| {size:,} | {board:,} | {seconds:.1f} | {megabytes:.0f} | {cells} |", flush=True)
    finally:
        ranks._client().delete(cache.ranks_key())
    if args.drop:
        drop_database()


if __name__ == "__main__":
    main()
