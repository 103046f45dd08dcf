"""Bulk import and export of questions: the two commands, the three formats and the admin pages."""

import hashlib
import io
import json
import textwrap

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory, UserFactory
from curriculum import catalog, transfer
from curriculum.models import Chapter, Question
from curriculum.tests.factories import ChapterFactory, QuestionFactory

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def awkward_bank():
    """Two chapters and four questions with everything a file format can trip over."""
    fractions = ChapterFactory(
        id="math-fractions", name="Fractions, “parts” of a whole", description=None, order=None, is_locked=None
    )
    spanish = ChapterFactory(
        id="lengua-ñ",
        name="Español",
        subject="Lengua",
        description='Line one,\nline "two"',
        is_locked=True,
        unlock_xp_required=150,
    )
    QuestionFactory(
        quiz_id="frac-1",
        chapter=fractions,
        question_text='Which is bigger, "½" or ¾?\nThink, then answer.',
        options=["½", "¾", "both, equally", 'they are "the same"'],
        correct_answer_index=1,
        explanation=None,
        image_url=None,
        difficulty_level=None,
    )
    QuestionFactory(
        quiz_id="frac-2",
        chapter=fractions,
        question_text="  How many 🍎 make a half of 🍎🍎?  \r\nCount them.",
        options=["1", "2"],
        correct_answer_index=0,
        explanation="",
        image_url="https://example.org/apples.png?size=2,3",
        difficulty_level="hard",
    )
    QuestionFactory(
        quiz_id="frac-3",
        chapter=fractions,
        question_text="Pick the = sign; not ~ or # or {}",
        options=["=", "~", "#", "{", "}", "a, b; c"],
        correct_answer_index=5,
        explanation="First line.\n\nSecond paragraph, with a comma.",
        difficulty_level="medium",
    )
    QuestionFactory(
        quiz_id="ñ-1",
        chapter=spanish,
        question_text="¿Cómo se dice «hello»?",
        options=["hola", "adiós"],
        correct_answer_index=0,
        explanation="Saludo.",
        difficulty_level="easy",
    )


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
    assert '"2",,,\r\n' in exported  # frac-1: no explanation, no image, no difficulty
    assert '"1","","https://example.org/apples.png?size=2,3","hard"\r\n' in exported  # frac-2: explanation ""

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
        }
    ]


def test_the_csv_export_has_one_row_a_question_with_1_based_answers():
    QuestionFactory(quiz_id="q1", chapter__id="ch", question_text="2 + 2?", options=["3", "4"], correct_answer_index=1)

    exported = export_questions("--format", "csv")

    assert exported.splitlines() == [
        "quiz_id,chapter_id,question_text,option_1,option_2,option_3,option_4,option_5,option_6,"
        "correct_option,explanation,image_url,difficulty_level",
        '"q1","ch","2 + 2?","3","4",,,,,"2","Count on by one.",,"easy"',
    ]


def test_the_export_refuses_an_unknown_chapter():
    with pytest.raises(CommandError, match='No chapter "nowhere"'):
        export_questions("--chapter", "nowhere")


def test_the_csv_export_refuses_a_question_with_more_options_than_columns():
    QuestionFactory(quiz_id="many", options=list("abcdefg"), correct_answer_index=0)

    with pytest.raises(CommandError, match='"many" has 7 options and CSV holds 6: export JSON'):
        export_questions("--format", "csv")


# --- What an import writes -----------------------------------------------------------------

CSV_HEADER = (
    "quiz_id,chapter_id,question_text,option_1,option_2,option_3,option_4,correct_option,explanation,difficulty_level"
)


