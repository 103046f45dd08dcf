"""The periodic jobs: each is enqueued at most once per period, however many schedulers run.

settings.PERIODIC_TASKS lists them: the task's dotted path (a django.tasks task), and how
often — {"every": "hour"} or {"every": "day", "at": "03:00"} (in the site's TIME_ZONE).
run_scheduler calls run_due() every minute; a job's run is claimed by inserting its
PeriodicRun row and enqueued in the same transaction, so a second scheduler, or a
restart, finds the claim and enqueues nothing.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    task: str  # dotted path of the task
    every: str  # "hour" or "day"
    at: datetime.time = datetime.time(0, 0)  # for "day": the local time from which the day's run is due

    def period(self, now: datetime.datetime) -> str | None:
        """The period whose run is due at `now` (a key of PeriodicRun), or None before the day's time."""
        local = timezone.localtime(now)
        if self.every == "hour":
            return local.strftime("%Y-%m-%dT%H")
        if local.time() < self.at:
            return None
        return local.date().isoformat()


def jobs() -> list[Job]:
    return [_job(entry) for entry in settings.PERIODIC_TASKS]


def _job(entry: dict[str, Any]) -> Job:
    if entry["every"] not in ("hour", "day"):
        raise ValueError(f"PERIODIC_TASKS: every must be 'hour' or 'day', not {entry['every']!r}")
    at = datetime.time.fromisoformat(entry.get("at", "00:00"))
    return Job(task=entry["task"], every=entry["every"], at=at)


def run_due(now: datetime.datetime | None = None) -> list[str]:
    """Claim and enqueue every job whose current period has no run yet; the claimed "task period" names."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs():
        period = job.period(now)
        if period is None:
            continue
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(task=job.task, period=period)
                import_string(job.task).enqueue()
        except IntegrityError:
            continue  # claimed already, by this scheduler earlier or by another one
        logger.info("periodic job enqueued task=%s period=%s", job.task, period)
        enqueued.append(f"{job.task} {period}")
    return enqueued
