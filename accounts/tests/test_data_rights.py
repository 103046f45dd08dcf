import datetime
import json
import logging

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from accounts import data_rights, family
from accounts.models import Parent, Student, User
from accounts.tests.factories import StaffFactory, StudentFactory, StudentParentLinkFactory, UserFactory
from accounts.tests.helpers import sign_in
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from edtech import cache
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

NOW = datetime.datetime.now(tz=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def maya():
    """A student with a family code, a parent, three answers on two days in two chapters."""
    student = StudentFactory(name="Maya Lopez", user__email="maya@example.com", email="maya@example.com")
    family.replace_code(student)
    StudentParentLinkFactory(student=student, parent__name="Ana Lopez", parent__user__email="ana@example.com")
    fractions = ChapterFactory(id="math-fractions")
    decimals = ChapterFactory(id="math-decimals")
    halves = QuestionFactory(chapter=fractions, quiz_id="math-fractions-01")
    quarters = QuestionFactory(chapter=fractions, quiz_id="math-fractions-02")
    tenths = QuestionFactory(chapter=decimals, quiz_id="math-decimals-01")
    answer(student, halves, at=NOW - DAY, seconds=12)
    answer(student, quarters, 0, at=NOW, seconds=30)
    answer(student, tenths, at=NOW, seconds=8)
    return Student.objects.select_related("user").get(pk=student.pk)


@pytest.fixture
def other():
    """Another student, with an answer and a parent of their own: never touched."""
    student = StudentFactory()
    StudentParentLinkFactory(student=student)
    answer(student, QuestionFactory())
    return student


@pytest.fixture
def superuser_client(client):
    sign_in(client, StaffFactory())
    return client


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames))
    return user


def export_url(student):
    return reverse("admin:accounts_student_export", args=[student.pk])


def erase_url(student):
    return reverse("admin:accounts_student_erase", args=[student.pk])


def rows_of(student_id):
    """What the database holds for a student, counted in SQL (no ORM, no cascade emulation)."""
    tables = ["quiz_submissions", "student_progress", "daily_analytics", "student_parent_link"]
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE student_id = %s", [student_id])
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM students WHERE id = %s", [student_id])
        counts["students"] = cursor.fetchone()[0]
    return counts


