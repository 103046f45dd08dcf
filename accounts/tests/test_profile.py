import pytest

from accounts.models import Student
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_profile_shows_name_email_and_grade(student_client):
    html = student_client.get("/profile/").content.decode()
    assert "Maya Lopez" in html
    assert student_client.student.email in html


def test_a_student_edits_name_email_grade_and_time_zone(student_client):
    response = student_client.post(
        "/profile/",
        {
            "name": "Maya L",
            "email": "new@example.com",
            "current_password": PASSWORD,
            "grade_level": "5",
            "time_zone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 302
    student = Student.objects.select_related("user").get(pk=student_client.student.pk)
    assert (student.name, student.email, student.grade_level, student.time_zone) == (
        "Maya L",
        "new@example.com",
        5,
        "Asia/Tokyo",
    )
    assert student.user.email == "new@example.com"
    assert student.updated_at > student_client.student.updated_at


def test_changing_the_email_needs_the_current_password(student_client):
    before = student_client.student.user.email
    for password in ("", "not-my-password"):
        response = student_client.post(
            "/profile/",
            {
                "name": "Maya",
                "email": "hijack@example.com",
                "current_password": password,
                "grade_level": "",
                "time_zone": "",
            },
        )
        assert response.status_code == 400
        assert "To change the e-mail, type your current password." in response.text
    assert Student.objects.select_related("user").get(pk=student_client.student.pk).user.email == before


def test_other_changes_need_no_password(student_client):
    email = student_client.student.user.email
    response = student_client.post(
        "/profile/", {"name": "Maya Renamed", "email": email, "grade_level": "", "time_zone": ""}
    )
    assert response.status_code == 302
    assert Student.objects.get(pk=student_client.student.pk).name == "Maya Renamed"


def test_an_email_taken_by_another_account_is_refused(student_client):
    UserFactory(email="taken@example.com")
    response = student_client.post(
        "/profile/", {"name": "Maya", "email": "taken@example.com", "grade_level": "", "time_zone": ""}
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def test_an_unknown_time_zone_is_refused(student_client):
    response = student_client.post(
        "/profile/", {"name": "Maya", "email": "m@example.com", "grade_level": "", "time_zone": "Mars/Base"}
    )
    assert response.status_code == 400


def test_the_profile_is_for_students(client):
    assert client.get("/profile/").status_code == 302
