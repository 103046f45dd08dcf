import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import StudentFactory, UserFactory
from accounts.tests.helpers import sign_in
from analytics import content
from analytics.admin import CHAPTER_HEADERS, QUESTION_HEADERS
from analytics.tests.factories import StudentProgressFactory
from curriculum.models import Chapter, QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from edtech import cache
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

NOW = datetime.datetime.now(tz=datetime.UTC)
DAY = datetime.timedelta(days=1)
CHAPTERS_URL = reverse("admin:analytics_content_chapters")
QUESTIONS_URL = reverse("admin:analytics_content_questions")
ALL = {"chapter": ""}  # the "All chapters" choice


@pytest.fixture
def data():
    """Three chapters, four questions, three students; option index 2 ("3") is always right.

    q1: right (10 s), "2" (30 s), "2" (50 s, 40 days ago), "1" (20 s) → 4 answers, 25 %, "2" twice, median 25 s
    q2: "1" (20 s)                                                     → 1 answer, 0 %, "1" once, median 20 s
    q3 (another chapter): right (40 s)                                 → 1 answer, 100 %, no wrong answer, 40 s
    q4: never answered
    """
    fractions = ChapterFactory(name="Fractions")
    decimals = ChapterFactory(name="Decimals")
    quiet = ChapterFactory(name="Percentages")
    q1, q2 = QuestionFactory(chapter=fractions), QuestionFactory(chapter=fractions)
    q3 = QuestionFactory(chapter=decimals)
    q4 = QuestionFactory(chapter=fractions)
    ana, ben, cleo = StudentFactory(), StudentFactory(), StudentFactory()

    answer(cleo, q1, 1, at=NOW - 40 * DAY, seconds=50)
    answer(cleo, q1, 0, at=NOW - 20 * DAY, seconds=20)
    answer(ana, q2, 0, at=NOW - 10 * DAY, seconds=20)
    answer(ben, q1, 1, at=NOW - 3 * DAY, seconds=30)
    answer(ben, q3, at=NOW - 2 * DAY, seconds=40)
    answer(ana, q1, at=NOW - DAY, seconds=10)
    # A progress row without a completed question has not started the chapter.
    StudentProgressFactory(chapter=quiet, questions_completed=0, questions_correct=0, mastery_score=0)
    return {
        "chapters": (fractions, decimals, quiet),
        "questions": (q1, q2, q3, q4),
    }


def content_editor():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_question", content_type__app_label="curriculum"))
    return user


def rows_by_id(response):
    return {row["id"]: row for row in response.context["rows"]}


def test_the_chapter_page_counts_started_students_mastery_and_recent_answers(staff_client, data):
    fractions, decimals, quiet = data["chapters"]

    response = staff_client.get(CHAPTERS_URL)

    assert response.status_code == 200
    rows = rows_by_id(response)
    # Fractions has three questions: Ana has 1 of 3 right (33.33), Ben and Cleo none.
    assert rows[fractions.pk]["started"] == 3
    assert rows[fractions.pk]["mastery"].quantize(Decimal("0.01")) == Decimal("11.11")
    assert (rows[fractions.pk]["answers_7d"], rows[fractions.pk]["answers_30d"]) == (2, 4)
    assert rows[decimals.pk]["started"] == 1
    assert rows[decimals.pk]["mastery"] == Decimal(100)
    assert (rows[decimals.pk]["answers_7d"], rows[decimals.pk]["answers_30d"]) == (1, 1)
    assert rows[quiet.pk] == {
        "id": quiet.pk,
        "name": "Percentages",
        "subject": quiet.subject,
        "started": 0,
        "mastery": None,
        "answers_7d": 0,
        "answers_30d": 0,
    }
    assert "11.1%" in response.text


def test_the_question_page_shows_answers_share_correct_top_wrong_option_and_median_time(staff_client, data):
    q1, q2, q3, q4 = data["questions"]

    response = staff_client.get(QUESTIONS_URL, ALL)

    assert response.status_code == 200
    rows = rows_by_id(response)
    summary = {
        pk: (row["answers"], row["correct_pct"], row["wrong_option"], row["wrong_count"], row["median_seconds"])
        for pk, row in rows.items()
    }
    assert summary == {
        q1.pk: (4, 25.0, "2", 2, 25.0),
        q2.pk: (1, 0.0, "1", 1, 20.0),
        q3.pk: (1, 100.0, None, 0, 40.0),
        q4.pk: (0, None, None, 0, None),
    }
    assert "2 (2)" in response.text  # the wrong option's text and how often it was chosen


def test_the_python_median_for_sqlite_agrees_with_the_database(data):
    q1, q2, q3, _ = data["questions"]

    medians = content.medians_in_python(QuizSubmission.objects.all())

    assert medians == {q1.pk: 25.0, q2.pk: 20.0, q3.pk: 40.0}


@pytest.mark.parametrize("column", content.QUESTION_COLUMNS)
@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_the_question_page_sorts_by_each_column(staff_client, data, column, descending):
    response = staff_client.get(QUESTIONS_URL, {**ALL, "o": f"-{column}" if descending else column})

    values = [row[column] for row in response.context["rows"]]
    present = [value for value in values if value is not None]
    assert len(values) == 4
    assert present == sorted(present, reverse=descending)
    assert values[len(present) :] == [None] * (len(values) - len(present))  # never answered: last either way


