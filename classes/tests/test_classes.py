"""Teachers, classes, rosters without e-mail, class codes, co-teachers, and who may do what."""

import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts.models import Consent, Student, User
from accounts.tests.factories import ChildFactory, ParentFactory, StudentFactory
from accounts.tests.helpers import confirm_signup, sign_in
from classes import rosters
from classes.models import ClassTeacher, CoTeacherInvitation, Enrollment, SchoolClass, Teacher, TeacherAction
from classes.tests.factories import EnrollmentFactory, SchoolClassFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(client):
    teacher = TeacherFactory(name="Ms Rivera")
    sign_in(client, teacher.user)
    return teacher


@pytest.fixture
def school_class(teacher):
    return SchoolClassFactory(name="4B", teacher=teacher)


def test_a_teacher_signs_up_confirms_and_waits_for_approval(client, run_tasks, mailoutbox):
    response = client.post(
        "/accounts/signup/teacher/",
        {
            "name": "Ms Rivera",
            "email": "Rivera@School.example",
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
            "school": "Hill School",
        },
    )
    assert response.status_code == 303
    confirm_signup(client, mailoutbox, run_tasks)
    teacher = Teacher.objects.get()
    assert (teacher.name, teacher.school, teacher.is_approved) == ("Ms Rivera", "Hill School", False)
    # Teachers see many children's data: the second factor comes first, as for staff.
    assert client.get("/classes/")["Location"] == "/accounts/2fa/"
    assert client.get("/accounts/2fa/").status_code == 200
    session = client.session
    session["second_factor_done"] = True
    session.save()
    waiting = client.get("/classes/")
    assert waiting.status_code == 403
    assert "Waiting for approval" in waiting.text
    assert client.post("/classes/new/", {"name": "4B", "time_zone": "UTC"}).status_code == 403
    assert not SchoolClass.objects.exists()

    out = StringIO()
    call_command("approve_teacher", "RIVERA@school.example", stdout=out)
    assert "Approved Ms Rivera" in out.getvalue()
    assert client.get("/classes/").status_code == 200


def test_approving_an_unknown_address_says_so():
    with pytest.raises(CommandError, match="No teacher account"):
        call_command("approve_teacher", "nobody@example.com")


def test_staff_approve_teachers_from_the_admin(staff_client):
    waiting = TeacherFactory(approved=False)
    response = staff_client.post(
        "/admin/classes/teacher/", {"action": "approve", "_selected_action": [waiting.pk]}, follow=True
    )
    assert "1 teacher approved" in response.text
    waiting.refresh_from_db()
    assert waiting.is_approved and waiting.approved_by == staff_client.user


def test_a_teacher_makes_a_class(client, teacher):
    response = client.post("/classes/new/", {"name": "4B Maths", "time_zone": "Europe/Paris"})
    school_class = SchoolClass.objects.get()
    assert (response.status_code, response["Location"]) == (303, f"/classes/{school_class.pk}/")
    assert (school_class.name, school_class.time_zone) == ("4B Maths", "Europe/Paris")
    assert list(school_class.teachers.all()) == [teacher]
    assert rosters.live_code(school_class)
    assert client.post("/classes/new/", {"name": "", "time_zone": "Mars/Base"}).status_code == 400
    assert SchoolClass.objects.count() == 1


THIRTY = "\n".join(f"Child{n} {chr(65 + n % 26)}." for n in range(30))


