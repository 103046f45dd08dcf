from django.contrib import admin

from analytics.models import DailyAnalytics, StudentProgress, WeeklySummary
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


@admin.register(WeeklySummary)
class WeeklySummaryAdmin(admin.ModelAdmin):
    """Written only by send_weekly_summaries: which parent got which week's e-mail. Staff may look, not touch."""

    list_display = ("sent_at", "parent", "iso_year", "iso_week")
    list_select_related = ("parent",)
    list_filter = ("iso_year", "iso_week")
    ordering = ("-sent_at", "-id")
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
