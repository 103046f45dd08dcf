import logging

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from accounts import children, data_rights, ranks
from accounts import family as families
from accounts.access import parent_required
from accounts.models import Student, ThrottleHit, User
from accounts.views import redirect_303
from analytics import summaries
from classes import progress as class_work
from classes import rosters
from edtech import cache
from family.forms import (
    ChildAccountForm,
    ConsentAgainForm,
    EraseChildForm,
    FamilyCodeForm,
    InvitationForm,
    LeaderboardForm,
    RenameChildForm,
)

logger = logging.getLogger(__name__)


@parent_required
def family(request):
    parent = request.user.parent
    cards = []
    for child in families.children_of(parent):
        today = summaries.today_for(child)
        cards.append({"child": child, "streak": summaries.streak(child, today), "week": summaries.week(child, today)})
    context = {
        "nav": "family",
        "cards": cards,
        "requests": [
            {"request": r, "token": families.parent_request_token(r)} for r in families.pending_requests(parent)
        ],
        "invitations": [
            {"invitation": i, "token": families.invitation_token(i)} for i in families.pending_invitations(parent)
        ],
    }
    return render(request, "family/family.html", context)


@parent_required
@require_http_methods(["GET", "POST"])
def new_child(request):
    """A parent makes their child's account (no e-mail: a username), with their consent; from a child's
    request (?request=…) the name is filled in, and the request is used up."""
    token = request.POST.get("request") if request.method == "POST" else request.GET.get("request")
    child_request = families.parent_request_for(token)
    initial = {"request": token if child_request else ""}
    if child_request is not None:
        initial |= {"name": child_request.child_name, "username": children.suggest_username(child_request.child_name)}
    else:
        initial["username"] = children.suggest_username()
    form = ChildAccountForm(request.POST or None, initial=initial, passphrase=children.new_passphrase())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = children.make_family_child(
                parent=request.user.parent,
                name=data["name"],
                username=data["username"],
                password=data["password1"],
                grade_level=data["grade_level"],
            )
        except IntegrityError:  # the username was taken a moment ago
            form.add_error("username", "This username is taken (in some letter case). Try another.")
        else:
            if child_request is not None:
                child_request.delete()
            messages.success(
                request, f"{child.name}'s account is ready: print the sign-in card below, and keep the password safe."
            )
            return redirect_303("family_child", student_id=child.pk)
    status = 400 if request.method == "POST" else 200
    context = {"nav": "family", "form": form, "child_request": child_request}
    return render(request, "family/new_child.html", context, status=status)


@parent_required
@require_http_methods(["GET", "POST"])
def link_child(request):
    form = FamilyCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            child = families.link_with_code(parent=request.user.parent, typed=form.cleaned_data["code"])
        except families.TooManyWrongCodes:
            form.add_error("code", "Too many wrong codes. Please try again later (in an hour).")
            status = 429
        except families.WrongCode:
            form.add_error(
                "code",
                "That code doesn't match any child, or it has expired or been used. Ask for a new one "
                "(made on your teenager's Profile page).",
            )
            status = 400
        else:
            messages.success(request, f"You are linked to {child.name}.")
            return redirect("family_child", student_id=child.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "family/link_child.html", {"nav": "family", "form": form}, status=status)


def _child(request, student_id) -> Student:
    """The signed-in parent's child, or 404: never confirm that another family's child exists."""
    student = families.child_of(request.user.parent, student_id)
    if student is None:
        raise Http404("No such child.")
    return student


def _managed_child(request, student_id) -> Student:
    """A child this parent manages (an account a parent made); a teenager's own account is theirs: 403."""
    student = _child(request, student_id)
    if not families.parent_manages(student):
        raise PermissionDenied("This is your teenager's own account: they manage it on their Profile page.")
    return student


@parent_required
def child(request, student_id):
    student = _child(request, student_id)
    manages = families.parent_manages(student)
    classes = list(student.classes.order_by("name"))
    context = {
        "student": student,
        "week": summaries.week(student, summaries.today_for(student)),
        "progress_html": summaries.progress_html(student, "parent"),
        "nav": "family",
        "manages": manages,
        "classes": classes,
        "work": class_work.child_assignments(student, classes=classes),
        "teacher_actions": student.teacher_actions.select_related("teacher").order_by("-at")[:20],
    }
    if manages:
        context |= {
            "rename_form": RenameChildForm(initial={"name": student.name}),
            "leaderboard_form": LeaderboardForm(initial={"on_leaderboard": student.on_leaderboard}),
            "invitation_form": InvitationForm(),
            "consent_form": ConsentAgainForm(),
            "parents": student.parents.order_by("name"),
        }
    return render(request, "family/child.html", context)


@parent_required
@require_POST
def leave_class(request, student_id, class_id):
    """A parent takes their child out of a class (the account stays)."""
    student = _child(request, student_id)
    if not rosters.leave(student=student, class_id=class_id):
        raise Http404("The child is not in that class.")
    messages.success(request, f"{student.name} is no longer in that class.")
    return redirect_303("family_child", student_id=student.pk)


@parent_required
@require_POST
def rename_child(request, student_id):
    student = _managed_child(request, student_id)
    form = RenameChildForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a name (a first name or a nickname, up to 60 letters).")
        return redirect_303("family_child", student_id=student.pk)
    # A new cache version: pages (and the leaderboard) show the new name.
    Student.objects.filter(pk=student.pk).update_with_new_version(name=form.cleaned_data["name"])
    messages.success(request, f"The name is now {form.cleaned_data['name']}.")
    return redirect_303("family_child", student_id=student.pk)


