"""The seed's analytics module: mastery per chapter and activity per day."""

import datetime
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, Greatest, Least, Now, NullIf, Round

from accounts.models import Parent, Student
from curriculum.models import Chapter, Question, QuizSubmission, hold_chapters


def mastery_score(correct: Combinable | int, total: Combinable | int) -> Cast:
    """The mastery formula, in SQL: 100 × correct ÷ questions in the chapter, rounded half up to 2
    decimals, within 0..100, and 0 for a chapter without questions.

    Its one home: the answer path, the content-edit recompute, rebuild_progress, the benchmark
    dataset and the weekly e-mail all evaluate this expression in the database, so no two of them
    can disagree about a score.
    """
    correct, total = (Value(arg) if isinstance(arg, int) else arg for arg in (correct, total))
    wide = DecimalField(max_digits=12, decimal_places=4)
    ratio = Round(Cast(correct, wide) * Value(Decimal(100)) / NullIf(total, Value(0)), 2)
    bounded = Least(Greatest(ratio, Value(Decimal(0))), Value(Decimal(100)))
    return Cast(Coalesce(bounded, Value(Decimal(0))), DecimalField(max_digits=5, decimal_places=2))


def chapter_size(chapter_id: str | OuterRef) -> Subquery:
    """The number of questions a chapter counts now (not retired: the denominator of mastery), as a subquery."""
    return Subquery(
        Question.objects.active()
        .filter(chapter_id=chapter_id)
        .order_by()
        .values("chapter_id")
        .annotate(size=Count("id"))
        .values("size")[:1]
    )


class StudentProgressQuerySet(models.QuerySet):
    def record_answer(
        self,
        *,
        student_id: int,
        chapter_id: str,
        new_question: bool,
        delta_correct: int,
        answered_at: datetime.datetime,
    ) -> None:
        """Add one answer to the student's chapter row, created on the chapter's first answer.

        The caller holds the student's row lock (record_answer's first statement), so this
        student's rows have one writer at a time; the counters still change by SQL increments.
        One UPDATE, or an INSERT on the chapter's first answer.
        """
        correct = Coalesce(F("questions_correct"), 0) + delta_correct
        updated = self.filter(student_id=student_id, chapter_id=chapter_id).update(
            questions_completed=Coalesce(F("questions_completed"), 0) + int(new_question),
            questions_correct=correct,
            mastery_score=mastery_score(correct, chapter_size(chapter_id)),
            last_answered_at=Greatest(Coalesce(F("last_answered_at"), Value(answered_at)), Value(answered_at)),
        )
        if not updated:
            first_correct = max(delta_correct, 0)
            self.create(
                student_id=student_id,
                chapter_id=chapter_id,
                questions_completed=int(new_question),
                questions_correct=first_correct,
                mastery_score=mastery_score(first_correct, chapter_size(chapter_id)),
                last_answered_at=answered_at,
            )

    @staticmethod
    def derived_from(submissions: models.QuerySet[QuizSubmission]) -> models.QuerySet[Any, Any]:
        """What student_progress should hold for these answers, derived from them alone: one row of values
        per (student_id, chapter_id), with questions_completed, questions_correct, mastery_score and
        last_answered_at — the rule record_answer keeps one answer at a time.

        completed: the chapter's questions answered at least once; correct: those whose latest counted
        answer is right; last answered: the latest answer's time. Retired questions do not count.
        """
        later_counted = QuizSubmission.objects.filter(
            student_id=OuterRef("student_id"),
            question_id=OuterRef("question_id"),
            is_counted=True,
            id__gt=OuterRef("id"),
        )
        latest_counted_right = Q(Q(is_counted=True, is_correct=True), ~Exists(later_counted))
        return (
            submissions.filter(question__is_retired=False)
            .order_by()
            .values("student_id", chapter=F("question__chapter_id"))
            .annotate(
                questions_completed=Count("question_id", distinct=True),
                questions_correct=Count("question_id", distinct=True, filter=latest_counted_right),
                last_answered_at=Max("submitted_at"),
            )
            .annotate(mastery_score=mastery_score(F("questions_correct"), chapter_size(OuterRef("chapter"))))
        )

    def recompute_chapters(self, chapter_ids: Collection[str]) -> None:
        """Rederive every student's row of these chapters from their answers, set-based, after the
        questions they count changed (a question added, moved, retired, brought back or deleted).

        Five statements whatever the number of students: hold the chapters against answers, lock the
        students concerned (those with a
        row or an answer in the chapters, in id order: the lock record_answer takes, so no answer of
        theirs lands halfway), bump their cache version, delete the chapters' rows and write what the
        answers now say. Runs inside the caller's transaction: the edit and the numbers commit
        together.
        """
        chapter_ids = sorted(chapter_ids)
        answers = QuizSubmission.objects.filter(question__chapter_id__in=chapter_ids)
        concerned = Q(pk__in=self.filter(chapter_id__in=chapter_ids).values("student_id")) | Q(
            pk__in=answers.values("student_id")
        )
        with transaction.atomic():  # the caller's transaction when there is one (a savepoint then)
            # No answer in these chapters is halfway, and none starts, until the edit commits: the set of
            # students concerned cannot change under the statements below (curriculum.models.hold_chapters).
            hold_chapters(chapter_ids, exclusive=True)
            locked = Student.objects.select_for_update().filter(concerned).order_by("pk").values_list("pk", flat=True)
            if not locked:  # evaluating it takes the locks
                return
            Student.objects.filter(concerned).update_with_new_version()
            self.filter(chapter_id__in=chapter_ids).delete()
            self.write_derived(answers)

    def write_derived(self, submissions: models.QuerySet[QuizSubmission]) -> int:
        """Write the rows derived_from(submissions) says, creating or overwriting them, in one statement.
        Returns the number of rows written. Rows the answers no longer call for are the caller's to delete."""
        sql, params = self.derived_from(submissions).query.sql_with_params()
        columns = ("questions_completed", "questions_correct", "mastery_score", "last_answered_at")
        statement = f"""
            INSERT INTO student_progress (student_id, chapter_id, {", ".join(columns)})
            SELECT d.student_id, d.chapter, {", ".join(f"d.{c}" for c in columns)} FROM ({sql}) AS d WHERE true
            ON CONFLICT (student_id, chapter_id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in columns)}
        """  # noqa: S608 - fixed column names around the ORM's own SQL; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.rowcount


