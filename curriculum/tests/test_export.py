"""Exporting questions, and exports that import back as the very same rows."""

import csv
import io
import json

import pytest
from django.core.management.base import CommandError

from curriculum.models import Chapter, Question
from curriculum.tests.factories import QuestionFactory
from curriculum.tests.transfer_helpers import (
    chapter_rows,
    export_questions,
    import_questions,
    question_rows,
    write,
)

pytestmark = pytest.mark.django_db


# --- Round trips ---------------------------------------------------------------------------


def test_a_json_export_imports_into_an_empty_database_as_the_same_rows(tmp_path, awkward_bank):
    path = tmp_path / "bank.json"
    export_questions("--output", str(path))
    questions, chapters = question_rows(), chapter_rows()
    Chapter.objects.all().delete()  # and, by cascade, the questions

    output = import_questions(path, "--create-chapters")

    assert question_rows() == questions
    assert chapter_rows() == chapters
    assert "Questions: 4 created, 0 updated, 0 unchanged, 0 rejected. Chapters: 2 created" in output


def test_a_csv_export_imports_into_an_empty_database_as_the_same_rows(tmp_path, awkward_bank):
    path = tmp_path / "bank.csv"
    export_questions("--output", str(path))
    questions = question_rows()
    Question.objects.all().delete()

    output = import_questions(path)

    assert question_rows() == questions
    assert "Questions: 4 created, 0 updated, 0 unchanged, 0 rejected." in output


@pytest.mark.parametrize(("fmt", "args"), [("json", ["--create-chapters"]), ("csv", [])])
def test_importing_an_export_onto_the_same_database_leaves_everything_unchanged(tmp_path, awkward_bank, fmt, args):
    path = tmp_path / f"bank.{fmt}"
    export_questions("--output", str(path))
    questions, chapters = question_rows(), chapter_rows()

    output = import_questions(path, *args)

    *outcomes, summary = output.splitlines()
    assert summary.startswith("Questions: 0 created, 0 updated, 4 unchanged, 0 rejected.")
    assert len(outcomes) == (6 if fmt == "json" else 4)
    assert all(": unchanged " in outcome for outcome in outcomes), outcomes
    assert question_rows() == questions
    assert chapter_rows() == chapters


def test_csv_keeps_null_apart_from_empty_text(tmp_path, awkward_bank):
    exported = export_questions("--format", "csv")

    # NULL is an unquoted empty cell, the empty string a quoted one.
    assert '"2",,,,"false"\r\n' in exported  # frac-1: no explanation, no image, no difficulty
    assert '"1","","https://example.org/apples.png?size=2,3","hard","false"\r\n' in exported  # explanation ""

    path = write(
        tmp_path,
        "handmade.csv",
        """
        quiz_id,chapter_id,question_text,option_1,option_2,correct_option,explanation
        no-explanation,math-fractions,Which?,a,b,1,
        empty-explanation,math-fractions,Which?,c,d,1,""
        """,
    )
    import_questions(path)

    assert Question.objects.get(quiz_id="no-explanation").explanation is None
    assert Question.objects.get(quiz_id="empty-explanation").explanation == ""


def test_json_keeps_null_apart_from_empty_text(awkward_bank):
    exported = json.loads(export_questions())

    by_id = {question["quiz_id"]: question for question in exported["questions"]}
    assert by_id["frac-1"]["explanation"] is None
    assert by_id["frac-2"]["explanation"] == ""
    chapters = {chapter["id"]: chapter for chapter in exported["chapters"]}
    assert (chapters["math-fractions"]["is_locked"], chapters["math-fractions"]["order"]) == (None, None)


def test_the_export_of_one_chapter_holds_that_chapter_and_its_questions(awkward_bank):
    exported = json.loads(export_questions("--chapter", "lengua-ñ"))

    assert [chapter["id"] for chapter in exported["chapters"]] == ["lengua-ñ"]
    assert exported["questions"] == [
        {
            "quiz_id": "ñ-1",
            "chapter_id": "lengua-ñ",
            "question_text": "¿Cómo se dice «hello»?",
            "options": ["hola", "adiós"],
            "correct_answer_index": 0,
            "explanation": "Saludo.",
            "image_url": None,
            "difficulty_level": "easy",
            "is_retired": False,
        }
    ]


def test_the_csv_export_has_one_row_a_question_with_1_based_answers():
    QuestionFactory(quiz_id="q1", chapter__id="ch", question_text="2 + 2?", options=["3", "4"], correct_answer_index=1)

    exported = export_questions("--format", "csv")

    assert exported.splitlines() == [
        "quiz_id,chapter_id,question_text,option_1,option_2,option_3,option_4,option_5,option_6,"
        "correct_option,explanation,image_url,difficulty_level,is_retired",
        '"q1","ch","2 + 2?","3","4",,,,,"2","Count on by one.",,"easy","false"',
    ]


FORMULAS = ['=HYPERLINK("https://evil.example/", "Click")', "+1", "-5", "@SUM(A1)", "'=quoted", "\tTab"]


def test_the_csv_export_neutralises_cells_a_spreadsheet_would_run_as_formulas():
    QuestionFactory(
        quiz_id="q1",
        chapter__id="ch",
        question_text="=1+1",
        options=FORMULAS,
        correct_answer_index=0,
        explanation="@explain",
    )

    exported = export_questions("--format", "csv")

    row = next(csv.reader(io.StringIO(exported.splitlines()[1])))
    assert row[2] == "'=1+1"
    assert row[3:9] == ["'" + option for option in FORMULAS]
    assert row[10] == "'@explain"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_neutralised_cells_import_back_as_the_very_same_text(tmp_path):
    QuestionFactory(quiz_id="q1", chapter__id="ch", question_text="=1+1", options=FORMULAS, correct_answer_index=0)
    path = tmp_path / "bank.csv"
    export_questions("--output", str(path))
    before = question_rows()
    Question.objects.all().delete()

    import_questions(path)

    assert question_rows() == before
    assert Question.objects.get().options == FORMULAS


def test_the_export_refuses_an_unknown_chapter():
    with pytest.raises(CommandError, match='No chapter "nowhere"'):
        export_questions("--chapter", "nowhere")


def test_the_csv_export_refuses_a_question_with_more_options_than_columns():
    QuestionFactory(quiz_id="many", options=list("abcdefg"), correct_answer_index=0)

    with pytest.raises(CommandError, match='"many" has 7 options and CSV holds 6: export JSON'):
        export_questions("--format", "csv")
