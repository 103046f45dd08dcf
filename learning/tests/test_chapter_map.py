import pytest

from curriculum import catalog
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db


def test_chapters_are_grouped_by_subject_in_order(student_client):
    ChapterFactory(subject="Science", name="Plants", order=1)
    ChapterFactory(subject="Math", name="Fractions", order=2)
    ChapterFactory(subject="Math", name="Counting", order=1)

    html = student_client.get("/learn/").content.decode()

    assert html.index("Math") < html.index("Counting") < html.index("Fractions") < html.index("Science")
    assert html.index("Science") < html.index("Plants")


def test_a_locked_chapter_says_how_much_xp_is_still_needed(student_client):
    ChapterFactory(name="Shapes", is_locked=True, unlock_xp_required=50)
    html = student_client.get("/learn/").content.decode()
    assert "50 more XP" in html


def test_a_chapter_opens_when_the_student_has_enough_xp(student_client):
    first = ChapterFactory(name="Counting")
    locked = ChapterFactory(name="Shapes", is_locked=True, unlock_xp_required=10)
    question = QuestionFactory(chapter=locked)
    assert student_client.get(f"/learn/{locked.id}/q/{question.quiz_id}/").status_code == 403

    answer(student_client.student, QuestionFactory(chapter=first))

    html = student_client.get("/learn/").content.decode()
    assert "more XP" not in html
    assert student_client.get(f"/learn/{locked.id}/q/{question.quiz_id}/").status_code == 200


def test_the_map_shows_mastery_and_its_band(student_client):
    chapter = ChapterFactory(name="Counting")
    q1, _q2 = QuestionFactory(chapter=chapter), QuestionFactory(chapter=chapter)
    answer(student_client.student, q1)

    html = student_client.get("/learn/").content.decode()

    assert 'value="50.00"' in html
    assert "Familiar" in html


def test_the_map_runs_a_fixed_number_of_queries(student_client, django_assert_num_queries):
    for _ in range(3):
        chapter = ChapterFactory()
        for _ in range(4):
            answer(student_client.student, QuestionFactory(chapter=chapter))
    # The session, the account with its profile, the chapters the classes open, mastery and (cold) the chapter
    # list: 5 however many chapters.
    with django_assert_num_queries(5):
        student_client.get("/learn/")
    with django_assert_num_queries(2):  # warm: the student's row and the chapters the classes open
        html = student_client.get("/learn/").content.decode()
    for _ in range(5):
        ChapterFactory()
    catalog.forget_chapters()  # as the new chapters' commit would
    # The student's row (the session and the account are cached now), the classes' chapters and the chapter
    # list; mastery is still cached: the student's numbers did not change. The map is rendered again: the
    # catalog changed.
    with django_assert_num_queries(3):
        again = student_client.get("/learn/").content.decode()
    assert again.count("chapter-card") == html.count("chapter-card") + 5
