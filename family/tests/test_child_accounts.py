"""A parent makes a child's account (no e-mail, a username), and looks after it from the child's page."""

import json
import re

import pytest
from django.contrib.auth.hashers import check_password

from accounts.models import Consent, Student, StudentParentLink, User, is_reserved_email
from accounts.tests.factories import ChildFactory, ParentFactory, StudentFactory, StudentParentLinkFactory
from accounts.tests.helpers import sign_in
from curriculum.models import QuizSubmission
from curriculum.tests.factories import QuestionFactory
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

CHILD = {
    "name": "Mia",
    "username": "Mia.K",
    "password1": "purple-otter-427",
    "password2": "purple-otter-427",
    "grade_level": "3",
    "consent": "on",
}


@pytest.fixture
def parent(client):
    parent = ParentFactory(name="Ana Lopez")
    sign_in(client, parent.user)
    return parent


def make_child(client, **changes):
    return client.post("/family/children/new/", {**CHILD, **changes})


def test_a_parent_makes_a_child_account_without_an_e_mail(client, parent):
    response = make_child(client)

    child = Student.objects.select_related("user").get()
    assert response.status_code == 303
    assert response["Location"] == f"/family/children/{child.pk}/"
    account = child.user
    assert account.username == "mia.k"  # stored lower case
    assert is_reserved_email(account.email) and account.email.endswith(".invalid")
    assert account.email == child.email == f"{account.public_id}@no-email.learning-quest.invalid"
    assert check_password("purple-otter-427", account.password)
    assert (child.name, child.grade_level, child.on_leaderboard) == ("Mia", 3, False)
    assert list(child.parents.all()) == [parent]
    consent = Consent.objects.get(student=child)
    assert (consent.basis, consent.granted_by, consent.notice_version, consent.revoked_at) == (
        "parent",
        parent.user,
        "2026-12-01",
        None,
    )
    page = client.get(response["Location"]).text
    assert "mia.k" in page
    assert account.email not in page  # the reserved address is never shown


def test_the_form_suggests_a_username_and_a_passphrase_and_links_the_privacy_notice(client, parent):
    html = client.get("/family/children/new/").text
    for name in ("name", "username", "password1", "password2", "grade_level", "consent"):
        assert f'name="{name}"' in html
    suggested_username = re.search(r'name="username" value="([^"]+)"', html)[1]
    assert re.fullmatch(r"[a-z]+\d{2}", suggested_username)
    passphrase = re.search(r"class='suggested-passphrase'>([^<]+)<", html)[1]
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d{2,3}", passphrase)
    assert 'href="/privacy/"' in html
    assert client.get("/privacy/").status_code == 200


def test_the_child_signs_in_with_the_username_in_any_letter_case(client, parent):
    make_child(client)
    client.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"username": "MIA.k", "password": "purple-otter-427"})

    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/learn/"
    assert client.get("/learn/").status_code == 200


def test_the_reserved_address_never_signs_in(client, parent):
    make_child(client)
    client.post("/accounts/logout/")
    address = User.objects.get(username="mia.k").email

    response = client.post("/accounts/login/", {"username": address, "password": "purple-otter-427"})

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "MIA.K"}, "username", "This username is taken"),  # taken below, in another case
        ({"username": "mia@example.com"}, "username", "not an e-mail address"),
        ({"username": "mi"}, "username", "Use 3 to 30 letters"),
        ({"username": "mia k"}, "username", "Use 3 to 30 letters"),
        ({"username": "m" * 31}, "username", "at most 30 characters"),
        ({"consent": ""}, "consent", "Tick the box to agree"),
        ({"password2": "purple-otter-428"}, "password2", "not the same"),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"name": ""}, "name", "This field is required"),
    ],
)
def test_bad_input_says_what_is_wrong_and_writes_nothing(client, parent, changes, field, message):
    ChildFactory(user__username="mia.k")  # another family's child
    before = (User.objects.count(), Student.objects.count(), Consent.objects.count(), StudentParentLink.objects.count())

    response = make_child(client, **changes)

    assert response.status_code == 400
    assert message in response.text
    assert (
        User.objects.count(),
        Student.objects.count(),
        Consent.objects.count(),
        StudentParentLink.objects.count(),
    ) == before


