"""`make backup` and `make restore`: a dump restored into an empty database gives back the same data.

These tests do not use pytest-django's test database: they create their own databases (random
names) on the server DATABASE_URL points at, talk to them with psycopg directly, run the
project's commands in subprocesses, and drop the databases at the end.
"""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

PROJECT = Path(settings.BASE_DIR)
TABLES = [
    "students",
    "parents",
    "student_parent_link",
    "chapters",
    "questions",
    "quiz_submissions",
    "student_progress",
    "daily_analytics",
    "accounts_user",
]
AGGREGATES = {
    "sum of total_xp": "SELECT SUM(total_xp) FROM students",
    "sum of xp_earned": "SELECT SUM(xp_earned) FROM quiz_submissions",
    "latest submitted_at": "SELECT MAX(submitted_at) FROM quiz_submissions",
    "distinct quiz ids": "SELECT COUNT(DISTINCT quiz_id) FROM questions",
}

# Answers through the real write path (record_answer): a right, a wrong and a repeated answer
# yesterday and today, so every table, including student_progress and daily_analytics, has rows.
ANSWER_SCRIPT = """
import datetime, uuid
from django.utils import timezone
from accounts.models import Student
from curriculum.models import Question
from learning.services import record_answer

student = Student.objects.get(email="student@example.com")
first, second = Question.objects.filter(chapter__is_locked=False).select_related("chapter").order_by("id")[:2]
now = timezone.now()
for question, index, days_ago in [
    (first, first.correct_answer_index, 1),
    (second, (second.correct_answer_index + 1) % len(second.options), 1),
    (second, second.correct_answer_index, 0),
    (second, second.correct_answer_index, 0),
]:
    at = now - datetime.timedelta(days=days_ago)
    record_answer(student=student, question=question, selected_index=index, served_at=at,
                  form_token=uuid.uuid4(), now=at)
"""


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or shutil.which("pg_dump") is None:
        pytest.skip("needs DATABASE_URL on PostgreSQL and pg_dump/pg_restore")
    return url


def _url_for(server_url: str, dbname: str) -> str:
    """The same server and user, another database."""
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{dbname}"))


@pytest.fixture
def databases():
    """Makes fresh, empty databases on the server (random names); drops them all at the end."""
    server_url = _server_url()
    admin_url = _url_for(server_url, "postgres")
    created: list[str] = []

    def create(role: str) -> str:
        name = f"edtech_backup_{role}_{secrets.token_hex(4)}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return _url_for(server_url, name)

    try:
        yield create
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for name in created:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _run(args: list[str], database_url: str, **kwargs) -> subprocess.CompletedProcess:
    # A local-memory cache: nothing here may touch a shared Redis.
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": ""}
    return subprocess.run(  # noqa: S603 - fixed argument lists built by this test, no shell
        args, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60, **kwargs
    )


def _manage(database_url: str, *args: str, stdin: str | None = None) -> None:
    result = _run([sys.executable, "manage.py", *args], database_url, input=stdin)
    assert result.returncode == 0, result.stderr


def _make(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return _run(["make", "--no-print-directory", *args], database_url)


def _snapshot(database_url: str) -> dict:
    with psycopg.connect(database_url) as conn:
        numbers = {
            table: conn.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            for table in TABLES
        }
        numbers.update({label: conn.execute(query).fetchone()[0] for label, query in AGGREGATES.items()})
    return numbers


def test_a_restored_backup_has_the_same_rows_and_totals(databases, tmp_path):
    source = databases("src")
    _manage(source, "migrate", "--no-input", "-v", "0")
    _manage(source, "seed_demo")
    _manage(source, "shell", stdin=ANSWER_SCRIPT)
    before = _snapshot(source)
    assert all(before[table] > 0 for table in TABLES), before
    assert before["sum of xp_earned"] == before["sum of total_xp"] > 0

    backup = _make(source, "backup", f"BACKUP_DIR={tmp_path}")
    assert backup.returncode == 0, backup.stderr
    dumps = list(tmp_path.glob("edtech-*.dump"))
    assert [str(path) for path in dumps] == [backup.stdout.strip()]

    target = databases("dst")
    restore = _make(target, "restore", f"FILE={dumps[0]}")
    assert restore.returncode == 0, restore.stderr
    assert _snapshot(target) == before

    # Over a database that already holds the data: --clean replaces it, nothing is doubled.
    again = _make(target, "restore", f"FILE={dumps[0]}")
    assert again.returncode == 0, again.stderr
    assert _snapshot(target) == before


def test_restore_refuses_to_run_without_a_file():
    result = _make("postgres://nobody@127.0.0.1:1/nothing", "restore")

    assert result.returncode != 0
    assert "name the dump" in result.stderr
