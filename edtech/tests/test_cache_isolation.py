"""No page may show one user's data to another: every cached page, viewed by two users in turn."""

import pytest

from accounts.tests.factories import StudentFactory
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from curriculum.tests.helpers import answer
from edtech import cache

pytestmark = pytest.mark.django_db

PAGES = ["/learn/", "/dashboard/", "/leaderboard/", "/profile/"]


@pytest.mark.parametrize("page", PAGES)
def test_a_cached_page_never_shows_another_students_numbers(client, page):
    chapter = ChapterFactory(name="Counting")
    questions = [QuestionFactory(chapter=chapter, difficulty_level="hard") for _ in range(3)]
    ana = StudentFactory(name="Ana Unique", email="ana-unique@example.com")
    ben = StudentFactory(name="Ben Other", email="ben-other@example.com")
    for question in questions:
        answer(ana, question)
    answer(ben, questions[0], 0)

    client.force_login(ana.user)
    ana_html = client.get(page).content.decode()
    client.force_login(ben.user)
    ben_html = client.get(page).content.decode()

    assert "ana-unique@example.com" not in ben_html
    if page != "/leaderboard/":
        assert "Ana Unique" not in ben_html
    if page in ("/learn/", "/dashboard/"):
        assert "100%" in ana_html and "100%" not in ben_html
    if page == "/dashboard/":
        assert "<strong>90</strong>" in ana_html and "<strong>90</strong>" not in ben_html


def test_per_student_keys_carry_the_student_and_the_version():
    student = StudentFactory()
    assert cache.make_key("progress_summary", student.pk, student.cache_version) == (
        f"progress_summary:{student.pk}:{student.cache_version}"
    )


def test_an_answer_changes_the_version_so_a_lost_invalidation_cannot_serve_old_numbers(client):
    student = StudentFactory()
    chapter = ChapterFactory()
    client.force_login(student.user)
    answer(student, QuestionFactory(chapter=chapter))
    assert "<strong>10</strong> <span>XP in total" in client.get("/dashboard/").content.decode()
    student.refresh_from_db()
    old_version = student.cache_version

    # The answer's on_commit deletion never runs inside a test transaction: only the version protects.
    answer(student, QuestionFactory(chapter=chapter))
    student.refresh_from_db()

    assert student.cache_version != old_version
    assert "<strong>20</strong> <span>XP in total" in client.get("/dashboard/").content.decode()


def test_an_answer_deletes_the_students_entries_after_commit(django_capture_on_commit_callbacks):
    student = StudentFactory()
    version = student.cache_version
    for name in cache.STUDENT_ENTRIES:
        cache.set(name, (student.pk, version), {"stale": True})

    with django_capture_on_commit_callbacks(execute=True):
        answer(student, QuestionFactory())

    assert all(cache.get(name, student.pk, version) is None for name in cache.STUDENT_ENTRIES)


def test_staff_edits_reach_the_question_page_at_once(client, django_capture_on_commit_callbacks):
    student = StudentFactory()
    question = QuestionFactory(question_text="Old wording?")
    client.force_login(student.user)
    url = f"/learn/{question.chapter_id}/q/{question.quiz_id}/"
    assert "Old wording?" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        question.question_text = "New wording?"
        question.save()

    assert "New wording?" in client.get(url).content.decode()


def test_a_new_chapter_appears_on_the_map_at_once(client, django_capture_on_commit_callbacks):
    student = StudentFactory()
    client.force_login(student.user)
    client.get("/learn/")
    with django_capture_on_commit_callbacks(execute=True):
        ChapterFactory(name="Brand new chapter")
    assert "Brand new chapter" in client.get("/learn/").content.decode()


def test_the_landing_page_is_cached_only_for_anonymous_visitors(client):
    assert client.get("/").status_code == 200
    student = StudentFactory()
    client.force_login(student.user)
    assert client.get("/")["Location"] == "/learn/"