def test_it_updates_a_question_by_quiz_id_and_may_move_it_to_another_chapter(tmp_path):
    QuestionFactory(quiz_id="q-move", chapter__id="ch-a", question_text="Old?")
    ChapterFactory(id="ch-b")
    path = write(
        tmp_path,
        "move.json",
        """
        {"questions": [{"quiz_id": "q-move", "chapter_id": "ch-b", "question_text": "New?",
                        "options": ["yes", "no"], "correct_answer_index": 1}]}
        """,
    )

    output = import_questions(path)

    question = Question.objects.get()
    assert (question.quiz_id, question.chapter_id, question.question_text) == ("q-move", "ch-b", "New?")
    assert (question.options, question.correct_answer_index) == (["yes", "no"], 1)
    assert "question 1: updated q-move" in output


def test_a_field_the_file_does_not_give_keeps_its_value_on_update(tmp_path):
    QuestionFactory(quiz_id="q1", chapter__id="ch", explanation="Keep me.", difficulty_level="hard", image_url="x.png")
    path = write(
        tmp_path,
        "short.csv",
        """
        quiz_id,chapter_id,question_text,option_1,option_2,correct_option
        q1,ch,Shorter?,yes,no,2
        q2,ch,Brand new?,yes,no,1
        """,
    )

    import_questions(path)

    kept = Question.objects.get(quiz_id="q1")
    assert (kept.question_text, kept.explanation, kept.difficulty_level, kept.image_url) == (
        "Shorter?",
        "Keep me.",
        "hard",
        "x.png",
    )
    new = Question.objects.get(quiz_id="q2")
    assert (new.explanation, new.difficulty_level, new.image_url) == (None, None, None)


def test_it_reports_each_row_with_its_line(tmp_path):
    chapter = ChapterFactory(id="ch")
    QuestionFactory(quiz_id="same", chapter=chapter, question_text="Same?", options=["a", "b"], correct_answer_index=0)
    QuestionFactory(quiz_id="old", chapter=chapter)
    path = write(
        tmp_path,
        "report.csv",
        f"""
        {CSV_HEADER}
        same,ch,Same?,a,b,,,1,Count on by one.,easy
        old,ch,"Changed,
        over two lines?",a,b,,,2,,
        new,ch,New?,a,b,,,1,,
        """,
    )

    output = import_questions(path)

    assert output.splitlines() == [
        "line 2: unchanged same",
        "line 3: updated old",
        "line 5: created new",
        "Questions: 1 created, 1 updated, 1 unchanged, 0 rejected.",
    ]


def test_a_dry_run_checks_everything_and_writes_nothing(tmp_path, django_capture_on_commit_callbacks):
    QuestionFactory(quiz_id="old", chapter__id="ch", question_text="Old?")
    path = write(
        tmp_path,
        "dry.csv",
        f"""
        {CSV_HEADER}
        old,ch,Changed?,a,b,,,1,,
        new,elsewhere,New?,a,b,,,1,,
        """,
    )
    questions, chapters = question_rows(), chapter_rows()

    with django_capture_on_commit_callbacks() as callbacks:
        output = import_questions(path, "--dry-run", "--create-chapters")

    assert question_rows() == questions
    assert chapter_rows() == chapters
    assert callbacks == []
    assert "line 2: updated old" in output
    assert "line 3: created new" in output
    assert "line 3: created elsewhere" in output
    assert "Dry run, nothing was written. Questions: 1 created, 1 updated, 0 unchanged, 0 rejected." in output


def test_a_dry_run_still_rejects_bad_rows(tmp_path):
    ChapterFactory(id="ch")
    path = write(tmp_path, "dry.csv", f"{CSV_HEADER}\nq1,ch,Which?,a,a,,,1,,\n")

    assert rejected_import(path, "--dry-run") == ['line 2: options 1 and 2 are the same ("a")']


