import base64
import datetime
import re
import time

import pyotp
import pytest

from accounts.models import StaffTOTP
from accounts.tests.factories import PASSWORD, StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db


def code(secret: str, step: int) -> str:
    """What an authenticator app shows during the 30-second step `step`."""
    return pyotp.TOTP(secret).generate_otp(step)


def current_step() -> int:
    return int(time.time() // 30)


def test_codes_follow_rfc_6238():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s → 94287082 (8 digits; 6 here).
    device = StaffTOTP(secret=base64.b32encode(b"12345678901234567890").decode())
    at = datetime.datetime.fromtimestamp(59, tz=datetime.UTC)
    assert code(device.secret, 1) == "287082"
    assert device.matching_step("287082", at=at) == 1
    assert device.matching_step("287 082", at=at) == 1
    assert device.matching_step("000000", at=at) is None


def test_the_previous_and_next_step_are_accepted_but_no_further():
    device = StaffTOTP(secret=StaffTOTP.new_secret())
    at = datetime.datetime.fromtimestamp(1_000_000 * 30 + 10, tz=datetime.UTC)
    for step in (999_999, 1_000_000, 1_000_001):
        assert device.matching_step(code(device.secret, step), at=at) == step
    for step in (999_998, 1_000_002):
        assert device.matching_step(code(device.secret, step), at=at) is None


def test_only_ascii_digits_make_a_code():
    device = StaffTOTP(secret=base64.b32encode(b"12345678901234567890").decode())
    at = datetime.datetime.fromtimestamp(59, tz=datetime.UTC)
    arabic_indic = "".join(chr(0x0660 + int(digit)) for digit in "287082")  # "٢٨٧٠٨٢"
    for typed in (arabic_indic, "28708２", "abcdef", "", "2870820"):
        assert device.matching_step(typed, at=at) is None


def enable(client, staff) -> StaffTOTP:
    client.force_login(staff)
    html = client.get("/accounts/2fa/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    code_now = code(secret, current_step())
    assert client.post("/accounts/2fa/", {"code": code_now}).status_code == 302
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
    response = client.post("/accounts/2fa/verify/", {"code": code(device.secret, current_step() + 1)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_or_replayed_code_is_refused(client):
    staff = StaffFactory()
    device = enable(client, staff)
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})

    assert client.post("/accounts/2fa/verify/", {"code": "000000"}).status_code == 400
    spent = code(device.secret, StaffTOTP.objects.get(pk=device.pk).last_used_step)
    assert client.post("/accounts/2fa/verify/", {"code": spent}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_wrong_codes_are_limited(client):
    staff = StaffFactory()
    device = enable(client, staff)
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})
    for _ in range(5):
        client.post("/accounts/2fa/verify/", {"code": "000000"})
    assert client.post("/accounts/2fa/verify/", {"code": code(device.secret, current_step() + 1)}).status_code == 429


def test_the_verify_step_needs_a_password_first(client):
    assert client.get("/accounts/2fa/verify/")["Location"] == "/accounts/login/"


def test_students_cannot_set_up_a_second_factor(client):
    client.force_login(StudentFactory().user)
    assert client.get("/accounts/2fa/").status_code == 403
