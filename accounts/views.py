import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from markdown_it import MarkdownIt

from accounts import family, inventory, signup, throttle
from accounts.access import student_required
from accounts.forms import (
    BirthForm,
    LoginForm,
    ParentRequestForm,
    ParentSignupForm,
    PasswordResetRequestForm,
    StudentProfileForm,
    StudentSignupForm,
    TOTPCodeForm,
)
from accounts.inventory import NOTICE_VERSION
from accounts.middleware import SECOND_FACTOR_DONE
from accounts.models import StaffTOTP, ThrottleHit, User
from edtech import cache

# Where each kind of account starts.
HOME_BY_ROLE = {"student": "learn", "parent": "family", "teacher": "classes", "staff": "admin:index"}


def home(request):
    """Signed-in users go to their start page; everyone else sees the landing page."""
    if request.user.is_authenticated:
        return redirect(HOME_BY_ROLE.get(request.user.role, "profile_missing"))
    return _landing(request)


def _landing(request):
    # Its content is the same for every visitor (never keyed by the URL); the page around it is not.
    landing = cache.get_or_compute(cache.landing_page_entry(), lambda: render_to_string("landing.html"))
    return render(request, "home.html", {"landing": mark_safe(landing)})  # noqa: S308 - our own template's output


def privacy(request):
    """The privacy notice: PRIVACY.md (its data table generated from accounts.inventory), as a page.
    Raw HTML in the file is escaped, not passed through."""
    text = (settings.BASE_DIR / "PRIVACY.md").read_text(encoding="utf-8")
    text = text.replace(inventory.START_MARKER, "").replace(inventory.END_MARKER, "")
    notice = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    context = {"notice": mark_safe(notice), "version": NOTICE_VERSION}  # noqa: S308 - our own file, HTML escaped
    return render(request, "accounts/privacy.html", context)


def profile_missing(request):
    return render(request, "accounts/profile_missing.html", status=403)


TOO_MANY_SIGNUPS = "Too many new accounts from your network in the last hour. Please try again later."
TOO_MANY_RESETS = "Too many password reset requests from your network. Please try again later."


PENDING_2FA = "pending_2fa_user"
PENDING_2FA_NEXT = "pending_2fa_next"
# The account's session hash when its password was checked: a password change since ends the pending step.
PENDING_2FA_HASH = "pending_2fa_hash"


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def get_initial(self):
        # A child's sign-in card links here with the username filled in (never the password).
        return {**super().get_initial(), "username": self.request.GET.get("username", "")[:255]}

    def form_valid(self, form):
        user = form.get_user()
        if StaffTOTP.objects.filter(user=user, confirmed=True).exists():
            # The password was right; the account is signed in only after the second factor.
            self.request.session.cycle_key()
            self.request.session[PENDING_2FA] = user.pk
            self.request.session[PENDING_2FA_NEXT] = self.get_success_url()
            self.request.session[PENDING_2FA_HASH] = user.get_session_auth_hash()
            return redirect("two_factor_verify")
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if form.throttled else 400
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm

    def post(self, request, *args, **kwargs):
        address = throttle.client_address(request)
        if ThrottleHit.objects.is_blocked("password-reset-address", address):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, TOO_MANY_RESETS)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        ThrottleHit.objects.hit("password-reset-address", address)
        return super().post(request, *args, **kwargs)


def signup_page(request, form, template, context=None):
    """A sign-up with an e-mail address: every attempt counts towards the address's limit, and a valid one
    is answered "check your e-mail", whether or not the address had an account (accounts.signup)."""
    context = {**(context or {}), "form": form}
    if request.method == "POST" and form.is_bound:
        address = throttle.client_address(request)
        if ThrottleHit.objects.is_blocked("signup-address", address):
            form.is_valid()
            form.add_error(None, TOO_MANY_SIGNUPS)
            return render(request, template, context, status=429)
        ThrottleHit.objects.hit("signup-address", address)
        if form.is_valid():
            form.begin(request)
            return redirect_303("signup_sent")
        return render(request, template, context, status=400)
    return render(request, template, context)


