import datetime

import pytest

from accounts.models import SignupConfirmation, Student, User
from accounts.retention import purge_expired
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import confirm_signup

pytestmark = pytest.mark.django_db

# Born in March 2008: 18, old enough to sign up alone (the age question comes first: test_age_gate.py).
GOOD = {
    "birth_year": "2008",
    "birth_month": "3",
    "name": "Maya Lopez",
    "email": "Maya@Example.com",
    "password1": "a-long-unusual-pass",
    "password2": "a-long-unusual-pass",
    "grade_level": "5",
    "time_zone": "Europe/Berlin",
}


def test_a_student_signs_up_confirms_the_address_and_lands_on_the_chapter_map(client, mailoutbox, run_tasks):
    response = client.post("/accounts/signup/student/", GOOD)

    assert response.status_code == 303
    assert response["Location"] == "/accounts/signup/sent/"
    assert "Check your e-mail" in client.get(response["Location"]).text
    assert not User.objects.get().is_active  # nothing opens before the link is followed
    assert client.get("/learn/").status_code == 302

    response = confirm_signup(client, mailoutbox, run_tasks)

    assert mailoutbox[0].to == ["maya@example.com"]
    assert (response.status_code, response["Location"]) == (303, "/learn/")
    student = Student.objects.get()
    assert (student.name, student.email, student.grade_level, student.time_zone) == (
        "Maya Lopez",
        "maya@example.com",
        5,
        "Europe/Berlin",
    )
    assert student.user.email == "maya@example.com"
    assert student.total_xp == 0
    assert client.get("/learn/").status_code == 200


def test_the_signup_page_has_the_fields_and_the_time_zone_script(client):
    html = client.post("/accounts/signup/student/", {"birth_year": "2008", "birth_month": "3"}).content.decode()
    for name in ("name", "email", "password1", "password2", "grade_level", "time_zone"):
        assert f'name="{name}"' in html
    assert "js/timezone.js" in html


def test_grade_is_optional_and_a_bad_time_zone_falls_back_to_the_site_zone(client):
    client.post("/accounts/signup/student/", {**GOOD, "grade_level": "", "time_zone": "Mars/Olympus"})
    student = Student.objects.get()
    assert (student.grade_level, student.time_zone) == (None, None)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"password2": "something-else-entirely"}, "not the same"),
        ({"password1": "123", "password2": "123"}, "too short"),
        ({"email": "not-an-email"}, "valid email"),
        ({"name": ""}, "required"),
        ({"grade_level": "13"}, "valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_creates_nothing(client, changes, message):
    response = client.post("/accounts/signup/student/", {**GOOD, **changes})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_a_note(client, mailoutbox, run_tasks):
    UserFactory(email="maya@example.com")

    taken = client.post("/accounts/signup/student/", GOOD)
    fresh = client.post("/accounts/signup/student/", {**GOOD, "email": "someone.new@example.com"})

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert client.get(taken["Location"]).text == client.get(fresh["Location"]).text
    assert Student.objects.count() == 1  # only the new address made one
    run_tasks()
    notes = {message.to[0]: message for message in mailoutbox}
    assert "which already\nhas a Learning Quest account" in notes["maya@example.com"].body
    assert "/accounts/signup/confirm/" not in notes["maya@example.com"].body
    assert "/accounts/signup/confirm/" in notes["someone.new@example.com"].body


def test_the_link_works_once(client, mailoutbox, run_tasks):
    client.post("/accounts/signup/student/", GOOD)
    confirm_signup(client, mailoutbox, run_tasks)
    client.post("/accounts/logout/")
    link = mailoutbox[0].body.split("http://testserver", 1)[1].split()[0]

    assert client.post(link).status_code == 400
    assert "does not work any more" in client.get(link).text
    assert client.get("/accounts/signup/confirm/MQ/not-a-token/").status_code == 400


def test_a_sign_up_never_confirmed_is_deleted_after_a_week(client):
    client.post("/accounts/signup/student/", GOOD)
    SignupConfirmation.objects.update(created_at=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=8))

    assert purge_expired()["unconfirmed sign-ups"] == 1
    assert not User.objects.exists() and not Student.objects.exists()


def test_an_unconfirmed_account_cannot_log_in(client):
    client.post("/accounts/signup/student/", GOOD)

    response = client.post("/accounts/login/", {"username": "maya@example.com", "password": GOOD["password1"]})

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_every_signup_attempt_counts_towards_the_addresss_limit(client):
    from accounts.models import ThrottleHit

    for n in range(ThrottleHit.LIMITS["signup-address"].count):
        client.post("/accounts/signup/student/", {**GOOD, "email": f"probe{n}@example.com", "password2": "typo"})
    response = client.post("/accounts/signup/student/", GOOD)

    assert response.status_code == 429
    assert not User.objects.exists()
    assert "Too many new accounts" in response.content.decode()
    assert not User.objects.exists()