@pytest.mark.parametrize("column", content.CHAPTER_COLUMNS)
@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_the_chapter_page_sorts_by_each_column(staff_client, data, column, descending):
    response = staff_client.get(CHAPTERS_URL, {"o": f"-{column}" if descending else column})

    values = [row[column] for row in response.context["rows"]]
    present = [value for value in values if value is not None]
    assert len(values) == 3
    assert present == sorted(present, reverse=descending)
    assert values[len(present) :] == [None] * (len(values) - len(present))


def test_the_worst_questions_come_first_when_sorted_by_share_correct(staff_client, data):
    q1, q2, q3, q4 = data["questions"]

    response = staff_client.get(QUESTIONS_URL, {**ALL, "o": "correct_pct"})

    assert [row["id"] for row in response.context["rows"]] == [q2.pk, q1.pk, q3.pk, q4.pk]


def test_a_column_header_sorts_by_it_and_a_second_click_reverses(staff_client, data):
    fractions, *_ = data["chapters"]
    response = staff_client.get(QUESTIONS_URL, {"chapter": fractions.pk})
    header = next(header for header in response.context["headers"] if header["label"] == "Answers")

    ascending = staff_client.get(QUESTIONS_URL + header["url"])
    header = next(header for header in ascending.context["headers"] if header["label"] == "Answers")
    descending = staff_client.get(QUESTIONS_URL + header["url"])

    assert [row["answers"] for row in ascending.context["rows"]] == [0, 1, 4]  # still only the chapter's
    assert header["sort"] == "ascending"
    assert [row["answers"] for row in descending.context["rows"]] == [4, 1, 0]


def test_every_sortable_column_has_a_header():
    assert tuple(CHAPTER_HEADERS) == content.CHAPTER_COLUMNS
    assert tuple(QUESTION_HEADERS) == content.QUESTION_COLUMNS


def test_the_question_page_filters_by_chapter(staff_client, data):
    fractions, decimals, _ = data["chapters"]
    q1, q2, q3, q4 = data["questions"]

    response = staff_client.get(QUESTIONS_URL, {"chapter": fractions.pk})
    other = staff_client.get(QUESTIONS_URL, {"chapter": decimals.pk})

    assert [row["id"] for row in response.context["rows"]] == [q1.pk, q2.pk, q4.pk]
    assert rows_by_id(response)[q1.pk]["answers"] == 4
    assert [row["id"] for row in other.context["rows"]] == [q3.pk]


def test_without_a_choice_the_page_shows_the_first_chapter_only(staff_client, data):
    fractions, *_ = data["chapters"]
    response = staff_client.get(QUESTIONS_URL)
    assert response.context["chapter"] == fractions
    assert {row["chapter_id"] for row in response.context["rows"]} == {fractions.pk}


def test_an_unknown_chapter_shows_every_question(staff_client, data):
    response = staff_client.get(QUESTIONS_URL, {"chapter": "no-such-chapter"})

    assert response.status_code == 200
    assert len(response.context["rows"]) == 4


@pytest.mark.parametrize(
    "order", ["password", "-id", "answers; DROP TABLE questions", "--answers", "question__options"]
)
def test_a_bad_sort_key_is_ignored(staff_client, data, order):
    unsorted = staff_client.get(QUESTIONS_URL, ALL)

    response = staff_client.get(QUESTIONS_URL, {**ALL, "o": order})

    assert response.status_code == 200
    assert response.context["rows"] == unsorted.context["rows"]
    assert response.context["order"] == ""
    assert staff_client.get(CHAPTERS_URL, {"o": order}).status_code == 200


@pytest.mark.parametrize("url", [CHAPTERS_URL, QUESTIONS_URL])
def test_a_content_editor_sees_the_pages(client, data, url):
    sign_in(client, content_editor())

    response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["rows"]) > 0


def test_the_admin_index_links_a_content_editor_to_the_pages(client):
    sign_in(client, content_editor())

    response = client.get(reverse("admin:index"))

    assert CHAPTERS_URL in response.text
    assert QUESTIONS_URL in response.text


@pytest.mark.parametrize("url", [CHAPTERS_URL, QUESTIONS_URL])
def test_staff_without_the_view_question_permission_are_refused(client, url):
    sign_in(client, UserFactory(is_staff=True))

    assert client.get(url).status_code == 403
    assert CHAPTERS_URL not in client.get(reverse("admin:index")).text


@pytest.mark.parametrize("url", [CHAPTERS_URL, QUESTIONS_URL])
def test_a_student_is_sent_to_the_admin_login(client, url):
    sign_in(client, StudentFactory().user)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", [CHAPTERS_URL, QUESTIONS_URL])
