"""Helpers shared by the import and export tests: run the commands, read the rows back."""

import io
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from curriculum import transfer
from curriculum.models import Chapter, Question

JSON_GOOD = {
    "quiz_id": "good-1",
    "chapter_id": "ch",
    "question_text": "Which?",
    "options": ["a", "b"],
    "correct_answer_index": 0,
}
CSV_HEADER = (
    "quiz_id,chapter_id,question_text,option_1,option_2,option_3,option_4,correct_option,explanation,difficulty_level"
)


def question_rows() -> list[dict]:
    return list(Question.objects.order_by("quiz_id").values(*transfer.QUESTION_FIELDS))


def chapter_rows() -> list[dict]:
    return list(Chapter.objects.order_by("id").values(*transfer.CHAPTER_FIELDS))


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(textwrap.dedent(text).lstrip("\n").encode())
    return path


def import_questions(path, *args) -> str:
    """Run the command; return what it printed."""
    stdout = io.StringIO()
    call_command("import_questions", str(path), *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def rejected_import(path, *args) -> list[str]:
    """Run the command expecting it to fail; return the rejections it printed, one a line."""
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_questions", str(path), *args, stdout=io.StringIO(), stderr=stderr)
    return stderr.getvalue().splitlines()


def export_questions(*args) -> str:
    stdout = io.StringIO()
    call_command("export_questions", *args, stdout=stdout)
    return stdout.getvalue()
