"""Chapter and question ids are slugs (they are parts of every page's address) and pictures are http(s)
addresses: the model says so, so the admin, the importer and the command refuse the same values."""

import json

import pytest
from django.urls import reverse

from curriculum import transfer
from curriculum.models import Chapter, Question
from curriculum.tests.factories import ChapterFactory

pytestmark = pytest.mark.django_db

BAD_IDS = ["a/b", "a b", "math?x=1", "../etc", "a%2Fb", ""]
BAD_URLS = ["javascript:alert(1)", "data:image/png;base64,AAAA", "ftp://example.org/a.png", "/media/a.png"]


def import_json(chapters=(), questions=()):
    data = {"chapters": list(chapters), "questions": list(questions)}
    return transfer.import_file(json.dumps(data), fmt="json", create_chapters=True)


def question(**changes):
    return {
        "quiz_id": "q1",
        "chapter_id": "ch",
        "question_text": "Which?",
        "options": ["a", "b"],
        "correct_answer_index": 0,
        **changes,
    }


@pytest.mark.parametrize("bad", [bad for bad in BAD_IDS if bad])
def test_the_admin_refuses_a_chapter_id_that_is_not_a_slug(staff_client, bad):
    data = {"id": bad, "name": "Odd", "subject": "Math", "is_locked": "", "unlock_xp_required": 0}
    data |= {"questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0}

    response = staff_client.post(reverse("admin:curriculum_chapter_add"), data)

    assert response.status_code == 200
    assert "id" in response.context["adminform"].form.errors
    assert not Chapter.objects.exists()


@pytest.mark.parametrize("bad", [bad for bad in BAD_IDS if bad])
def test_the_importer_refuses_a_chapter_or_quiz_id_that_is_not_a_slug(bad):
    chapter_report = import_json(chapters=[{"id": bad, "name": "Odd", "subject": "Math"}])
    question_report = import_json(
        chapters=[{"id": "ch", "name": "Ch", "subject": "Math"}], questions=[question(quiz_id=bad)]
    )

    assert str(chapter_report.rejected[0]).startswith("chapter 1: id: Enter a valid “slug”")
    assert [str(r) for r in question_report.rejected] == [
        "question 1: quiz_id: Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."
    ]
    assert not Chapter.objects.exists() and not Question.objects.exists()


def test_a_question_imported_into_a_new_chapter_with_a_slash_is_refused():
    report = import_json(questions=[question(chapter_id="math/fractions")])

    assert not report.ok
    assert not Chapter.objects.exists()


def test_unicode_slugs_are_fine():
    report = import_json(
        chapters=[{"id": "lengua-ñ", "name": "Ñ", "subject": "Lengua"}],
        questions=[question(quiz_id="ñ-1", chapter_id="lengua-ñ")],
    )

    assert report.ok, report.rejected
    assert Question.objects.get().quiz_id == "ñ-1"


@pytest.mark.parametrize("bad", BAD_URLS)
def test_a_picture_must_be_an_http_or_https_address_from_both_doors(staff_client, bad):
    ChapterFactory(id="ch")
    report = transfer.import_file(json.dumps({"questions": [question(image_url=bad)]}), fmt="json")
    data = {"quiz_id": "q2", "chapter": "ch", "question_text": "Which?", "option_1": "a", "option_2": "b"}
    response = staff_client.post(
        reverse("admin:curriculum_question_add"), {**data, "correct_option": 1, "image_url": bad}
    )

    assert [str(r) for r in report.rejected] == ["question 1: image_url: Enter an http:// or https:// address."]
    assert response.context["adminform"].form.errors["image_url"] == ["Enter an http:// or https:// address."]
    assert not Question.objects.exists()


def test_every_chapter_page_address_can_be_made_for_the_ids_the_model_allows():
    report = import_json(
        chapters=[{"id": "maths_2-b", "name": "M", "subject": "Math"}],
        questions=[question(quiz_id="Q_1-x", chapter_id="maths_2-b")],
    )

    assert report.ok, report.rejected
    assert reverse("question", args=["maths_2-b", "Q_1-x"]) == "/learn/maths_2-b/q/Q_1-x/"