def test_thirty_names_make_thirty_accounts_and_one_sheet_of_cards(client, teacher, school_class):
    response = client.post(f"/classes/{school_class.pk}/students/add/", {"names": THIRTY + "\n\n  \n"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    cards = re.findall(
        r'class="login-card[^"]*">.*?class="login-username">([^<]+)<.*?class="login-password">([^<]+)<',
        response.text,
        re.S,
    )
    assert len(cards) == 30
    children = Student.objects.filter(enrollments__school_class=school_class).select_related("user", "consent")
    assert children.count() == 30
    for username, passphrase in cards:
        child = children.get(user__username=username)
        assert not child.user.has_email
        assert check_password(passphrase, child.user.password)
        assert passphrase not in child.user.password  # stored only as a hash
        assert (child.consent.basis, child.consent.granted_by) == ("school", teacher.user)
    assert len({username for username, _ in cards}) == 30
    assert Enrollment.objects.filter(school_class=school_class, made_by_class=True).count() == 30
    assert TeacherAction.objects.filter(kind="created").count() == 30


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ("", "This field is required"),
        ("\n  \n", "Type at least one name"),
        ("\n".join(f"Kid {n}" for n in range(500)), "That is 500 names: at most 40 at a time"),
        ("A" * 61, "A name is at most 60 letters"),
    ],
)
def test_a_bad_roster_says_what_is_wrong_and_makes_nothing(client, school_class, names, message):
    response = client.post(f"/classes/{school_class.pk}/students/add/", {"names": names})
    assert response.status_code == 400
    assert message in response.text
    assert not Student.objects.exists() and not User.objects.filter(username__isnull=False).exists()


def test_a_student_joins_with_the_class_code_until_it_expires_or_is_rotated(school_class):
    teen = StudentFactory()
    student = sign_in(Client(), teen.user)
    code = rosters.live_code(school_class)

    assert student.post("/classes/join/", {"code": code.lower()}).status_code == 303
    assert Enrollment.objects.filter(school_class=school_class, student=teen, made_by_class=False).exists()

    other = StudentFactory()
    student = sign_in(Client(), other.user)
    rosters.rotate_code(school_class)
    refused = student.post("/classes/join/", {"code": code})
    assert refused.status_code == 400 and "expired" in refused.text
    school_class.refresh_from_db()
    expires_in = school_class.code_expires_at - timezone.now()
    assert datetime.timedelta(days=13, hours=23) < expires_in <= datetime.timedelta(days=14)
    with time_machine.travel(school_class.code_expires_at + datetime.timedelta(minutes=1)):
        assert rosters.live_code(school_class) is None
        with pytest.raises(rosters.CodeNotValid):
            rosters.join_with_code(student=other, typed=school_class.code)
    assert not Enrollment.objects.filter(student=other).exists()


def test_a_new_passphrase_only_for_a_child_the_class_made(client, teacher, school_class):
    (card,) = rosters.add_roster(teacher=teacher, school_class=school_class, names=["Ada L."])
    made = Student.objects.get(user__username=card.username)
    own, parents = StudentFactory(), ChildFactory()
    EnrollmentFactory(school_class=school_class, student=own)
    EnrollmentFactory(school_class=school_class, student=parents)

    response = client.post(f"/classes/{school_class.pk}/students/{made.pk}/password/")
    assert response.status_code == 200
    new = re.search(r'class="login-password">([^<]+)<', response.text)[1]
    made.user.refresh_from_db()
    assert check_password(new, made.user.password) and not check_password(card.passphrase, made.user.password)
    for student in (own, parents):
        before = User.objects.get(pk=student.user.pk).password
        assert client.post(f"/classes/{school_class.pk}/students/{student.pk}/password/").status_code == 403
        assert User.objects.get(pk=student.user.pk).password == before


def test_every_teacher_action_is_shown_to_the_linked_parents(client, teacher, school_class):
    child = ChildFactory(name="Mia")
    parent = child.parents.get()
    EnrollmentFactory(school_class=school_class, student=child)
    client.post(f"/classes/{school_class.pk}/students/{child.pk}/board/", {})
    client.post(f"/classes/{school_class.pk}/students/{child.pk}/remove/")
    assert not Enrollment.objects.filter(student=child).exists()
    assert Student.objects.filter(pk=child.pk).exists()  # out of the class, not erased

    page = sign_in(Client(), parent.user).get(f"/family/children/{child.pk}/").text
    assert "Ms Rivera (4B) hid them from the class leaderboard." in page
    assert "Ms Rivera (4B) took them out of the class." in page