def test_the_pages_run_the_same_queries_for_few_questions_or_many(staff_client, url):
    student = StudentFactory()
    answer(student, QuestionFactory(), 1)
    staff_client.get(url, ALL)  # the session and the account are read once, then come from the cache
    # Counted afresh each time here: the counting is what is measured.
    cache.delete(cache.content_chapters_entry(), cache.content_questions_entry(None))
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url, ALL)

    for _ in range(4):
        question = QuestionFactory()
        answer(student, question, 0)
        answer(student, question)
    cache.delete(cache.content_chapters_entry(), cache.content_questions_entry(None))
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url, ALL)

    assert len(response.context["rows"]) == 5
    assert len(many) == len(few), [query["sql"] for query in many]


def test_the_chapter_page_is_counted_once_per_quarter_hour_and_says_when(staff_client, data):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC), tick=False):
        first = staff_client.get(CHAPTERS_URL, ALL)
        answer(StudentFactory(), QuestionFactory(chapter=Chapter.objects.first()))
        with CaptureQueriesContext(connection) as queries:
            again = staff_client.get(CHAPTERS_URL, ALL)

    assert "counted at 09:30" in first.content.decode()
    assert [row["answers_30d"] for row in again.context["rows"]] == [
        row["answers_30d"] for row in first.context["rows"]
    ]
    assert not any("submitted_at" in query["sql"] for query in queries)  # no recount of the answers
    cache.delete(cache.content_chapters_entry())  # as the TTL's end would
    recounted = staff_client.get(CHAPTERS_URL, ALL)
    assert (
        sum(row["answers_30d"] for row in recounted.context["rows"])
        == sum(row["answers_30d"] for row in first.context["rows"]) + 1
    )


def test_the_rendered_rows_follow_the_count_and_the_sort_order(staff_client, data):
    def names(response) -> list[str]:
        html = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
        return re.findall(r'chapter=[^"]+">([^<]+)</a>', html)

    def answers_30d(response, name: str) -> str:
        html = response.content.decode()
        return re.search(rf">{name}</a>.*?</th>(?:\s*<td>[^<]*</td>){{3}}\s*<td>([^<]*)</td>", html, re.S)[1]

    assert names(staff_client.get(CHAPTERS_URL)) == ["Fractions", "Decimals", "Percentages"]  # map order
    assert names(staff_client.get(CHAPTERS_URL, {"o": "name"})) == ["Decimals", "Fractions", "Percentages"]
    assert names(staff_client.get(CHAPTERS_URL, {"o": "-name"})) == ["Percentages", "Fractions", "Decimals"]
    assert names(staff_client.get(CHAPTERS_URL)) == ["Fractions", "Decimals", "Percentages"]  # each its own
    assert answers_30d(staff_client.get(CHAPTERS_URL), "Decimals") == "1"

    answer(StudentFactory(), QuestionFactory(chapter=data["chapters"][1]))
    cache.delete(cache.content_chapters_entry())  # as the end of the count's freshness would
    assert answers_30d(staff_client.get(CHAPTERS_URL), "Decimals") == "2"  # the rows of the new count
    assert answers_30d(staff_client.get(CHAPTERS_URL, {"o": "name"}), "Decimals") == "2"


def test_the_chapter_filter_marks_the_chosen_chapter_and_follows_an_edit_at_once(
    staff_client, data, django_capture_on_commit_callbacks
):
    fractions, decimals, _ = data["chapters"]

    def chosen(response) -> list[str]:
        select = response.content.decode().split('<select name="chapter"')[1].split("</select>")[0]
        return re.findall(r'<option value="([^"]*)" selected>', select)

    assert chosen(staff_client.get(QUESTIONS_URL)) == [fractions.pk]  # the first chapter of the map
    assert chosen(staff_client.get(QUESTIONS_URL, {"chapter": decimals.pk})) == [decimals.pk]
    assert chosen(staff_client.get(QUESTIONS_URL, ALL)) == [""]
    assert chosen(staff_client.get(QUESTIONS_URL, {"chapter": fractions.pk})) == [fractions.pk]  # each its own
    bad = staff_client.get(QUESTIONS_URL, {"chapter": "no-such-chapter"})
    assert "Select a valid choice" in bad.content.decode() and chosen(bad) == []

    with django_capture_on_commit_callbacks(execute=True):
        decimals.name = "Decimal numbers"
        decimals.save()
    assert ": Decimal numbers</option>" in staff_client.get(QUESTIONS_URL, {"chapter": fractions.pk}).content.decode()


def test_the_question_page_is_counted_once_per_quarter_hour_per_chapter_and_says_when(staff_client, data):
    chapter = Chapter.objects.first()
    url = f"{QUESTIONS_URL}?chapter={chapter.pk}"
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC), tick=False):
        first = staff_client.get(url)
        answer(StudentFactory(), QuestionFactory(chapter=chapter))
        again = staff_client.get(url)

    assert "Counted at 09:30" in first.content.decode()
    assert [row["answers"] for row in again.context["rows"]] == [row["answers"] for row in first.context["rows"]]
    cache.delete(cache.content_questions_entry(chapter.pk))  # as the TTL's end would
    recounted = staff_client.get(url)
    assert (
        sum(row["answers"] for row in recounted.context["rows"])
        == sum(row["answers"] for row in first.context["rows"]) + 1
    )
