"""Editors' tools on the question admin: "View as student" (saved and unsaved) and a suggested quiz id."""

import pytest

from accounts.tests.helpers import sign_in
from curriculum.tests.factories import QuestionFactory


@pytest.mark.django_db
def test_staff_view_the_saved_question_and_their_unsaved_edits_as_a_student_sees_them(staff_client):
    question = QuestionFactory(question_text="What is 2 + 2?", options=["3", "4"], correct_answer_index=1)
    url = f"/admin/curriculum/question/{question.pk}/as-student/"
    assert url in staff_client.get(f"/admin/curriculum/question/{question.pk}/change/").text

    saved = staff_client.get(url)
    assert saved.status_code == 200
    assert "What is 2 + 2?" in saved.text and 'class="option-badge"' in saved.text
    assert "Staff preview" in saved.text and "disabled" in saved.text

    edits = {
        "quiz_id": question.quiz_id,
        "chapter": question.chapter_id,
        "question_text": r"What is \(\frac{1}{2}\) of 8?",
        "option_1": "4",
        "option_2": "2",
        "correct_option": "1",
    }
    unsaved = staff_client.post(url, edits)
    assert unsaved.status_code == 200
    assert "<mfrac>" in unsaved.text
    question.refresh_from_db()
    assert question.question_text == "What is 2 + 2?"  # nothing saved


@pytest.mark.django_db
def test_only_staff_who_may_view_questions_preview(client):
    from accounts.tests.factories import StudentFactory

    question = QuestionFactory()
    sign_in(client, StudentFactory().user)
    assert client.get(f"/admin/curriculum/question/{question.pk}/as-student/").status_code == 302  # the login


@pytest.mark.django_db
def test_adding_a_question_from_a_chapter_suggests_its_quiz_id(staff_client):
    from curriculum.tests.factories import ChapterFactory

    chapter = ChapterFactory(id="fractions")
    QuestionFactory(chapter=chapter, quiz_id="fractions-01")
    QuestionFactory(chapter=chapter, quiz_id="fractions-02")
    html = staff_client.get("/admin/curriculum/question/add/?chapter=fractions").text
    assert 'name="quiz_id" value="fractions-03"' in html