def test_one_bad_row_means_nothing_is_written(tmp_path):
    QuestionFactory(quiz_id="old", chapter__id="ch", question_text="Old?")
    path = write(
        tmp_path,
        "mixed.csv",
        f"""
        {CSV_HEADER}
        old,ch,Changed?,a,b,,,1,,
        new-1,ch,New?,a,b,,,1,,
        new-2,ch,Also new?,a,b,,,9,,
        new-3,ch,Fine?,a,b,,,1,,
        """,
    )
    questions = question_rows()

    rejections = rejected_import(path)

    assert rejections == ["line 4: correct_option 9 is out of range: there are 2 options, numbered 1 to 2"]
    assert question_rows() == questions


def test_it_prints_every_rejection_before_failing(tmp_path):
    ChapterFactory(id="ch")
    path = write(
        tmp_path,
        "bad.csv",
        f"""
        {CSV_HEADER}
        q1,ch,,a,b,,,1,,
        q2,ch,Which?,a,,c,,1,,hard-ish
        """,
    )

    assert rejected_import(path) == [
        "line 2: the question text is empty",
        "line 3: option 2 is empty",
        'line 3: unknown difficulty "hard-ish": use easy, medium, hard or leave it empty',
    ]


CSV_GOOD_ROW = 'good-1,ch,"Two lines,\nof text?",a,b,,,1,,easy'


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("bad,nowhere,Which?,a,b,,,1,,", 'unknown chapter "nowhere"'),
        ("bad,ch,Which?,a,b,c,,4,,", "correct_option 4 is out of range: there are 3 options, numbered 1 to 3"),
        ("bad,ch,Which?,a,b,c,,0,,", "correct_option 0 is out of range: there are 3 options, numbered 1 to 3"),
        ("bad,ch,Which?,a,b,,,first,,", 'correct_option "first" is not a whole number'),
        ("bad,ch,Which?,a,b,,,,,", "correct_option is empty"),
        ("bad,ch,Which?,a,,,,1,,", "1 option(s): a question needs at least 2"),
        ("bad,ch,Which?,a,,c,,1,,", "option 2 is empty"),
        ("bad,ch,Which?,a,b, a ,,1,,", 'options 1 and 3 are the same ("a")'),
        ('bad,ch,"  ",a,b,,,1,,', "the question text is empty"),
        ("bad,ch,Which?,a,b,,,1,,tricky", 'unknown difficulty "tricky": use easy, medium, hard or leave it empty'),
        ("good-1,ch,Which?,a,b,,,1,,", 'quiz_id "good-1" appears twice (first at line 2)'),
        (",ch,Which?,a,b,,,1,,", "quiz_id is empty"),
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


JSON_GOOD = {"quiz_id": "good-1", "chapter_id": "ch", "question_text": "Which?", "options": ["a", "b"]}
JSON_GOOD["correct_answer_index"] = 0


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"chapter_id": "nowhere"}, 'unknown chapter "nowhere"'),
        ({"correct_answer_index": 2}, "correct_answer_index 2 is out of range: there are 2 options, numbered 0 to 1"),
        ({"correct_answer_index": "1"}, '"correct_answer_index" must be integer, not "1"'),
        ({"options": ["a"]}, "1 option(s): a question needs at least 2"),
        ({"options": list("abcdefg")}, "7 options: a question has at most 6"),
        ({"options": ["a", " "]}, "option 2 is empty"),
        ({"options": ["a", 2]}, "options must be text"),
        ({"options": ["Paris", "paris", "Paris "]}, 'options 1 and 3 are the same ("Paris")'),
        ({"question_text": ""}, "the question text is empty"),
        ({"difficulty_level": "expert"}, 'unknown difficulty "expert": use easy, medium, hard or leave it empty'),
        ({"quiz_id": "good-1"}, 'quiz_id "good-1" appears twice (first at question 1)'),
        ({"options": None}, '"options" must be list, not null'),
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


# --- Chapters --------------------------------------------------------------------------------