# Set in the session once a birth date below the consent age was given: going back and giving another
# date then changes nothing in this browser session (as the FTC advises for an age screen).
BELOW_CONSENT_AGE = "signup_below_consent_age"
TOO_MANY_REQUESTS = "We have already asked this parent a few times in the last hour. Please try again later."


@require_http_methods(["GET", "POST"])
def signup_student(request):
    """A student's own sign-up, after a neutral age question: at or above PARENTAL_CONSENT_AGE the account
    form (their own consent), below it no account, only a request to a parent (accounts.family.ask_parent).
    One page in steps; a tool may also send every field in one POST."""
    if request.user.is_authenticated:
        return redirect("home")
    template = "accounts/signup_student.html"
    if request.method == "GET":
        return render(request, template, {"step": "birth", "birth": BirthForm()})
    birth = BirthForm(request.POST)
    if not birth.is_valid():
        return render(request, template, {"step": "birth", "birth": birth}, status=400)
    if request.session.get(BELOW_CONSENT_AGE) or birth.needs_parent():
        request.session[BELOW_CONSENT_AGE] = True
        return _ask_parent(request, birth, template)
    form = StudentSignupForm(request.POST if "email" in request.POST else None)
    return signup_page(request, form, template, {"step": "account", "birth": birth})


def _ask_parent(request, birth, template):
    form = ParentRequestForm(request.POST if "parent_email" in request.POST else None)
    context = {"step": "parent", "birth": birth, "form": form}
    if not form.is_bound:
        return render(request, template, context)
    address = throttle.client_address(request)
    if ThrottleHit.objects.is_blocked("signup-address", address):
        form.is_valid()
        form.add_error(None, TOO_MANY_SIGNUPS)
        return render(request, template, context, status=429)
    ThrottleHit.objects.hit("signup-address", address)
    if not form.is_valid():
        return render(request, template, context, status=400)
    email = form.cleaned_data["parent_email"]
    with transaction.atomic():
        ThrottleHit.objects.hold("parent-request", email)
        blocked = ThrottleHit.objects.is_blocked("parent-request", email)
        if not blocked:
            ThrottleHit.objects.hit("parent-request", email)
            family.ask_parent(
                child_name=form.cleaned_data["name"],
                parent_email=email,
                host=request.get_host(),
                secure=request.is_secure(),
            )
    if blocked:
        form.add_error(None, TOO_MANY_REQUESTS)
        return render(request, template, context, status=429)
    return redirect_303("signup_asked")


def signup_asked(request):
    return render(request, "accounts/signup_asked.html")


@require_http_methods(["GET", "POST"])
def signup_parent(request):
    """A parent's sign-up; from a child's request (?request=…), a note saying so, and a signed-in parent
    goes straight on to the child form."""
    token = request.GET.get("request")
    child_request = family.parent_request_for(token)
    if request.user.is_authenticated:
        if child_request is not None and request.user.role == "parent":
            return redirect(f"{reverse('family_new_child')}?request={token}")
        return redirect("home")
    initial = {"email": child_request.parent_email} if child_request else None
    form = ParentSignupForm(request.POST or None, initial=initial)
    context = {"child_request": child_request, "request_token": token if child_request else ""}
    return signup_page(request, form, "accounts/signup_parent.html", context)


def signup_sent(request):
    return render(request, "accounts/signup_sent.html")


WELCOME = {
    "student": "Welcome, {name}! Pick a chapter to start.",
    "parent": "Welcome, {name}! Add your child's account, or link a teenager's own with their family code.",
    "teacher": "Welcome, {name}! Staff approve teachers' accounts; meanwhile, turn on your second factor.",
}


@require_http_methods(["GET", "POST"])
def signup_confirm(request, uidb64, token):
    """The link from the sign-up mail: a button to finish (a mail scanner that opens links changes nothing),
    then the account opens and signs in."""
    user = signup.pending_account(uidb64, token)
    if user is None:
        return render(request, "accounts/signup_link_invalid.html", status=400)
    if request.method == "POST":
        signup.confirm(user)
        login(request, user, backend="accounts.backends.EmailBackend")
        role = user.role
        messages.success(request, WELCOME.get(role, "Welcome!").format(name=getattr(user, role).name if role else ""))
        return redirect_303(HOME_BY_ROLE.get(role, "profile_missing"))
    return render(request, "accounts/signup_confirm.html", {"email": user.email})


