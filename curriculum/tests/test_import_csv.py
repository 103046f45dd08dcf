"""CSV rows an import rejects, each with its physical line and a reason."""

import pytest

from curriculum.models import Question
from curriculum.tests.factories import ChapterFactory
from curriculum.tests.transfer_helpers import (
    CSV_HEADER,
    rejected_import,
    write,
)

pytestmark = pytest.mark.django_db


CSV_GOOD_ROW = 'good-1,ch,"Two lines,\nof text?",a,b,,,1,,easy'


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("bad,nowhere,Which?,a,b,,,1,,", 'unknown chapter "nowhere"'),
        ("bad,ch,Which?,a,b,c,,4,,", "correct_answer_index: The correct answer must be one of the 3 options."),
        ("bad,ch,Which?,a,b,c,,0,,", "correct_answer_index: The correct answer must be one of the 3 options."),
        ("bad,ch,Which?,a,b,,,first,,", 'correct_option "first" is not a whole number'),
        ("bad,ch,Which?,a,b,,,,,", "correct_option is empty"),
        ("bad,ch,Which?,a,,,,1,,", "options: A question has 2 to 6 options, not 1."),
        ("bad,ch,Which?,a,,c,,1,,", "options: Option 2 is empty."),
        ("bad,ch,Which?,a,b, a ,,1,,", "options: Option 3 repeats option 1 (letter case and spaces do not count)."),
        ('bad,ch,"  ",a,b,,,1,,', "question_text: The question text is only spaces."),
        (
            "bad,ch,Which?,a,b,,,1,,tricky",
            "difficulty_level: Unknown difficulty 'tricky': use easy, medium, hard or leave it empty.",
        ),
        ("good-1,ch,Which?,a,b,,,1,,", 'quiz_id "good-1" appears twice (first at line 2)'),
        (",ch,Which?,a,b,,,1,,", "quiz_id: This field cannot be blank."),
        ("bad,ch,Which?,a,b,,,1,,,extra", "11 cells, but the header names 10 columns"),
    ],
    ids=lambda value: value if " " in value else None,
)
def test_it_rejects_a_bad_csv_row_with_its_physical_line(tmp_path, bad_row, reason):
    ChapterFactory(id="ch")
    path = write(tmp_path, "bank.csv", f"{CSV_HEADER}\n{CSV_GOOD_ROW}\n{bad_row}\n")

    assert rejected_import(path) == [f"line 4: {reason}"]
    assert not Question.objects.exists()


def test_it_rejects_a_csv_file_without_a_required_column(tmp_path):
    path = write(tmp_path, "bank.csv", "quiz_id,chapter_id,question_text,option_1,option_2,answer\nq,ch,Q?,a,b,1\n")

    assert rejected_import(path) == [
        'line 1: unknown column "answer"',
        "line 1: missing required column(s): correct_option",
    ]


def test_it_rejects_a_csv_file_with_a_broken_quote(tmp_path):
    ChapterFactory(id="ch")
    path = write(tmp_path, "bank.csv", f'{CSV_HEADER}\n{CSV_GOOD_ROW}\nbad,ch,"Which?"x,a,b,,,1,,\n')

    assert rejected_import(path) == ["line 4: bad CSV: ',' expected after '\"'"]


def test_it_rejects_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{CSV_HEADER}\nq,ch,Wie heißt das?,a,b,,,1,,\n".encode("latin-1"))

    assert rejected_import(path) == ["line 2: the file is not UTF-8 text"]
