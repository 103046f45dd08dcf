"""Weekly summaries: one e-mail per parent and ISO week about each linked child's week, queued by the
command (or the scheduler's hourly job) and sent by the task worker, retried when the mail server fails."""

import datetime
import io
import threading

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import ParentFactory, StaffFactory, StudentFactory, StudentParentLinkFactory
from accounts.tests.helpers import sign_in
from analytics.models import WeeklySummary
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.tests.helpers import answer

# The task worker reads committed rows: these tests run outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

# A Wednesday in 2025-W11: by default the e-mails are about 2025-W10, Monday 3 to Sunday 9 March.
NOW = datetime.datetime(2025, 3, 12, 9, 0, tzinfo=datetime.UTC)
LAST_WEEK = datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.UTC)  # the Tuesday
DAY = datetime.timedelta(days=1)
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def send(run_tasks):
    """Run the command, then the task worker; what the command printed."""

    def run(*args) -> str:
        out = io.StringIO()
        call_command("send_weekly_summaries", *args, stdout=out)
        run_tasks()
        return out.getvalue()

    return run


def linked(parent=None, **child):
    link = StudentParentLinkFactory(student=StudentFactory(**child), **({"parent": parent} if parent else {}))
    return link.parent, link.student


def parts(message) -> tuple[str, str]:
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return message.body, html


def test_it_sums_up_the_childs_week_in_text_and_html(mailoutbox, send):
    parent, maya = linked(name="Maya Lopez")
    counting = ChapterFactory(name="Counting")
    first, second = QuestionFactory(chapter=counting), QuestionFactory(chapter=counting)
    shapes = ChapterFactory(name="Shapes")
    square, circle = QuestionFactory(chapter=shapes), QuestionFactory(chapter=shapes, difficulty_level="medium")
    answer(maya, first, 0, at=LAST_WEEK - 14 * DAY)  # before the week: Counting 0%
    answer(maya, square, at=LAST_WEEK - 14 * DAY)  # before the week: Shapes 50%
    answer(maya, first, at=LAST_WEEK)  # 10 XP; Counting 50%
    answer(maya, circle, at=LAST_WEEK)  # 20 XP; Shapes 100%
    answer(maya, second, 0, at=LAST_WEEK + 5 * DAY)  # Sunday 9 March, wrong
    # This week: not in the summary, but they make the current streak 3 days (9, 10 and 11 March).
    elsewhere = ChapterFactory(name="Fractions")
    answer(maya, QuestionFactory(chapter=elsewhere), at=NOW - 2 * DAY)
    answer(maya, QuestionFactory(chapter=elsewhere), at=NOW - DAY)

    output = send()

    assert output.strip() == "E-mails queued for parents: 1; skipped as already sent: 0"
    [message] = mailoutbox
    assert message.to == [parent.email]
    assert message.subject == "Learning Quest: your family's week, 3 Mar – 9 Mar 2025"
    text, html = parts(message)
    assert "Maya Lopez" in text
    assert "Answers: 3, 2 correct (67% accuracy)" in text
    assert "XP earned: 30" in text
    assert "Current streak: 3 days" in text
    assert "Counting: 0% → 50%" in text
    assert "Shapes: 50% → 100%" in text
    assert "Fractions" not in text
    assert "Maya Lopez" in html
    assert "<strong>3</strong>, 2 correct" in html
    assert "<strong>67%</strong>" in html
    assert "<strong>30</strong>" in html
    assert "<strong>3</strong> days" in html
    assert "Counting</th>" in html and "0% → 50%" in html
    assert "Shapes</th>" in html and "50% → 100%" in html
    assert "Fractions" not in html
    assert "<img" not in html and "<link" not in html


def test_one_email_covers_all_of_a_parents_children_and_nudges_the_quiet_one(mailoutbox, send):
    parent, maya = linked(name="Maya Lopez")
    _, leo = linked(parent, name="Leo Lopez")
    answer(maya, QuestionFactory(), at=LAST_WEEK)
    answer(leo, QuestionFactory(), at=LAST_WEEK - 7 * DAY)  # the week before: nothing last week

    send()

    [message] = mailoutbox
    text, html = parts(message)
    assert "Maya Lopez" in text and "Leo Lopez" in text
    assert "Leo Lopez had no answers this week" in text
    assert "Leo Lopez had no answers this week" in html
    assert "Current streak: 0 days" in text  # Leo's streak is broken
    assert "Maya Lopez had no answers" not in text


def test_a_parent_gets_only_their_own_children_and_one_without_children_gets_nothing(mailoutbox, send):
    parent, maya = linked(name="Maya Lopez")
    other_parent, sam = linked(name="Sam Okafor")
    ParentFactory()  # no child linked
    answer(maya, QuestionFactory(), at=LAST_WEEK)
    answer(sam, QuestionFactory(), at=LAST_WEEK)

    output = send()

    assert "E-mails queued for parents: 2;" in output
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {parent.email, other_parent.email}
    assert "Sam Okafor" not in by_recipient[parent.email].body
    assert "Sam Okafor" not in by_recipient[parent.email].alternatives[0].content
    assert "Maya Lopez" not in by_recipient[other_parent.email].body
    assert WeeklySummary.objects.count() == 2


def test_running_again_sends_nothing_twice(mailoutbox, send):
    parent, maya = linked()
    answer(maya, QuestionFactory(), at=LAST_WEEK)
    send()

    output = send()

    assert output.strip() == "E-mails queued for parents: 0; skipped as already sent: 1"
    assert len(mailoutbox) == 1
    claim = WeeklySummary.objects.get()
    assert (claim.parent_id, claim.iso_year, claim.iso_week) == (parent.pk, 2025, 10)
    assert claim.sent_at is not None


