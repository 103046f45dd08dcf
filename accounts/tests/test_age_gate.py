"""A student's own sign-up asks the birth month first; a child below the consent age asks a parent instead."""

import datetime
import re

import pytest
import time_machine

from accounts.models import Consent, ParentRequest, Student, ThrottleHit, User
from accounts.tests.factories import ParentFactory
from accounts.tests.helpers import confirm_signup, sign_in

# 1 December 2026, noon UTC.
TODAY = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)

ACCOUNT = {
    "name": "Tess Teen",
    "email": "tess@example.com",
    "password1": "a-long-unusual-pass",
    "password2": "a-long-unusual-pass",
    "grade_level": "8",
}


@pytest.fixture
def today():
    """The clock at TODAY (tests that run the task worker travel only around their requests instead)."""
    with time_machine.travel(TODAY, tick=False):
        yield


def birth(year: int, month: int) -> dict[str, str]:
    return {"birth_year": str(year), "birth_month": str(month)}


@pytest.mark.django_db
def test_the_first_step_asks_only_the_birth_month_and_year_neutrally(today, client):
    html = client.get("/accounts/signup/student/").text
    assert 'name="birth_year"' in html and 'name="birth_month"' in html
    assert 'name="email"' not in html and 'name="parent_email"' not in html
    assert "When were you born?" in html
    # Nothing says which answer goes on.
    for hint in ("13", "old enough", "under", "consent", "age"):
        assert hint not in re.sub(r"<[^>]+>", " ", html.split("<main")[1]).lower().split("</main>")[0], hint


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "month", "needs_parent"),
    [
        (2013, 11, False),  # 13 since 30 November 2026
        (2013, 12, True),  # counted as born on 31 December 2013: 12 today
        (2014, 1, True),
        (2000, 6, False),
        (2026, 12, True),  # born this month
    ],
)
def test_the_age_is_counted_as_if_born_at_the_end_of_the_month(today, client, year, month, needs_parent):
    html = client.post("/accounts/signup/student/", birth(year, month)).text
    assert ('name="parent_email"' in html) is needs_parent
    assert ('name="email"' in html) is not needs_parent
    assert not ParentRequest.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_the_consent_age_is_a_setting(today, client, settings):
    settings.PARENTAL_CONSENT_AGE = 16
    assert 'name="parent_email"' in client.post("/accounts/signup/student/", birth(2011, 1)).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (birth(2027, 1), "That date is in the future"),
        (birth(2026, 12 + 0) | {"birth_month": "13"}, "Select a valid choice"),
        ({"birth_month": "3"}, "This field is required"),
        (birth(1800, 3), "greater than or equal to 1900"),
    ],
)
def test_a_bad_birth_date_gets_a_clear_message_and_nothing_is_written(today, client, data, message):
    response = client.post("/accounts/signup/student/", data | ACCOUNT)
    assert response.status_code == 400
    assert message in response.text
    assert not User.objects.exists() and not ParentRequest.objects.exists()
    assert not ThrottleHit.objects.exists()


def test_old_enough_the_sign_up_goes_on_and_the_consent_is_the_students_own(client, run_tasks, mailoutbox):
    with time_machine.travel(TODAY, tick=False):
        step = client.post("/accounts/signup/student/", birth(2012, 5))
        assert 'name="email"' in step.text
        response = client.post("/accounts/signup/student/", birth(2012, 5) | ACCOUNT)  # the tool's one POST, too
        assert response.status_code == 303
    confirm_signup(client, mailoutbox, run_tasks)
    student = Student.objects.get()
    consent = Consent.objects.get(student=student)
    assert (consent.basis, consent.granted_by, consent.notice_version) == ("self", student.user, "2026-12-01")
    # The birth date is not stored anywhere: no column holds it.
    assert "2012" not in str(Student.objects.filter(pk=student.pk).values().get())


