import datetime
import uuid
from typing import Any, cast

from django import forms
from django.core import signing
from django.utils import timezone

from accounts.models import Student
from curriculum import mathtext
from curriculum.models import Question
from edtech.forms import radio_choices
from learning.rules import option_order

TOKEN_SALT = "curriculum.answer-form"  # noqa: S105 - a signing salt, not a secret
# A rendered question stays answerable this long; after that the child reloads it.
TOKEN_MAX_AGE = datetime.timedelta(hours=12)
RELOAD_MESSAGE = "This question form has expired or was changed. Please reload the question and answer again."


def make_form_token(*, student: Student, question: Question, now: datetime.datetime | None = None) -> str:
    """A signed token naming the student, the question, a fresh form id and when the server rendered it."""
    now = now or timezone.now()
    payload = {"s": student.pk, "q": question.pk, "f": uuid.uuid4().hex, "t": now.timestamp()}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


class AnswerForm(forms.Form):
    """The answer to one question: the chosen option and the signed form token."""

    selected_answer_index = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Your answer")
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, question: Question, options: list[str], student: Student, **kwargs: Any) -> None:
        self.question = question
        self.student = student
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["selected_answer_index"])
        # Shown in the student's own order; the values are the stored indexes (selected_answer_index).
        order = option_order(student_id=student.pk, question_id=question.pk, count=len(options))
        field.choices = [(index, mathtext.render(options[index])) for index in order]
        field.error_messages = {
            "required": "Choose one of the answers.",
            "invalid_choice": "Choose one of the answers shown.",
        }

    @property
    def choices_shown(self) -> list[dict[str, Any]]:
        return radio_choices(self["selected_answer_index"])

    @property
    def token_is_bad(self) -> bool:
        return "token" in self.errors

    def clean_token(self) -> dict[str, Any]:
        try:
            payload = signing.loads(self.cleaned_data["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            if payload["s"] != self.student.pk or payload["q"] != self.question.pk:
                raise forms.ValidationError(RELOAD_MESSAGE)
            return {
                "form_token": uuid.UUID(hex=payload["f"]),
                "served_at": datetime.datetime.fromtimestamp(payload["t"], tz=datetime.UTC),
            }
        except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
            raise forms.ValidationError(RELOAD_MESSAGE) from error
