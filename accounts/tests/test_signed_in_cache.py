"""The signed-in account and its session from Redis (edtech.auth_cache, accounts.signed_in): no SELECT for
them on a warm request, and every change that must end or change a session takes effect on the next one.
(Redis outages: edtech/tests/test_outages.py.)"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_redis import get_redis_connection

from accounts import children, signed_in
from accounts.models import Parent, User
from accounts.tests.factories import ChildFactory, ParentFactory, StudentFactory, UserFactory
from edtech import auth_cache

pytestmark = pytest.mark.django_db

PAGE = "/profile/"  # a student's page that shows the student's own name


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def same_cookies(client: Client) -> Client:
    other = Client()
    other.cookies = client.cookies.__class__(client.cookies)
    return other


def auth_queries(client: Client, path: str = PAGE) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in queries if "django_session" in q["sql"] or '"accounts_user"' in q["sql"]]


def refused(client: Client) -> bool:
    response = client.get(PAGE)
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_warm_request_reads_neither_its_session_nor_its_account_from_the_database():
    client = signed_in_client(StudentFactory(name="Mia Lopez").user)

    cold = auth_queries(client)
    warm = auth_queries(client)

    assert len(cold) == 2  # the session, then the account with its profiles
    assert warm == []


def test_an_account_that_never_signed_in_through_the_form_comes_from_the_cache_too():
    """No last_login (a session made without the login form, as the benchmark and some tools make them)."""
    student = StudentFactory()
    client = signed_in_client(student.user)
    User.objects.filter(pk=student.user.pk).update(last_login=None, username=None)

    auth_queries(client)

    assert auth_queries(client) == []
    assert auth_cache.read("user", student.user.pk).value["fields"]["last_login"] is None


def test_the_cached_account_is_the_right_one_for_each_session():
    mia, leo = StudentFactory(name="Mia Lopez"), StudentFactory(name="Leo Park")
    clients = {mia: signed_in_client(mia.user), leo: signed_in_client(leo.user)}
    for _ in range(2):
        for student, client in clients.items():
            page = client.get(PAGE).content.decode()
            other = leo if student is mia else mia
            assert student.name in page
            assert other.name not in page


def test_a_logout_ends_the_session_at_once_for_a_kept_cookie():
    client = signed_in_client(StudentFactory().user)
    auth_queries(client)
    kept = same_cookies(client)
    assert not refused(kept)  # the copy is used

    client.post("/accounts/logout/")

    assert refused(kept)


def test_a_new_password_ends_the_other_sessions_at_once():
    child = ChildFactory()
    client = signed_in_client(child.user)
    auth_queries(client)

    children.reset_password(child)  # an UPDATE of the password column, not a save()

    assert refused(client)


@pytest.mark.parametrize("how", ["update", "save"])
def test_a_deactivated_account_is_refused_at_once(how):
    student = StudentFactory()
    client = signed_in_client(student.user)
    auth_queries(client)

    if how == "update":
        User.objects.filter(pk=student.user.pk).update(is_active=False)
    else:
        user = User.objects.get(pk=student.user.pk)
        user.is_active = False
        user.save()

    assert refused(client)


def test_an_erased_account_is_refused_at_once():
    student = StudentFactory()
    client = signed_in_client(student.user)
    auth_queries(client)

    User.objects.filter(pk=student.user.pk).delete()

    assert refused(client)


def test_a_new_profile_changes_the_role_at_once():
    user = UserFactory()
    client = signed_in_client(user)
    assert client.get("/family/").status_code == 403  # no profile yet (and the copy remembers that)
    assert client.get("/family/").status_code == 403

    Parent.objects.create(user=user, email=user.email, name="Pat Parent")

    assert client.get("/family/").status_code == 200


def test_the_cache_holds_no_password_hash_and_a_copy_from_it_cannot_be_saved():
    student = StudentFactory()
    client = signed_in_client(student.user)
    auth_queries(client)
    redis = get_redis_connection("default")
    values = [redis.get(key) for key in redis.keys(cache.make_key("auth:") + "*")]

    assert any(b"public_id" in (value or b"") for value in values)  # the account's copy is there
    assert not any(student.user.password.encode() in (value or b"") for value in values)
    copy = signed_in.from_entry(auth_cache.read("user", student.user.pk).value)
    assert not copy.check_password("anything")
    with pytest.raises(ValueError, match="read from the cache"):
        copy.save()


@pytest.mark.parametrize("copy", [b"\x80not json", b'{"fields": {"id": "1"}}'])  # not JSON; another version's
def test_a_copy_that_is_not_ours_is_a_miss(copy):
    student = StudentFactory()
    client = signed_in_client(student.user)
    auth_queries(client)
    redis = get_redis_connection("default")
    for key in redis.keys(cache.make_key("auth:") + "*:user:*"):
        redis.set(key, copy)

    assert len(auth_queries(client)) == 1  # the account from the database again; the session still cached


def test_a_session_for_another_account_never_reads_its_copy():
    """The account's copy is keyed by the id in the (signed) session: a session names one account."""
    mia, leo = StudentFactory(), StudentFactory()
    client = signed_in_client(mia.user)
    auth_queries(client)

    assert int(client.session[SESSION_KEY]) == mia.user.pk
    assert auth_cache.read("user", leo.user.pk).value is None


def test_a_parent_made_child_signs_in_with_the_cache_too():
    parent = ParentFactory()
    child = ChildFactory(link__parent=parent)
    client = signed_in_client(child.user)
    auth_queries(client)

    assert auth_queries(client) == []


def test_a_warm_request_reads_its_session_and_account_in_one_redis_call():
    client = signed_in_client(StudentFactory().user)
    auth_queries(client)
    redis = get_redis_connection("default")

    def scripts_run() -> int:
        return int(redis.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0))

    before = scripts_run()
    assert auth_queries(client) == []
    assert scripts_run() - before == 1  # the session's script read the account's copy too
