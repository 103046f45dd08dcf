"""The admin's question form: the options as separate text fields, the correct one picked among them."""

from django import forms
from django.contrib.admin.widgets import AdminRadioSelect
from django.core.exceptions import ValidationError

from curriculum import mathtext, pictures
from curriculum.models import MAX_OPTIONS, MIN_OPTIONS, Question
from edtech.forms import radio_choices

OPTION_FIELDS = tuple(f"option_{number}" for number in range(1, MAX_OPTIONS + 1))
FEEDBACK_FIELDS = tuple(f"feedback_{number}" for number in range(1, MAX_OPTIONS + 1))


def _feedback_field(number: int) -> forms.CharField:
    return forms.CharField(
        label=f"Feedback on option {number}",
        required=False,
        help_text="Optional: shown on the result to a child who chose this option (a common mistake explained).",
    )


def _option_field(number: int) -> forms.CharField:
    required = number <= MIN_OPTIONS
    return forms.CharField(
        label=f"Option {number}",
        required=required,
        error_messages={"required": f"A question needs at least {MIN_OPTIONS} options: write option {number}."},
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )


class QuestionAdminForm(forms.ModelForm):
    """Writes `options` as a JSON list of the filled option fields and `correct_answer_index` 0-based.

    The options must be filled from the first one on, without gaps (this form's layout);
    what makes a set of options valid is Question.clean()'s rule, which the ModelForm's
    validation runs and whose messages land here on the form. Changing the options or the
    correct answer of a question that students have answered needs confirm_answer_change
    ticked: the recorded answers keep the verdict they were given.
    """

    option_1 = _option_field(1)
    option_2 = _option_field(2)
    option_3 = _option_field(3)
    option_4 = _option_field(4)
    option_5 = _option_field(5)
    option_6 = _option_field(6)
    feedback_1, feedback_2, feedback_3 = _feedback_field(1), _feedback_field(2), _feedback_field(3)
    feedback_4, feedback_5, feedback_6 = _feedback_field(4), _feedback_field(5), _feedback_field(6)
    correct_option = forms.TypedChoiceField(
        label="Correct option",
        choices=[(number, str(number)) for number in range(1, MAX_OPTIONS + 1)],
        coerce=int,
        widget=AdminRadioSelect(attrs={"class": "radiolist inline"}),
        error_messages={
            "required": "Choose which option is the correct answer.",
            "invalid_choice": f"The correct option must be one of options 1 to {MAX_OPTIONS}.",
        },
    )
    difficulty_level = forms.TypedChoiceField(
        label="Difficulty",
        choices=[("", "Not set"), *Question.Difficulty.choices],
        required=False,
        empty_value=None,
    )
    confirm_answer_change = forms.BooleanField(
        label="Confirm the change of answers",
        required=False,
        help_text="Needed only when students have answered this question and its options or correct option change.",
    )

    class Meta:
        model = Question
        fields = (
            "quiz_id",
            "chapter",
            "difficulty_level",
            "question_text",
            "explanation",
            "image",
            "image_alt",
            "image_url",
        )
        labels = {"image_url": "Or a picture's address"}
        help_texts = {"image_url": "For pictures kept elsewhere (https://…); an uploaded picture is shown instead."}
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": pictures.ACCEPT})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        question = self.instance
        self.saved_options = [str(option) for option in question.options] if question.pk else []
        self.answer_count = question.submissions.count() if question.pk else 0
        if question.pk:
            for name, option in zip(OPTION_FIELDS, self.saved_options, strict=False):
                self.initial.setdefault(name, option)
            self.initial.setdefault("correct_option", question.correct_answer_index + 1)
            for name, message in zip(FEEDBACK_FIELDS, question.option_feedback or [], strict=False):
                self.initial.setdefault(name, message or "")
            self.fields[
                "confirm_answer_change"
            ].help_text = f"{self._answers()} so far. {self.fields['confirm_answer_change'].help_text}"

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        if "image_url" in self.changed_data and cleaned_data.get("image_url") and not cleaned_data.get("image_alt"):
            # A newly given address needs alt text too (older content kept without it still shows).
            self.add_error("image_alt", pictures.ALT_MISSING)
        if len(self.saved_options) > MAX_OPTIONS:
            raise forms.ValidationError(
                f"This question has {len(self.saved_options)} options, more than the {MAX_OPTIONS} this form "
                "can edit: saving it here would drop the others."
            )
        texts = [cleaned_data.get(name) or "" for name in OPTION_FIELDS]
        options = self._clean_options(texts)
        correct = cleaned_data.get("correct_option")
        if correct is not None and not texts[correct - 1]:
            self.add_error("correct_option", f"The correct option is option {correct}, which is empty.")
        if options is None or self.has_error("correct_option") or correct is None:
            return cleaned_data

        cleaned_data["options"] = options
        cleaned_data["correct_answer_index"] = correct - 1
        cleaned_data["option_feedback"] = [cleaned_data.get(name) or None for name in FEEDBACK_FIELDS[: len(options)]]
        answers_change = self.instance.pk and (
            options != self.saved_options or correct - 1 != self.instance.correct_answer_index
        )
        if answers_change and self.answer_count and not cleaned_data.get("confirm_answer_change"):
            self.add_error(
                "confirm_answer_change",
                f"This question has {self._answers()}. Their verdicts will not change. Tick to confirm.",
            )
        return cleaned_data

    def _clean_options(self, texts: list[str]) -> list[str] | None:
        """The filled options in order, or None after adding an error to each faulty field."""
        filled = [index for index, text in enumerate(texts) if text]
        last = filled[-1] if filled else -1
        valid = not any(self.has_error(name) for name in OPTION_FIELDS)
        for index in range(MIN_OPTIONS, last):
            if not texts[index]:
                self.add_error(
                    OPTION_FIELDS[index],
                    f"Option {index + 1} is empty but option {last + 1} is not: "
                    "fill it in, or move the later options up.",
                )
                valid = False
        return texts[: last + 1] if valid else None

    def add_error(self, field, error):
        # The model's errors name its columns; on this form they belong to the option fields.
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            errors = dict(error.error_dict)
            for message in errors.pop("options", []):
                number = (message.params or {}).get("option", 0)
                super().add_error(OPTION_FIELDS[number - 1] if 0 < number <= MAX_OPTIONS else None, message)
            for message in errors.pop("correct_answer_index", []):
                super().add_error("correct_option", message)
            if not errors:
                return
            error = ValidationError(errors)
        super().add_error(field, error)

    def _answers(self) -> str:
        return f"{self.answer_count} recorded answer{'' if self.answer_count == 1 else 's'}"

    def _post_clean(self):
        # The options and the correct index are the model's: set them before its full_clean() runs.
        if "options" in self.cleaned_data:
            self.instance.options = self.cleaned_data["options"]
            self.instance.correct_answer_index = self.cleaned_data["correct_answer_index"]
            self.instance.option_feedback = self.cleaned_data["option_feedback"]
        super()._post_clean()  # type: ignore[misc]  # ModelForm's own hook, absent from the stubs


