import datetime

from django import forms
from django.conf import settings

from accounts.forms import TIME_ZONES, SignupForm, clean_deliverable_email, clean_time_zone
from accounts.models import User
from classes import rosters
from classes.models import Teacher
from curriculum.models import Chapter


class TeacherSignupForm(SignupForm):
    school = forms.CharField(max_length=255, required=False, label="School (optional)")

    def create_profile(self, user: User) -> Teacher:
        return Teacher.objects.create(user=user, name=self.cleaned_data["name"], school=self.cleaned_data["school"])


class ClassForm(forms.Form):
    name = forms.CharField(max_length=100, label="Class name", help_text="As the children know it, e.g. 4B Maths.")
    time_zone = forms.ChoiceField(
        choices=[(z, z) for z in TIME_ZONES],
        label="Time zone",
        help_text="Work is due at 23:59 here, and the class's week starts on its Monday.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = settings.TIME_ZONE

    def clean_time_zone(self):
        return clean_time_zone(self.cleaned_data["time_zone"])


class RosterForm(forms.Form):
    names = forms.CharField(
        label="Children's names, one per line",
        help_text=f"A first name and an initial is enough. Up to {rosters.MAX_ROSTER} at a time.",
        widget=forms.Textarea(attrs={"rows": 10, "autocomplete": "off", "spellcheck": "false"}),
        max_length=20_000,
        strip=False,
    )

    def clean_names(self):
        names = rosters.parse_names(self.cleaned_data["names"])
        if not names:
            raise forms.ValidationError("Type at least one name, one child per line.")
        if len(names) > rosters.MAX_ROSTER:
            raise forms.ValidationError(
                f"That is {len(names)} names: at most {rosters.MAX_ROSTER} at a time. Add the rest in a second batch."
            )
        too_long = [n for n in names if len(n) > 60]
        if too_long:
            raise forms.ValidationError(f"A name is at most 60 letters: {too_long[0][:60]}…")
        return names


class JoinClassForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Class code",
        help_text="Your teacher gives it to you, e.g. 7KQ2-M9XD.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class InviteTeacherForm(forms.Form):
    # The field is in the class page's cached part; its form (with the teacher's CSRF token) is outside it.
    email = forms.EmailField(
        max_length=255, label="The other teacher's e-mail", widget=forms.EmailInput(attrs={"form": "invite-form"})
    )

    def clean_email(self):
        return clean_deliverable_email(self.cleaned_data["email"])


class AssignmentForm(forms.Form):
    title = forms.CharField(max_length=200)
    chapters = forms.MultipleChoiceField(
        label="Chapters", widget=forms.CheckboxSelectMultiple, help_text="One or more: their questions are the work."
    )
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs={"type": "date"}), help_text="Due at 23:59.")
    starts_on = forms.DateField(
        label="Starts on (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chapters = Chapter.objects.in_map_order().values_list("id", "subject", "name")
        field = self.fields["chapters"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(cid, f"{subject}: {name}") for cid, subject, name in chapters]
        self.fields["chapters"].error_messages["invalid_choice"] = (
            "There is no chapter %(value)s: choose from the list."
        )

    def clean(self):
        super().clean()
        starts_on, due_on = self.cleaned_data.get("starts_on"), self.cleaned_data.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", "The due date is before the start: it must be on or after it.")
        return self.cleaned_data


class ExtensionForm(forms.Form):
    student = forms.IntegerField(widget=forms.HiddenInput)
    due_on = forms.DateField(label="Own due date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    excused = forms.BooleanField(label="Excused", required=False)


def default_due() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=7)
