from django import forms
from django.contrib.auth import password_validation
from django.urls import reverse_lazy
from django.utils.html import format_html

from accounts import children
from accounts.forms import GRADE_CHOICES, clean_deliverable_email
from accounts.models import User


class FamilyCodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Family code",
        help_text="Your teenager makes it on their Profile page, e.g. 7KQ2-M9XD. It works once, for 7 days.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class ChildNameField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=60,
            label="Your child's name",
            help_text="A first name or a nickname is enough: other children see at most the first name and an initial.",
            **kwargs,
        )


class ChildAccountForm(forms.Form):
    """A parent makes their child's account: no e-mail, a username to sign in, the parent's consent."""

    name = ChildNameField()
    username = forms.CharField(
        max_length=30,
        label="Username",
        help_text="What your child types to sign in: 3–30 letters, digits, dots, - and _. Any letter case works.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    grade_level = forms.TypedChoiceField(
        choices=GRADE_CHOICES, coerce=int, empty_value=None, required=False, label="Grade (optional)"
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": "Tick the box to agree: we can only make the account with your consent."},
    )
    # A child's request this account answers (accounts.family.parent_request_for): used up when it is made.
    request = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, passphrase: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = format_html(
            "Easy to type and hard to guess, such as <strong class='suggested-passphrase'>{}</strong> "
            "(a suggestion: use it, or choose your own). Write it down for your child.",
            passphrase,
        )
        self.fields["consent"].label = format_html(
            'I am this child\'s parent or guardian and I agree to the <a href="{}" target="_blank">privacy notice</a>.',
            reverse_lazy("privacy"),
        )

    def clean_username(self):
        try:
            return children.validate_username(self.cleaned_data["username"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def clean(self):
        super().clean()
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords are not the same.")
        elif password1:
            user = User(username=self.cleaned_data.get("username") or "")
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return self.cleaned_data


class RenameChildForm(forms.Form):
    name = ChildNameField()


class LeaderboardForm(forms.Form):
    on_leaderboard = forms.BooleanField(required=False, label="Show my child on the site-wide leaderboard")


class InvitationForm(forms.Form):
    email = forms.EmailField(
        max_length=255,
        label="The other parent's e-mail",
        help_text="They get a link that works once, for 7 days, signed in as a parent with this address.",
    )

    def clean_email(self):
        return clean_deliverable_email(self.cleaned_data["email"])


class EraseChildForm(forms.Form):
    confirm_name = forms.CharField(max_length=255, label="Type your child's name to confirm")

    def __init__(self, *args, name: str, **kwargs):
        self.name = name
        super().__init__(*args, **kwargs)

    def clean_confirm_name(self):
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.name.split()).casefold():
            raise forms.ValidationError(f"Type the name exactly as shown: {self.name}.")
        return typed


class ConsentAgainForm(forms.Form):
    consent = forms.BooleanField(
        required=True,
        label="I am this child's parent or guardian and I agree to the privacy notice again.",
        error_messages={"required": "Tick the box to agree again."},
    )
