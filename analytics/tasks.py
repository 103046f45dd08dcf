"""The numbers' background work: the parents' weekly summary e-mails."""

import datetime
import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from accounts.family import children_of
from accounts.models import Parent
from analytics import rules
from analytics.models import WeeklySummary
from analytics.weekly import Week, due_week, parents_to_summarise, summary_message
from jobs import mail

logger = logging.getLogger(__name__)


@task()
def queue_weekly_summaries() -> int:
    """Hourly (settings.PERIODIC_TASKS): claim the week of every parent whose Monday morning has come and
    whose children's week is over, and enqueue its e-mail. The claim (WeeklySummary, unique per parent
    and week) and the enqueue commit together: a week is e-mailed once, however often this runs."""
    now = timezone.now()
    queued = 0
    for parent in parents_to_summarise():
        children = list(children_of(parent))
        week = due_week(parent, children, now) if children else None
        if week is None:
            continue
        with transaction.atomic():
            _, created = WeeklySummary.objects.get_or_create(parent=parent, iso_year=week.year, iso_week=week.number)
            if created:
                send_weekly_summary.enqueue(parent.pk, week.year, week.number)
                queued += 1
    return queued


@task()
def send_weekly_summary(parent_id: int, iso_year: int, iso_week: int, attempt: int = 1) -> int:
    """Render and send one parent's summary of one week (now: the numbers as they are when it is sent)."""
    parent = Parent.objects.filter(pk=parent_id).first()
    children = list(children_of(parent)) if parent else []
    if parent is None or not children:  # erased or unlinked since it was queued
        return 0
    now = timezone.now()
    todays = {child.pk: rules.local_day(now, child.zone) for child in children}
    message = summary_message(parent, children, Week(iso_year, iso_week), todays)

    def again(when: datetime.datetime) -> object:
        return send_weekly_summary.using(run_after=when).enqueue(parent_id, iso_year, iso_week, attempt=attempt + 1)

    return mail.send([message], attempt=attempt, again=again)