def account_exists(user_pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {User._meta.db_table} WHERE id = %s", [user_pk])
        return cursor.fetchone()[0] == 1


def test_the_student_page_offers_export_and_erase(superuser_client, maya):
    response = superuser_client.get(reverse("admin:accounts_student_change", args=[maya.pk]))

    assert export_url(maya) in response.text
    assert erase_url(maya) in response.text


def test_the_export_is_a_json_download_of_everything_about_the_student(superuser_client, maya, other):
    response = superuser_client.get(export_url(maya))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="student-{maya.pk}.json"'
    data = json.loads(b"".join(response.streaming_content))
    assert data["student"]["id"] == maya.pk
    assert data["student"]["name"] == "Maya Lopez"
    assert data["student"]["total_xp"] == 20
    assert data["account"]["email"] == "maya@example.com"
    assert set(data["account"]) == {"email", "username", "date_joined", "last_login"}
    assert data["account"]["username"] is None
    assert data["consent"]["basis"] == "self"
    parent = maya.parents.get()
    assert [(link["parent_id"], link["name"]) for link in data["parents"]] == [(parent.pk, "Ana Lopez")]
    assert [
        (row["quiz_id"], row["chapter_id"], row["selected_answer_index"], row["is_correct"], row["xp_earned"])
        for row in data["answers"]
    ] == [
        ("math-fractions-01", "math-fractions", 2, True, 10),
        ("math-fractions-02", "math-fractions", 0, False, 0),
        ("math-decimals-01", "math-decimals", 2, True, 10),
    ]
    assert [row["time_taken_seconds"] for row in data["answers"]] == [12, 30, 8]
    assert all(row["submitted_at"] for row in data["answers"])
    assert {row["chapter_id"]: row["questions_completed"] for row in data["progress"]} == {
        "math-decimals": 1,
        "math-fractions": 2,
    }
    assert [(row["questions_answered"], row["questions_correct"]) for row in data["daily_analytics"]] == [
        (1, 1),
        (2, 1),
    ]


def test_the_export_holds_no_password_hash_family_code_or_parent_email(superuser_client, maya):
    maya.refresh_from_db()
    assert maya.family_code and maya.user.password  # there is something to leak

    body = b"".join(superuser_client.get(export_url(maya)).streaming_content).decode()

    assert maya.user.password not in body
    assert "password" not in body
    assert maya.family_code not in body
    assert "family_code" not in body
    assert maya.user.public_id not in body
    assert "ana@example.com" not in body


def test_the_erase_page_says_what_will_go(superuser_client, maya):
    response = superuser_client.get(erase_url(maya))

    assert response.status_code == 200
    assert response.context["counts"] == {"answers": 3, "progress": 2, "daily_analytics": 2, "parent_links": 1}
    assert "The login account maya@example.com" in response.text
    assert "3 answers" in response.text
    assert "2 chapter progress rows" in response.text
    assert "2 daily analytics rows" in response.text
    assert "1 parent link " in response.text
    assert rows_of(maya.pk)["students"] == 1


def test_erasing_removes_the_account_the_student_and_all_their_rows(superuser_client, maya, other, caplog):
    parent = maya.parents.get()
    others_before = rows_of(other.pk)

    with caplog.at_level(logging.INFO, logger="accounts.admin"):
        response = superuser_client.post(erase_url(maya), {"confirm": "on"}, follow=True)

    assert response.redirect_chain == [(reverse("admin:accounts_student_changelist"), 302)]
    assert f"Student #{maya.pk}" in response.text
    assert rows_of(maya.pk) == {
        "quiz_submissions": 0,
        "student_progress": 0,
        "daily_analytics": 0,
        "student_parent_link": 0,
        "students": 0,
    }
    assert not account_exists(maya.user.pk)
    assert rows_of(other.pk) == others_before
    assert account_exists(other.user.pk)
    assert Parent.objects.filter(pk=parent.pk).exists()  # the parent's own account stays
    assert f"student_id={maya.pk}" in caplog.text
    assert "Maya" not in caplog.text and "maya@example.com" not in caplog.text


def test_erasing_needs_the_confirmation_box(superuser_client, maya):
    response = superuser_client.post(erase_url(maya), {})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert rows_of(maya.pk)["students"] == 1
    assert account_exists(maya.user.pk)


def test_staff_without_the_delete_permission_may_not_erase(client, maya):
    sign_in(client, staff_with("view_student", "change_student"))

    assert client.get(erase_url(maya)).status_code == 403
    assert client.post(erase_url(maya), {"confirm": "on"}).status_code == 403
    assert rows_of(maya.pk)["students"] == 1
    assert erase_url(maya) not in client.get(reverse("admin:accounts_student_change", args=[maya.pk])).text


def test_staff_with_the_delete_permissions_may_erase(client, maya):
    # Erasing a student deletes their login account: it takes the permission to delete accounts too.
    sign_in(client, staff_with("view_student", "delete_student", "delete_user"))

    response = client.post(erase_url(maya), {"confirm": "on"})

    assert response.status_code == 302
    assert rows_of(maya.pk)["students"] == 0


def test_staff_who_may_only_delete_students_may_not_erase_an_account(client, maya):
    sign_in(client, staff_with("view_student", "delete_student"))

    assert client.post(erase_url(maya), {"confirm": "on"}).status_code == 403
    assert rows_of(maya.pk)["students"] == 1


def test_only_a_superuser_erases_a_staff_account_behind_a_student_profile(client):
    superuser = StaffFactory()
    profile = Student.objects.create(user=superuser, email=superuser.email, name="Not A Child")
    sign_in(client, staff_with("view_student", "delete_student", "delete_user", "view_user"))

    assert client.post(erase_url(profile), {"confirm": "on"}).status_code == 403
    assert User.objects.filter(pk=superuser.pk).exists()


def test_staff_who_may_not_view_students_may_not_export(client, maya):
    sign_in(client, staff_with())

    assert client.get(export_url(maya)).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_student_is_sent_to_the_admin_login(client, maya, other, method):
    sign_in(client, other.user)

    for url in (export_url(maya), erase_url(maya)):
        response = getattr(client, method)(url, {"confirm": "on"} if method == "post" else {})

        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert rows_of(maya.pk)["students"] == 1


def test_the_admins_delete_of_a_student_is_the_full_erasure(staff_client, maya):
    account_id = maya.user.pk

    response = staff_client.post(reverse("admin:accounts_student_delete", args=[maya.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=account_id).exists()  # a "deleted" child could still log in before
    assert rows_of(maya.pk) == dict.fromkeys(rows_of(maya.pk), 0)


def test_the_bulk_delete_of_students_and_parents_erases_their_accounts(staff_client, maya):
    other = StudentFactory()
    parent = Parent.objects.get(pk=maya.parent_links.first().parent_id)
    accounts = [maya.user.pk, other.user.pk, parent.user.pk]

    staff_client.post(
        reverse("admin:accounts_student_changelist"),
        {"action": "delete_selected", "_selected_action": [maya.pk, other.pk], "post": "yes"},
    )
    staff_client.post(
        reverse("admin:accounts_parent_changelist"),
        {"action": "delete_selected", "_selected_action": [parent.pk], "post": "yes"},
    )

    assert not User.objects.filter(pk__in=accounts).exists()
    assert not Student.objects.filter(pk__in=[maya.pk, other.pk]).exists()


def test_a_profile_cannot_be_attached_to_a_staff_account(staff_client):
    staff = StaffFactory()

    response = staff_client.post(
        reverse("admin:accounts_student_add"),
        {
            "user": staff.public_id,
            "name": "Sneaky",
            "email": staff.email,
            "parent_links-TOTAL_FORMS": 0,
            "parent_links-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert "This is a staff account" in str(response.context["adminform"].form.errors["user"])
    assert not Student.objects.filter(user=staff).exists()


def test_erasing_drops_the_childs_rendered_chapter_pages_at_every_version(
    client, maya, other, django_capture_on_commit_callbacks
):
    chapter = ChapterFactory(id="erased-chapter")
    QuestionFactory(chapter=chapter)
    for kid in (maya, other):
        client.force_login(kid.user)
        assert client.get(f"/learn/{chapter.id}/").status_code == 200
    old = cache.student_chapter_entry("html_chapter", maya.pk, maya.cache_version - 1, chapter.id)
    cache.set(old, {"depends": "", "html": "Maya's older page"})  # an earlier version, not yet expired
    maya_now = cache.student_chapter_entry(
        "html_chapter", maya.pk, Student.objects.get(pk=maya.pk).cache_version, chapter.id
    )
    other_now = cache.student_chapter_entry(
        "html_chapter", other.pk, Student.objects.get(pk=other.pk).cache_version, chapter.id
    )
    assert cache.get(maya_now) is not None

    with django_capture_on_commit_callbacks(execute=True):
        data_rights.erase_student(Student.objects.get(pk=maya.pk))

    assert cache.get(maya_now) is None and cache.get(old) is None
    assert cache.get(other_now) is not None
