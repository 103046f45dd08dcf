"""No page may show one user's data to another: every cached page, viewed by two users in turn."""

import pytest

from accounts import family
from accounts.models import Student
from accounts.tests.factories import StudentFactory
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from edtech import cache
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

# page → what only Ana's view of it may show (her numbers, her name, her code): never on Ben's.
ANAS_OWN = {
    "/learn/": ["100%"],  # her mastery of the chapter
    "/learn/counting/": ["3 of 3 questions correct", "Mastery: 100%"],  # her part of the chapter's page
    "/dashboard/": ["<strong>90</strong>", "Hi Ana Unique!"],
    "/leaderboard/": ["<strong>90 XP</strong> <span>in total", "Ana U. (you)"],
    "/profile/": ['value="Ana Unique"', "family-code"],
}


@pytest.mark.parametrize("page", list(ANAS_OWN))
def test_a_cached_page_never_shows_another_students_numbers(client, page):
    chapter = ChapterFactory(id="counting", name="Counting")
    questions = [QuestionFactory(chapter=chapter, difficulty_level="hard") for _ in range(3)]
    ana = StudentFactory(name="Ana Unique", user__email="ana-unique@example.com", email="ana-unique@example.com")
    ben = StudentFactory(name="Ben Other", user__email="ben-other@example.com", email="ben-other@example.com")
    for question in questions:
        answer(ana, question)
    answer(ben, questions[0], 0)
    family.replace_code(ana)  # Ana made a family code (on demand): it is on her profile only

    client.force_login(ana.user)
    ana_html = client.get(page).content.decode()
    client.force_login(ben.user)
    ben_html = client.get(page).content.decode()

    for marker in ANAS_OWN[page]:
        assert marker in ana_html, marker
    if page == "/profile/":
        ana_code = Student.objects.get(pk=ana.pk).family_code
        assert ana_code in ana_html and ana_code not in ben_html
        assert 'value="Ben Other"' in ben_html
    else:
        for marker in ANAS_OWN[page]:
            assert marker not in ben_html, marker
    assert "ana-unique@example.com" not in ben_html
    if page != "/leaderboard/":  # the leaderboard shows other children as "Ana U."
        assert "Ana Unique" not in ben_html


def test_per_student_keys_carry_the_data_set_the_student_and_the_version():
    student = StudentFactory()
    entry = cache.student_entry("recent_answers", student.pk, student.cache_version)
    assert entry.key == f"recent_answers:{student.pk}:{student.cache_version}"
    assert entry.timeout == cache.TTL["progress_summary"]


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
    entries = [cache.student_entry(dataset, student.pk, student.cache_version) for dataset in cache.STUDENT_DATASETS]
    for entry in entries:
        cache.set(entry, {"stale": True})

    with django_capture_on_commit_callbacks(execute=True):
        answer(student, QuestionFactory())

    assert cache.get_many(entries) == {}


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


def test_the_landing_pages_content_is_cached_once_for_every_visitor_but_not_the_page_around_it(client):
    assert cache.get(cache.landing_page_entry()) is None

    first = client.get("/")
    again = client.get("/?utm_source=newsletter&utm_medium=email")

    cached = cache.get(cache.landing_page_entry())
    assert cached is not None and "Short, friendly quizzes" in cached
    assert cached in first.content.decode() and cached in again.content.decode()
    assert "<header" not in cached and "Log in</a></li>" not in cached  # the navigation is rendered per request
    student = StudentFactory()
    client.force_login(student.user)
    assert client.get("/")["Location"] == "/learn/"
