"""E-mail each parent a summary of their children's week: answers, accuracy, XP, streak and mastery changes."""

import datetime
import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.mail import EmailMultiAlternatives
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.family import children_of
from accounts.models import Parent, Student, StudentParentLink
from analytics.models import DailyAnalytics, StudentProgress, WeeklySummary
from curriculum import rules
from curriculum.models import Question, QuizSubmission

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
WEEK_PATTERN = re.compile(r"(\d{4})-W(\d{2})")


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week (Monday to Sunday); weeks order by time."""

    year: int
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> "Week":
        year, number, _ = day.isocalendar()
        return cls(year, number)

    @classmethod
    def parse(cls, text: str) -> "Week":
        """A week written YYYY-Www (2025-W07); ValueError for anything else, or a week the year lacks."""
        match = WEEK_PATTERN.fullmatch(text.strip().upper())
        if not match:
            raise ValueError(f"{text!r} is not a week like 2025-W07")
        year, number = int(match[1]), int(match[2])
        datetime.date.fromisocalendar(year, number, 1)  # ValueError for W00, or W53 in a year of 52 weeks
        return cls(year, number)

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


def previous_week(today: datetime.date) -> Week:
    return Week.of(today - datetime.timedelta(days=7))


def child_week(student: Student, week: Week, today: datetime.date) -> dict:
    """One child's week as the e-mail shows it, in three queries whatever the number of answers.

    Days are the child's own calendar days (analytics_date and answered_on are
    recorded in the child's zone). Mastery at the start of the week is replayed
    from the counted answers given before it — per question the latest counted
    answer, correct ones ÷ questions in the chapter — and compared with the
    stored mastery now, for each chapter practised that week.
    """
    totals = DailyAnalytics.objects.filter(student=student, analytics_date__range=(week.monday, week.sunday)).aggregate(
        answered=Sum("questions_answered"), correct=Sum("questions_correct"), xp=Sum("xp_earned")
    )
    answered = totals["answered"] or 0
    correct = totals["correct"] or 0

    # Rows recorded before answered_on existed fall back to submitted_at, placed in the child's zone.
    start = datetime.datetime.combine(week.monday, datetime.time.min, tzinfo=student.zone)
    end = start + datetime.timedelta(days=7)
    dated = Q(answered_on__isnull=False)
    during = (dated & Q(answered_on__range=(week.monday, week.sunday))) | (
        ~dated & Q(submitted_at__gte=start, submitted_at__lt=end)
    )
    before = (dated & Q(answered_on__lt=week.monday)) | (~dated & Q(submitted_at__lt=start))
    mine = QuizSubmission.objects.filter(student=student)
    practised = mine.filter(during).values("question__chapter_id")

    latest_before = (
        mine.filter(before, question=OuterRef("pk"), is_counted=True).order_by("-id").values("is_correct")[:1]
    )
    at_start = {
        chapter_id: rules.mastery_score(questions_correct=right, questions_total=size)
        for chapter_id, size, right in Question.objects.filter(chapter_id__in=practised)
        .annotate(correct_before=Subquery(latest_before))
        .values("chapter_id")
        .annotate(size=Count("id"), right=Count("id", filter=Q(correct_before=True)))
        .values_list("chapter_id", "size", "right")
    }
    current = (
        StudentProgress.objects.filter(student=student, chapter_id__in=practised)
        .select_related("chapter")
        .order_by("chapter__subject", "chapter__order", "chapter__name")
    )
    return {
        "name": student.name,
        "answered": answered,
        "correct": correct,
        "accuracy": round(100 * correct / answered) if answered else None,
        "xp": totals["xp"] or 0,
        "streak": rules.streak_shown(
            current=student.current_streak or 0, last_active=student.last_active_on, today=today
        ),
        "chapters": [
            {
                "name": progress.chapter.name,
                "before": at_start.get(progress.chapter_id, Decimal(0)),
                "now": progress.mastery_score or Decimal(0),
            }
            for progress in current
        ],
    }


def summary_message(parent: Parent, children: list[Student], week: Week, todays: dict[int, datetime.date]):
    """The parent's e-mail (plain text and HTML) covering each of the given children."""
    context = {
        "parent": parent,
        "week": week,
        "monday": week.monday,
        "sunday": week.sunday,
        "children": [child_week(child, week, todays[child.pk]) for child in children],
    }
    subject = " ".join(render_to_string("analytics/email/weekly_summary_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("analytics/email/weekly_summary.txt", context),
        to=[parent.email],
    )
    message.attach_alternative(render_to_string("analytics/email/weekly_summary.html", context), "text/html")
    return message


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

        for parent in self._parents():
            children = list(children_of(parent))
            if not children:  # unlinked since the batch was read
                continue
            todays = {child.pk: rules.local_day(now, child.zone) for child in children}
            # By default, the latest week that is over for every one of the parent's children.
            parent_week = requested or min(previous_week(today) for today in todays.values())
            if parent_week.sunday >= min(todays.values()):
                not_over += 1
                continue
            claim_fields = {"parent": parent, "iso_year": parent_week.year, "iso_week": parent_week.number}
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

    def _parents(self):
        """Parents with at least one linked child, in id order, read in batches of BATCH_SIZE."""
        linked = StudentParentLink.objects.filter(parent=OuterRef("pk"))
        last = 0
        while True:
            batch = list(
                Parent.objects.filter(Exists(linked), pk__gt=last)
                .order_by("pk")
                .only("id", "name", "email")[:BATCH_SIZE]
            )
            if not batch:
                return
            yield from batch
            last = batch[-1].pk
