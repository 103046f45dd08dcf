import csv
import datetime
import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import student_required
from accounts.models import ThrottleHit, User
from accounts.views import redirect_303, signup_page
from classes import progress, rosters
from classes.forms import (
    AssignmentForm,
    ClassForm,
    ExtensionForm,
    InviteTeacherForm,
    JoinClassForm,
    RosterForm,
    TeacherSignupForm,
)
from classes.models import Assignment, Extension
from edtech import cache

logger = logging.getLogger(__name__)


def teacher_required(view):
    """Signed in as a teacher (others: 403), approved or not: the view checks the approval itself."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.role != "teacher":
            raise PermissionDenied("This page is for teachers.")
        return view(request, *args, **kwargs)

    return wrapper


def approved_teacher_required(view):
    """Teachers' pages: signed in as a teacher whom staff approved (others: 403; an unapproved teacher is told
    they are waiting for approval)."""

    @teacher_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.teacher.is_approved:
            return _waiting(request)
        return view(request, *args, **kwargs)

    return wrapper


def _waiting(request):
    return render(request, "classes/waiting.html", status=403)


def _class(request, class_id):
    """The teacher's class, or 404: never confirm another teacher's class exists."""
    school_class = rosters.class_of(request.user.teacher, class_id)
    if school_class is None:
        raise Http404("No such class.")
    return school_class


def _enrolled(school_class, student_id):
    enrolled = rosters.enrollment(school_class, student_id)
    if enrolled is None:
        raise Http404("No such child in this class.")
    return enrolled


@require_http_methods(["GET", "POST"])
def signup_teacher(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = TeacherSignupForm(request.POST or None)
    return signup_page(request, form, "classes/signup_teacher.html")


@approved_teacher_required
def class_list(request):
    classes = rosters.classes_of(request.user.teacher)
    return render(request, "classes/list.html", {"nav": "classes", "classes": classes})


@approved_teacher_required
@require_http_methods(["GET", "POST"])
def new_class(request):
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school_class = rosters.make_class(
            teacher=request.user.teacher, name=form.cleaned_data["name"], time_zone=form.cleaned_data["time_zone"]
        )
        messages.success(request, f"{school_class.name} is ready: add its children.")
        return redirect_303("class_page", class_id=school_class.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "classes/new.html", {"nav": "classes", "form": form}, status=status)


@teacher_required
def class_page(request, class_id):
    # The class only if this teacher is approved and teaches it: the page's one query checks both.
    school_class = progress.class_with_digests(request.user, class_id)
    if school_class is None:
        if not request.user.teacher.is_approved:
            return _waiting(request)
        raise Http404("No such class.")  # as _class: never confirm another teacher's class exists
    now = timezone.now()
    # The part about the class and its children (its teachers; the grid: children × assignments, eight queries
    # and a large table; the roster under it; the class code and the co-teacher invitation) is rendered once a
    # minute at most while nothing it shows changes (progress.grid_signature); never the page around it: its
    # forms, which the cached part's buttons and field belong to, carry the teacher's CSRF token.
    code = rosters.live_code(school_class)
    children_html = cache.get_or_render(
        cache.class_grid_entry(school_class.pk),
        depends=[*progress.grid_signature(school_class, now), code, school_class.code_expires_at],
        shared=True,  # one render when the minute turns, not one per teacher's request in flight
        render=lambda: render_to_string(
            "classes/_children.html",
            {
                "school_class": school_class,
                "teachers": school_class.teachers.order_by("name", "id"),
                "grid": progress.grid(school_class, now=now),
                "code": code,
                "invite_form": InviteTeacherForm(),
            },
        ),
    )
    context = {"nav": "classes", "school_class": school_class, "children_html": children_html}
    return render(request, "classes/class.html", context)


@approved_teacher_required
@require_http_methods(["GET", "POST"])
def add_students(request, class_id):
    """Names in, a printable sheet of sign-in cards out (the passphrases are shown on this answer only)."""
    school_class = _class(request, class_id)
    form = RosterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cards = rosters.add_roster(
            teacher=request.user.teacher, school_class=school_class, names=form.cleaned_data["names"]
        )
        logger.info(
            "class roster added class_id=%s count=%s teacher_id=%s", school_class.pk, len(cards), request.user.pk
        )
        context = {"school_class": school_class, "cards": cards, "site": request.build_absolute_uri("/")}
        return render(request, "classes/cards.html", context)
    status = 400 if request.method == "POST" else 200
    context = {"nav": "classes", "school_class": school_class, "form": form}
    return render(request, "classes/add_students.html", context, status=status)


@approved_teacher_required
@require_POST
def rotate_code(request, class_id):
    school_class = _class(request, class_id)
    rosters.rotate_code(school_class)
    messages.success(
        request, f"New class code: the old one no longer works. It expires in {rosters.JOIN_CODE_DAYS} days."
    )
    return redirect_303("class_page", class_id=school_class.pk)


@approved_teacher_required
@require_POST
def reset_student_passphrase(request, class_id, student_id):
    school_class = _class(request, class_id)
    enrolled = _enrolled(school_class, student_id)
    if not enrolled.made_by_class:
        raise PermissionDenied("Only a child whose account this class made gets a new passphrase here.")
    card = rosters.reset_passphrase(teacher=request.user.teacher, enrolled=enrolled)
    context = {"school_class": school_class, "cards": [card], "site": request.build_absolute_uri("/"), "reset": True}
    return render(request, "classes/cards.html", context)


@approved_teacher_required
@require_POST
def remove_student(request, class_id, student_id):
    school_class = _class(request, class_id)
    enrolled = _enrolled(school_class, student_id)
    rosters.remove(teacher=request.user.teacher, enrolled=enrolled)
    messages.success(request, f"{enrolled.student.name} is no longer in {school_class.name}.")
    return redirect_303("class_page", class_id=school_class.pk)


@approved_teacher_required
@require_POST
def student_board(request, class_id, student_id):
    school_class = _class(request, class_id)
    enrolled = _enrolled(school_class, student_id)
    on = request.POST.get("on_class_board") == "on"
    rosters.set_on_board(teacher=request.user.teacher, enrolled=enrolled, on=on)
    state = "shown on" if on else "hidden from"
    messages.success(request, f"{enrolled.student.name} is {state} the class leaderboard.")
    return redirect_303("class_page", class_id=school_class.pk)


@approved_teacher_required
@require_POST
def invite_teacher(request, class_id):
    school_class = _class(request, class_id)
    form = InviteTeacherForm(request.POST)
    # Each invitation mails an address the teacher chooses: the parents' limit (10 an hour) applies.
    sender = f"teacher:{request.user.teacher.pk}"
    if form.is_valid() and ThrottleHit.objects.is_blocked("invitation", sender):
        messages.error(request, "You have sent many invitations in the last hour. Please try again later.")
    elif form.is_valid():
        ThrottleHit.objects.hit("invitation", sender)
        rosters.invite_teacher(
            school_class=school_class,
            by=request.user.teacher,
            email=form.cleaned_data["email"],
            host=request.get_host(),
            secure=request.is_secure(),
        )
        messages.success(request, f"We e-mailed an invitation to {form.cleaned_data['email']} (7 days, once).")
    else:
        messages.error(request, " ".join(str(e) for e in form.errors["email"]))
    return redirect_303("class_page", class_id=school_class.pk)


@require_http_methods(["GET", "POST"])
def accept_teacher_invitation(request, token):
    try:
        invitation = rosters.invitation_for(token)
    except rosters.InvitationGone:
        return render(request, "classes/invitation_gone.html", status=410)
    if invitation is None:
        raise Http404("No such invitation.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.role != "teacher":
        raise PermissionDenied("Invitations to a class are for teachers.")
    context = {"invitation": invitation}
    mine = User.objects.normalize_email(request.user.email) == invitation.email
    if not (mine and request.user.teacher.is_approved):
        return render(request, "classes/invitation.html", context | {"refused": True}, status=403)
    if request.method == "POST":
        try:
            school_class = rosters.accept_invitation(invitation, request.user.teacher)
        except rosters.InvitationGone:
            return render(request, "classes/invitation_gone.html", status=410)
        messages.success(request, f"You now teach {school_class.name}.")
        return redirect_303("class_page", class_id=school_class.pk)
    return render(request, "classes/invitation.html", context)


@approved_teacher_required
@require_http_methods(["GET", "POST"])
def new_assignment(request, class_id):
    school_class = _class(request, class_id)
    form = AssignmentForm(request.POST or None, initial={"due_on": timezone.localdate() + datetime.timedelta(days=7)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            assignment = Assignment.objects.create(
                school_class=school_class, title=data["title"], due_on=data["due_on"], starts_on=data["starts_on"]
            )
            assignment.chapters.set(data["chapters"])
        messages.success(request, f"“{assignment.title}” is set, due {assignment.due_on:%d %b}.")
        return redirect_303("class_page", class_id=school_class.pk)
    status = 400 if request.method == "POST" else 200
    context = {"nav": "classes", "school_class": school_class, "form": form}
    return render(request, "classes/new_assignment.html", context, status=status)


def _assignment(school_class, assignment_id) -> Assignment:
    assignment = Assignment.objects.filter(school_class=school_class, pk=assignment_id).first()
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


@approved_teacher_required
def assignment_page(request, class_id, assignment_id):
    school_class = _class(request, class_id)
    assignment = _assignment(school_class, assignment_id)
    data = progress.grid(school_class)
    column = [a.pk for a in data["assignments"]].index(assignment.pk)
    extensions = {x.student_id: x for x in Extension.objects.filter(assignment=assignment)}
    rows = [
        {
            "row": row,
            "cell": row.cells[column],
            "form": ExtensionForm(
                initial={
                    "student": row.student.pk,
                    "due_on": getattr(extensions.get(row.student.pk), "due_on", None),
                    "excused": getattr(extensions.get(row.student.pk), "excused", False),
                },
                prefix=f"s{row.student.pk}",
            ),
        }
        for row in data["rows"]
    ]
    context = {
        "nav": "classes",
        "school_class": school_class,
        "assignment": data["assignments"][column],
        "rows": rows,
    }
    return render(request, "classes/assignment.html", context)


@approved_teacher_required
@require_POST
def save_extension(request, class_id, assignment_id, student_id):
    school_class = _class(request, class_id)
    assignment = _assignment(school_class, assignment_id)
    enrolled = _enrolled(school_class, student_id)
    form = ExtensionForm(request.POST, prefix=f"s{student_id}")
    if not form.is_valid() or form.cleaned_data["student"] != student_id:
        messages.error(request, "Give a date (or tick Excused).")
        return redirect_303("class_assignment", class_id=school_class.pk, assignment_id=assignment.pk)
    due_on, excused = form.cleaned_data["due_on"], form.cleaned_data["excused"]
    if due_on and assignment.starts_on and due_on < assignment.starts_on:
        messages.error(request, "The child's due date is before the assignment starts.")
    elif due_on is None and not excused:
        Extension.objects.filter(assignment=assignment, student=enrolled.student).delete()
        messages.success(request, f"{enrolled.student.name} is back on the class's due date.")
    else:
        Extension.objects.update_or_create(
            assignment=assignment, student=enrolled.student, defaults={"due_on": due_on, "excused": excused}
        )
        messages.success(request, f"Saved for {enrolled.student.name}.")
    return redirect_303("class_assignment", class_id=school_class.pk, assignment_id=assignment.pk)


@approved_teacher_required
def progress_csv(request, class_id):
    school_class = _class(request, class_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="class-{school_class.pk}-progress.csv"'
    csv.writer(response).writerows(progress.csv_rows(school_class))
    return response


@student_required
@require_http_methods(["GET", "POST"])
def join_class(request):
    form = JoinClassForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            school_class = rosters.join_with_code(student=request.user.student, typed=form.cleaned_data["code"])
        except rosters.CodeNotValid:
            form.add_error("code", "That code is not a class's, or it has expired. Ask your teacher for the new one.")
            status = 400
        else:
            messages.success(request, f"You are in {school_class.name}.")
            return redirect_303("assignments")
    elif request.method == "POST":
        status = 400
    return render(request, "classes/join.html", {"nav": "assignments", "form": form}, status=status)