@parent_required
@require_POST
def reset_child_password(request, student_id):
    """A new passphrase, shown on this answer only (it is stored only as a hash)."""
    student = _managed_child(request, student_id)
    passphrase = children.reset_password(student)
    logger.info("child password reset student_id=%s parent_id=%s", student.pk, request.user.parent.pk)
    context = {"nav": "family", "student": student, "passphrase": passphrase}
    return render(request, "family/new_password.html", context)


@parent_required
def sign_in_card(request, student_id):
    """A printable card: the site's address, the username and a QR code of the sign-in page with the
    username filled in. Never the password."""
    student = _managed_child(request, student_id)
    site = request.build_absolute_uri("/")
    login_url = request.build_absolute_uri(f"{reverse('login')}?username={student.user.username}")
    qr = segno.make(login_url, error="m").svg_inline(scale=4, title=f"Sign-in page for {student.user.username}")
    context = {"student": student, "site": site, "login_url": login_url, "qr_svg": mark_safe(qr)}  # noqa: S308
    return render(request, "family/card.html", context)


@parent_required
@require_POST
def child_leaderboard(request, student_id):
    student = _managed_child(request, student_id)
    form = LeaderboardForm(request.POST)
    form.is_valid()  # a checkbox: absent is off
    on = bool(form.cleaned_data.get("on_leaderboard"))
    Student.objects.filter(pk=student.pk).update_with_new_version(on_leaderboard=on)
    ranks.refresh(student.pk)
    cache.delete(cache.leaderboard_entry())
    messages.success(
        request,
        f"{student.name} is {'on' if on else 'off'} the leaderboard{'' if on else ': other children do not see them'}.",
    )
    return redirect_303("family_child", student_id=student.pk)


@parent_required
def export_child(request, student_id):
    student = _managed_child(request, student_id)
    logger.info("student data exported student_id=%s parent_id=%s", student.pk, request.user.parent.pk)
    return data_rights.export_download(student)


@parent_required
@require_http_methods(["GET", "POST"])
def erase_child(request, student_id):
    student = _managed_child(request, student_id)
    form = EraseChildForm(request.POST or None, name=student.name)
    if request.method == "POST" and form.is_valid():
        data_rights.erase_student(student)
        # Ids only: the log outlives the erasure.
        logger.info(
            "student erased student_id=%s account_id=%s parent_id=%s",
            student.pk,
            student.user.pk,
            request.user.parent.pk,
        )
        messages.success(request, f"{student.name}'s account and all of its data were erased.")
        return redirect_303("family")
    status = 400 if request.method == "POST" else 200
    context = {"nav": "family", "student": student, "form": form, "counts": data_rights.erasure_counts(student)}
    return render(request, "family/erase.html", context, status=status)


@parent_required
@require_POST
def revoke_consent(request, student_id):
    """Consent withdrawn: the child's account stops at once; the parent is offered the erasure."""
    student = _managed_child(request, student_id)
    children.revoke_consent(student)
    logger.info("consent revoked student_id=%s parent_id=%s", student.pk, request.user.parent.pk)
    messages.warning(
        request,
        f"Consent withdrawn: {student.name}'s account is stopped and nobody can sign in to it. "
        "Erase it below, or give consent again on the child's page.",
    )
    return redirect_303("family_erase_child", student_id=student.pk)


@parent_required
@require_POST
def grant_consent(request, student_id):
    student = _managed_child(request, student_id)
    form = ConsentAgainForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick the box to agree again.")
    else:
        children.grant_consent_again(student, by=request.user)
        messages.success(request, f"Thank you: {student.name}'s account works again.")
    return redirect_303("family_child", student_id=student.pk)


@parent_required
@require_POST
def invite_parent(request, student_id):
    student = _managed_child(request, student_id)
    parent = request.user.parent
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["email"]))
        return redirect_303("family_child", student_id=student.pk)
    if ThrottleHit.objects.is_blocked("invitation", str(parent.pk)):
        messages.error(request, "You have sent many invitations in the last hour. Please try again later.")
        return redirect_303("family_child", student_id=student.pk)
    ThrottleHit.objects.hit("invitation", str(parent.pk))
    families.invite(
        student=student,
        by=parent,
        email=form.cleaned_data["email"],
        host=request.get_host(),
        secure=request.is_secure(),
    )
    messages.success(request, f"We e-mailed an invitation to {form.cleaned_data['email']}. It works once, for 7 days.")
    return redirect_303("family_child", student_id=student.pk)


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """An invitation's link: a parent signed in with the invited address joins the child's family."""
    try:
        invitation = families.invitation_for(token)
    except families.InvitationGone:
        return render(request, "family/invitation_gone.html", status=410)
    if invitation is None:
        raise Http404("No such invitation.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.role != "parent":
        raise PermissionDenied("Invitations are for parent accounts.")
    context = {"nav": "family", "invitation": invitation}
    if request.method == "POST":
        try:
            student = families.accept_invitation(invitation, request.user.parent)
        except families.NotYourInvitation:
            return render(request, "family/invitation.html", context | {"wrong_address": True}, status=403)
        except families.InvitationGone:
            return render(request, "family/invitation_gone.html", status=410)
        messages.success(request, f"You now follow {student.name}, with {invitation.invited_by.name}.")
        return redirect_303("family_child", student_id=student.pk)
    if User.objects.normalize_email(request.user.email) != invitation.email:
        return render(request, "family/invitation.html", context | {"wrong_address": True}, status=403)
    return render(request, "family/invitation.html", context)
