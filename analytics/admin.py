from django.contrib import admin

from analytics.models import DailyAnalytics, StudentProgress
from curriculum.admin import DerivedDataAdmin


@admin.register(StudentProgress)
class StudentProgressAdmin(DerivedDataAdmin):
    list_display = (
        "student",
        "chapter",
        "mastery_score",
        "questions_completed",
        "questions_correct",
        "last_answered_at",
    )
    list_select_related = ("student", "chapter")
    list_filter = ("chapter__subject", "chapter")
    search_fields = ("student__name", "student__email", "chapter__id", "chapter__name")
    ordering = ("student__name", "student_id", "chapter__subject", "chapter__order")


@admin.register(DailyAnalytics)
class DailyAnalyticsAdmin(DerivedDataAdmin):
    list_display = (
        "analytics_date",
        "student",
        "questions_answered",
        "questions_correct",
        "xp_earned",
        "time_spent_minutes",
        "streak_count",
    )
    list_select_related = ("student",)
    search_fields = ("student__name", "student__email")
    date_hierarchy = "analytics_date"
    ordering = ("-analytics_date", "student__name")