def test_a_dry_run_sends_and_records_nothing_and_prints_ids_only(mailoutbox, send):
    parent, maya = linked(name="Maya Lopez")
    answer(maya, QuestionFactory(), at=LAST_WEEK)

    output = send("--dry-run")

    assert f"Would e-mail parent {parent.pk} the week 2025-W10 of children {maya.pk}" in output
    assert "Parents who would be e-mailed: 1; skipped as already sent: 0" in output
    assert "Maya" not in output and maya.email not in output and parent.email not in output
    assert mailoutbox == []
    assert not WeeklySummary.objects.exists()


def test_a_failed_send_is_tried_again_later_and_never_lost(settings, mailoutbox, send, run_tasks, clock):
    parent, maya = linked()
    answer(maya, QuestionFactory(), at=LAST_WEEK)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}

    assert "E-mails queued for parents: 1;" in send()  # the worker's first try fails

    failed, retry = DBTaskResult.objects.get(status="FAILED"), DBTaskResult.objects.get(status="READY")
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after == NOW + datetime.timedelta(minutes=1)
    assert WeeklySummary.objects.count() == 1  # the claim stays: the week is still this parent's to get
    settings.MAILERS = LOCMEM
    assert run_tasks() == 0  # not due yet
    clock.shift(datetime.timedelta(minutes=1))
    assert run_tasks() == 1
    assert [message.to for message in mailoutbox] == [[parent.email]]
    assert "E-mails queued for parents: 0; skipped as already sent: 1" in send()


def test_week_picks_another_iso_week(mailoutbox, send):
    parent, maya = linked(name="Maya Lopez")
    answer(maya, QuestionFactory(), at=LAST_WEEK - 7 * DAY)  # 2025-W09

    send("--week", "2025-W09")

    [message] = mailoutbox
    assert "Answers: 1, 1 correct (100% accuracy)" in message.body
    assert message.subject.endswith("24 Feb – 2 Mar 2025")
    assert WeeklySummary.objects.filter(parent=parent, iso_year=2025, iso_week=9).exists()


@pytest.mark.parametrize("week", ["2025-10", "2025-W00", "2025-W53", "last"])
def test_week_must_be_a_real_iso_week(week, send):
    with pytest.raises(CommandError, match="--week"):
        send("--week", week)


def test_a_week_that_is_not_over_is_not_sent(mailoutbox, send):
    linked()

    output = send("--week", "2025-W11")

    assert "skipped as the week is not over yet for a child: 1" in output
    assert mailoutbox == []
    assert not WeeklySummary.objects.exists()


def test_the_week_is_the_childs_own_calendar_week(mailoutbox, send):
    _, kai = linked(name="Kai", time_zone="America/Los_Angeles")
    question = QuestionFactory()
    # 03:00 UTC on Monday 10 March is still Sunday 9 March in Los Angeles: last week.
    answer(kai, question, at=datetime.datetime(2025, 3, 10, 3, 0, tzinfo=datetime.UTC))
    # 05:00 UTC on Monday 3 March is Sunday 2 March there: the week before.
    answer(kai, QuestionFactory(chapter=question.chapter), at=datetime.datetime(2025, 3, 3, 5, 0, tzinfo=datetime.UTC))

    send()

    [message] = mailoutbox
    assert "Answers: 1, 1 correct (100% accuracy)" in message.body


def test_a_child_still_on_sunday_gets_the_week_before(clock, mailoutbox, send):
    parent, _ = linked(time_zone="America/Los_Angeles")
    linked(parent, time_zone="Europe/Paris")
    # Monday 10 March, 05:00 UTC: Monday in Paris, still Sunday in Los Angeles.
    clock.move_to(datetime.datetime(2025, 3, 10, 5, 0, tzinfo=datetime.UTC))

    send()

    assert len(mailoutbox) == 1
    assert WeeklySummary.objects.get().iso_week == 9  # the latest week over for both children


def test_the_queries_do_not_grow_with_the_answers(mailoutbox, send):
    _, child = linked()
    answer(child, QuestionFactory(), at=LAST_WEEK)

    def queries_of_a_run():
        WeeklySummary.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            send()
        return len(queries)

    few = queries_of_a_run()
    for day in range(8):
        chapter = ChapterFactory()
        answer(child, QuestionFactory(chapter=chapter), at=LAST_WEEK + day % 5 * DAY)
        answer(child, QuestionFactory(chapter=chapter), 0, at=LAST_WEEK - 7 * DAY)
    many = queries_of_a_run()

    assert many == few
    assert len(mailoutbox) == 2


def test_parallel_runs_send_each_email_once(mailoutbox, run_tasks):
    for _ in range(3):
        _, child = linked()
        answer(child, QuestionFactory(), at=LAST_WEEK)
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            call_command("send_weekly_summaries", stdout=io.StringIO())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    assert run_tasks() == 3
    assert len(mailoutbox) == 3
    assert WeeklySummary.objects.count() == 3


def test_the_admin_lists_the_summaries_sent_and_changes_nothing(client, send):
    _, child = linked()
    answer(child, QuestionFactory(), at=LAST_WEEK)
    send()
    sign_in(client, StaffFactory())

    changelist = client.get(reverse("admin:analytics_weeklysummary_changelist"))

    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == [WeeklySummary.objects.get()]
    assert client.get(reverse("admin:analytics_weeklysummary_add")).status_code == 403
    claim = WeeklySummary.objects.get()
    assert client.post(reverse("admin:analytics_weeklysummary_delete", args=[claim.pk])).status_code == 403
    assert WeeklySummary.objects.exists()
