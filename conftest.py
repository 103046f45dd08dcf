import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from accounts.tests.factories import StaffFactory, StudentFactory
from accounts.tests.helpers import sign_in


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded pictures go to a directory of the test run's own, never to the checkout's media/."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Every test starts with an empty cache (only this project's prefixed keys)."""
    _clear_cache()
    yield
    _clear_cache()


def _clear_cache():
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing passwords at full strength would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def student_client(client):
    """A test client signed in as a new student (Maya Lopez, grade 4), who is client.student."""
    student = StudentFactory(name="Maya Lopez", grade_level=4)
    client.force_login(student.user)
    client.student = student
    return client


@pytest.fixture
def staff_client(client):
    """A test client signed in as a new superuser staff account (second factor used), which is client.user."""
    client.user = StaffFactory()
    return sign_in(client, client.user)


@pytest.fixture
def bench_app(settings):
    """The bench app (generate_dataset), which only benchmark runs install (BENCH_BARE_VIEW)."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]


# A Tuesday noon in UTC, far from midnight and from a daylight-saving change.
FROZEN_NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen_clock():
    """The clock stands still at FROZEN_NOW: a page that works out the student's "today" (streaks,
    "answered today", the 30 days) cannot see midnight pass during the test."""
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def run_tasks(transactional_db):
    """Run every task that is due, as the worker does (manage.py db_worker in batch mode), and return how
    many ran. The worker reads committed rows: tests that use it run outside a test transaction."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    def run() -> int:
        before = DBTaskResult.objects.finished().count()
        call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--queue-name", "*", verbosity=0)
        return DBTaskResult.objects.finished().count() - before

    return run