def test_a_parent_sees_the_childs_classes_and_takes_the_child_out(school_class):
    child = ChildFactory(name="Mia")
    EnrollmentFactory(school_class=school_class, student=child)
    parent = sign_in(Client(), child.parents.get().user)
    assert "4B" in parent.get(f"/family/children/{child.pk}/").text

    response = parent.post(f"/family/children/{child.pk}/classes/{school_class.pk}/leave/")

    assert response.status_code == 303
    assert not Enrollment.objects.filter(student=child).exists()
    stranger = sign_in(Client(), ParentFactory().user)
    assert stranger.post(f"/family/children/{child.pk}/classes/{school_class.pk}/leave/").status_code == 404


def test_teachers_never_see_parents_data_and_cannot_erase(client, school_class):
    child = ChildFactory(name="Mia")
    parent = child.parents.get()
    EnrollmentFactory(school_class=school_class, student=child)
    html = client.get(f"/classes/{school_class.pk}/").text
    assert "Mia" in html
    assert parent.name not in html and parent.email not in html
    assert client.get(f"/family/children/{child.pk}/erase/").status_code == 403
    assert client.get(f"/admin/accounts/student/{child.pk}/erase/").status_code == 302  # not staff: the login


def test_another_teacher_gets_404_on_every_page_of_a_class_not_theirs(school_class):
    child = StudentFactory()
    EnrollmentFactory(school_class=school_class, student=child)
    other = sign_in(Client(), TeacherFactory().user)
    base = f"/classes/{school_class.pk}"
    for path in ("/", "/progress.csv", "/students/add/", "/assignments/new/"):
        assert other.get(base + path).status_code == 404, path
    for path in ("/code/", f"/students/{child.pk}/password/", f"/students/{child.pk}/remove/", "/teachers/invite/"):
        assert other.post(base + path, {"email": "x@example.com"}).status_code == 404, path
    assert Enrollment.objects.filter(student=child).exists()


def test_a_co_teacher_joins_by_invitation_once(client, teacher, school_class, run_tasks, mailoutbox):
    colleague = TeacherFactory(name="Mr Chen", user__email="chen@school.example")
    client.post(f"/classes/{school_class.pk}/teachers/invite/", {"email": "Chen@School.example"})
    run_tasks()
    (mail,) = mailoutbox
    link = re.search(r"http://testserver(/classes/invitations/[^/\s]+/)", mail.body)[1]

    other = sign_in(Client(), TeacherFactory(user__email="eve@school.example").user)
    assert other.post(link).status_code == 403  # not the invited address
    chen = sign_in(Client(), colleague.user)
    assert chen.post(link).status_code == 303
    assert ClassTeacher.objects.filter(school_class=school_class, teacher=colleague).exists()
    assert chen.get(f"/classes/{school_class.pk}/").status_code == 200
    assert chen.post(link).status_code == 410
    assert CoTeacherInvitation.objects.get().used_at is not None


def test_a_childs_classes_are_shown_only_to_them(teacher):
    otters = SchoolClassFactory(name="The Otter Room", teacher=teacher)
    child = StudentFactory()
    EnrollmentFactory(school_class=otters, student=child)
    assert Consent.objects.get(student=child).basis == "self"
    assert "The Otter Room" in sign_in(Client(), child.user).get("/leaderboard/").text
    other_child = sign_in(Client(), StudentFactory().user)
    assert "The Otter Room" not in other_child.get("/assignments/").text
    assert "The Otter Room" not in other_child.get("/leaderboard/").text


def test_the_childs_export_holds_their_classes_and_what_teachers_did(client, teacher, school_class):
    import json

    (card,) = rosters.add_roster(teacher=teacher, school_class=school_class, names=["Ada L."])
    ada = Student.objects.get(user__username=card.username)
    from accounts.data_rights import student_export

    data = json.loads("".join(student_export(ada)))
    assert [(row["class_name"], row["made_by_class"]) for row in data["classes"]] == [("4B", True)]
    assert [(row["kind"], row["teacher_name"]) for row in data["teacher_actions"]] == [("created", "Ms Rivera")]
    assert data["consent"]["basis"] == "school"


def test_a_teacher_sends_at_most_ten_co_teacher_invitations_an_hour(client, teacher, school_class):
    for n in range(11):
        client.post(f"/classes/{school_class.pk}/teachers/invite/", {"email": f"t{n}@school.example"})
    assert CoTeacherInvitation.objects.count() == 10
