"""Question pictures: uploaded in the admin with required alt text, kept through the storage API, shown on
the question and result pages; what is refused; the demo's own pictures; media serving in development."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains

from accounts.tests.factories import StudentFactory
from accounts.tests.helpers import sign_in
from curriculum import pictures
from curriculum.models import Question
from curriculum.tests.factories import QuestionFactory
from curriculum.tests.test_admin_editing import admin_url, form_errors, question_data
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files() -> list[str]:
    if not default_storage.exists("questions"):
        return []
    return sorted(default_storage.listdir("questions")[1])


def test_an_uploaded_picture_with_its_alt_text_is_stored_and_shown_to_students(
    staff_client, django_capture_on_commit_callbacks
):
    data = question_data(image=upload("Pizza Slices.PNG", png()), image_alt="A pizza cut into 8 slices")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(admin_url(Question, "add"), data)

    assert response.status_code == 302, form_errors(response)
    question = Question.objects.get(quiz_id="math-new-01")
    # A random name of its own, under questions/, through the storage API; the alt text beside it.
    assert question.image.name.startswith("questions/") and question.image.name.endswith(".png")
    assert "Pizza" not in question.image.name
    assert default_storage.open(question.image.name).read() == data["image"].file.getvalue()
    assert question.image_alt == "A pizza cut into 8 slices"

    student = StudentFactory()
    client = Client()
    sign_in(client, student.user)
    img = (
        f'<img class="question-image" src="/media/{question.image.name}" alt="A pizza cut into 8 slices" '
        'decoding="async">'
    )
    assertContains(client.get(reverse("question", args=[question.chapter_id, question.quiz_id])), img, html=True)
    submission = answer(student, question)
    result = client.get(reverse("answer_result", args=[question.chapter_id, question.quiz_id, submission.pk]))
    assertContains(result, img, html=True)


def test_a_picture_without_alt_text_is_refused_and_nothing_is_stored(staff_client):
    response = staff_client.post(admin_url(Question, "add"), question_data(image=upload("pizza.png", png())))

    assert form_errors(response)["image_alt"] == [pictures.ALT_MISSING]
    assert not Question.objects.filter(quiz_id="math-new-01").exists()
    assert stored_files() == []


def test_only_spaces_are_no_alt_text(staff_client):
    response = staff_client.post(
        admin_url(Question, "add"), question_data(image=upload("pizza.png", png()), image_alt="   ")
    )

    assert form_errors(response)["image_alt"] == [pictures.ALT_MISSING]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "“virus.exe” is not a picture we take: use a PNG, JPEG, GIF, WebP or SVG file."),
        ("fake.png", b"this is text, not a picture", "“fake.png” is not a readable PNG picture"),
        ("renamed.jpg", png(), "“renamed.jpg” is not a readable JPG picture"),  # a PNG named .jpg
        ("page.svg", b"<html><body>hi</body></html>", "“page.svg” is not a readable SVG picture"),
        ("broken.svg", b"<svg xmlns='http://www.w3.org/2000/svg'>", "“broken.svg” is not a readable SVG picture"),
        ("huge.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1), "The picture is 2.0 MB; the most is 2 MB."),
    ],
)
def test_what_is_not_a_picture_we_take_is_refused_with_a_clear_message(staff_client, name, content, message):
    response = staff_client.post(
        admin_url(Question, "add"), question_data(image=upload(name, content), image_alt="Something")
    )

    assert message in form_errors(response)["image"][0]
    assert not Question.objects.filter(quiz_id="math-new-01").exists()
    assert stored_files() == []


def test_an_svg_picture_is_taken(staff_client):
    response = staff_client.post(
        admin_url(Question, "add"), question_data(image=upload("dot.svg", SVG), image_alt="A black dot")
    )

    assert response.status_code == 302, form_errors(response)
    assert Question.objects.get(quiz_id="math-new-01").image.name.endswith(".svg")


def test_the_database_refuses_a_picture_without_alt_text():
    question = QuestionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(image="questions/x.png", image_alt="")


def test_a_replaced_picture_s_old_file_is_deleted_once_saved(staff_client, django_capture_on_commit_callbacks):
    question = QuestionFactory()
    first = question_data(question, image=upload("one.png", png()), image_alt="An orange square")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(admin_url(Question, "change", question.pk), first)
    question.refresh_from_db()
    old = question.image.name

    second = question_data(question, image=upload("two.png", png((60, 60))), image_alt="A bigger square")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(admin_url(Question, "change", question.pk), second)

    assert response.status_code == 302, form_errors(response)
    question.refresh_from_db()
    assert question.image.name != old
    assert stored_files() == [Path(question.image.name).name]


def test_a_cleared_picture_s_file_is_deleted(staff_client, django_capture_on_commit_callbacks):
    question = QuestionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            admin_url(Question, "change", question.pk),
            question_data(question, image=upload("one.png", png()), image_alt="An orange square"),
        )
    question.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(admin_url(Question, "change", question.pk), question_data(question, **{"image-clear": "on"}))

    question.refresh_from_db()
    assert not question.image
    assert stored_files() == []


def test_a_new_picture_address_needs_alt_text_too_but_older_content_still_saves(staff_client):
    question = QuestionFactory(image_url="https://images.example.com/old.png", image_alt=None)

    unchanged = staff_client.post(admin_url(Question, "change", question.pk), question_data(question))
    changed = staff_client.post(
        admin_url(Question, "change", question.pk),
        question_data(question, image_url="https://images.example.com/new.png"),
    )

    assert unchanged.status_code == 302
    assert form_errors(changed)["image_alt"] == [pictures.ALT_MISSING]


def test_an_address_picture_shows_its_alt_text_or_the_old_words(client):
    described = QuestionFactory(image_url="https://images.example.com/a.png", image_alt="Three red apples")
    older = QuestionFactory(image_url="https://images.example.com/b.png", image_alt=None)
    sign_in(client, StudentFactory().user)

    for question, alt in ((described, "Three red apples"), (older, "Picture for this question")):
        page = client.get(reverse("question", args=[question.chapter_id, question.quiz_id]))
        assertContains(page, f'src="{question.image_url}" alt="{alt}"')


def test_the_admin_shows_the_uploaded_picture_with_its_alt_text(staff_client):
    question = QuestionFactory()
    staff_client.post(
        admin_url(Question, "change", question.pk),
        question_data(question, image=upload("one.png", png()), image_alt="An orange square"),
    )
    question.refresh_from_db()

    response = staff_client.get(admin_url(Question, "change", question.pk))

    assertContains(
        response, f'<img class="lq-thumbnail" src="/media/{question.image.name}" alt="An orange square">', html=True
    )
    assertContains(response, 'accept=".png,.jpg,.jpeg,.gif,.webp,.svg"')


def test_development_serves_uploads_with_a_sandbox_and_production_leaves_them_to_nginx(client, settings):
    name = default_storage.save("questions/dot.svg", io.BytesIO(SVG))
    settings.DEBUG = True
    served = client.get(f"/media/{name}")
    settings.DEBUG = False
    refused = client.get(f"/media/{name}")

    assert served.status_code == 200
    assert b"".join(served.streaming_content) == SVG
    assert "sandbox" in served["Content-Security-Policy"]
    assert "default-src 'none'" in served["Content-Security-Policy"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert refused.status_code == 404


def test_the_demo_has_its_own_pictures_and_a_second_run_keeps_what_staff_changed(capsys):
    call_command("seed_demo")
    pizza = Question.objects.get(quiz_id="math-fractions-01")
    assert pizza.image.name.endswith(".svg")
    assert "pizza" in pizza.image_alt.lower()
    assert default_storage.open(pizza.image.name).read().startswith(b"<svg")
    pictured = Question.objects.exclude(image=None).exclude(image="").count()
    assert pictured == 3

    # Staff take the hexagon's picture away; seeding again leaves that as it is, --force restores it.
    Question.objects.filter(quiz_id="math-geometry-01").update(image=None, image_alt=None)
    call_command("seed_demo")
    assert not Question.objects.get(quiz_id="math-geometry-01").image
    assert Question.objects.get(quiz_id="math-fractions-01").image.name == pizza.image.name

    call_command("seed_demo", "--force")
    assert Question.objects.get(quiz_id="math-geometry-01").image
    repictured = Question.objects.get(quiz_id="math-fractions-01").image.name
    assert repictured != pizza.image.name
    assert not default_storage.exists(pizza.image.name)  # the replaced file went with it


def test_deleting_unanswered_questions_deletes_their_pictures_and_an_answered_one_keeps_its(
    staff_client, django_capture_on_commit_callbacks
):
    kept_name = default_storage.save("questions/kept.png", io.BytesIO(png()))
    gone_name = default_storage.save("questions/gone.png", io.BytesIO(png()))
    answered = QuestionFactory(image=kept_name, image_alt="Kept")
    unanswered = QuestionFactory(image=gone_name, image_alt="Gone")
    answer(StudentFactory(), answered)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:curriculum_question_changelist"),
            {"action": "delete_selected", "_selected_action": [answered.pk, unanswered.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert not Question.objects.filter(pk=unanswered.pk).exists()
    assert stored_files() == ["kept.png"]  # the answered question was retired, with its picture