def test_a_username_taken_in_another_case_is_refused_by_the_database_too():
    from django.db import IntegrityError, transaction

    ChildFactory(user__username="sam")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="SAM", email="x@no-email.learning-quest.invalid")


@pytest.fixture
def mia(client, parent):
    make_child(client)
    return Student.objects.select_related("user").get(name="Mia")


def test_the_parent_renames_the_child(client, mia):
    response = client.post(f"/family/children/{mia.pk}/name/", {"name": "Mia K"})
    assert response.status_code == 303
    mia.refresh_from_db()
    assert mia.name == "Mia K"


def test_a_new_password_is_shown_once_and_the_old_one_stops(client, mia):
    response = client.post(f"/family/children/{mia.pk}/password/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new = re.search(r'id="new-password">([^<]+)<', response.text)[1]
    mia.user.refresh_from_db()
    assert check_password(new, mia.user.password)
    assert not check_password("purple-otter-427", mia.user.password)
    assert new not in client.get(f"/family/children/{mia.pk}/").text  # shown on that answer only


def test_the_sign_in_card_has_the_site_the_username_and_a_qr_code_but_never_the_password(client, mia):
    response = client.get(f"/family/children/{mia.pk}/card/")

    html = response.text
    assert response.status_code == 200
    assert "http://testserver/" in html
    assert re.search(r'class="login-username">mia.k<', html)
    assert "<svg" in html and "Sign-in page for mia.k" in html
    assert "purple-otter-427" not in html
    assert mia.user.email not in html
    # The QR code's address opens the login page with the username filled in.
    login = client.get("/accounts/login/?username=mia.k")
    assert 'value="mia.k"' in login.text


def test_a_child_a_parent_made_is_off_the_leaderboard_until_the_parent_turns_it_on(client, mia):
    from django.test import Client

    answer(mia, QuestionFactory())
    answer(StudentFactory(name="Tess Teen"), QuestionFactory())
    viewer = sign_in(Client(), StudentFactory(name="Vic Viewer").user)

    def board() -> str:
        return viewer.get("/leaderboard/").text

    assert "Mia" not in board()
    assert "Tess T." in board()
    assert mia.rank() is None

    assert client.post(f"/family/children/{mia.pk}/leaderboard/", {"on_leaderboard": "on"}).status_code == 303
    assert "Mia" in board()  # at once: the cached leaderboard is dropped

    client.post(f"/family/children/{mia.pk}/leaderboard/", {})
    assert "Mia" not in board()


def test_the_parent_exports_the_same_json_as_staff_without_the_reserved_address(client, mia):
    from django.test import Client

    from accounts.tests.factories import StaffFactory

    answer(mia, QuestionFactory())
    staff_client = sign_in(Client(), StaffFactory())

    response = client.get(f"/family/children/{mia.pk}/export/")

    assert response["Content-Disposition"] == f'attachment; filename="student-{mia.pk}.json"'
    body = b"".join(response.streaming_content).decode()
    assert "invalid" not in body  # never exported as an e-mail
    data = json.loads(body)
    assert data["account"]["email"] is None and data["student"]["email"] is None
    assert data["account"]["username"] == "mia.k"
    assert data["consent"]["basis"] == "parent"
    assert len(data["answers"]) == 1
    staff = json.loads(b"".join(staff_client.get(f"/admin/accounts/student/{mia.pk}/export/").streaming_content))
    staff.pop("exported_at"), data.pop("exported_at")
    assert staff == data


def test_erasing_needs_the_childs_name_typed_then_everything_goes(client, mia):
    answer(mia, QuestionFactory())
    url = f"/family/children/{mia.pk}/erase/"
    assert "Mia" in client.get(url).text

    wrong = client.post(url, {"confirm_name": "Mila"})
    assert wrong.status_code == 400
    assert "Type the name exactly as shown: Mia." in wrong.text
    assert Student.objects.filter(pk=mia.pk).exists()

    response = client.post(url, {"confirm_name": " mia "})

    assert (response.status_code, response["Location"]) == (303, "/family/")
    assert not User.objects.filter(pk=mia.user.pk).exists()
    assert not Student.objects.filter(pk=mia.pk).exists()
    assert not QuizSubmission.objects.filter(student_id=mia.pk).exists()
    assert not Consent.objects.filter(student_id=mia.pk).exists()
    assert "erased" in client.get("/family/").text


def test_withdrawing_consent_stops_the_account_at_once_and_offers_erasure(client, mia):
    from django.test import Client

    child = Client()
    child.post("/accounts/login/", {"username": "mia.k", "password": "purple-otter-427"})
    assert child.get("/learn/").status_code == 200

    response = client.post(f"/family/children/{mia.pk}/consent/revoke/")

    assert response["Location"] == f"/family/children/{mia.pk}/erase/"
    assert Consent.objects.get(student=mia).revoked_at is not None
    assert child.get("/learn/").status_code == 302  # the open session ends on its next request
    refused = child.post("/accounts/login/", {"username": "mia.k", "password": "purple-otter-427"})
    assert refused.status_code == 400
    assert "The account is stopped" in client.get(f"/family/children/{mia.pk}/").text

    # Agreeing again (a tick is needed) starts it again.
    assert client.post(f"/family/children/{mia.pk}/consent/", {}).status_code == 303
    assert Consent.objects.get(student=mia).revoked_at is not None
    client.post(f"/family/children/{mia.pk}/consent/", {"consent": "on"})
    assert Consent.objects.get(student=mia).revoked_at is None
    again = child.post("/accounts/login/", {"username": "mia.k", "password": "purple-otter-427"})
    assert again.status_code == 302


MANAGE_POSTS = ["name/", "password/", "leaderboard/", "consent/revoke/", "consent/", "invite/", "erase/"]
MANAGE_GETS = ["", "card/", "export/", "erase/"]


def test_another_parent_gets_404_on_every_page_of_a_child_not_theirs(client, mia):
    stranger = ParentFactory()
    sign_in(client, stranger.user)
    for path in MANAGE_GETS:
        assert client.get(f"/family/children/{mia.pk}/{path}").status_code == 404, path
    for path in MANAGE_POSTS:
        data = {"name": "Evil", "confirm_name": "Mia", "consent": "on", "email": "evil@example.com"}
        assert client.post(f"/family/children/{mia.pk}/{path}", data).status_code == 404, path
    mia.refresh_from_db()
    assert mia.name == "Mia" and Consent.objects.get(student=mia).revoked_at is None
    assert list(mia.parents.all()) != [stranger]


def test_a_teenagers_own_account_is_followed_not_managed_by_a_linked_parent(client, parent):
    teen = StudentFactory(name="Tess Teen")
    StudentParentLinkFactory(student=teen, parent=parent)

    page = client.get(f"/family/children/{teen.pk}/").text
    assert "own account: they manage it" in page and "Make a new password" not in page
    for path in ["card/", "export/", "erase/"]:
        assert client.get(f"/family/children/{teen.pk}/{path}").status_code == 403, path
    for path in MANAGE_POSTS:
        assert client.post(f"/family/children/{teen.pk}/{path}", {"name": "X"}).status_code == 403, path


def test_the_childs_profile_has_no_e_mail_no_family_code_and_no_unlinking(client, mia):
    sign_in(client, mia.user)
    html = client.get("/profile/").text
    assert 'name="email"' not in html
    assert "family-code" not in html
    assert "Unlink" not in html
    assert client.post("/profile/family-code/").status_code == 403
    parent = mia.parents.get()
    client.post(f"/profile/parents/{parent.pk}/unlink/")
    assert mia.parents.get() == parent
    # The child can still set their grade and time zone.
    assert client.post("/profile/", {"grade_level": "4", "time_zone": "Europe/Paris"}).status_code == 302
    mia.refresh_from_db()
    assert (mia.grade_level, mia.time_zone, mia.name) == (4, "Europe/Paris", "Mia")
