"""Profile one page in-process on the bench database: its warm median and where the time goes.

    DJANGO_SETTINGS_MODULE=edtech.settings DATABASE_URL=…/edtech_bench REDIS_URL=… DEBUG=False \\
        SECRET_KEY=… BENCH_BARE_VIEW=True python bench/profile_page.py /dashboard/ [student|parent|staff|teacher]

Signs in as a sampled account of that kind (a parent on their child's page: give the path as
/family/children/CHILD/ and the child's first parent is used), makes the request 30 times to warm the
caches, times 300 more, then profiles 300 and prints the 30 costliest calls by cumulative time.
"""

import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.middleware import SECOND_FACTOR_DONE  # noqa: E402
from accounts.models import Student, StudentParentLink, User  # noqa: E402


def account(kind: str, path: str) -> User:
    if kind == "parent":
        child = int(path.rstrip("/").split("/")[-1])
        return StudentParentLink.objects.select_related("parent__user").filter(student_id=child)[:1].get().parent.user
    if kind == "staff":
        return User.objects.get(email="bench-staff@bench.example")
    if kind == "teacher":
        return User.objects.filter(email__startswith="bench-teacher-").order_by("email")[:1].get()
    return Student.objects.select_related("user").filter(total_xp__gt=0).order_by("id")[:1].get().user


def main(path: str, kind: str) -> None:
    client = Client()
    client.force_login(account(kind, path))
    session = client.session
    session[SECOND_FACTOR_DONE] = True
    session.save()
    for _ in range(30):
        response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path, HTTP_HOST="127.0.0.1")
    times = []
    for _ in range(300):
        started = time.perf_counter()
        client.get(path, HTTP_HOST="127.0.0.1")
        times.append((time.perf_counter() - started) * 1000)
    print(f"{path}: warm median {statistics.median(times):.2f} ms, {len(queries)} queries")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(300):
        client.get(path, HTTP_HOST="127.0.0.1")
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "student")
