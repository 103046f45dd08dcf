import pytest
from django.core.cache import cache

from accounts.tests.factories import StudentFactory


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