def redirect_303(to, *args, **kwargs):
    """Post/Redirect/Get: the browser GETs the next page."""
    response = redirect(to, *args, **kwargs)
    response.status_code = 303
    return response


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
    context = {
        "nav": "profile",
        "form": form,
        "student": student,
        "may_have_code": family.may_have_code(student),
        "family_code": family.live_code(student),
        "parents": student.parents.order_by("name"),
    }
    return render(request, "accounts/profile.html", context, status=status)


@student_required
@require_POST
def replace_family_code(request):
    student = request.user.student
    if not family.may_have_code(student):
        raise PermissionDenied("Your parent made your account: they invite other parents from their family page.")
    family.replace_code(student)
    messages.success(
        request, f"Your new family code works once, for {family.CODE_DAYS} days. Any older one no longer works."
    )
    return redirect("profile")


@student_required
@require_POST
def unlink_parent(request, parent_id):
    if family.unlink(student=request.user.student, parent_id=parent_id):
        messages.success(request, "That parent can no longer see your progress.")
    elif family.parent_manages(request.user.student):
        messages.error(request, "Your parent made your account, so they stay linked to it.")
    return redirect("profile")


TOO_MANY_CODES = "Too many wrong codes. Please try again in 15 minutes."


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """Second step of a staff login: the authenticator app's code, for the password checked in the first step."""
    user = User.objects.filter(pk=request.session.get(PENDING_2FA), is_active=True).first()
    device = StaffTOTP.objects.filter(user=user, confirmed=True).first() if user else None
    if user is None or device is None or request.session.get(PENDING_2FA_HASH) != user.get_session_auth_hash():
        # Nothing pending, or the password changed since it was checked: start again.
        for key in (PENDING_2FA, PENDING_2FA_NEXT, PENDING_2FA_HASH):
            request.session.pop(key, None)
        return redirect("login")
    form = TOTPCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if ThrottleHit.objects.is_blocked("second-factor", user.email):
            form.add_error("code", TOO_MANY_CODES)
            status = 429
        elif device.use(form.cleaned_data["code"]):
            next_url = request.session.get(PENDING_2FA_NEXT) or "/"
            login(request, user, backend="accounts.backends.EmailBackend")
            request.session[SECOND_FACTOR_DONE] = True
            ThrottleHit.objects.clear("second-factor", user.email)
            return redirect(next_url)
        else:
            ThrottleHit.objects.hit("second-factor", user.email)
            form.add_error("code", "That code is not right (or was already used). Try the newest code.")
            status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/two_factor_verify.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Staff turn their second factor on (scan the secret, confirm a code) or off (with a code)."""
    if not request.user.is_authenticated:
        return auth_views.redirect_to_login(request.get_full_path())
    if not (request.user.is_staff or request.user.role == "teacher"):
        raise PermissionDenied("The second factor is for staff and teachers' accounts.")
    device, _ = StaffTOTP.objects.get_or_create(user=request.user, defaults={"secret": StaffTOTP.new_secret()})
    form = TOTPCodeForm(request.POST or None)
    status = 200
    required = request.user.must_use_second_factor
    if request.method == "POST" and form.is_valid():
        if device.confirmed and required:
            form.add_error(None, "Your account can see children's data: its second factor stays on.")
            status = 400
        elif device.use(form.cleaned_data["code"]):
            if device.confirmed:
                device.delete()
                messages.success(request, "Your second factor is off.")
            else:
                StaffTOTP.objects.filter(pk=device.pk).update(confirmed=True)
                request.session[SECOND_FACTOR_DONE] = True
                messages.success(request, "Your second factor is on: logins now ask for a code.")
            return redirect("two_factor_setup")
        else:
            form.add_error("code", "That code is not right. Check the time on your phone and try the newest code.")
            status = 400
    elif request.method == "POST":
        status = 400
    uri = device.provisioning_uri
    context = {
        "form": form,
        "device": device,
        "required": required,
        "uri": uri,
        # The same link as a QR code to scan, drawn on the server (SVG: no script, no image request).
        "qr_svg": mark_safe(segno.make(uri, error="m").svg_inline(scale=4, title="The key as a QR code")),  # noqa: S308
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)