def test_it_creates_a_missing_chapter_only_when_asked(tmp_path):
    path = write(tmp_path, "bank.csv", f"{CSV_HEADER}\nq1,science-new,Which?,a,b,,,1,,\n")

    assert rejected_import(path) == ['line 2: unknown chapter "science-new"']
    assert not Chapter.objects.exists()

    output = import_questions(path, "--create-chapters")

    assert chapter_rows() == [
        {
            "id": "science-new",
            "name": "science-new",
            "description": None,
            "subject": "Imported",
            "order": None,
            "is_locked": True,
            "unlock_xp_required": 0,
        }
    ]
    assert Question.objects.get().chapter_id == "science-new"
    assert "line 2: created science-new" in output
    assert "Chapters: 1 created, 0 updated, 0 unchanged." in output


def test_json_chapters_are_applied_only_with_create_chapters(tmp_path):
    ChapterFactory(id="ch", name="Old name", subject="Math")
    chapters = [
        {"id": "ch", "name": "New name", "subject": "Math"},
        {"id": "new", "name": "Brand new", "subject": "Science", "is_locked": False, "order": 3},
    ]
    questions = [{**JSON_GOOD, "chapter_id": "new"}]
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"chapters": chapters, "questions": questions}))

    assert rejected_import(path) == ['question 1: unknown chapter "new"']
    assert Chapter.objects.get(id="ch").name == "Old name"

    output = import_questions(path, "--create-chapters")

    assert Chapter.objects.get(id="ch").name == "New name"
    new = Chapter.objects.get(id="new")
    assert (new.name, new.subject, new.is_locked, new.order, new.unlock_xp_required) == (
        "Brand new",
        "Science",
        False,
        3,
        0,
    )
    assert Question.objects.get().chapter_id == "new"
    assert "chapter 1: updated ch" in output
    assert "chapter 2: created new" in output


def test_a_json_chapter_is_checked_when_applied(tmp_path):
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"chapters": [{"id": "x" * 51, "name": "", "subject": "Math"}], "questions": []}))

    assert rejected_import(path, "--create-chapters") == [
        "chapter 1: id is longer than 50 characters",
        "chapter 1: name is empty",
    ]


# --- GIFT ------------------------------------------------------------------------------------

GIFT_BANK = r"""
// Fractions, exported from Moodle 4.3 and tidied by hand.
// question: 101  name: frac-half
$CATEGORY: $course$/top/Maths/math-fractions

::frac-half:: What is 1/2 + 1/4? {
  =3/4 # Right: 1/2 is 2/4, and 2/4 + 1/4 \= 3/4.
  ~2/6 # You added the tops and the bottoms.
  ~1/8 # That is 1/2 × 1/4.
  ####Make the bottoms the same first: 1/2 \= 2/4.
}

::Ratio\: basics::[html]Which ratio equals 2\:4? {
  ~2\:3
  =1\:2 #Divide both by 2.
  ~4\:2
}

// No title: the id is made from the text.
Which sign starts the answers in GIFT? {
  =\{
  ~\}
  ~\~ #That marks a wrong answer.
  ~\#
}

::frac-gap:: Three quarters is {=bigger ~smaller ~the same} than one half.
"""


