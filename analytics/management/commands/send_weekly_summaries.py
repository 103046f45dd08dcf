"""Queue each parent's summary of their children's week (the task worker sends it): answers, accuracy, XP,
streak and mastery changes. The scheduler does this every Monday morning (analytics.tasks); this command
does it on demand, e.g. for another week."""

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.family import children_of
from analytics.models import WeeklySummary
from analytics.tasks import send_weekly_summary
from analytics.weekly import Week, is_over, parents_to_summarise, summary_message, week_to_summarise

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Queue for each parent the e-mail summing up their linked children's week (answers, accuracy, XP, "
        "streak, mastery changes; the task worker sends it), at most once per parent and ISO week. By default "
        "the week is the previous full ISO week of each child's own calendar. The scheduler queues them every "
        "Monday morning; this is for another week, or by hand. Safe to re-run or run in parallel: a parent "
        "already e-mailed for the week is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be sent; send and record nothing.")
        parser.add_argument("--week", metavar="YYYY-Www", help="This ISO week (e.g. 2025-W07) instead of the last one.")

    def handle(self, *args, dry_run=False, week=None, **options):
        try:
            requested = Week.parse(week) if week else None
        except ValueError as error:
            raise CommandError(f"--week: {error}") from error
        verbosity = options["verbosity"]
        now = timezone.now()
        sent = skipped = not_over = 0

        for parent in parents_to_summarise():
            children = list(children_of(parent))
            if not children:  # unlinked since the batch was read
                continue
            default_week, todays = week_to_summarise(children, now)
            parent_week = requested or default_week
            if not is_over(parent_week, todays):
                not_over += 1
                continue
            claim_fields: dict[str, Any] = {
                "parent": parent,
                "iso_year": parent_week.year,
                "iso_week": parent_week.number,
            }
            child_ids = ", ".join(str(child.pk) for child in children)

            if dry_run:
                if WeeklySummary.objects.filter(**claim_fields).exists():
                    skipped += 1
                    continue
                summary_message(parent, children, parent_week, todays)  # renders, so a broken template shows now
                self.stdout.write(f"Would e-mail parent {parent.pk} the week {parent_week} of children {child_ids}")
                sent += 1
                continue

            # The claim and the e-mail's task commit together: a parallel run finds the claim and skips
            # this parent; the worker sends (and retries) the mail.
            with transaction.atomic():
                _, created = WeeklySummary.objects.get_or_create(**claim_fields)
                if created:
                    send_weekly_summary.enqueue(parent.pk, parent_week.year, parent_week.number)
            if not created:
                skipped += 1
                continue
            sent += 1
            if verbosity >= 2:
                self.stdout.write(
                    f"Queued the e-mail to parent {parent.pk}: week {parent_week} of children {child_ids}"
                )

        line = (
            f"Dry run, nothing sent or recorded. Parents who would be e-mailed: {sent}"
            if dry_run
            else f"E-mails queued for parents: {sent}"
        )
        line += f"; skipped as already sent: {skipped}"
        if not_over:
            line += f"; skipped as the week is not over yet for a child: {not_over}"
        self.stdout.write(line)
