import logging

from django.contrib import admin, messages

from classes import rosters
from classes.models import SchoolClass, Teacher

logger = logging.getLogger(__name__)


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    """Staff approve teachers here (the school vouching for them): only then may they make classes."""

    list_display = ("name", "school", "created_at", "approved_at")
    list_filter = (("approved_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "school", "user__email")
    fields = ("user", "name", "school", "created_at", "approved_at", "approved_by")
    readonly_fields = ("user", "created_at", "approved_at", "approved_by")
    actions = ["approve"]

    @admin.action(description="Approve the selected teachers", permissions=["change"])
    def approve(self, request, queryset):
        approved = sum(rosters.approve(teacher, by=request.user) for teacher in queryset)
        for teacher in queryset:
            logger.info("teacher approved teacher_id=%s staff_id=%s", teacher.pk, request.user.pk)
        self.message_user(request, f"{approved} teacher{'s' if approved != 1 else ''} approved.", messages.SUCCESS)


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "created_at")
    search_fields = ("name",)
    fields = ("name", "time_zone", "created_at")
    readonly_fields = ("created_at",)
