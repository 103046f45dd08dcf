import datetime
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.access import student_required
from analytics import rules, summaries
from analytics.models import ReviewCard
from classes import progress as class_work
from curriculum import catalog, pictures
from curriculum.models import Question, QuizSubmission, xp_missing
from edtech import cache
from learning import review as review_list
from learning import rules as practice
from learning.forms import RELOAD_MESSAGE, AnswerForm, make_form_token
from learning.services import ChapterClosed, TooManyAnswers, record_answer, xp_still_needed


def shows_refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A chapter the student cannot open yet gets the "still locked" page (403); answering too fast,
    the "slow down" page (429). In both cases nothing was recorded."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ChapterClosed as closed:
            context = {"nav": "learn", "chapter": catalog.chapter(closed.chapter_id), "xp_missing": closed.xp_missing}
            return render(request, "learning/locked.html", context, status=403)
        except TooManyAnswers:
            response = render(request, "learning/slow_down.html", {"nav": "learn"}, status=429)
            response["Retry-After"] = "60"
            return response

    return wrapper


def _chapter(chapter_id: str) -> Mapping[str, Any]:
    """The chapter from the cached catalog, or 404."""
    chapter = catalog.chapter(chapter_id)
    if chapter is None:
        raise Http404("No such chapter.")
    return chapter


def _check_open(student, chapter: Mapping[str, Any]) -> None:
    """Raise ChapterClosed while the student's XP does not open the chapter."""
    missing = xp_missing(
        is_locked=chapter["is_locked"], unlock_xp_required=chapter["unlock_xp_required"], total_xp=student.total_xp
    )
    missing = xp_still_needed(student, chapter["id"], missing)
    if missing:
        raise ChapterClosed(chapter["id"], missing)


@student_required
def learn(request):
    student = request.user.student
    opened = sorted(class_work.chapters_opened_for(student, summaries.today_for(student)))
    # The map (hundreds of chapters) is rendered once per change of what it shows: the student's numbers
    # (their versioned entry), the catalog, the chapters their classes' assignments open.
    chapter_map = cache.get_or_render(
        cache.student_entry("html_chapter_map", student.pk, student.cache_version),
        depends=[catalog.version(), opened],
        render=lambda: render_to_string("learning/_chapter_map.html", {"subjects": _map(student, set(opened))}),
    )
    return render(
        request,
        "learning/learn.html",
        {"nav": "learn", "student": student, "chapter_map": chapter_map},
    )


def _map(student, opened: set[str]) -> list[dict[str, Any]]:
    subjects = summaries.chapter_map(student)
    for subject in subjects:
        for chapter in subject["chapters"]:
            if chapter["xp_missing"] and chapter["id"] in opened:  # an assignment opens it, whatever their XP
                chapter.update(is_open=True, xp_missing=0, opened_by_teacher=True)
        # "You are here": the subject's first open chapter not answered through yet.
        subject["here"] = next(
            (c["id"] for c in subject["chapters"] if c["is_open"] and c["completed"] < c["question_count"]), None
        )
    return subjects


@student_required
def assignments(request):
    """The child's own assignments in their classes, soonest due first, each with its status."""
    items = class_work.child_assignments(request.user.student)
    return render(request, "learning/assignments.html", {"nav": "assignments", "items": items})


def _chapter_questions(student, chapter_id: str, today) -> list[Any]:
    """The chapter's questions, each with the student's history and its state (annotations stubs cannot see)."""
    questions: list[Any] = list(
        Question.objects.active().filter(chapter_id=chapter_id).with_history(student, today).order_by("id")
    )
    for question in questions:
        question.state = practice.question_state(
            answered=question.answered,
            latest_counted_correct=question.latest_counted_correct,
            fixed_today=question.fixed_today,
        )
    return questions


