"""The seed's analytics module: mastery per chapter and activity per day."""

import datetime

from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Now

from accounts.models import Parent, Student
from curriculum.models import Chapter


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
        """Add one answer to the student's chapter row (created on the first answer), in one statement.

        Counters are incremented in SQL (INSERT … ON CONFLICT DO UPDATE), so concurrent
        writers cannot lose updates. mastery_score mirrors rules.mastery_score in SQL:
        100 × correct ÷ questions in the chapter, rounded to 2 decimals, within 0..100.
        """
        total = "(SELECT COUNT(*) FROM questions WHERE chapter_id = %(chapter)s)"

        def score(correct: str) -> str:
            return (
                f"CASE WHEN {correct} <= 0 OR {total} = 0 THEN 0 WHEN {correct} >= {total} THEN 100"
                f" ELSE ROUND(100.0 * {correct} / {total}, 2) END"
            )

        new_correct = "(COALESCE(p.questions_correct, 0) + %(correct)s)"
        sql = f"""
            INSERT INTO student_progress AS p
                (student_id, chapter_id, questions_completed, questions_correct, mastery_score, last_answered_at)
            VALUES (%(student)s, %(chapter)s, %(completed)s, %(first_correct)s, {score("%(first_correct)s")}, %(at)s)
            ON CONFLICT (student_id, chapter_id) DO UPDATE SET
                questions_completed = COALESCE(p.questions_completed, 0) + %(completed)s,
                questions_correct = {new_correct},
                mastery_score = {score(new_correct)},
                last_answered_at = %(at)s
        """  # noqa: S608 - only fixed SQL fragments are interpolated; values are parameters
        params = {
            "student": student_id,
            "chapter": chapter_id,
            "completed": int(new_question),
            "correct": delta_correct,
            "first_correct": max(delta_correct, 0),  # a new row starts from nothing
            "at": answered_at,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


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
        params = {
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
