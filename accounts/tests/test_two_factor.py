import re

import pytest

from accounts import totp
from accounts.models import StaffTOTP
from accounts.tests.factories import PASSWORD, StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_codes_follow_rfc_6238():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s → 94287082 (8 digits; 6 here).
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, 59 // 30) == "287082"
    assert totp.matching_step(secret, "287082", now=59) == 1
    assert totp.matching_step(secret, "000000", now=59) is None


def enable(client, staff) -> StaffTOTP:
    client.force_login(staff)
    html = client.get("/accounts/2fa/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    code = totp.code_at(secret, totp.current_step())
    assert client.post("/accounts/2fa/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    return StaffTOTP.objects.get(user=staff)


def test_staff_turn_on_the_second_factor_and_logins_ask_for_a_code(client):
    staff = StaffFactory()
    device = enable(client, staff)
    assert device.confirmed

    response = client.post("/accounts/login/?next=/admin/", {"username": staff.email, "password": PASSWORD})

    assert response["Location"] == "/accounts/2fa/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    # The code of the step just used to enable is spent; the next one works.
    code = totp.code_at(device.secret, totp.current_step() + 1)
    response = client.post("/accounts/2fa/verify/", {"code": code})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_or_replayed_code_is_refused(client):
    staff = StaffFactory()
    device = enable(client, staff)
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})

    assert client.post("/accounts/2fa/verify/", {"code": "000000"}).status_code == 400
    spent = totp.code_at(device.secret, StaffTOTP.objects.get(pk=device.pk).last_used_step)
    assert client.post("/accounts/2fa/verify/", {"code": spent}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_wrong_codes_are_limited(client):
    staff = StaffFactory()
    device = enable(client, staff)
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})
    for _ in range(5):
        client.post("/accounts/2fa/verify/", {"code": "000000"})
    code = totp.code_at(device.secret, totp.current_step() + 1)
    assert client.post("/accounts/2fa/verify/", {"code": code}).status_code == 429


def test_the_verify_step_needs_a_password_first(client):
    assert client.get("/accounts/2fa/verify/")["Location"] == "/accounts/login/"


def test_students_cannot_set_up_a_second_factor(client):
    client.force_login(StudentFactory().user)
    assert client.get("/accounts/2fa/").status_code == 403