class StudentProgress(models.Model):
    id = models.BigAutoField(primary_key=True)
    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, db_index=False, related_name="progress")
    chapter = models.ForeignKey(Chapter, on_delete=models.DB_CASCADE, db_index=False, related_name="progress")
    mastery_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, db_default=0)
    questions_completed = models.IntegerField(null=True, db_default=0)
    questions_correct = models.IntegerField(null=True, db_default=0)
    last_answered_at = models.DateTimeField(null=True, blank=True)

    objects = StudentProgressQuerySet.as_manager()

    class Meta:
        db_table = "student_progress"
        verbose_name_plural = "student progress"
        constraints = [
            # The seed's UNIQUE(student_id, chapter_id); it also serves idx_progress_student.
            models.UniqueConstraint(fields=["student", "chapter"], name="student_progress_student_id_chapter_id_key"),
            models.CheckConstraint(
                condition=Q(mastery_score__gte=0, mastery_score__lte=100), name="student_progress_mastery_0_to_100"
            ),
            models.CheckConstraint(
                condition=Q(questions_completed__gte=0, questions_correct__gte=0),
                name="student_progress_counts_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["chapter"], name="idx_progress_chapter")]

    def __str__(self):
        return f"{self.student_id} / {self.chapter_id}: {self.mastery_score}"


class DailyAnalyticsQuerySet(models.QuerySet):
    def totals(self, student: Student, first: datetime.date, last: datetime.date) -> dict[str, int]:
        """The student's answers, correct answers, XP, seconds and active days over the days first..last
        (zeros if none)."""
        totals = self.filter(student=student, analytics_date__range=(first, last)).aggregate(
            answered=Sum("questions_answered"),
            correct=Sum("questions_correct"),
            xp=Sum("xp_earned"),
            seconds=Sum("time_spent_seconds"),
            days=Count("id"),
        )
        return {name: value or 0 for name, value in totals.items()}

    def record_answer(
        self, *, student_id: int, day: datetime.date, is_correct: bool, xp: int, seconds: int, streak: int
    ) -> None:
        """Add one answer to the student's day (created on the day's first answer), in one statement."""
        sql = """
            INSERT INTO daily_analytics AS d
                (student_id, analytics_date, questions_answered, questions_correct, xp_earned,
                 time_spent_seconds, time_spent_minutes, streak_count)
            VALUES (%(student)s, %(day)s, 1, %(correct)s, %(xp)s, %(seconds)s, %(seconds)s / 60, %(streak)s)
            ON CONFLICT (student_id, analytics_date) DO UPDATE SET
                questions_answered = COALESCE(d.questions_answered, 0) + 1,
                questions_correct = COALESCE(d.questions_correct, 0) + %(correct)s,
                xp_earned = COALESCE(d.xp_earned, 0) + %(xp)s,
                time_spent_seconds = d.time_spent_seconds + %(seconds)s,
                time_spent_minutes = (d.time_spent_seconds + %(seconds)s) / 60,
                streak_count = %(streak)s
        """
        params: dict[str, Any] = {
            "student": student_id,
            "day": day,
            "correct": int(is_correct),
            "xp": xp,
            "seconds": seconds,
            "streak": streak,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class DailyAnalytics(models.Model):
    id = models.BigAutoField(primary_key=True)
    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, db_index=False, related_name="daily_analytics")
    analytics_date = models.DateField()
    questions_answered = models.IntegerField(null=True, db_default=0)
    questions_correct = models.IntegerField(null=True, db_default=0)
    xp_earned = models.IntegerField(null=True, db_default=0)
    time_spent_minutes = models.IntegerField(null=True, db_default=0)
    streak_count = models.IntegerField(null=True, db_default=0)
    # Extra, with a default: exact seconds, so minutes (rounded down) can be kept by
    # adding to a counter instead of re-summing the day's answers on every write.
    time_spent_seconds = models.IntegerField(db_default=0, editable=False)

    objects = DailyAnalyticsQuerySet.as_manager()

    class Meta:
        db_table = "daily_analytics"
        verbose_name_plural = "daily analytics"
        constraints = [
            # The seed's UNIQUE(student_id, analytics_date); it also serves idx_daily_analytics_student.
            models.UniqueConstraint(
                fields=["student", "analytics_date"], name="daily_analytics_student_id_analytics_date_key"
            ),
            models.CheckConstraint(
                condition=Q(
                    questions_answered__gte=0,
                    questions_correct__gte=0,
                    xp_earned__gte=0,
                    time_spent_minutes__gte=0,
                    streak_count__gte=0,
                    time_spent_seconds__gte=0,
                ),
                name="daily_analytics_counts_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["analytics_date"], name="idx_daily_analytics_date")]

    def __str__(self):
        return f"{self.student_id} on {self.analytics_date}"


class WeeklySummary(models.Model):
    """A parent's weekly summary e-mail for one ISO week.

    The row is claimed (inserted) before the e-mail is sent and removed again if
    sending fails; its unique constraint is what makes the e-mail go out at most
    once per parent and week, however many runs overlap.
    """

    parent = models.ForeignKey(Parent, on_delete=models.DB_CASCADE, db_index=False, related_name="weekly_summaries")
    iso_year = models.IntegerField()
    iso_week = models.IntegerField()
    sent_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name_plural = "weekly summaries"
        constraints = [
            # One e-mail per parent and week; its leading parent_id also serves the foreign key.
            models.UniqueConstraint(fields=["parent", "iso_year", "iso_week"], name="weekly_summary_once_per_week"),
        ]

    def __str__(self):
        return f"parent {self.parent_id}, {self.iso_year}-W{self.iso_week:02d}"


class ReviewCard(models.Model):
    """One student's spaced-review card for one question (FSRS-6, analytics.review): when it is next due,
    in the student's own days, and the memory state that decides it. Updated by each counted answer in
    record_answer's transaction; rebuild_progress derives it again from the answers."""

    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, db_index=False, related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.DB_CASCADE, related_name="review_cards")
    state = models.SmallIntegerField()  # fsrs.State
    stability = models.FloatField()
    difficulty = models.FloatField()
    due_at = models.DateTimeField()
    # The student's calendar day of due_at: "due today" is due_on <= the student's today.
    due_on = models.DateField()
    last_review = models.DateTimeField()
    reps = models.IntegerField(default=1)
    lapses = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "question"], name="review_card_once")]
        indexes = [models.Index(fields=["student", "due_on"], name="review_card_student_due")]

    def __str__(self):
        return f"card of student {self.student_id} for question {self.question_id}"
