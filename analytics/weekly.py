"""The parents' weekly summary: what each child did in an ISO week, as an e-mail.

The send_weekly_summaries command only claims a (parent, week) and sends what this module
makes; every rule of the summary is here.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.template.loader import render_to_string

from accounts.models import Parent, Student, StudentParentLink
from analytics import rules
from analytics.models import DailyAnalytics, StudentProgress, mastery_score
from curriculum.models import Question, QuizSubmission

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


def child_week(student: Student, week: Week, today: datetime.date) -> dict[str, Any]:
    """One child's week as the e-mail shows it, in three queries whatever the number of answers.

    Days are the child's own calendar days (analytics_date and answered_on are
    recorded in the child's zone). Mastery at the start of the week is replayed
    from the counted answers given before it — per question the latest counted
    answer, correct ones ÷ questions in the chapter — and compared with the
    stored mastery now, for each chapter practised that week.
    """
    totals = DailyAnalytics.objects.totals(student, week.monday, week.sunday)
    answered, correct = totals["answered"], totals["correct"]

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
    at_start = dict(
        Question.objects.filter(chapter_id__in=practised)
        .annotate(correct_before=Subquery(latest_before))
        .values("chapter_id")
        .annotate(score=mastery_score(Count("id", filter=Q(correct_before=True)), Count("id")))
        .values_list("chapter_id", "score")
    )
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
        "xp": totals["xp"],
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


def summary_message(
    parent: Parent, children: list[Student], week: Week, todays: dict[int, datetime.date]
) -> EmailMultiAlternatives:
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


def parents_to_summarise(batch_size: int = 500) -> Iterator[Parent]:
    """Parents with at least one linked child, in id order, read in batches."""
    linked = StudentParentLink.objects.filter(parent=OuterRef("pk"))
    last = 0
    while True:
        batch = list(
            Parent.objects.filter(Exists(linked), pk__gt=last)
            .order_by("pk")
            .only("id", "name", "email", "time_zone")[:batch_size]
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


# A parent's summary of last week goes out from this time on their Monday.
MONDAY_MORNING = datetime.time(7, 0)


def due_week(parent: Parent, children: list[Student], now: datetime.datetime) -> Week | None:
    """The week whose summary is due for this parent now, or None: last week, once it is Monday morning
    (MONDAY_MORNING) in the parent's time zone and the week is over on every child's own calendar."""
    local = now.astimezone(parent.zone)
    week = previous_week(local.date())
    monday_morning = datetime.datetime.combine(week.sunday + datetime.timedelta(days=1), MONDAY_MORNING, parent.zone)
    if local < monday_morning:
        return None
    todays = {child.pk: rules.local_day(now, child.zone) for child in children}
    return week if is_over(week, todays) else None


def week_to_summarise(children: list[Student], now: datetime.datetime) -> tuple[Week, dict[int, datetime.date]]:
    """The latest ISO week that is over for every one of the children (each on their own calendar), and
    each child's today."""
    todays = {child.pk: rules.local_day(now, child.zone) for child in children}
    return min(previous_week(today) for today in todays.values()), todays


def is_over(week: Week, todays: dict[int, datetime.date]) -> bool:
    return week.sunday < min(todays.values())