class ChapterAdminForm(forms.ModelForm):
    """Human words for the chapter's unlock rule: a "Locked" checkbox (the column is nullable; unticked is
    open) and the XP a child needs to open it."""

    is_locked = forms.BooleanField(
        label="Locked",
        required=False,
        help_text="Locked chapters open when a child's XP reaches the amount below (or when a teacher assigns them).",
    )
    unlock_xp_required = forms.IntegerField(
        label="XP needed to open",
        min_value=0,
        required=False,
        help_text="Only for a locked chapter: the total XP at which it opens for a child.",
    )

    class Meta:
        model = Question.chapter.field.related_model
        fields = ("id", "subject", "order", "name", "description", "is_locked", "unlock_xp_required")
        labels = {"id": "Chapter id", "order": "Place in the subject"}
        help_texts = {"order": "1 is the subject's first chapter."}

    def clean_unlock_xp_required(self):
        return self.cleaned_data["unlock_xp_required"] or 0


class PreviewAnswerForm(forms.Form):
    """The answer form as a student sees it, for staff's preview: the options in their stored order (each
    child sees an order of their own), nothing to submit."""

    selected_answer_index = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Your answer")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, options: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["selected_answer_index"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(index, mathtext.render(text)) for index, text in enumerate(options)]

    @property
    def choices_shown(self) -> list[dict]:
        return radio_choices(self["selected_answer_index"])
