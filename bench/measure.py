"""In-process measurements on the bench database: SQL queries per page, cold-cache timings, query plans.

    python bench/measure.py OUT_DIR      (DATABASE_URL and REDIS_URL set to the bench's)
Writes OUT_DIR/measure.json.
"""

import json
import random
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.middleware import SECOND_FACTOR_DONE  # noqa: E402
from accounts.models import Student, StudentParentLink, User  # noqa: E402
from analytics import summaries  # noqa: E402
from curriculum.models import Chapter, Question  # noqa: E402

rng = random.Random(11)  # noqa: S311 - picking sample students, not a secret
SAMPLES = 25


def clear_cache() -> None:
    cache.delete_pattern("*")  # type: ignore[attr-defined]  # django-redis


def started_client() -> Client:
    """One test client for all the requests: a new one loads the middleware again on its first request
    (WhiteNoise reads every static file's headers then: ~0.1 s that no request pays in a running server)."""
    client = Client()
    client.get("/healthz", HTTP_HOST="127.0.0.1")
    return client


def timed_get(client: Client, path: str) -> tuple[float, int, int]:
    """(milliseconds, status, SQL queries) of one request through the whole middleware stack."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path, HTTP_HOST="127.0.0.1")
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.status_code, len(queries)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def page_paths(student: Student) -> dict[str, str]:
    chapter = Chapter.objects.filter(is_locked=False).order_by("?").first()
    question = Question.objects.filter(chapter=chapter).order_by("?").first()
    assert chapter is not None and question is not None, "bench: the dataset has no open chapter"
    return {
        "dashboard": "/dashboard/",
        "chapter_map": "/learn/",
        "chapter": f"/learn/{chapter.id}/",
        "question": f"/learn/{chapter.id}/q/{question.quiz_id}/",
        "leaderboard": "/leaderboard/",
    }


def student_pages() -> dict:
    """Cold (cache emptied before each request) and warm timings and query counts, for many students."""
    students = list(Student.objects.select_related("user").filter(total_xp__gt=0).order_by("?")[:SAMPLES])
    results: dict[str, dict[str, list]] = {}
    client = started_client()
    for student in students:
        client.force_login(student.user)
        for page, path in page_paths(student).items():
            clear_cache()
            cold_ms, status, cold_queries = timed_get(client, path)
            warm_ms, _, warm_queries = timed_get(client, path)
            entry = results.setdefault(page, {"cold_ms": [], "warm_ms": [], "cold_q": [], "warm_q": [], "status": []})
            entry["cold_ms"].append(cold_ms)
            entry["warm_ms"].append(warm_ms)
            entry["cold_q"].append(cold_queries)
            entry["warm_q"].append(warm_queries)
            entry["status"].append(status)
    return results


def parent_pages() -> dict:
    entry: dict[str, list] = {"cold_ms": [], "warm_ms": [], "cold_q": [], "warm_q": [], "status": []}
    client = started_client()
    for link in StudentParentLink.objects.select_related("parent__user").order_by("?")[:SAMPLES]:
        client.force_login(link.parent.user)
        path = f"/family/children/{link.student_id}/"
        clear_cache()
        cold_ms, status, cold_q = timed_get(client, path)
        warm_ms, _, warm_q = timed_get(client, path)
        for key, value in zip(entry, (cold_ms, warm_ms, cold_q, warm_q, status), strict=True):
            entry[key].append(value)
    return {"parent_child": entry}


def staff_pages() -> dict:
    staff, _ = User.objects.get_or_create(
        email="bench-staff@bench.example", defaults={"is_staff": True, "is_superuser": True}
    )
    client = started_client()
    client.force_login(staff)
    session = client.session
    session[SECOND_FACTOR_DONE] = True  # staff who see children's data use a second factor: as if done
    session.save()
    results = {}
    chapter = Chapter.objects.order_by("?").first()
    assert chapter is not None, "bench: the dataset has no chapter"
    for name, path in {
        "content_chapters": "/admin/analytics/studentprogress/content/chapters/",
        "content_questions_one_chapter": f"/admin/analytics/studentprogress/content/questions/?chapter={chapter.id}",
        "content_questions_all": "/admin/analytics/studentprogress/content/questions/",
    }.items():
        entry: dict[str, list] = {"cold_ms": [], "warm_ms": [], "cold_q": [], "warm_q": [], "status": []}
        for _ in range(3):
            clear_cache()
            cold_ms, status, cold_q = timed_get(client, path)
            warm_ms, _, warm_q = timed_get(client, path)
            for key, value in zip(entry, (cold_ms, warm_ms, cold_q, warm_q, status), strict=True):
                entry[key].append(value)
        results[name] = entry
    return results


def leaderboard_query() -> dict:
    times = []
    for _ in range(5):
        clear_cache()
        started = time.perf_counter()
        summaries.leaderboard()
        times.append((time.perf_counter() - started) * 1000)
    return {"leaderboard_query_ms": statistics.median(times)}


def summarise(raw: dict) -> dict:
    out = {}
    for page, entry in raw.items():
        if set(entry["status"]) != {200}:  # a redirect or an error would be timed instead of the page
            sys.exit(f"bench: {page} answered {sorted(set(entry['status']))}, not 200")
        out[page] = {
            "cold_p50_ms": round(percentile(entry["cold_ms"], 50), 1),
            "cold_p95_ms": round(percentile(entry["cold_ms"], 95), 1),
            "warm_p50_ms": round(percentile(entry["warm_ms"], 50), 1),
            "queries_cold_max": max(entry["cold_q"]),
            "queries_warm_max": max(entry["warm_q"]),
            "statuses": sorted(set(entry["status"])),
        }
    return out


def main(out: Path) -> None:
    raw = {**student_pages(), **parent_pages(), **staff_pages()}
    result = {
        "pages": summarise(raw),
        **leaderboard_query(),
        "dataset": {
            "students": Student.objects.count(),
            "questions": Question.objects.count(),
            "submissions": _estimate("quiz_submissions"),
        },
    }
    (out / "measure.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


def _estimate(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main(Path(sys.argv[1]))