@student_required
@shows_refusals
def chapter_detail(request, chapter_id):
    student = request.user.student
    chapter = _chapter(chapter_id)
    _check_open(student, chapter)
    today = summaries.today_for(student)
    # The child's progress and questions here are rendered once per change of what they show: the child's
    # numbers and answers (their versioned entry), their day, and the content (the catalog's version, which
    # every question edit replaces).
    chapter_part = cache.get_or_render(
        cache.student_chapter_entry("html_chapter", student.pk, student.cache_version, chapter_id),
        depends=[today, catalog.version()],
        render=lambda: render_to_string("learning/_chapter.html", _chapter_context(student, chapter, today)),
    )
    return render(request, "learning/chapter.html", {"nav": "learn", "chapter": chapter, "chapter_part": chapter_part})


def _chapter_context(student, chapter, today) -> dict[str, Any]:
    questions = _chapter_questions(student, chapter["id"], today)
    progress = summaries.mastery(student)["chapters"].get(chapter["id"])
    band, band_label = rules.mastery_band(score=progress["score"] if progress else 0, started=bool(progress))
    return {
        "chapter": chapter,
        "questions": questions,
        "next_question": practice.next_question(questions),
        "complete": practice.chapter_complete(questions),
        "started": any(q.answered for q in questions),
        "correct_count": sum(1 for q in questions if q.state == "correct"),
        "progress": progress,
        "band": band,
        "band_label": band_label,
    }


@student_required
@require_http_methods(["GET", "POST"])
@shows_refusals
def question_page(request, chapter_id, quiz_id):
    student = request.user.student
    chapter = _chapter(chapter_id)
    display = catalog.question_display(quiz_id)
    if display is None or display["chapter_id"] != chapter["id"]:
        raise Http404("No such question in this chapter.")
    _check_open(student, chapter)

    if request.method == "GET":
        form = AnswerForm(
            initial={"token": make_form_token(student=student, question=Question(pk=display["id"]))},
            question=Question(pk=display["id"]),
            options=display["options"],
            student=student,
        )
        return _render_question(request, chapter, display, form)

    question = Question.objects.select_related("chapter").get(pk=display["id"])
    form = AnswerForm(request.POST, question=question, options=question.options, student=student)
    if not form.is_valid():
        if form.token_is_bad:
            # A tampered or expired form: a fresh one, and the child answers again.
            form = AnswerForm(
                initial={"token": make_form_token(student=student, question=question)},
                question=question,
                options=question.options,
                student=student,
            )
            return _render_question(request, chapter, display, form, status=400, error=RELOAD_MESSAGE)
        return _render_question(request, chapter, display, form, status=400)

    result = record_answer(  # ChapterClosed if the chapter closed meanwhile: nothing is recorded
        student=student,
        question=question,
        selected_index=form.cleaned_data["selected_answer_index"],
        served_at=form.cleaned_data["token"]["served_at"],
        form_token=form.cleaned_data["token"]["form_token"],
    )

    url = reverse("answer_result", args=[chapter["id"], quiz_id, result.submission.pk])
    if request.headers.get("HX-Request"):
        student.refresh_from_db()  # the answer just changed the numbers (and the cache version)
        return _render_result(request, result.submission.pk, chapter, quiz_id, fragment=True)
    see_other = HttpResponseRedirect(url)
    see_other.status_code = 303  # Post/Redirect/Get: the browser GETs the result page
    return see_other


def _render_question(request, chapter, display, form, status=200, error=""):
    # "Question 3 of 10": how far the child is in the chapter (the cached mastery row: no query when warm).
    progress = summaries.mastery(request.user.student)["chapters"].get(chapter["id"])
    done = min(progress["completed"] if progress else 0, chapter["question_count"])
    context = {
        "nav": "learn",
        "chapter": chapter,
        "question": display,
        "picture": pictures.picture(display.get("image"), display.get("image_url"), display.get("image_alt")),
        "form": form,
        "error": error,
        "done": done,
        "position": min(done + 1, chapter["question_count"]),
    }
    # htmx swaps just the form (with its errors) in place; without JavaScript the whole page.
    template = "learning/question.html#question_form" if request.headers.get("HX-Request") else "learning/question.html"
    return render(request, template, context, status=status)


