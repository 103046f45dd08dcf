from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.text import Truncator

from curriculum.models import Chapter, Question, QuizSubmission


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    fields = ("id", "subject", "order", "name", "description", "is_locked", "unlock_xp_required", "created_at")
    readonly_fields = ("created_at",)
    list_display = ("id", "subject", "order", "name", "is_locked", "unlock_xp_required", "question_count")
    list_display_links = ("id", "name")
    list_filter = ("subject", "is_locked")
    search_fields = ("id", "name")
    ordering = ("subject", "order", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    def get_readonly_fields(self, request, obj=None):
        # The id is in every question's and answer's foreign key: fixed once created.
        return (*self.readonly_fields, "id") if obj else self.readonly_fields

    def get_changeform_initial_data(self, request):
        # The columns' database defaults, so that a new chapter does not store NULLs.
        return {"is_locked": True, "unlock_xp_required": 0, **super().get_changeform_initial_data(request)}

    @admin.display(description="questions", ordering="question_count")
    def question_count(self, obj):
        return obj.question_count


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    fields = (
        "quiz_id",
        "chapter",
        "difficulty_level",
        "question_text",
        "options",
        "correct_answer_index",
        "explanation",
        "image_url",
        "created_at",
    )
    readonly_fields = ("created_at",)
    autocomplete_fields = ("chapter",)
    list_display = ("quiz_id", "chapter", "difficulty_level", "short_text", "correct_answer_index")
    list_select_related = ("chapter",)
    list_filter = ("chapter__subject", "difficulty_level", "chapter")
    search_fields = ("quiz_id", "question_text")
    ordering = ("chapter__subject", "chapter__order", "chapter_id", "id")

    @admin.display(description="question", ordering="question_text")
    def short_text(self, obj):
        return Truncator(obj.question_text).chars(80)


class DerivedDataAdmin(admin.ModelAdmin):
    """Rows written only by record_answer: staff may look, not touch.

    An answer added, edited or deleted here would put the XP, streak, mastery and
    daily numbers that record_answer keeps in step with it out of step. They do go
    with the student or chapter they belong to, so the delete permission stays for
    that cascade; only deleting them on their own is refused.
    """

    actions = None  # not even "delete selected"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "show_delete": False})

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied


@admin.register(QuizSubmission)
class QuizSubmissionAdmin(DerivedDataAdmin):
    list_display = (
        "id",
        "submitted_at",
        "student",
        "question",
        "selected_answer_index",
        "is_correct",
        "xp_earned",
        "is_counted",
    )
    list_select_related = ("student", "question")
    list_filter = ("is_correct", "is_counted", "question__chapter__subject", "submitted_at")
    search_fields = ("student__name", "student__email", "question__quiz_id")
    date_hierarchy = "submitted_at"
    ordering = ("-id",)
