"""The classes' background work: co-teacher invitations and each class's weekly e-mail to its teachers."""

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from classes import progress, rosters
from classes.models import CoTeacherInvitation, SchoolClass, TeacherAction, WeeklyClassSummary
from jobs import mail

logger = logging.getLogger(__name__)

# The class's Monday, from this hour on: the week's e-mail goes out.
SEND_FROM_HOUR = 7


@task()
def send_co_teacher_invitation(invitation_id: int, domain: str, use_https: bool, attempt: int = 1) -> int:
    invitation = (
        CoTeacherInvitation.objects.select_related("school_class", "invited_by")
        .filter(pk=invitation_id, used_at=None)
        .first()
    )
    messages = []
    if invitation is not None:
        path = reverse("accept_teacher_invitation", args=[rosters.invitation_token(invitation)])
        context = {
            "link": f"{'https' if use_https else 'http'}://{domain}{path}",
            "inviter": invitation.invited_by.name,
            "class_name": invitation.school_class.name,
            "days": rosters.INVITATION_DAYS,
        }
        subject = f"{invitation.invited_by.name} invites you to teach {invitation.school_class.name}"
        body = render_to_string("classes/email/co_teacher_invitation.txt", context)
        messages.append(EmailMessage(subject, body, to=[invitation.email]))

    def again(when: datetime.datetime) -> object:
        return send_co_teacher_invitation.using(run_after=when).enqueue(
            invitation_id, domain, use_https, attempt=attempt + 1
        )

    return mail.send(messages, attempt=attempt, again=again)


def due_week(school_class: SchoolClass, now: datetime.datetime) -> tuple[int, int] | None:
    """The ISO week whose e-mail is due: this week, once the class's Monday morning has come."""
    local = now.astimezone(school_class.zone)
    if local.weekday() == 0 and local.hour < SEND_FROM_HOUR:
        return None
    year, week, _ = local.date().isocalendar()
    return year, week


@task()
def queue_weekly_class_summaries() -> int:
    """Hourly (settings.PERIODIC_TASKS): claim each class's week once its Monday morning has come, and enqueue
    its e-mail; the claim (unique per class and week) and the enqueue commit together."""
    now = timezone.now()
    queued = 0
    for school_class in SchoolClass.objects.filter(teacher_links__isnull=False).distinct():
        week = due_week(school_class, now)
        if week is None:
            continue
        with transaction.atomic():
            _, created = WeeklyClassSummary.objects.get_or_create(
                school_class=school_class, iso_year=week[0], iso_week=week[1]
            )
            if created:
                send_weekly_class_summary.enqueue(school_class.pk)
                queued += 1
    return queued


def summary_context(school_class: SchoolClass, now: datetime.datetime) -> dict:
    """Who is behind on what is due, who needs help and why, what is due next week."""
    data = progress.grid(school_class, now=now)
    behind, helped = [], []
    for row in data["rows"]:
        late = [c.assignment.title for c in row.cells if c.status.status == progress.Status.LATE]
        if late:
            behind.append({"name": row.student.name, "items": late})
        if row.help:
            helped.append({"name": row.student.name, "why": row.help_words})
    today = now.astimezone(school_class.zone).date()
    next_week = [a for a in data["assignments"] if today < a.due_on <= today + datetime.timedelta(days=7)]
    return {"school_class": school_class, "behind": behind, "help": helped, "next_week": next_week}


@task()
def send_weekly_class_summary(class_id: int, attempt: int = 1) -> int:
    school_class = SchoolClass.objects.filter(pk=class_id).first()
    messages = []
    if school_class is not None:
        context = summary_context(school_class, timezone.now())
        body = render_to_string("classes/email/weekly_summary.txt", context)
        subject = f"{school_class.name}: this week"
        for teacher in school_class.teachers.filter(approved_at__isnull=False).select_related("user"):
            messages.append(EmailMessage(subject, body, to=[teacher.user.email]))

    def again(when: datetime.datetime) -> object:
        return send_weekly_class_summary.using(run_after=when).enqueue(class_id, attempt=attempt + 1)

    return mail.send(messages, attempt=attempt, again=again)


# How long the record of a teacher's action on a child's account is kept (for the parents to see).
TEACHER_ACTION_DAYS = 365


@task()
def purge_class_records() -> dict[str, int]:
    """Daily (settings.PERIODIC_TASKS): co-teacher invitations once they can no longer be used, and teachers'
    actions on children's accounts after TEACHER_ACTION_DAYS."""
    now = timezone.now()
    counts = {
        "old co-teacher invitations": CoTeacherInvitation.objects.filter(
            created_at__lt=now - datetime.timedelta(days=rosters.INVITATION_DAYS)
        ).delete()[0],
        "old teacher actions": TeacherAction.objects.filter(
            at__lt=now - datetime.timedelta(days=TEACHER_ACTION_DAYS)
        ).delete()[0],
    }
    logger.info("purged %s", ", ".join(f"{label}={count}" for label, count in counts.items()))
    return counts
