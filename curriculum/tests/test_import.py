"""What an import writes: updates by quiz_id, reports, dry runs, all or nothing, chapters, the cache."""

import json

import pytest
from django.core.management.base import CommandError

from curriculum import catalog
from curriculum.models import Chapter, Question
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from curriculum.tests.transfer_helpers import (
    CSV_HEADER,
    JSON_GOOD,
    chapter_rows,
    import_questions,
    question_rows,
    rejected_import,
    write,
)

pytestmark = pytest.mark.django_db


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
    QuestionFactory(
        quiz_id="q1",
        chapter__id="ch",
        explanation="Keep me.",
        difficulty_level="hard",
        image_url="https://example.org/x.png",
    )
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
        "https://example.org/x.png",
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

    assert rejected_import(path, "--dry-run") == [
        "line 2: options: Option 2 repeats option 1 (letter case and spaces do not count)."
    ]


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

    assert rejections == ["line 4: correct_answer_index: The correct answer must be one of the 2 options."]
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
        "line 2: question_text: This field cannot be blank.",
        # Within a row: each field's own checks, then the question's rule across fields (Question.clean).
        "line 3: difficulty_level: Unknown difficulty 'hard-ish': use easy, medium, hard or leave it empty.",
        "line 3: options: Option 2 is empty.",
    ]


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
        "chapter 1: id: Ensure this value has at most 50 characters (it has 51).",
        "chapter 1: name: This field cannot be blank.",
    ]


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
