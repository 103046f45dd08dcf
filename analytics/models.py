"""The seed's analytics module: mastery per chapter and activity per day."""

from django.db import models
from django.db.models import Q

from accounts.models import Student
from curriculum.models import Chapter


class StudentProgress(models.Model):
    id = models.BigAutoField(primary_key=True)
    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, db_index=False, related_name="progress")
    chapter = models.ForeignKey(Chapter, on_delete=models.DB_CASCADE, db_index=False, related_name="progress")
    mastery_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, db_default=0)
    questions_completed = models.IntegerField(null=True, db_default=0)
    questions_correct = models.IntegerField(null=True, db_default=0)
    last_answered_at = models.DateTimeField(null=True, blank=True)

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


class DailyAnalytics(models.Model):
    id = models.BigAutoField(primary_key=True)
    student = models.ForeignKey(Student, on_delete=models.DB_CASCADE, db_index=False, related_name="daily_analytics")
    analytics_date = models.DateField()
    questions_answered = models.IntegerField(null=True, db_default=0)
    questions_correct = models.IntegerField(null=True, db_default=0)
    xp_earned = models.IntegerField(null=True, db_default=0)
    time_spent_minutes = models.IntegerField(null=True, db_default=0)
    streak_count = models.IntegerField(null=True, db_default=0)

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
                ),
                name="daily_analytics_counts_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["analytics_date"], name="idx_daily_analytics_date")]

    def __str__(self):
        return f"{self.student_id} on {self.analytics_date}"