def gift_id(text: str) -> str:
    return "gift-" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def test_it_imports_a_gift_bank(tmp_path):
    ChapterFactory(id="math-fractions")
    path = write(tmp_path, "fractions.gift", GIFT_BANK)

    output = import_questions(path)

    generated = gift_id("Which sign starts the answers in GIFT?")
    assert question_rows() == sorted(
        [
            {
                "quiz_id": "frac-half",
                "chapter_id": "math-fractions",
                "question_text": "What is 1/2 + 1/4?",
                "options": ["3/4", "2/6", "1/8"],
                "correct_answer_index": 0,
                "explanation": "Make the bottoms the same first: 1/2 = 2/4.",
                "image_url": None,
                "difficulty_level": None,
            },
            {
                "quiz_id": "Ratio: basics",
                "chapter_id": "math-fractions",
                "question_text": "Which ratio equals 2:4?",
                "options": ["2:3", "1:2", "4:2"],
                "correct_answer_index": 1,
                "explanation": None,
                "image_url": None,
                "difficulty_level": None,
            },
            {
                "quiz_id": generated,
                "chapter_id": "math-fractions",
                "question_text": "Which sign starts the answers in GIFT?",
                "options": ["{", "}", "~", "#"],
                "correct_answer_index": 0,
                "explanation": None,
                "image_url": None,
                "difficulty_level": None,
            },
            {
                "quiz_id": "frac-gap",
                "chapter_id": "math-fractions",
                "question_text": "Three quarters is _____ than one half.",
                "options": ["bigger", "smaller", "the same"],
                "correct_answer_index": 0,
                "explanation": None,
                "image_url": None,
                "difficulty_level": None,
            },
        ],
        key=lambda row: row["quiz_id"],
    )
    assert output.splitlines()[:4] == [
        "line 5: created frac-half",
        "line 12: created Ratio: basics",
        f"line 19: created {generated}",
        "line 26: created frac-gap",
    ]


def test_a_second_gift_import_updates_the_same_questions(tmp_path):
    ChapterFactory(id="math-fractions")
    path = write(tmp_path, "fractions.gift", GIFT_BANK)
    import_questions(path)

    output = import_questions(path)

    assert Question.objects.count() == 4
    assert "Questions: 0 created, 0 updated, 4 unchanged, 0 rejected." in output


def test_gift_questions_go_to_the_given_chapter_unless_their_category_names_one(tmp_path):
    ChapterFactory(id="math-fractions")
    ChapterFactory(id="inbox")
    path = write(
        tmp_path,
        "bank.txt",
        """
        ::q1:: Before any category? {=yes ~no}

        $CATEGORY: $course$/top/Default for Maths
        ::q2:: In a category that is no chapter? {=yes ~no}

        $CATEGORY: math-fractions

        ::q3:: In a category that is a chapter? {=yes ~no}
        """,
    )

    import_questions(path, "--chapter", "inbox")

    assert dict(Question.objects.values_list("quiz_id", "chapter_id")) == {
        "q1": "inbox",
        "q2": "inbox",
        "q3": "math-fractions",
    }


def test_gift_questions_need_a_chapter(tmp_path):
    path = write(tmp_path, "bank.gift", "::q1:: Where do I go? {=here ~there}\n")

    assert rejected_import(path) == [
        "line 1: no chapter: choose one (--chapter), or name an existing chapter in a $CATEGORY line"
    ]


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        ("{T}", "a true/false question"),
        ("{FALSE#No, it is a star.#Yes.}", "a true/false question"),
        ("{=star =a star}", "a short-answer question (no ~wrong answers)"),
        ("{#1:0}", "a numerical question"),
        ("{}", "an essay question (no answers)"),
        ("{=sun -> star =moon -> satellite}", "a matching question"),
    ],
)
def test_it_rejects_gift_questions_that_are_not_multiple_choice(tmp_path, answers, kind):
    ChapterFactory(id="space")
    path = write(
        tmp_path,
        "space.gift",
        f"""
        // Space
        ::mc:: Which is a planet? {{=Mars ~the Sun ~the Moon}}

        // not multiple choice:
        ::other:: The Sun is a star. {answers}
        """,
    )

    assert rejected_import(path, "--chapter", "space") == [
        f"line 5: {kind}: only multiple-choice questions can be imported"
    ]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("::q:: Which? {~a ~b}", "no right answer: mark it with ="),
        ("::q:: Which? {=a =b ~c}", "2 right answers: a question has exactly one"),
        ("::q:: Which? {=a ~%50%b ~c}", "partial credit (%50%) is not supported: mark the one right answer with ="),
        ("::q:: Which? {=a ~b", "the answers are not closed with }"),
        ("::q:: Just a description.", "no answers {…}: a description, not a question; only multiple-choice"),
        ("::q:: One? {=a ~b}\n::r:: Two? {=c ~d}", "a second set of answers: separate questions with a blank line"),
    ],
)
def test_it_rejects_malformed_gift_questions(tmp_path, question, reason):
    ChapterFactory(id="ch")
    path = write(tmp_path, "bank.gift", question + "\n")

    (rejection,) = rejected_import(path, "--chapter", "ch")
    assert rejection.startswith(f"line 1: {reason}")


