"""E-mail each parent a summary of their children's week: answers, accuracy, XP, streak and mastery changes."""

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.family import children_of
from analytics.models import WeeklySummary
from analytics.weekly import Week, is_over, parents_to_summarise, summary_message, week_to_summarise

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "E-mail each parent a summary of their linked children's week (answers, accuracy, XP, streak, mastery "
        "changes), at most once per parent and ISO week. By default the week is the previous full ISO week of "
        "each child's own calendar: run it once Monday has begun for every child (e.g. Monday 12:00 UTC). "
        "Safe to re-run or run in parallel: a parent already e-mailed for the week is skipped."
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
        failed = []

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

            # The claim commits before sending: a parallel run finds it and skips this parent.
            with transaction.atomic():
                claim, created = WeeklySummary.objects.get_or_create(**claim_fields)
            if not created:
                skipped += 1
                continue
            try:
                summary_message(parent, children, parent_week, todays).send()
            except Exception as error:
                claim.delete()  # so that a later run retries this parent
                failed.append(parent.pk)
                logger.warning(
                    "weekly summary not sent parent=%s week=%s error=%s", parent.pk, parent_week, type(error).__name__
                )
                continue
            except BaseException:
                claim.delete()
                raise
            sent += 1
            if verbosity >= 2:
                self.stdout.write(f"E-mailed parent {parent.pk} the week {parent_week} of children {child_ids}")

        line = (
            f"Dry run, nothing sent or recorded. Parents who would be e-mailed: {sent}"
            if dry_run
            else f"Parents e-mailed: {sent}"
        )
        line += f"; skipped as already sent: {skipped}"
        if not_over:
            line += f"; skipped as the week is not over yet for a child: {not_over}"
        if failed:
            line += f"; failed (a later run retries them): {len(failed)}"
        self.stdout.write(line)
        if failed:
            raise CommandError(f"Sending failed for parent(s) {', '.join(map(str, failed))}.", returncode=1)
