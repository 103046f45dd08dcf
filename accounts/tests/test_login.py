import pytest
from django.contrib.auth.models import Group

from accounts.models import ThrottleHit
from accounts.tests.factories import PASSWORD, ParentFactory, StaffFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD, next_url=None):
    data = {"username": email, "password": password}
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data, follow=True)


def test_a_student_logs_in_by_email_and_lands_on_learn(client):
    student = StudentFactory()
    response = login(client, student.user.email)
    assert response.redirect_chain[-1][0] == "/learn/"


def test_a_parent_lands_on_family_and_staff_on_admin(client):
    parent = ParentFactory()
    response = login(client, parent.user.email)
    assert response.redirect_chain[-1][0] == "/family/"
    client.post("/accounts/logout/")
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    response = login(client, editor.email)
    assert response.redirect_chain[-1][0] == "/admin/"
    client.post("/accounts/logout/")
    # A superuser sees children's data: without a second factor yet, it is the first thing to set up.
    response = login(client, StaffFactory().email)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/"


def test_next_is_honoured_but_never_off_site(client):
    student = StudentFactory()
    response = login(client, student.user.email, next_url="/dashboard/")
    assert response.redirect_chain[-1][0] == "/dashboard/"
    client.post("/accounts/logout/")
    response = login(client, student.user.email, next_url="https://evil.example.com/")
    assert response.redirect_chain[-1][0] == "/learn/"


def test_a_wrong_password_says_so(client):
    student = StudentFactory()
    response = login(client, student.user.email, password="wrong")
    assert response.status_code == 400
    assert "Please enter a correct e-mail (or username) and password. The password is case-sensitive." in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("typed", ["Mia.K@example.com", "MIA.K@EXAMPLE.COM", "  mia.k@Example.com "])
def test_the_email_may_be_typed_in_any_letter_case(client, typed):
    student = StudentFactory(user__email="mia.k@example.com", email="mia.k@example.com")

    response = login(client, typed)

    assert response.redirect_chain[-1][0] == "/learn/"
    assert int(client.session["_auth_user_id"]) == student.user.pk
    assert not ThrottleHit.objects.exists()  # the right password in another case is not a failed login


def test_the_password_is_not_read_in_another_case(client):
    StudentFactory(user__email="mia.k@example.com", email="mia.k@example.com")

    response = login(client, "mia.k@example.com", password=PASSWORD.upper())

    assert response.status_code == 400
    assert ThrottleHit.objects.filter(scope="login").count() == 1


def test_logout_is_a_post_and_ends_the_session(client):
    student = StudentFactory()
    client.force_login(student.user)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/learn/").status_code == 302


def test_the_session_key_changes_at_login(client):
    student = StudentFactory()
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    login(client, student.user.email)
    assert client.session.session_key != before


def test_password_reset_mail_is_sent_by_the_task_worker_not_the_page(client, mailoutbox, run_tasks):
    student = StudentFactory()
    response = client.post("/accounts/password_reset/", {"email": student.user.email.upper()})
    assert response.status_code == 302
    assert mailoutbox == []  # the page did not wait for a mail server

    assert run_tasks() == 1

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [student.user.email]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_a_reset_for_an_address_without_an_account_looks_the_same_and_sends_nothing(client, mailoutbox, run_tasks):
    StudentFactory(user__email="known@example.com", email="known@example.com")
    known = client.post("/accounts/password_reset/", {"email": "known@example.com"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert run_tasks() == 2  # one task each: the page does the same work for both
    assert [message.to for message in mailoutbox] == [["known@example.com"]]


def test_five_failures_lock_the_account_from_that_address_for_15_minutes(client):
    student = StudentFactory()
    for _ in range(5):
        assert login(client, student.user.email, password="wrong").status_code == 400

    response = login(client, student.user.email)  # even the right password

    assert response.status_code == 429
    assert "try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_address(client):
    student, classmate = StudentFactory(), StudentFactory()
    for _ in range(5):
        login(client, student.user.email, password="wrong")

    # A classmate on the same network still logs in; the locked account does from elsewhere.
    assert login(client, classmate.user.email).redirect_chain[-1][0] == "/learn/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"username": student.user.email, "password": PASSWORD}, REMOTE_ADDR="10.9.8.7"
    )
    assert response.status_code == 302


def test_the_lock_expires_by_itself(client):
    import datetime

    student = StudentFactory()
    for _ in range(5):
        login(client, student.user.email, password="wrong")
    ThrottleHit.objects.update(at=ThrottleHit.objects.first().at - datetime.timedelta(minutes=16))

    assert login(client, student.user.email).redirect_chain[-1][0] == "/learn/"


def test_the_admin_login_is_the_same_throttled_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_password_reset_requests_are_limited_per_address(client, mailoutbox, run_tasks):
    student = StudentFactory()
    for _ in range(20):
        client.post("/accounts/password_reset/", {"email": student.user.email})
    response = client.post("/accounts/password_reset/", {"email": student.user.email})
    assert response.status_code == 429
    run_tasks()
    assert len(mailoutbox) == 20
