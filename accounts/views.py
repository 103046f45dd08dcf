from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_http_methods

from accounts.access import student_required
from accounts.forms import StudentProfileForm, StudentSignupForm
from edtech.cache import TTL

# Where each kind of account starts.
HOME_BY_ROLE = {"student": "learn", "parent": "family", "staff": "admin:index"}


def home(request):
    """Signed-in users go to their start page; everyone else sees the landing page."""
    if request.user.is_authenticated:
        return redirect(HOME_BY_ROLE.get(request.user.role, "profile_missing"))
    return _landing(request)


# The landing page is the same for every anonymous visitor, so the whole page is cached.
@cache_page(TTL["question_content"], key_prefix="landing")
def _landing(request):
    return render(request, "home.html")


def profile_missing(request):
    return render(request, "accounts/profile_missing.html", status=403)


@require_http_methods(["GET", "POST"])
def signup_student(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = StudentSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        student = form.save()
        login(request, student.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {student.name}! Pick a chapter to start.")
        return redirect("learn")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup_student.html", {"form": form}, status=status)


@student_required
@require_http_methods(["GET", "POST"])
def profile(request):
    student = request.user.student
    form = StudentProfileForm(request.POST or None, student=student)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/profile.html", {"nav": "profile", "form": form, "student": student}, status=status)
