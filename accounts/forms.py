import calendar
import zoneinfo

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import models, transaction
from django.http import HttpRequest

from accounts import signup, throttle
from accounts.inventory import NOTICE_VERSION
from accounts.models import Consent, Parent, Student, ThrottleHit, User, is_reserved_email

GRADE_CHOICES = [("", "—")] + [(str(n), f"Grade {n}") for n in range(1, 13)]
TIME_ZONES = sorted(zoneinfo.available_timezones())


def clean_time_zone(value: str | None) -> str | None:
    """An IANA time zone name, or None (the site's TIME_ZONE)."""
    value = (value or "").strip()
    if not value:
        return None
    if value not in zoneinfo.available_timezones():
        raise forms.ValidationError("Choose a time zone from the list.")
    return value


def clean_deliverable_email(value: str) -> str:
    """An address we may write to, normalised: never one of the reserved addresses of accounts without one."""
    email = User.objects.normalize_email(value)
    if is_reserved_email(email):
        raise forms.ValidationError("Enter an e-mail address that receives mail.")
    return email


def clean_new_email(value: str, *, current: User | None = None) -> str:
    email = clean_deliverable_email(value)
    taken = User.objects.with_email(email)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise forms.ValidationError("An account with this e-mail already exists. Log in instead?")
    return email


class SignupForm(forms.Form):
    """Name, e-mail and a password twice; the profile fields are added by subclasses."""

    name = forms.CharField(max_length=255, label="Your name")
    email = forms.EmailField(max_length=255, label="E-mail")
    password1 = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self):
        # Never "this address has an account": the sign-up answers the same either way (accounts.signup).
        return clean_deliverable_email(self.cleaned_data["email"])

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords are not the same.")
        elif password1:
            user = User(email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def begin(self, request: HttpRequest) -> None:
        """Start the sign-up: the account waits for the link mailed to its address (accounts.signup)."""
        signup.begin(
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password1"],
            create_profile=self.create_profile,
            host=request.get_host(),
            secure=request.is_secure(),
        )

    def create_profile(self, user: User) -> models.Model:
        raise NotImplementedError


class StudentSignupForm(SignupForm):
    grade_level = forms.TypedChoiceField(
        choices=GRADE_CHOICES, coerce=int, empty_value=None, required=False, label="Grade (optional)"
    )
    # Filled from the browser by static/js/timezone.js; empty means the site's time zone.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-fill-from-browser": "1"}))

    def clean_time_zone(self):
        # A bad value from a browser is not the child's fault: fall back to the site's zone.
        try:
            return clean_time_zone(self.cleaned_data.get("time_zone"))
        except forms.ValidationError:
            return None

    def create_profile(self, user: User) -> Student:
        """The student's own account: old enough (the birth step said so), their sign-up is their consent."""
        student = Student.objects.create(
            user=user,
            email=user.email,
            name=self.cleaned_data["name"],
            grade_level=self.cleaned_data["grade_level"],
            time_zone=self.cleaned_data["time_zone"],
        )
        Consent.objects.create(
            student=student, basis=Consent.Basis.SELF, granted_by=user, notice_version=NOTICE_VERSION
        )
        return student


MONTHS = [("", "Month")] + [(str(number), calendar.month_name[number]) for number in range(1, 13)]


class BirthForm(forms.Form):
    """The age question before a student's own sign-up: neutral (nothing says which answer goes on), and
    its answer is not stored, only what it decides (accounts.signup.needs_parent)."""

    birth_month = forms.TypedChoiceField(choices=MONTHS, coerce=int, label="Month")
    birth_year = forms.IntegerField(
        label="Year", min_value=1900, widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "Year"})
    )

    def clean(self):
        super().clean()
        year, month = self.cleaned_data.get("birth_year"), self.cleaned_data.get("birth_month")
        if year is not None and month is not None:
            today = signup.today()
            if (year, month) > (today.year, today.month):
                raise forms.ValidationError("That date is in the future. When were you born?")
        return self.cleaned_data

    def needs_parent(self) -> bool:
        return signup.needs_parent(self.cleaned_data["birth_year"], self.cleaned_data["birth_month"])


class ParentRequestForm(forms.Form):
    """A child too young to sign up alone: their first name and a parent's address, nothing else."""

    name = forms.CharField(max_length=60, label="Your first name")
    parent_email = forms.EmailField(max_length=255, label="Your parent's e-mail")

    def clean_parent_email(self):
        return clean_deliverable_email(self.cleaned_data["parent_email"])


class ParentSignupForm(SignupForm):
    # Filled from the browser by static/js/timezone.js: the weekly summary arrives on the parent's Monday.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-fill-from-browser": "1"}))

    def clean_time_zone(self):
        try:
            return clean_time_zone(self.cleaned_data.get("time_zone"))
        except forms.ValidationError:
            return None

    def create_profile(self, user: User) -> Parent:
        return Parent.objects.create(
            user=user,
            email=user.email,
            name=self.cleaned_data["name"],
            time_zone=self.cleaned_data["time_zone"],
        )


