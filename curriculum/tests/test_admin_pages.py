import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Parent, Student, StudentParentLink, User
from accounts.tests.factories import (
    ParentFactory,
    StudentFactory,
    StudentParentLinkFactory,
    UserFactory,
)
from accounts.tests.helpers import sign_in
from analytics.models import DailyAnalytics, StudentProgress
from analytics.tests.factories import DailyAnalyticsFactory, StudentProgressFactory
from curriculum.models import Chapter, Question, QuizSubmission
from curriculum.tests.factories import ChapterFactory, QuestionFactory, QuizSubmissionFactory

pytestmark = pytest.mark.django_db

FACTORIES = {
    User: UserFactory,
    Student: StudentFactory,
    Parent: ParentFactory,
    StudentParentLink: StudentParentLinkFactory,
    Chapter: ChapterFactory,
    Question: QuestionFactory,
    QuizSubmission: QuizSubmissionFactory,
    StudentProgress: StudentProgressFactory,
    DailyAnalytics: DailyAnalyticsFactory,
}
# Written only by record_answer: the admin shows them and nothing more.
DERIVED = {QuizSubmission, StudentProgress, DailyAnalytics}
EDITABLE = [model for model in FACTORIES if model not in DERIVED]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def model_id(model):
    return model.__name__


@pytest.mark.parametrize("model", FACTORIES, ids=model_id)
def test_the_changelist_lists_the_rows(staff_client, model):
    obj = FACTORIES[model]()

    response = staff_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert obj in response.context["cl"].result_list


@pytest.mark.parametrize("model", FACTORIES, ids=model_id)
def test_the_change_page_shows_a_row(staff_client, model):
    obj = FACTORIES[model]()

    response = staff_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("model", EDITABLE, ids=model_id)
