"""The periodic jobs are enqueued once per period, however many schedulers run, and the worker runs them."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from accounts.models import ThrottleHit
from accounts.tests.factories import ParentFactory, StudentFactory, StudentParentLinkFactory
from analytics.models import WeeklySummary
from curriculum.tests.factories import QuestionFactory
from edtech.tests.concurrency import run_together
from jobs.models import PeriodicRun
from jobs.scheduler import run_due
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db(transaction=True)

UTC = datetime.UTC
# Tuesday 10 March 2026, in the site's zone (UTC in the tests).
TUESDAY_2AM = datetime.datetime(2026, 3, 10, 2, 30, tzinfo=UTC)


def queued(task: str) -> int:
    return DBTaskResult.objects.filter(task_path=task).count()


def test_each_job_is_enqueued_once_per_period():
    with time_machine.travel(TUESDAY_2AM, tick=False) as clock:
        assert sorted(run_due()) == [  # the purge waits for 03:00
            "accounts.tasks.rebuild_ranks 2026-03-10T02",
            "analytics.tasks.queue_weekly_summaries 2026-03-10T02",
            "classes.tasks.queue_weekly_class_summaries 2026-03-10T02",
        ]
        assert run_due() == []
        clock.shift(datetime.timedelta(minutes=30))
        assert sorted(run_due()) == [
            "accounts.tasks.purge_expired 2026-03-10",
            "accounts.tasks.rebuild_ranks 2026-03-10T03",
            "analytics.tasks.queue_weekly_summaries 2026-03-10T03",
            "classes.tasks.purge_class_records 2026-03-10",
            "classes.tasks.queue_weekly_class_summaries 2026-03-10T03",
        ]
        clock.shift(datetime.timedelta(hours=20))
        assert sorted(run_due()) == [
            "accounts.tasks.rebuild_ranks 2026-03-10T23",
            "analytics.tasks.queue_weekly_summaries 2026-03-10T23",
            "classes.tasks.queue_weekly_class_summaries 2026-03-10T23",
        ]

    assert queued("accounts.tasks.purge_expired") == 1
    assert queued("accounts.tasks.rebuild_ranks") == 3
    assert queued("analytics.tasks.queue_weekly_summaries") == 3
    assert queued("classes.tasks.queue_weekly_class_summaries") == 3


def test_two_schedulers_at_once_enqueue_each_run_once():
    def scheduler(start):
        start()
        return run_due()

    with time_machine.travel(TUESDAY_2AM + datetime.timedelta(hours=1), tick=False):
        results = run_together(*[scheduler] * 4)

    assert sorted(name for names in results for name in names) == [
        "accounts.tasks.purge_expired 2026-03-10",
        "accounts.tasks.rebuild_ranks 2026-03-10T03",
        "analytics.tasks.queue_weekly_summaries 2026-03-10T03",
        "classes.tasks.purge_class_records 2026-03-10",
        "classes.tasks.queue_weekly_class_summaries 2026-03-10T03",
    ]
    assert PeriodicRun.objects.count() == 5
    assert DBTaskResult.objects.count() == 5


def test_the_command_checks_once_and_the_worker_runs_the_purge(run_tasks):
    with time_machine.travel(TUESDAY_2AM + datetime.timedelta(hours=1), tick=False):
        ThrottleHit.objects.create(scope="login", key="x" * 64, at=TUESDAY_2AM - datetime.timedelta(days=1))
        out = io.StringIO()
        call_command("run_scheduler", "--once", stdout=out)

        assert "enqueued accounts.tasks.purge_expired 2026-03-10" in out.getvalue()
        assert run_tasks() == 5

    assert not ThrottleHit.objects.exists()
    purge = DBTaskResult.objects.get(task_path="accounts.tasks.purge_expired")
    assert purge.status == "SUCCESSFUL" and purge.return_value["rate-limit hits"] == 1
    rebuild = DBTaskResult.objects.get(task_path="accounts.tasks.rebuild_ranks")
    assert rebuild.status == "SUCCESSFUL" and rebuild.return_value is True


def test_a_parents_summary_is_queued_on_their_monday_morning_and_once(run_tasks, mailoutbox):
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    parent = ParentFactory(time_zone="Asia/Tokyo")
    child = StudentParentLinkFactory(parent=parent, student=StudentFactory(time_zone="Asia/Tokyo")).student
    answer(child, QuestionFactory(), at=datetime.datetime(2026, 3, 4, 15, 0, tzinfo=tokyo))  # last week

    monday = datetime.datetime(2026, 3, 9, 6, 59, tzinfo=tokyo)
    with time_machine.travel(monday, tick=False) as clock:
        call_command("run_scheduler", "--once", stdout=io.StringIO())
        run_tasks()
        assert WeeklySummary.objects.count() == 0  # 06:59 in Tokyo: not yet
        clock.shift(datetime.timedelta(hours=1))
        call_command("run_scheduler", "--once", stdout=io.StringIO())
        run_tasks()
        clock.shift(datetime.timedelta(hours=1))
        call_command("run_scheduler", "--once", stdout=io.StringIO())
        run_tasks()

    assert [(s.iso_year, s.iso_week) for s in WeeklySummary.objects.all()] == [(2026, 10)]
    assert [message.to for message in mailoutbox] == [[parent.email]]