def test_below_the_age_no_account_is_made_and_the_parent_is_asked(client, run_tasks, mailoutbox):
    with time_machine.travel(TODAY, tick=False):
        step = client.post("/accounts/signup/student/", birth(2016, 4))
        assert 'name="name"' in step.text and 'name="parent_email"' in step.text
        response = client.post(
            "/accounts/signup/student/", birth(2016, 4) | {"name": "Mia", "parent_email": "Ana@Example.com"}
        )
        assert (response.status_code, response["Location"]) == (303, "/accounts/signup/asked/")
        assert "We've asked your parent" in client.get("/accounts/signup/asked/").text
        assert not User.objects.exists() and not Student.objects.exists()
        request = ParentRequest.objects.get()
        assert (request.child_name, request.parent_email) == ("Mia", "ana@example.com")
        assert {f.name for f in ParentRequest._meta.concrete_fields} == {
            "id",
            "child_name",
            "parent_email",
            "created_at",
        }

    run_tasks()
    (mail,) = mailoutbox
    assert mail.to == ["ana@example.com"]
    assert "Mia" in mail.subject
    link = re.search(r"http://testserver(/accounts/signup/parent/\?request=\S+)", mail.body)[1]

    # The link opens parent sign-up, saying who asked, with the address filled in.
    page = client.get(link).text
    assert "asked you to make their account" in page and 'value="ana@example.com"' in page

    # A parent (signed in) goes on to the child form with the name filled in; making the account uses it up.
    parent = ParentFactory(user__email="ana@example.com", email="ana@example.com")
    sign_in(client, parent.user)
    assert "Mia" in client.get("/family/").text  # the family page lists the request too
    to_form = client.get(link)
    assert to_form.status_code == 302
    form = client.get(to_form["Location"]).text
    assert 'name="name" value="Mia"' in form
    token = re.search(r'name="request" value="([^"]+)"', form)[1]
    response = client.post(
        "/family/children/new/",
        {
            "name": "Mia",
            "username": "mia.l",
            "password1": "purple-otter-427",
            "password2": "purple-otter-427",
            "consent": "on",
            "request": token,
        },
    )
    assert response.status_code == 303
    assert not ParentRequest.objects.exists()
    assert Consent.objects.get(student__name="Mia").basis == "parent"


@pytest.mark.django_db
def test_going_back_and_giving_an_older_date_still_asks_a_parent(today, client):
    client.post("/accounts/signup/student/", birth(2016, 4))
    response = client.post("/accounts/signup/student/", birth(2000, 4) | ACCOUNT)
    assert 'name="parent_email"' in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Mia", "parent_email": "not-an-address"}, "Enter a valid email address"),
        ({"name": "", "parent_email": "ana@example.com"}, "This field is required"),
        ({"name": "Mia", "parent_email": "x@no-email.learning-quest.invalid"}, "receives mail"),
    ],
)
def test_a_bad_request_gets_a_clear_message_and_nothing_is_written(today, client, data, message):
    response = client.post("/accounts/signup/student/", birth(2016, 4) | data)
    assert response.status_code == 400
    assert message in response.text
    assert not ParentRequest.objects.exists()


def test_several_requests_to_one_parent_within_an_hour_are_throttled(client, run_tasks, mailoutbox):
    with time_machine.travel(TODAY, tick=False):
        for n in range(3):
            data = birth(2016, 4) | {"name": f"Mia{n}", "parent_email": "ana@example.com"}
            assert client.post("/accounts/signup/student/", data).status_code == 303
        data = birth(2016, 4) | {"name": "Mia", "parent_email": "ANA@example.com"}
        refused = client.post("/accounts/signup/student/", data)
        assert refused.status_code == 429
        assert "already asked this parent" in refused.text
        other = birth(2016, 4) | {"name": "Ben", "parent_email": "bo@example.com"}
        assert client.post("/accounts/signup/student/", other).status_code == 303
    run_tasks()
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.com"] * 3 + ["bo@example.com"]
    assert ParentRequest.objects.count() == 4