def test_the_add_page_shows_a_form(staff_client, model):
    response = staff_client.get(admin_url(model, "add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", sorted(DERIVED, key=model_id), ids=model_id)
def test_derived_rows_cannot_be_added_changed_or_deleted(staff_client, model):
    obj = FACTORIES[model]()

    assert staff_client.get(admin_url(model, "add")).status_code == 403
    assert staff_client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert staff_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    response = staff_client.get(admin_url(model, "change", obj.pk))
    assert response.context["has_change_permission"] is False
    assert admin_url(model, "delete", obj.pk) not in response.text
    changelist = staff_client.get(admin_url(model, "changelist"))
    assert "delete_selected" not in changelist.text
    assert model.objects.filter(pk=obj.pk).exists()


def test_deleting_a_student_deletes_their_answers_and_progress(staff_client):
    submission = QuizSubmissionFactory()
    StudentProgressFactory(student=submission.student)
    DailyAnalyticsFactory(student=submission.student)
    url = admin_url(Student, "delete", submission.student.pk)

    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Student.objects.exists()
    assert not QuizSubmission.objects.exists()
    assert not StudentProgress.objects.exists()
    assert not DailyAnalytics.objects.exists()


def test_deleting_a_chapter_nobody_answered_deletes_its_questions(staff_client):
    question = QuestionFactory()
    url = admin_url(Chapter, "delete", question.chapter_id)

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Chapter.objects.exists()
    assert not Question.objects.exists()


def test_a_chapter_with_answers_cannot_be_deleted(staff_client):
    submission = QuizSubmissionFactory()
    chapter_id = submission.question.chapter_id

    page = staff_client.post(admin_url(Chapter, "delete", chapter_id), {"post": "yes"})
    bulk = staff_client.post(
        admin_url(Chapter, "changelist"), {"action": "delete_selected", "_selected_action": [chapter_id], "post": "yes"}
    )

    assert page.status_code == 403
    assert bulk.status_code == 302
    assert Chapter.objects.filter(pk=chapter_id).exists()
    assert QuizSubmission.objects.filter(pk=submission.pk).exists()


@pytest.mark.parametrize("model", FACTORIES, ids=model_id)
def test_the_changelist_runs_the_same_queries_for_one_row_or_many(staff_client, model):
    FACTORIES[model]()
    url = admin_url(model, "changelist")
    staff_client.get(url)  # the session and the account are read once, then come from the cache
    with CaptureQueriesContext(connection) as one_row:
        staff_client.get(url)

    FACTORIES[model].create_batch(4)
    with CaptureQueriesContext(connection) as five_rows:
        response = staff_client.get(url)

    assert response.context["cl"].result_count >= 5
    assert len(five_rows) == len(one_row), [query["sql"] for query in five_rows]


@pytest.mark.parametrize(
    ("model", "make", "term"),
    [
        (User, lambda: UserFactory(email="maya@example.com"), "maya@"),
        (Student, lambda: StudentFactory(name="Maya Lopez"), "lopez"),
        (Parent, lambda: ParentFactory(name="Ana Lopez"), "ana"),
        (StudentParentLink, lambda: StudentParentLinkFactory(student__name="Maya Lopez"), "maya"),
        (Chapter, lambda: ChapterFactory(id="math-fractions", name="Fractions"), "fraction"),
        (Question, lambda: QuestionFactory(question_text="What is 1/2 + 1/4?"), "1/2"),
        (Question, lambda: QuestionFactory(quiz_id="math-fractions-07"), "fractions-07"),
        (QuizSubmission, lambda: QuizSubmissionFactory(student__name="Maya Lopez"), "maya"),
        (StudentProgress, lambda: StudentProgressFactory(chapter__name="Fractions"), "fractions"),
        (DailyAnalytics, lambda: DailyAnalyticsFactory(student__email="maya@example.com"), "maya"),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_the_changelist_search_finds_only_matching_rows(staff_client, model, make, term):
    wanted = make()
    FACTORIES[model]()

    response = staff_client.get(admin_url(model, "changelist"), {"q": term})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_the_chapter_list_filters_by_subject_and_lock(staff_client):
    wanted = ChapterFactory(subject="Science", is_locked=True)
    ChapterFactory(subject="Science", is_locked=False)
    ChapterFactory(subject="Math", is_locked=True)

    response = staff_client.get(admin_url(Chapter, "changelist"), {"subject": "Science", "is_locked__exact": "1"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_the_question_list_filters_by_subject_and_difficulty(staff_client):
    wanted = QuestionFactory(chapter__subject="Science", difficulty_level="hard")
    QuestionFactory(chapter__subject="Science", difficulty_level="easy")
    QuestionFactory(chapter__subject="Math", difficulty_level="hard")

    response = staff_client.get(
        admin_url(Question, "changelist"), {"chapter__subject": "Science", "difficulty_level__exact": "hard"}
    )

    assert list(response.context["cl"].result_list) == [wanted]


def test_the_student_counters_are_read_only(staff_client):
    student = StudentFactory(grade_level=4)
    data = {
        "user": student.user.public_id,
        "name": student.name,
        "email": student.email,
        "grade_level": 5,
        "time_zone": "",
        "total_xp": 9999,
        "current_streak": 99,
        "best_streak": 99,
        "parent_links-TOTAL_FORMS": 0,
        "parent_links-INITIAL_FORMS": 0,
    }

    response = staff_client.post(admin_url(Student, "change", student.pk), data)

    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.grade_level, student.total_xp, student.current_streak, student.best_streak) == (5, 0, 0, 0)


def test_a_student_profile_must_repeat_its_accounts_email(staff_client):
    user = UserFactory(email="maya@example.com")
    data = {
        "user": user.public_id,
        "name": "Maya Lopez",
        "email": "someone.else@example.com",
        "parent_links-TOTAL_FORMS": 0,
        "parent_links-INITIAL_FORMS": 0,
    }

    response = staff_client.post(admin_url(Student, "add"), data)

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert not Student.objects.exists()


def test_the_user_autocomplete_offers_accounts_by_public_id(staff_client):
    user = UserFactory(email="maya@example.com")

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": "maya", "app_label": "accounts", "model_name": "student", "field_name": "user"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": user.public_id, "text": "maya@example.com"}]


def test_staff_add_an_account_with_an_email_and_a_password(staff_client):
    data = {
        "email": "New.Teacher@Example.com",
        "usable_password": "true",
        "password1": "a-long-enough-password",
        "password2": "a-long-enough-password",
    }

    response = staff_client.post(admin_url(User, "add"), data)

    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@example.com")
    assert authenticate(username="new.teacher@example.com", password="a-long-enough-password") == user


def test_the_add_account_form_refuses_an_email_taken_in_another_case(staff_client):
    UserFactory(email="maya@example.com")
    data = {
        "email": "Maya@Example.com",
        "usable_password": "true",
        "password1": "a-long-enough-password",
        "password2": "a-long-enough-password",
    }

    response = staff_client.post(admin_url(User, "add"), data)

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact="maya@example.com").count() == 1


def test_staff_change_an_accounts_password(staff_client):
    user = UserFactory()
    data = {"usable_password": "true", "password1": "a-new-long-password", "password2": "a-new-long-password"}

    response = staff_client.post(reverse("admin:auth_user_password_change", args=[user.pk]), data)

    assert response.status_code == 302
    assert authenticate(username=user.email, password="a-new-long-password") == user


def test_the_question_form_refuses_a_correct_index_outside_the_options(staff_client):
    chapter = ChapterFactory()
    data = {
        "quiz_id": "math-new-01",
        "chapter": chapter.pk,
        "difficulty_level": "easy",
        "question_text": "What is 2 + 2?",
        "option_1": "3",
        "option_2": "4",
        "correct_option": 3,
        "explanation": "Count on two.",
    }

    response = staff_client.post(admin_url(Question, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "correct_option": ["The correct option is option 3, which is empty."]
    }
    assert not Question.objects.exists()


def test_content_editors_see_answers_but_never_who_gave_them(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    submission = QuizSubmissionFactory(student__name="Maya Secret", student__user__email="maya.secret@example.com")
    sign_in(client, editor)

    listing = client.get(admin_url(QuizSubmission, "changelist"))
    detail = client.get(admin_url(QuizSubmission, "change", submission.pk))
    search = client.get(admin_url(QuizSubmission, "changelist"), {"q": "Maya"})

    assert listing.status_code == detail.status_code == 200
    assert submission.question.quiz_id in listing.text
    for page in (listing, detail, search):
        assert "Maya Secret" not in page.text and "maya.secret" not in page.text
    assert list(search.context["cl"].result_list) == []
