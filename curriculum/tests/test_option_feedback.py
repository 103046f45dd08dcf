"""Per-option feedback: a message for the option a child chose, kept through the admin, JSON, CSV and GIFT."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import StudentFactory
from accounts.tests.helpers import sign_in
from curriculum import transfer
from curriculum.models import Question
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

FEEDBACK = [None, "You added the tops and the bottoms.", "That is the product, not the sum.", None]


def test_the_child_sees_the_feedback_for_the_option_they_chose(client):
    question = QuestionFactory(options=["3/4", "2/6", "1/8", "1"], correct_answer_index=0, option_feedback=FEEDBACK)
    student = StudentFactory()
    sign_in(client, student.user)
    wrong = answer(student, question, index=1)
    html = client.get(f"/learn/{question.chapter_id}/q/{question.quiz_id}/answers/{wrong.pk}/").text
    assert "About your answer:</strong> You added the tops and the bottoms." in html
    assert "That is the product" not in html
    right = answer(student, QuestionFactory(option_feedback=None), index=None)
    assert (
        "About your answer"
        not in client.get(f"/learn/{right.question.chapter_id}/q/{right.question.quiz_id}/answers/{right.pk}/").text
    )


def test_the_rule_empty_feedback_is_none_and_the_length_must_fit():
    question = QuestionFactory.build(options=["a", "b", "c"], correct_answer_index=0, option_feedback=["", " ", None])
    question.clean()
    assert question.option_feedback is None
    question.option_feedback = ["x"]
    question.clean()
    assert question.option_feedback == ["x", None, None]
    question.option_feedback = ["1", "2", "3", "4"]
    with pytest.raises(ValidationError, match="feedback for 4 options"):
        question.clean()
    question.option_feedback = "not a list"
    with pytest.raises(ValidationError, match="list of texts"):
        question.clean()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_feedback_round_trips_through_export_and_import(fmt):
    chapter = ChapterFactory(id="fractions")
    QuestionFactory(chapter=chapter, quiz_id="with", option_feedback=FEEDBACK)
    QuestionFactory(chapter=chapter, quiz_id="without", option_feedback=None)
    exported = transfer.export_questions(fmt)
    assert "feedback_1" in exported if fmt == "csv" else '"option_feedback"' in exported
    Question.objects.update(option_feedback=None)

    report = transfer.import_file(exported.encode(), fmt=fmt)

    assert report.ok, report.rejected
    assert Question.objects.get(quiz_id="with").option_feedback == FEEDBACK
    assert Question.objects.get(quiz_id="without").option_feedback is None


def test_the_admin_form_writes_the_feedback(staff_client):
    question = QuestionFactory(options=["a", "b"], correct_answer_index=0)
    data = {
        "quiz_id": question.quiz_id,
        "chapter": question.chapter_id,
        "difficulty_level": "easy",
        "question_text": question.question_text,
        "option_1": "a",
        "option_2": "b",
        "correct_option": "1",
        "feedback_2": "b is the other one.",
    }
    response = staff_client.post(f"/admin/curriculum/question/{question.pk}/change/", data)
    assert response.status_code == 302, response.content[:3000]
    question.refresh_from_db()
    assert question.option_feedback == [None, "b is the other one."]


@pytest.mark.parametrize("fmt", ["csv", "json", "gift"])
def test_the_import_pages_sample_files_import(fmt):
    from pathlib import Path

    ChapterFactory(id="math-fractions")
    ChapterFactory(id="science-plants")
    sample = Path(__file__).resolve().parents[2] / "static" / "admin" / "import-samples" / f"questions-sample.{fmt}"

    report = transfer.import_file(sample.read_bytes(), fmt=fmt, chapter_id="math-fractions", dry_run=True)

    assert report.ok, report.rejected
    assert report.count("created") >= 1


def test_the_import_page_explains_the_formats_and_links_the_samples(staff_client):
    html = staff_client.get("/admin/curriculum/question/import/").text
    for fmt in ("csv", "json", "gift"):
        assert f"import-samples/questions-sample.{fmt}" in html
    assert "feedback_1" in html