class StudentProfileForm(forms.Form):
    name = forms.CharField(max_length=255, label="Name")
    email = forms.EmailField(max_length=255, label="E-mail")
    current_password = forms.CharField(
        label="Your password (only to change the e-mail)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="The e-mail signs you in and resets your password, so changing it needs your password.",
    )
    grade_level = forms.TypedChoiceField(
        choices=GRADE_CHOICES, coerce=int, empty_value=None, required=False, label="Grade"
    )
    time_zone = forms.ChoiceField(
        choices=[("", "Site default")] + [(z, z) for z in TIME_ZONES],
        required=False,
        label="Time zone",
        help_text="Your day (for streaks) starts at midnight in this time zone.",
    )

    def __init__(self, *args, student: Student, **kwargs):
        self.student = student
        kwargs["initial"] = {
            "name": student.name,
            "email": student.email,
            "grade_level": student.grade_level,
            "time_zone": student.time_zone or "",
        }
        super().__init__(*args, **kwargs)
        if not student.user.has_email:
            # A child whose parent made the account: no e-mail to change, and the parent keeps the name.
            for field in ("name", "email", "current_password"):
                del self.fields[field]

    def clean_email(self):
        return clean_new_email(self.cleaned_data["email"], current=self.student.user)

    def clean_time_zone(self):
        return clean_time_zone(self.cleaned_data.get("time_zone"))

    def clean(self):
        super().clean()
        email = self.cleaned_data.get("email")
        password = self.cleaned_data.get("current_password") or ""
        if email and email != self.student.user.email and not self.student.user.check_password(password):
            self.add_error("current_password", "To change the e-mail, type your current password.")
        return self.cleaned_data

    @transaction.atomic
    def save(self) -> Student:
        data = self.cleaned_data
        fields = {"grade_level": data["grade_level"], "time_zone": data["time_zone"]}
        if "email" in data:
            User.objects.filter(pk=self.student.user.pk).update(email=data["email"])
            self.student.user.email = data["email"]
            fields.update(name=data["name"], email=data["email"])
        # A new cache version: names and "today" may change.
        Student.objects.filter(pk=self.student.pk).update_with_new_version(**fields)
        self.student.refresh_from_db()
        return self.student


TOO_MANY_LOGINS = "Too many failed logins for this account from your network. Please try again in 15 minutes."
TOO_MANY_FROM_NETWORK = (
    "Too many failed logins from your network. If this is your account, check your password and try again "
    "in 15 minutes."
)


class LoginForm(AuthenticationForm):
    """The login form, throttled.

    5 failed logins for one account from one address lock that pair out for 15 minutes, even with the
    right password. 100 failed logins from one address (any accounts: a school is one address) make it
    suspect: from then on an account with failures of its own from there waits too, and a wrong
    password is refused as "too many", but the right password of an account without failures of its
    own still signs in, so a classmate's guessing never locks a whole school out.

    The check and the count are one step: the (account, address) pair's lock is held from the check
    to the count, so parallel guesses are checked one after the other and never more than 5 get a
    verdict.
    """

    throttled = False
    error_messages = {
        **AuthenticationForm.error_messages,
        # The e-mail or username is read in any letter case; only the password is not.
        "invalid_login": ("Please enter a correct e-mail (or username) and password. The password is case-sensitive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail or username"
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "spellcheck": "false"})

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else ""
        refusal: forms.ValidationError | None = None
        with transaction.atomic():
            ThrottleHit.objects.hold("login", username, address)
            if ThrottleHit.objects.is_blocked("login", username, address):
                refusal = forms.ValidationError(TOO_MANY_LOGINS, code="throttled")
            else:
                suspect = ThrottleHit.objects.is_blocked("login-address", address)
                try:
                    if suspect and ThrottleHit.objects.has_recent("login", username, address):
                        raise forms.ValidationError(TOO_MANY_FROM_NETWORK, code="throttled")
                    super().clean()
                except forms.ValidationError as error:
                    if username:
                        ThrottleHit.objects.hit("login", username, address)
                        ThrottleHit.objects.hit("login-address", address)
                    refusal = forms.ValidationError(TOO_MANY_FROM_NETWORK, code="throttled") if suspect else error
                else:
                    ThrottleHit.objects.clear("login", username, address)
        # Raised after the transaction, so that the counted failure is committed.
        if refusal is not None:
            self.throttled = refusal.code == "throttled"
            raise refusal
        return self.cleaned_data


class PasswordResetRequestForm(PasswordResetForm):
    """The reset page's form: the mail is left to the task worker (accounts.tasks.send_password_reset),
    enqueued for any well-formed address, so the page answers alike whether it has an account."""

    def save(self, *, request, use_https=False, **options):  # type: ignore[override]
        from accounts.tasks import send_password_reset

        send_password_reset.enqueue(self.cleaned_data["email"], request.get_host(), use_https)


class TOTPCodeForm(forms.Form):
    code = forms.CharField(
        max_length=10,
        label="6-digit code",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
