import pytest

from accounts.models import Student, User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Maya Lopez",
    "email": "Maya@Example.com",
    "password1": "a-long-unusual-pass",
    "password2": "a-long-unusual-pass",
    "grade_level": "5",
    "time_zone": "Europe/Berlin",
}


def test_a_student_signs_up_and_lands_on_the_chapter_map(client):
    response = client.post("/accounts/signup/student/", GOOD)

    assert response.status_code == 302
    assert response["Location"] == "/learn/"
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
    html = client.get("/accounts/signup/student/").content.decode()
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


def test_an_email_already_in_use_is_refused_whatever_its_case(client):
    UserFactory(email="maya@example.com")
    response = client.post("/accounts/signup/student/", GOOD)
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert not Student.objects.exists()


def test_signups_are_limited_per_address(client):
    from accounts.models import ThrottleHit

    for _ in range(ThrottleHit.LIMITS["signup-address"].count):
        ThrottleHit.objects.hit("signup-address", "127.0.0.1")
    response = client.post("/accounts/signup/student/", GOOD)
    assert response.status_code == 429
    assert "Too many new accounts" in response.content.decode()
    assert not User.objects.exists()
