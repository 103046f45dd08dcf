"""JSON files and questions an import rejects, each with its place and a reason."""

import json

import pytest

from curriculum.models import Question
from curriculum.tests.factories import ChapterFactory
from curriculum.tests.transfer_helpers import JSON_GOOD, rejected_import, write

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"chapter_id": "nowhere"}, 'unknown chapter "nowhere"'),
        ({"correct_answer_index": 2}, "correct_answer_index: The correct answer must be one of the 2 options."),
        ({"correct_answer_index": "1"}, '"correct_answer_index" must be a whole number, not "1"'),
        ({"options": ["a"]}, "options: A question has 2 to 6 options, not 1."),
        ({"options": list("abcdefg")}, "options: A question has 2 to 6 options, not 7."),
        ({"options": ["a", " "]}, "options: Option 2 is empty."),
        ({"options": ["a", 2]}, "options: The options must be a list of texts."),
        (
            {"options": ["Paris", "b", "paris "]},
            "options: Option 3 repeats option 1 (letter case and spaces do not count).",
        ),
        ({"question_text": ""}, "question_text: This field cannot be blank."),
        (
            {"difficulty_level": "expert"},
            "difficulty_level: Unknown difficulty 'expert': use easy, medium, hard or leave it empty.",
        ),
        ({"quiz_id": "good-1"}, 'quiz_id "good-1" appears twice (first at question 1)'),
        ({"options": None}, '"options" must be a list, not null'),
        ({"answer": 1}, 'unknown field "answer"'),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_it_rejects_a_bad_json_question_with_its_index(tmp_path, changes, reason):
    ChapterFactory(id="ch")
    bad = {**JSON_GOOD, "quiz_id": "bad", **changes}
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"questions": [JSON_GOOD, bad]}))

    assert rejected_import(path) == [f"question 2: {reason}"]
    assert not Question.objects.exists()


def test_it_rejects_a_json_question_without_a_required_field(tmp_path):
    ChapterFactory(id="ch")
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"questions": [{key: value for key, value in JSON_GOOD.items() if key != "options"}]}))

    assert rejected_import(path) == ['question 1: missing required field "options"']


def test_it_rejects_bad_json_with_its_position(tmp_path):
    path = write(
        tmp_path,
        "bank.json",
        """
        {"questions": [
          {"quiz_id": "q1",}
        ]}
        """,
    )

    assert rejected_import(path) == ["line 2: bad JSON: Illegal trailing comma before end of object at column 19"]


def test_it_rejects_json_without_questions(tmp_path):
    path = write(tmp_path, "bank.json", '{"chapter": []}')

    assert rejected_import(path) == ['file: unknown field "chapter"', 'file: missing required field "questions"']
