"""What makes a question's options valid has one home, Question.clean(): the admin and the importer agree."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum import transfer
from curriculum.models import Question
from curriculum.tests.factories import ChapterFactory

pytestmark = pytest.mark.django_db

# Two options that are one for a child: letter case and spacing do not count.
SAME = [("Paris", "paris"), ("a  b", "a b"), (" Rome", "rome "), ("x\ty", "X Y")]
DIFFERENT = [("Paris", "Parish"), ("ab", "a b"), ("1/2", "1 / 2")]


@pytest.fixture(autouse=True)
def chapter():
    return ChapterFactory(id="ch")


def admin_errors(client, options):
    data = {"quiz_id": "q1", "chapter": "ch", "question_text": "Which?", "correct_option": 1}
    data |= {f"option_{number}": option for number, option in enumerate(options, start=1)}
    response = client.post(reverse("admin:curriculum_question_add"), data)
    if response.status_code == 302:
        return {}
    return response.context["adminform"].form.errors


def import_rejections(options):
    question = {
        "quiz_id": "q1",
        "chapter_id": "ch",
        "question_text": "Which?",
        "options": list(options),
        "correct_answer_index": 0,
    }
    report = transfer.import_file(json.dumps({"questions": [question]}), fmt="json")
    return [str(rejection) for rejection in report.rejected]


@pytest.mark.parametrize("options", SAME)
def test_the_admin_refuses_two_options_that_differ_only_in_case_or_spacing(staff_client, options):
    assert admin_errors(staff_client, options) == {
        "option_2": ["Option 2 repeats option 1 (letter case and spaces do not count)."]
    }
    assert not Question.objects.exists()


@pytest.mark.parametrize("options", SAME)
def test_the_importer_refuses_them_with_the_same_words(options):
    assert import_rejections(options) == [
        "question 1: options: Option 2 repeats option 1 (letter case and spaces do not count)."
    ]
    assert not Question.objects.exists()


@pytest.mark.parametrize("options", DIFFERENT)
def test_both_accept_options_that_really_differ(staff_client, options):
    assert admin_errors(staff_client, options) == {}
    Question.objects.all().delete()
    assert import_rejections(options) == []
    assert Question.objects.get().options == list(options)


def test_the_model_itself_enforces_the_rule():
    question = Question(chapter_id="ch", quiz_id="q", question_text="Which?", options=["A b", "a  B"])
    question.correct_answer_index = 0

    with pytest.raises(ValidationError) as refused:
        question.full_clean()

    assert refused.value.message_dict == {
        "options": ["Option 2 repeats option 1 (letter case and spaces do not count)."]
    }
