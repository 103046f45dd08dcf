"""A child without an e-mail has a reserved address on a .invalid domain: never mailed, shown or exported."""

import datetime

import pytest
from django.core.mail import EmailMessage
from django.tasks import Task

from accounts import family, tasks
from accounts.models import StudentParentLink
from accounts.tests.factories import ChildFactory, ParentFactory
from analytics import tasks as analytics_tasks
from jobs import mail
from jobs.mail import RESERVED_EMAIL_DOMAIN, is_reserved_email, reserved_email


def test_the_address_is_made_from_the_public_id_on_a_reserved_domain():
    address = reserved_email("abc123")
    assert address == "abc123@no-email.learning-quest.invalid"
    assert RESERVED_EMAIL_DOMAIN.endswith(".invalid")  # RFC 2606: never delivered
    assert is_reserved_email(address) and is_reserved_email(address.upper())
    assert not is_reserved_email("mia@example.com") and not is_reserved_email(None)
    assert not is_reserved_email("x@evil-no-email.learning-quest.invalid.example.com")


def test_no_kind_of_mail_ever_goes_to_a_reserved_address(run_tasks, mailoutbox):
    """Every task that sends mail, aimed at a child's reserved address where it takes one, and the
    parents' mails for a family whose child has none: nothing is addressed to a reserved address."""
    ana = ParentFactory(name="Ana")
    mia = ChildFactory(name="Mia", link__parent=ana)
    child_address = mia.user.email
    invitation = family.invite(student=mia, by=ana, email="ben@example.com", host="testserver", secure=False)
    request = family.ask_parent(child_name="Tom", parent_email="cy@example.com", host="testserver", secure=False)
    today = datetime.date.today()
    iso_year, iso_week, _ = today.isocalendar()

    sent = [
        tasks.send_password_reset.enqueue(child_address, "testserver", False),
        tasks.send_account_exists_notice.enqueue(child_address, "testserver", False),
        tasks.send_signup_confirmation.enqueue(mia.user.pk, "testserver", False),
        tasks.send_retention_warning.enqueue(mia.pk, today.isoformat()),
        analytics_tasks.send_weekly_summary.enqueue(ana.pk, iso_year, iso_week),
    ]
    run_tasks()

    every_mail_task = {
        name
        for module in (tasks, analytics_tasks)
        for name, value in vars(module).items()
        if isinstance(value, Task) and name.startswith("send_")
    }
    exercised = {"send_invitation", "send_parent_request"} | {result.task.name for result in sent}
    assert every_mail_task <= exercised, every_mail_task - exercised
    recipients = [address for message in mailoutbox for address in message.recipients()]
    assert recipients, "the parents' mails were sent"
    assert not [address for address in recipients if is_reserved_email(address) or "invalid" in address]
    assert not [m for m in mailoutbox if child_address in m.body]
    assert invitation.pk and request.pk


@pytest.mark.django_db
def test_the_sender_drops_a_reserved_recipient_whatever_asks_it():
    message = EmailMessage("Hi", "Body", to=[reserved_email("abc"), "ana@example.com"], cc=[reserved_email("def")])
    only_reserved = EmailMessage("Hi", "Body", to=[reserved_email("abc")])

    count = mail.send([message, only_reserved], attempt=1, again=lambda when: None)

    assert count == 1
    assert message.to == ["ana@example.com"] and message.cc == []


@pytest.mark.django_db
def test_sign_up_forms_refuse_a_reserved_address(client):
    response = client.post(
        "/accounts/signup/parent/",
        {
            "name": "Eve",
            "email": reserved_email("abc"),
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
        },
    )
    assert response.status_code == 400
    assert "receives mail" in response.text


@pytest.mark.django_db
def test_staff_pages_show_the_username_not_the_reserved_address(staff_client):
    mia = ChildFactory(name="Mia Lopez", user__username="mia.l")
    for url in ("/admin/accounts/student/", "/admin/accounts/user/", f"/admin/accounts/student/{mia.pk}/erase/"):
        html = staff_client.get(url).text
        assert "mia.l (no e-mail)" in html, url
        assert mia.user.email not in html, url
    assert StudentParentLink.objects.filter(student=mia).exists()
