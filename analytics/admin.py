from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path

from analytics import content
from analytics.models import DailyAnalytics, StudentProgress, WeeklySummary
from curriculum import catalog
from curriculum.admin import DerivedDataAdmin
from curriculum.models import Chapter
from edtech import cache

# Column headers of the content analytics pages; their keys are the only accepted ?o= values.
CHAPTER_HEADERS = {
    "name": "Chapter",
    "started": "Students started",
    "mastery": "Average mastery",
    "answers_7d": "Answers, last 7 days",
    "answers_30d": "Answers, last 30 days",
}
QUESTION_HEADERS = {
    "quiz_id": "Question",
    "answers": "Answers",
    "correct_pct": "Correct",
    "wrong_count": "Most chosen wrong option",
    "median_seconds": "Median time",
}


class ChapterFilterForm(forms.Form):
    chapter = forms.ModelChoiceField(
        Chapter.objects.in_map_order(), required=False, empty_label="All chapters (slow on millions of answers)"
    )


def _check_content_permission(request: HttpRequest) -> None:
    # admin_view has already sent anyone who is not active staff to the admin login.
    if not request.user.has_perm("curriculum.view_question"):
        raise PermissionDenied


def _sort_order(request: HttpRequest, columns: tuple[str, ...]) -> str:
    """The ?o= value when it names a column (with an optional leading "-"), else ""."""
    order = request.GET.get("o", "")
    return order if order.removeprefix("-") in columns else ""


def _column_headers(request: HttpRequest, labels: dict[str, str], order: str) -> list[dict]:
    """Sort links for the column headers: a click sorts by a column, a second click reverses it."""
    headers = []
    for column, label in labels.items():
        sort = {column: "ascending", f"-{column}": "descending"}.get(order, "")
        query = request.GET.copy()
        query["o"] = f"-{column}" if sort == "ascending" else column
        headers.append({"label": label, "url": f"?{query.urlencode()}", "sort": sort})
    return headers


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

    def get_urls(self):
        # Content analytics live here, before the model's own URLs ("<path:object_id>/" would take them).
        view = self.admin_site.admin_view
        return [
            path("content/chapters/", view(self.content_chapters_view), name="analytics_content_chapters"),
            path("content/questions/", view(self.content_questions_view), name="analytics_content_questions"),
            *super().get_urls(),
        ]

    def content_chapters_view(self, request):
        _check_content_permission(request)
        order = _sort_order(request, content.CHAPTER_COLUMNS)
        rows, counted_at = content.counted_chapter_stats(order=order)
        # The table's rows (a row per chapter) are the same for every member of staff: rendered once per count
        # and sort order, not on every view (most of the page's time, under load).
        rows_html = cache.get_or_render(
            cache.content_chapters_rows_entry(order),
            depends=[counted_at, order],
            shared=True,  # staff's requests find a new count at the same moment: one renders it
            render=lambda: render_to_string(
                "admin/analytics/includes/chapter_rows.html", {"rows": rows, "columns": len(CHAPTER_HEADERS)}
            ),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Content analytics: chapters",
            "headers": _column_headers(request, CHAPTER_HEADERS, order),
            "rows": rows,  # what rows_html shows, as data (the tests read it)
            "rows_html": rows_html,
            "counted_at": counted_at,
            "calibration": content.calibration(),
        }
        return TemplateResponse(request, "admin/analytics/content_chapters.html", context)

    def content_questions_view(self, request):
        _check_content_permission(request)
        order = _sort_order(request, content.QUESTION_COLUMNS)
        if "chapter" not in request.GET:
            # One chapter unless asked for all: all questions at once reads every answer there is
            # (seconds on millions of answers), one chapter reads only its own.
            first = Chapter.objects.in_map_order().first()
            form = ChapterFilterForm({"chapter": first.pk if first else ""})
        else:
            form = ChapterFilterForm(request.GET)
        chapter = form.cleaned_data["chapter"] if form.is_valid() else None
        rows, counted_at = content.counted_question_stats(chapter_id=chapter.pk if chapter else None, order=order)
        # The chapter filter's <select> (every chapter) costs Django a template render per option: a valid
        # choice's is rendered once per choice and catalog version (every chapter edit changes the version).
        chapter_select = (
            cache.get_or_render(
                cache.chapter_select_entry(chapter.pk if chapter else None),
                depends=catalog.version(),
                render=lambda: str(form["chapter"]),
            )
            if form.is_valid()
            else form["chapter"]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Content analytics: questions",
            "form": form,
            "chapter_select": chapter_select,
            "order": order,
            "chapter": chapter,
            "headers": _column_headers(request, QUESTION_HEADERS, order),
            "rows": rows,
            "counted_at": counted_at,
        }
        return TemplateResponse(request, "admin/analytics/content_questions.html", context)


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