# --- The command's own checks ----------------------------------------------------------------


def test_the_format_comes_from_the_extension_or_the_option(tmp_path):
    path = write(tmp_path, "bank.data", "{}")

    with pytest.raises(CommandError, match="pass --format"):
        import_questions(path)
    with pytest.raises(CommandError, match="--chapter is for GIFT files"):
        import_questions(path, "--format", "json", "--chapter", "ch")


# --- The cache -------------------------------------------------------------------------------


def test_an_import_is_seen_by_the_cached_catalog_at_once(tmp_path, django_capture_on_commit_callbacks):
    QuestionFactory(quiz_id="cached", chapter__id="ch", question_text="Old?")
    assert catalog.question_display("cached")["question_text"] == "Old?"
    assert catalog.chapter("ch")["question_count"] == 1
    path = write(tmp_path, "bank.csv", f"{CSV_HEADER}\ncached,ch,New?,a,b,,,1,,\nanother,ch,More?,a,b,,,1,,\n")

    with django_capture_on_commit_callbacks(execute=True):
        import_questions(path)

    assert catalog.question_display("cached")["question_text"] == "New?"
    assert catalog.question_display("cached")["options"] == ["a", "b"]
    assert catalog.chapter("ch")["question_count"] == 2


# --- The admin pages -------------------------------------------------------------------------

transfer_admin = pytest.mark.urls("curriculum.tests.transfer_admin_urls")


def admin_url(view: str) -> str:
    return reverse(f"transfer_admin:curriculum_question_{view}")


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, textwrap.dedent(text).lstrip("\n").encode())


ADMIN_CSV = f"{CSV_HEADER}\nq1,ch,Which?,a,b,,,1,,\nq2,ch,And this?,c,d,,,2,,\n"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@transfer_admin
def test_the_changelist_links_to_import_and_export(staff_client):
    response = staff_client.get(admin_url("changelist"))

    assert response.status_code == 200
    assert f'<a href="{admin_url("import")}">Import questions</a>' in response.text
    assert f'<a href="{admin_url("export")}">Export questions</a>' in response.text


@transfer_admin
def test_the_admin_import_page_shows_the_form(staff_client):
    ChapterFactory(id="ch")

    response = staff_client.get(admin_url("import"))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["file", "file_format", "chapter", "create_chapters", "dry_run"]
    assert 'enctype="multipart/form-data"' in response.text


@transfer_admin
def test_an_admin_dry_run_shows_the_report_and_writes_nothing(staff_client):
    ChapterFactory(id="ch")

    response = staff_client.post(admin_url("import"), {"file": upload("bank.csv", ADMIN_CSV), "dry_run": "on"})

    assert response.status_code == 200
    assert not Question.objects.exists()
    report = response.context["report"]
    assert (report.dry_run, report.ok, report.count("created")) == (True, True, 2)
    assert "Dry run: nothing was written" in response.text
    assert "<td>line 3</td><td>q2</td><td>created</td>" in response.text


@transfer_admin
def test_an_admin_import_writes_and_returns_to_the_changelist(staff_client):
    ChapterFactory(id="ch")

    response = staff_client.post(admin_url("import"), {"file": upload("bank.csv", ADMIN_CSV)}, follow=True)

    assert response.redirect_chain == [(admin_url("changelist"), 302)]
    assert "Import done. Questions: 2 created, 0 updated, 0 unchanged, 0 rejected." in response.text
    assert sorted(Question.objects.values_list("quiz_id", flat=True)) == ["q1", "q2"]


