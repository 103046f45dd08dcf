"""How long what we keep is kept: the records that have served their purpose, deleted daily.

The scheduler runs accounts.tasks.purge_expired every day (settings.PERIODIC_TASKS); the
purge_expired command runs the same on demand. PRIVACY.md says the same in plain words.
"""

import datetime
from typing import Any

from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from accounts import family
from accounts.models import FamilyCodeAttempt, ThrottleHit, User
from jobs.models import stale_task_results

SIGNUP_CONFIRMATION_DAYS = 7


def stale_records(now: datetime.datetime) -> dict[str, QuerySet[Any]]:
    """What is due for deletion at `now`, by what it is."""
    return {
        "expired sessions": Session.objects.filter(expire_date__lt=now),
        "rate-limit hits": ThrottleHit.objects.expired(now),
        "wrong family codes": FamilyCodeAttempt.objects.filter(attempted_at__lt=now - family.WRONG_CODE_WINDOW),
        "finished background tasks": stale_task_results(now),
        # A sign-up whose e-mail link was never followed: the inactive account and its profile.
        "unconfirmed sign-ups": User.objects.filter(
            signup_confirmation__created_at__lt=now - datetime.timedelta(days=SIGNUP_CONFIRMATION_DAYS)
        ),
    }


def purge_expired(*, dry_run: bool = False, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete (or, in a dry run, count) every stale record; how many of each."""
    now = now or timezone.now()
    return {
        label: queryset.count() if dry_run else queryset.delete()[0] for label, queryset in stale_records(now).items()
    }
