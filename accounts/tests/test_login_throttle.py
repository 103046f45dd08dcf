"""A school shares one address: a classmate's guessing must not lock everyone out, and parallel guesses
for one account are counted exactly, one after the other."""

import pytest
from django.test import Client

from accounts.models import ThrottleHit
from accounts.tests.factories import PASSWORD, StudentFactory
from edtech.tests.concurrency import run_together

SCHOOL = "203.0.113.7"


def login(client, username, password=PASSWORD, address=SCHOOL):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def guess_from_school(count):
    client = Client()
    for n in range(count):
        assert login(client, f"nobody{n}@example.com", "wrong").status_code in (400, 429)


@pytest.mark.django_db
def test_after_100_failures_from_a_school_a_classmate_with_the_right_password_still_signs_in(client):
    classmate = StudentFactory()
    guess_from_school(100)

    response = login(client, classmate.user.email)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == classmate.user.pk


@pytest.mark.django_db
def test_from_a_suspect_address_a_wrong_password_is_refused_as_too_many(client):
    classmate = StudentFactory()
    guess_from_school(100)

    response = login(client, classmate.user.email, "wrong")

    assert response.status_code == 429
    assert "Too many failed logins from your network" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_from_a_suspect_address_an_account_with_failures_of_its_own_waits_even_with_the_right_password(client):
    target = StudentFactory()
    assert login(client, target.user.email, "wrong").status_code == 400
    guess_from_school(100)

    response = login(client, target.user.email)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The same account from home is not suspect.
    assert login(Client(), target.user.email, address="198.51.100.20").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_get_exactly_5_verdicts():
    # 16 at once (the pool holds 20 connections, each thread takes one): without the lock, 11 of 24 got
    # a verdict in the audit.
    target = StudentFactory()

    def guessing(start):
        client = Client()
        start()
        return login(client, target.user.email, "wrong").status_code

    statuses = run_together(*[guessing] * 16)

    assert sorted(statuses) == [400] * 5 + [429] * 11
    assert ThrottleHit.objects.filter(scope="login").count() == 5
    assert login(Client(), target.user.email).status_code == 429  # now even the right password waits