@student_required
def answer_result(request, chapter_id, quiz_id, submission_id):
    return _render_result(request, submission_id, _chapter(chapter_id), quiz_id)


def _render_result(request, submission_id, chapter, quiz_id, fragment=False) -> HttpResponse:
    student = request.user.student
    submission = get_object_or_404(
        QuizSubmission.objects.select_related("question"),
        pk=submission_id,
        student=student,
        question__quiz_id=quiz_id,
        question__chapter_id=chapter["id"],
    )
    question = submission.question
    today = summaries.today_for(student)
    questions = _chapter_questions(student, chapter["id"], today)
    progress = summaries.mastery(student)["chapters"].get(chapter["id"])
    context = {
        "nav": "learn",
        "chapter": chapter,
        "question": question,
        "picture": question.picture,
        "submission": submission,
        # In the order the child saw them on the question.
        "options": [
            (index, question.options[index])
            for index in practice.option_order(
                student_id=student.pk, question_id=question.pk, count=len(question.options)
            )
        ],
        "no_xp_reason": rules.no_xp_reason(
            xp_earned=submission.xp_earned or 0, is_correct=submission.is_correct, is_counted=submission.is_counted
        ),
        "student": student,
        "streak": summaries.streak(student, today),
        "progress": progress,
        "next_question": practice.next_question(questions, after=question.pk),
        "complete": practice.chapter_complete(questions),
        # Right in a retry after the day's counted answer was wrong: it counts on another day.
        "fixed": submission.is_correct and not submission.is_counted and _state_of(questions, question) == "fixed",
        "fragment": fragment,
        "chosen_feedback": _feedback_for(question, submission.selected_answer_index),
        "opened": _opened_by(submission, student),
    }
    if context["fixed"]:
        # The day the question comes back in the child's review (its card, set by the day's counted answer).
        card_day = ReviewCard.objects.filter(student=student, question=question).values_list("due_on", flat=True)
        context["back_on"] = card_day.first() or today + datetime.timedelta(days=1)
    template = "learning/result.html#result" if fragment else "learning/result.html"
    response = render(request, template, context)
    if fragment:  # htmx: the address bar shows the result, so a reload shows it too
        response["HX-Push-Url"] = reverse("answer_result", args=[chapter["id"], quiz_id, submission.pk])
    return response


def _opened_by(submission, student) -> list[Mapping[str, Any]]:
    """The chapters this answer's XP opened (their XP threshold crossed by it): "New chapter open"."""
    # Only chapters the student's XP now opens can have been opened by it (the catalog is cached): most
    # results need no query for this.
    candidates = [
        chapter
        for chapter in catalog.chapters()
        if chapter["is_locked"] and 0 < (chapter["unlock_xp_required"] or 0) <= (student.total_xp or 0)
    ]
    if not submission.xp_earned or not candidates:
        return []
    before = QuizSubmission.objects.filter(student=student, id__lt=submission.pk).aggregate(
        xp=Coalesce(Sum("xp_earned"), 0)
    )["xp"]
    after = before + submission.xp_earned
    return [chapter for chapter in candidates if before < chapter["unlock_xp_required"] <= after]


def _feedback_for(question, index: int) -> str | None:
    """The message staff wrote for the option the child chose, if any."""
    feedback = question.option_feedback or []
    return feedback[index] if 0 <= index < len(feedback) else None


def _state_of(questions, question) -> str:
    return next((q.state for q in questions if q.pk == question.pk), "new")


