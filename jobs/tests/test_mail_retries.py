"""Mail leaves through the task worker; a mail server that fails makes the task try again later, with a
growing delay, until it is sent: the message is never lost. Against a real SMTP server."""

import datetime

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import StudentFactory
from jobs import mail
from jobs.tests.smtp import smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def test_a_reset_mail_refused_twice_is_sent_on_the_third_try(client, settings, run_tasks):
    StudentFactory(user__email="maya@example.com", email="maya@example.com")
    with time_machine.travel(NOW, tick=False) as clock, smtp_server(refuse_next=2) as (mailbox, mailers):
        settings.MAILERS = mailers
        client.post("/accounts/password_reset/", {"email": "maya@example.com"})

        assert run_tasks() == 1  # the first try: refused
        assert DBTaskResult.objects.failed().count() == 1 and mailbox.received == []
        clock.shift(mail.retry_delay(1))
        assert run_tasks() == 1  # the second, a minute later: refused again
        assert run_tasks() == 0  # the third waits two more minutes
        clock.shift(mail.retry_delay(2))
        assert run_tasks() == 1

    (message,) = mailbox.received
    assert message["To"] == "maya@example.com"
    assert "http://testserver/accounts/reset/" in message.get_payload(decode=True).decode()
    assert DBTaskResult.objects.successful().count() == 1
    assert DBTaskResult.objects.failed().count() == 2


def test_after_the_last_try_the_task_stays_failed_with_what_it_would_send(client, settings, run_tasks):
    StudentFactory(user__email="maya@example.com", email="maya@example.com")
    with time_machine.travel(NOW, tick=False) as clock, smtp_server(refuse_next=100) as (mailbox, mailers):
        settings.MAILERS = mailers
        client.post("/accounts/password_reset/", {"email": "maya@example.com"})
        for attempt in range(1, mail.MAX_ATTEMPTS + 1):
            assert run_tasks() == 1, attempt
            clock.shift(mail.retry_delay(attempt))
        assert run_tasks() == 0

    assert mailbox.received == []
    assert not DBTaskResult.objects.filter(status="READY").exists()
    last = DBTaskResult.objects.filter(status="FAILED").latest("finished_at")
    assert last.args_kwargs == {"args": ["maya@example.com", "testserver", False], "kwargs": {"attempt": 8}}