@transfer_admin
def test_an_admin_import_lists_every_rejection_and_writes_nothing(staff_client):
    ChapterFactory(id="ch")
    csv = f"{CSV_HEADER}\nq1,ch,Which?,a,b,,,1,,\nq2,nowhere,Which?,a,b,,,1,,\nq3,ch,Which?,a,b,,,5,,\n"

    response = staff_client.post(admin_url("import"), {"file": upload("bank.csv", csv)})

    assert response.status_code == 200
    assert not Question.objects.exists()
    assert "Nothing was imported" in response.text
    assert (
        "<li>line 3: unknown chapter &quot;nowhere&quot;</li>"
        "<li>line 4: correct_option 5 is out of range: there are 2 options, numbered 1 to 2</li>"
    ) in response.text


@transfer_admin
def test_an_admin_gift_import_takes_the_chosen_chapter(staff_client):
    ChapterFactory(id="space")
    gift = "::planet:: Which is a planet? {=Mars ~the Sun}\n"

    response = staff_client.post(admin_url("import"), {"file": upload("space.txt", gift), "chapter": "space"})

    assert response.status_code == 302
    assert Question.objects.get().chapter_id == "space"


@transfer_admin
def test_the_admin_import_form_refuses_a_chapter_for_csv(staff_client):
    ChapterFactory(id="ch")

    response = staff_client.post(admin_url("import"), {"file": upload("bank.csv", ADMIN_CSV), "chapter": "ch"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "chapter": ["Only GIFT files take a chapter: JSON and CSV name each question's chapter."]
    }
    assert not Question.objects.exists()


@transfer_admin
def test_the_admin_export_downloads_a_file(staff_client):
    QuestionFactory(quiz_id="q1", chapter__id="ch")
    QuestionFactory(quiz_id="q2", chapter__id="other")

    response = staff_client.get(admin_url("export"), {"file_format": "csv", "chapter": "ch"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="questions-ch-{today}.csv"'
    assert response.content.decode() == transfer.export_questions("csv", chapter_id="ch")
    assert '"q2"' not in response.content.decode()


@transfer_admin
def test_the_admin_export_page_asks_for_the_format(staff_client):
    response = staff_client.get(admin_url("export"))

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert '<form method="get">' in response.text


@transfer_admin
def test_staff_who_may_only_view_questions_can_neither_import_nor_export(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_question"))
    client.force_login(user)
    ChapterFactory(id="ch")

    assert client.get(admin_url("import")).status_code == 403
    assert client.post(admin_url("import"), {"file": upload("bank.csv", ADMIN_CSV)}).status_code == 403
    assert client.get(admin_url("export"), {"file_format": "json"}).status_code == 403
    changelist = client.get(admin_url("changelist"))
    assert changelist.status_code == 200
    assert admin_url("import") not in changelist.text
    assert admin_url("export") not in changelist.text
    assert not Question.objects.exists()


@transfer_admin
def test_visitors_who_are_not_staff_are_sent_to_the_admin_login(client):
    response = client.get(admin_url("import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("transfer_admin:login"))


def test_the_projects_question_changelist_renders_with_the_new_template(client):
    client.force_login(StaffFactory())

    response = client.get(reverse("admin:curriculum_question_changelist"))

    assert response.status_code == 200
    assert "admin/curriculum/question/change_list.html" in [template.name for template in response.templates]


def test_the_real_question_admin_offers_import_and_export(client):
    from accounts.tests.factories import StaffFactory

    client.force_login(StaffFactory())
    changelist = client.get("/admin/curriculum/question/").content.decode()
    assert "/admin/curriculum/question/import/" in changelist
    assert "/admin/curriculum/question/export/" in changelist
    assert client.get("/admin/curriculum/question/import/").status_code == 200
    assert client.get("/admin/curriculum/question/export/").status_code == 200