@student_required
def chapter_summary(request, chapter_id):
    """The end of a chapter: right out of total, XP earned here, mastery and band, the ones missed, the next
    open chapter. Before every question has a counted answer, the chapter page instead."""
    student = request.user.student
    chapter = _chapter(chapter_id)
    _check_open(student, chapter)
    today = summaries.today_for(student)
    questions = _chapter_questions(student, chapter_id, today)
    if not practice.chapter_complete(questions):
        return redirect("chapter", chapter_id=chapter_id)
    progress = summaries.mastery(student)["chapters"].get(chapter_id)
    band, band_label = rules.mastery_band(score=progress["score"] if progress else 0, started=True)
    missed = [q for q in questions if q.state in ("wrong", "fixed")]
    context = {
        "nav": "learn",
        "chapter": chapter,
        "right": sum(1 for q in questions if q.state == "correct"),
        "total": len(questions),
        "xp": QuizSubmission.objects.filter(student=student, question__chapter_id=chapter_id).aggregate(
            xp=Coalesce(Sum("xp_earned"), 0)
        )["xp"],
        "progress": progress,
        "band": band,
        "band_label": band_label,
        "missed": missed,
        "next_chapter": _next_open_chapter(student, chapter),
    }
    return render(request, "learning/summary.html", context)


def _next_open_chapter(student, chapter) -> dict[str, Any] | None:
    """The next chapter of the subject, in map order, that is open for the student."""
    for subject in summaries.chapter_map(student):
        if subject["subject"] != chapter["subject"]:
            continue
        ids = [c["id"] for c in subject["chapters"]]
        later = subject["chapters"][ids.index(chapter["id"]) + 1 :] if chapter["id"] in ids else []
        opened = class_work.chapters_opened_for(student, summaries.today_for(student))
        return next((c for c in later if c["is_open"] or c["id"] in opened), None)
    return None


@student_required
def dashboard(request):
    student = request.user.student
    today = summaries.today_for(student)
    reviews_due, next_review = review_list.due_summary(student, today)
    context = {
        "student": student,
        "progress_html": summaries.progress_html(student, "student"),
        "nav": "dashboard",
        "due": [item for item in class_work.child_assignments(student) if item.status.status in OPEN_WORK],
        "reviews_due": reviews_due,
        "continue": _continue(student, today, next_review),
    }
    return render(request, "learning/dashboard.html", context)


def _continue(student, today, next_review) -> dict[str, str]:
    """The one "Continue": the next due review, else the next question of the chapter the child was last
    in, else the next open chapter."""
    if next_review:
        return {"url": reverse("question", args=[next_review.chapter_id, next_review.quiz_id]), "label": "Continue"}
    last = QuizSubmission.objects.filter(student=student).order_by("-id").values("question__chapter_id").first()
    if last is not None:
        chapter = catalog.chapter(last["question__chapter_id"])
        questions = _chapter_questions(student, last["question__chapter_id"], today) if chapter else []
        if chapter and not practice.chapter_complete(questions):
            following = practice.next_question(questions)
            if following is not None:
                return {"url": reverse("question", args=[chapter["id"], following.quiz_id]), "label": "Continue"}
    for subject in summaries.chapter_map(student):
        for chapter in subject["chapters"]:
            if chapter["is_open"] and chapter["completed"] < chapter["question_count"]:
                return {"url": chapter["url"], "label": "Continue"}
    return {"url": reverse("learn"), "label": "Continue"}


@student_required
def review_page(request):
    """Today's review: the questions FSRS has due, interleaved across chapters, with why each is back."""
    student = request.user.student
    items = review_list.due_today(student, summaries.today_for(student))
    return render(request, "learning/review.html", {"nav": "dashboard", "items": items})


# What the dashboard lists as still to do.
OPEN_WORK = {class_work.Status.NOT_STARTED, class_work.Status.IN_PROGRESS, class_work.Status.LATE}


@student_required
def leaderboard(request):
    student = request.user.student
    context = {
        "nav": "leaderboard",
        "board": summaries.leaderboard_for(student),
        "me": student,
        "my_rank": student.rank(),
        "class_boards": class_work.class_boards(student),
    }
    return render(request, "learning/leaderboard.html", context)
