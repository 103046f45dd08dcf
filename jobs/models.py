import datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Now
from django_tasks_db.models import DBTaskResult


class PeriodicRun(models.Model):
    """One periodic job's run for one period (e.g. purge_expired on 2026-12-01): claimed by inserting this
    row, so however many schedulers run, the unique constraint lets exactly one of them enqueue it."""

    task = models.CharField(max_length=200)  # the task's dotted path
    period = models.CharField(max_length=32)  # e.g. "2026-12-01" (daily) or "2026-12-01T14" (hourly)
    enqueued_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="periodic_run_once")]

    def __str__(self):
        return f"{self.task} for {self.period}"


def stale_task_results(now: datetime.datetime) -> QuerySet[DBTaskResult]:
    """Finished task results kept long enough: successful ones after 7 days, failed ones after 30 (time
    for staff to look at a mail that could not be sent). Tasks' arguments hold e-mail addresses."""
    return DBTaskResult.objects.filter(
        Q(status="SUCCESSFUL", finished_at__lt=now - datetime.timedelta(days=7))
        | Q(status="FAILED", finished_at__lt=now - datetime.timedelta(days=30))
    )
