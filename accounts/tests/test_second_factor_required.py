"""Superusers and staff who may see children's data must use the second factor; the setup shows a QR code."""

import time

import pyotp
import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import StaffTOTP
from accounts.tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def current_code(secret):
    return pyotp.TOTP(secret).generate_otp(int(time.time() // 30))


@pytest.mark.parametrize(
    ("make", "required"),
    [
        (StaffFactory, True),  # a superuser
        (lambda: staff_with("view_student"), True),
        (lambda: staff_with("view_dailyanalytics"), True),
        (lambda: staff_with("change_user"), True),
        (lambda: staff_with("view_question", "change_question", "view_quizsubmission"), False),
        (lambda: UserFactory(is_staff=False, is_superuser=False), False),
    ],
)
def test_who_must_use_the_second_factor(make, required):
    assert make().must_use_second_factor is required


def test_a_superuser_without_one_can_only_set_it_up(client):
    staff = StaffFactory()
    client.force_login(staff)

    for page in ("/admin/", "/admin/accounts/student/", "/accounts/password_change/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/", page
    setup = client.get("/accounts/2fa/")

    assert setup.status_code == 200
    assert "turn it on before anything else" in setup.text
    assert '<svg width="' in setup.text and "<title>The key as a QR code</title>" in setup.text
    assert "<script" not in setup.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert client.get("/healthz").status_code == 200


def test_once_it_is_on_the_admin_opens_and_it_cannot_be_turned_off(client):
    staff = StaffFactory()
    client.force_login(staff)
    client.get("/accounts/2fa/")
    device = StaffTOTP.objects.get(user=staff)

    assert client.post("/accounts/2fa/", {"code": current_code(device.secret)}).status_code == 302
    assert client.get("/admin/").status_code == 200
    refused = client.post("/accounts/2fa/", {"code": pyotp.TOTP(device.secret).at(time.time(), counter_offset=1)})

    assert refused.status_code == 400
    assert "its second factor stays on" in refused.text
    assert StaffTOTP.objects.filter(user=staff, confirmed=True).exists()


def test_a_content_editor_uses_the_admin_without_one(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    client.force_login(editor)

    assert client.get("/admin/curriculum/question/").status_code == 200


def test_a_pending_code_step_ends_when_the_password_changes(client):
    staff = StaffFactory()
    device = StaffTOTP.objects.create(user=staff, secret=StaffTOTP.new_secret(), confirmed=True)
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})
    staff.set_password("a-brand-new-password-9")
    staff.save()

    response = client.post("/accounts/2fa/verify/", {"code": current_code(device.secret)})

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/2fa/verify/")["Location"] == "/accounts/login/"


def test_digits_of_another_script_are_a_wrong_code_not_an_error(client):
    staff = StaffFactory()
    StaffTOTP.objects.create(user=staff, secret=StaffTOTP.new_secret(), confirmed=True)
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})

    response = client.post("/accounts/2fa/verify/", {"code": "٢٨٧٠٨٢"})

    assert response.status_code == 400
    assert "That code is not right" in response.text
