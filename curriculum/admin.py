from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from curriculum import mathtext
from curriculum.admin_forms import (
    FEEDBACK_FIELDS,
    OPTION_FIELDS,
    ChapterAdminForm,
    PreviewAnswerForm,
    QuestionAdminForm,
)
from curriculum.admin_transfer import QuestionTransferAdminMixin
from curriculum.models import Chapter, Question, QuizSubmission
from curriculum.signals import bulk_content_changed


class QuestionInline(admin.TabularInline):
    """The chapter's questions at a glance; each is edited on its own page (options, answers, preview)."""

    model = Question
    fields = ("quiz_id", "text", "difficulty_level")
    readonly_fields = fields
    ordering = ("id",)
    extra = 0
    # Deleting here would take the question's answers with it without the confirmation page.
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # A question needs its options: the chapter page links to the question's add page instead.
        return False

    @admin.display(description="question")
    def text(self, obj):
        return Truncator(obj.question_text).chars(120)


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    form = ChapterAdminForm
    fields = ("id", "subject", "order", "name", "description", "is_locked", "unlock_xp_required", "created_at")
    readonly_fields = ("created_at", "add_question")
    inlines = (QuestionInline,)
    list_display = ("id", "subject", "order", "name", "is_locked", "unlock_xp_required", "question_count")
    list_display_links = ("id", "name")
    list_filter = ("subject", "is_locked")
    search_fields = ("id", "name")
    ordering = ("subject", "order", "name")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(question_count=Count("questions", filter=Q(questions__is_retired=False)))
        )

    def has_delete_permission(self, request, obj=None):
        # Deleting a chapter deletes its questions and every answer to them: not once children answered.
        if obj is not None and QuizSubmission.objects.filter(question__chapter=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        answered = set(self._answered(objs))
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(
            [chapter for chapter in objs if chapter.pk not in answered], request
        )
        kept = [f"Chapter: {chapter_id} — not deleted: children have answered its questions" for chapter_id in answered]
        return [*deleted, *kept], model_count, perms_needed, protected

    def delete_queryset(self, request, queryset):
        kept = self._answered(queryset)
        if kept:
            self.message_user(
                request,
                f"Not deleted, because children have answered their questions: {', '.join(kept)}. "
                "Retire the questions instead.",
                messages.WARNING,
            )
        super().delete_queryset(request, queryset.exclude(pk__in=kept))

    @staticmethod
    def _answered(chapters) -> list[str]:
        ids = [chapter.pk for chapter in chapters]
        answered = Chapter.objects.filter(pk__in=ids).filter(
            Exists(QuizSubmission.objects.filter(question__chapter=OuterRef("pk")))
        )
        return list(answered.values_list("pk", flat=True))

    def get_fields(self, request, obj=None):
        return (*self.fields, "add_question") if obj else self.fields

    def get_readonly_fields(self, request, obj=None):
        # The id is in every question's and answer's foreign key: fixed once created.
        return (*self.readonly_fields, "id") if obj else self.readonly_fields

    def get_changeform_initial_data(self, request):
        # The columns' database defaults, so that a new chapter does not store NULLs.
        return {"is_locked": True, "unlock_xp_required": 0, **super().get_changeform_initial_data(request)}

    @admin.display(description="questions (not retired)", ordering="question_count")
    def question_count(self, obj):
        return obj.question_count

    @admin.display(description="new question")
    def add_question(self, obj):
        url = f"{reverse('admin:curriculum_question_add')}?{urlencode({'chapter': obj.pk})}"
        return format_html('<a href="{}" class="addlink">Add a question to this chapter</a>', url)


def delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def suggest_quiz_id(chapter_id: str) -> str:
    """The chapter's id and the first free two-digit number after its questions'."""
    taken = set(Question.objects.filter(quiz_id__startswith=f"{chapter_id}-").values_list("quiz_id", flat=True))
    number = Question.objects.filter(chapter_id=chapter_id).count() + 1
    while f"{chapter_id}-{number:02d}" in taken:
        number += 1
    return f"{chapter_id}-{number:02d}"


def render_as_student(request, question: Question) -> TemplateResponse:
    """The question page's own template, filled from a question (saved or not): staff's "view as student"."""
    chapter = question.chapter
    count = Question.objects.active().filter(chapter=chapter).count()
    context = {
        "chapter": {"id": chapter.id, "name": chapter.name, "subject": chapter.subject, "question_count": count},
        "question": {
            "quiz_id": question.quiz_id,
            "question_text": question.question_text,
            "options": question.options,
        },
        "picture": question.picture,
        "form": PreviewAnswerForm(options=list(question.options)),
        "done": 0,
        "position": 1,
        "preview": True,
    }
    return TemplateResponse(request, "learning/question.html", context)


@admin.register(Question)
class QuestionAdmin(QuestionTransferAdminMixin, admin.ModelAdmin):
    form = QuestionAdminForm
    fieldsets = (
        (None, {"fields": ("quiz_id", "chapter", "difficulty_level", "question_text", "explanation", "is_retired")}),
        ("Picture", {"fields": ("image", "image_alt", "image_url", "thumbnail")}),
        (
            "Options",
            {
                "description": "Fill the options from the first one on (at least two), then pick the correct one.",
                "fields": (*OPTION_FIELDS, "correct_option", *FEEDBACK_FIELDS, "confirm_answer_change"),
            },
        ),
        ("As a student sees it (last saved version)", {"fields": ("preview", "view_as_student")}),
        (None, {"fields": ("created_at",)}),
    )
    readonly_fields = ("thumbnail", "preview", "view_as_student", "created_at")
    autocomplete_fields = ("chapter",)
    list_display = ("quiz_id", "chapter", "difficulty_level", "short_text", "correct_answer", "is_retired")
    list_select_related = ("chapter",)
    list_filter = ("is_retired", "chapter__subject", "difficulty_level", "chapter")
    actions = ("retire", "bring_back")
    search_fields = ("quiz_id", "question_text")
    ordering = ("chapter__subject", "chapter__order", "chapter_id", "id")

    class Media:
        css = {"all": ("admin/curriculum.css",)}

    def get_fieldsets(self, request, obj=None):
        if obj:
            return self.fieldsets
        # A new question has nothing to show yet and no answers to protect.
        hidden = {"thumbnail", "preview", "confirm_answer_change", "created_at"}
        fieldsets = []
        for name, options in self.fieldsets:
            fields = tuple(field for field in options["fields"] if field not in hidden)
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        replaced = form.initial.get("image") if "image" in form.changed_data else None
        super().save_model(request, obj, form, change)
        if replaced and str(replaced) != str(obj.image or ""):
            # The old file, once the new row is committed (a rolled-back save keeps pointing at it).
            name = str(replaced)
            transaction.on_commit(lambda: default_storage.delete(name))

    def delete_model(self, request, obj):
        name = str(obj.image or "")
        super().delete_model(request, obj)
        if name:
            transaction.on_commit(lambda: default_storage.delete(name))

    def has_delete_permission(self, request, obj=None):
        # A question with answers is retired, never deleted: its answers hold the XP children earned.
        if obj is not None and obj.submissions.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        answered = [question for question in objs if question.submissions.exists()]
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(
            [question for question in objs if question not in answered], request
        )
        retired = [f"Question: {question.quiz_id} — retired instead: it has answers" for question in answered]
        return [*deleted, *retired], model_count, perms_needed, protected

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        """The "delete selected" action: questions with answers are retired, the others deleted."""
        answered = queryset.answered()
        retired = self._set_retired(answered, True)
        deleting = queryset.exclude(pk__in=answered.values("pk"))
        files = [name for name in deleting.values_list("image", flat=True) if name]
        super().delete_queryset(request, deleting)
        transaction.on_commit(lambda: delete_files(files))
        if retired:
            self.message_user(request, f"{retired} question(s) with answers were retired, not deleted.")

    @admin.action(description="Retire the selected questions (hide them from students, keep their answers)")
    def retire(self, request, queryset):
        self.message_user(request, f"{self._set_retired(queryset, True)} question(s) retired.")

    @admin.action(description="Bring back the selected retired questions")
    def bring_back(self, request, queryset):
        self.message_user(request, f"{self._set_retired(queryset, False)} question(s) brought back.")

    @transaction.atomic
    def _set_retired(self, queryset, retired: bool) -> int:
        """Retire or bring back the questions in one UPDATE; their chapters' mastery follows."""
        changing = list(queryset.filter(is_retired=not retired).values_list("pk", "quiz_id", "chapter_id"))
        if not changing:
            return 0
        Question.objects.filter(pk__in=[pk for pk, _, _ in changing]).update(is_retired=retired)
        bulk_content_changed(
            quiz_ids=[quiz_id for _, quiz_id, _ in changing],
            chapter_ids={chapter_id for _, _, chapter_id in changing},
            counts_changed=True,
        )
        return len(changing)

    @admin.display(description="question", ordering="question_text")
    def short_text(self, obj):
        return Truncator(obj.question_text).chars(80)

    @admin.display(description="correct answer", ordering="correct_answer_index")
    def correct_answer(self, obj):
        index = obj.correct_answer_index
        return f"{index + 1}. {Truncator(obj.options[index]).chars(40)}"

    @admin.display(description="thumbnail")
    def thumbnail(self, obj):
        picture = obj.picture
        if not picture:
            return "No picture"
        return format_html('<img class="lq-thumbnail" src="{}" alt="{}">', picture["url"], picture["alt"])

    @admin.display(description="preview")
    def get_changeform_initial_data(self, request):
        """From a chapter's "Add a question" link: the chapter, and a quiz id suggested from it (the
        chapter's id and the next free number, such as fractions-07)."""
        initial = super().get_changeform_initial_data(request)
        chapter_id = initial.get("chapter")
        if chapter_id and "quiz_id" not in initial:
            initial["quiz_id"] = suggest_quiz_id(str(chapter_id))
        return initial

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:question_id>/as-student/", view(self.as_student_view), name="curriculum_question_as_student"),
            *super().get_urls(),
        ]

    def as_student_view(self, request, question_id):
        """The real question page (this project's template) for the saved question; a POST of the change
        form's fields shows the unsaved edits the same way, without saving anything."""
        question = get_object_or_404(Question.objects.select_related("chapter"), pk=question_id)
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        if request.method == "POST":
            form = QuestionAdminForm(request.POST, instance=question)
            if not form.is_valid():
                return TemplateResponse(
                    request, "admin/curriculum/question/as_student_invalid.html", {"errors": form.errors}, status=400
                )
            question = form.save(commit=False)  # the edits, in memory only
        return render_as_student(request, question)

    def view_as_student(self, obj):
        if not obj or not obj.pk:
            return "—"
        url = reverse("admin:curriculum_question_as_student", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank">View the saved question as a student sees it</a> · '
            '<button type="submit" formaction="{}" formtarget="_blank" formnovalidate class="button">'
            "Preview my unsaved edits</button>",
            url,
            url,
        )

    view_as_student.short_description = "As a student"  # type: ignore[attr-defined]

    def preview(self, obj):
        # From the database, not from obj: after a refused save obj holds the unsaved edits.
        saved = Question.objects.get(pk=obj.pk)
        correct_mark = format_html(' <strong class="lq-preview-mark">{}</strong>', "correct answer")
        options = format_html_join(
            "",
            '<li class="{}">{}{}</li>',
            (
                ("lq-preview-correct", mathtext.render(option), correct_mark)
                if index == saved.correct_answer_index
                else ("lq-preview-option", mathtext.render(option), "")
                for index, option in enumerate(saved.options)
            ),
        )
        explanation = (
            format_html('<p class="lq-preview-explanation">{}</p>', mathtext.render(saved.explanation))
            if saved.explanation
            else ""
        )
        return format_html(
            '<div class="lq-preview"><p class="lq-preview-text">{}</p>{}<ol class="lq-preview-options">{}</ol>{}</div>',
            mathtext.render(saved.question_text),
            self.thumbnail(saved) if saved.picture else "",
            options,
            explanation,
        )


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

    # Content editors study answers to improve questions: they see what was answered, never who answered.
    @staticmethod
    def _sees_children(request) -> bool:
        return request.user.has_perm("accounts.view_student")

    def get_list_display(self, request):
        return (
            self.list_display if self._sees_children(request) else tuple(f for f in self.list_display if f != "student")
        )

    def get_list_select_related(self, request):
        return self.list_select_related if self._sees_children(request) else ("question",)

    def get_search_fields(self, request):
        return self.search_fields if self._sees_children(request) else ("question__quiz_id",)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if self._sees_children(request) else [field for field in fields if field != "student"]
