import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_it_migrates_from_zero_and_back_up():
    for app in ("analytics", "curriculum", "accounts"):
        call_command("migrate", app, "zero", verbosity=0)
    assert "students" not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)

    tables = set(connection.introspection.table_names())
    assert {
        "students",
        "parents",
        "student_parent_link",
        "chapters",
        "questions",
        "quiz_submissions",
        "student_progress",
        "daily_analytics",
    } <= tables
