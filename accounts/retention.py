"""How long what we keep is kept: the records that have served their purpose, deleted daily.

The scheduler runs accounts.tasks.purge_expired every day (settings.PERIODIC_TASKS); the
purge_expired command runs the same on demand. PRIVACY.md says the same in plain words.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import DateTimeField, F, Q, QuerySet
from django.db.models.functions import Cast, Greatest
from django.utils import timezone

from accounts import family
from accounts.data_rights import erase_student
from accounts.models import Consent, FamilyCodeAttempt, ParentInvitation, ParentRequest, Student, ThrottleHit, User
from jobs.models import stale_task_results

logger = logging.getLogger(__name__)

SIGNUP_CONFIRMATION_DAYS = 7
# The parents of an unused child account are told this long before it is erased.
CHILD_WARNING_DAYS = 30


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
        # A child's request that a parent make their account, unanswered (a used one is deleted at once).
        "unanswered parent requests": ParentRequest.objects.filter(
            created_at__lt=now - datetime.timedelta(days=family.PARENT_REQUEST_DAYS)
        ),
        # Invitations to follow a child, used or not, once they can no longer be used.
        "old invitations": ParentInvitation.objects.filter(
            created_at__lt=now - datetime.timedelta(days=family.INVITATION_DAYS)
        ),
    }


def _child_accounts() -> QuerySet[Student]:
    """Accounts an adult made for a child: a parent, or a school."""
    return Student.objects.filter(consent__basis__in=[Consent.Basis.PARENT, Consent.Basis.SCHOOL])


def _last_seen() -> Greatest:
    """When a child was last seen: the latest of the account's creation, its last sign-in and its last
    day with an answer."""
    return Greatest("user__date_joined", "user__last_login", Cast("last_active_on", DateTimeField()))


def last_seen(student: Student) -> datetime.datetime | None:
    return Student.objects.filter(pk=student.pk).annotate(seen=_last_seen()).values_list("seen", flat=True).first()


def child_accounts_to_warn(now: datetime.datetime) -> QuerySet[Student]:
    """Unused for CHILD_ACCOUNT_RETENTION_DAYS less the warning's 30 days, and not yet warned since."""
    unused_since = now - datetime.timedelta(days=settings.CHILD_ACCOUNT_RETENTION_DAYS - CHILD_WARNING_DAYS)
    return (
        _child_accounts()
        .alias(seen=_last_seen())
        .filter(Q(retention_warned_at__isnull=True) | Q(retention_warned_at__lt=F("seen")), seen__lt=unused_since)
    )


def child_accounts_to_erase(now: datetime.datetime) -> QuerySet[Student]:
    """Unused for CHILD_ACCOUNT_RETENTION_DAYS, and warned at least 30 days ago (with no sign-in since)."""
    return (
        _child_accounts()
        .alias(seen=_last_seen())
        .filter(
            seen__lt=now - datetime.timedelta(days=settings.CHILD_ACCOUNT_RETENTION_DAYS),
            retention_warned_at__gt=F("seen"),
            retention_warned_at__lte=now - datetime.timedelta(days=CHILD_WARNING_DAYS),
        )
    )


def _expire_child_accounts(now: datetime.datetime) -> dict[str, int]:
    """Warn the parents of child accounts about to be erased (an e-mail from the worker), and erase
    those whose warning went out 30 days ago with no sign-in since."""
    from accounts.tasks import send_retention_warning

    erased = 0
    for student in child_accounts_to_erase(now).select_related("user"):
        erase_student(student)
        logger.info("student erased student_id=%s account_id=%s reason=inactive", student.pk, student.user.pk)
        erased += 1
    warned = 0
    erase_on = (now + datetime.timedelta(days=CHILD_WARNING_DAYS)).date().isoformat()
    for student_id in child_accounts_to_warn(now).values_list("pk", flat=True):
        Student.objects.filter(pk=student_id).update(retention_warned_at=now)
        send_retention_warning.enqueue(student_id, erase_on)
        warned += 1
    return {"inactive child accounts warned": warned, "inactive child accounts erased": erased}


def purge_expired(*, dry_run: bool = False, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete (or, in a dry run, count) every stale record, and warn about or erase unused child accounts;
    how many of each."""
    now = now or timezone.now()
    counts = {
        label: queryset.count() if dry_run else queryset.delete()[0] for label, queryset in stale_records(now).items()
    }
    if dry_run:
        counts["inactive child accounts warned"] = child_accounts_to_warn(now).count()
        counts["inactive child accounts erased"] = child_accounts_to_erase(now).count()
    else:
        counts.update(_expire_child_accounts(now))
    return counts
