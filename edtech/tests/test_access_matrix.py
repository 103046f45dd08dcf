"""Every page × every role: who may see what. These are children's data."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts import family
from accounts.tests.factories import (
    ChildFactory,
    ParentFactory,
    StaffFactory,
    StudentFactory,
    StudentParentLinkFactory,
    UserFactory,
)
from accounts.tests.helpers import sign_in
from classes import rosters
from classes.models import CoTeacherInvitation
from classes.tests.factories import AssignmentFactory, EnrollmentFactory, SchoolClassFactory, TeacherFactory
from curriculum.tests.factories import QuestionFactory
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "student",
    "other_student",
    "parent",
    "other_parent",
    "teacher",
    "other_teacher",
    "unapproved_teacher",
    "staff",
    "editor",
    "staff_no_2fa",
]


@pytest.fixture
def world():
    student, other_student = StudentFactory(), StudentFactory()
    parent, other_parent = ParentFactory(), ParentFactory()
    StudentParentLinkFactory(student=student, parent=parent)
    StudentParentLinkFactory(student=other_student, parent=other_parent)
    # A child the parent made (no e-mail): the parent manages the account; `student` is a teenager's own.
    made_child = ChildFactory(link__parent=parent)
    invitation = family.invite(student=made_child, by=parent, email=other_parent.email, host="testserver", secure=False)
    question = QuestionFactory()
    # A teacher whose class has `student` in it and one assignment; another approved teacher; one waiting.
    teacher, other_teacher = TeacherFactory(), TeacherFactory()
    school_class = SchoolClassFactory(teacher=teacher)
    EnrollmentFactory(school_class=school_class, student=student)
    assignment = AssignmentFactory(school_class=school_class, chapters=[question.chapter])
    co_invitation = CoTeacherInvitation.objects.create(
        school_class=school_class, invited_by=teacher, email=other_teacher.user.email
    )
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))  # created by a data migration
    submission = answer(student, question)
    return {
        "student": student.user,
        "other_student": other_student.user,
        "parent": parent.user,
        "other_parent": other_parent.user,
        "teacher": teacher.user,
        "other_teacher": other_teacher.user,
        "unapproved_teacher": TeacherFactory(approved=False).user,
        "staff": StaffFactory(),
        "editor": editor,
        # A superuser who has not used (or set up) a second factor in this session.
        "staff_no_2fa": StaffFactory(),
        "ids": {
            "child": student.pk,
            "made_child": made_child.pk,
            "invitation": family.invitation_token(invitation),
            "class": school_class.pk,
            "assignment": assignment.pk,
            "co_invitation": rosters.invitation_token(co_invitation),
            "other_child": other_student.pk,
            "parent": parent.pk,
            "chapter": question.chapter_id,
            "quiz": question.quiz_id,
            "question": question.pk,
            "submission": submission.pk,
        },
    }


LOGIN = "login"  # a redirect to the login page with ?next=
HOME = "home"  # a redirect away (already signed in)
ADMIN_LOGIN = "admin-login"
SECOND_FACTOR = "2fa"  # a redirect to the second factor's page, before anything else
START_OVER = "start-over"  # a redirect to the login page itself: no code step is pending
# Where a staff member who must use a second factor and has not may go: nowhere else (and what is not there).
NO_2FA_ALLOWED = {"/healthz": 200, "/accounts/2fa/": 200, "/bench/bare/": 404, "/bench/floor/": 404}

# url → expected outcome per role; an int is a status code.
MATRIX = {
    "/": {"anonymous": 200, "*": HOME},
    "/healthz": {"*": 200},
    "/accounts/signup/student/": {"anonymous": 200, "*": HOME},
    "/accounts/signup/parent/": {"anonymous": 200, "*": HOME},
    "/accounts/signup/sent/": {"*": 200},
    "/accounts/signup/asked/": {"*": 200},
    "/privacy/": {"*": 200},
    "/media/questions/picture.svg": {"*": 404},  # served by Django only with DEBUG; nginx in production
    "/accounts/signup/confirm/MQ/not-a-token/": {"*": 400},  # a link that confirms nothing
    "/learn/": {"anonymous": LOGIN, "student": 200, "other_student": 200, "*": 403},
    "/learn/{chapter}/": {"anonymous": LOGIN, "student": 200, "other_student": 200, "*": 403},
    "/learn/{chapter}/q/{quiz}/": {"anonymous": LOGIN, "student": 200, "other_student": 200, "*": 403},
    # The chapter's summary once every question has an answer (the student's); before, back to the chapter.
    "/learn/{chapter}/summary/": {"anonymous": LOGIN, "student": 200, "other_student": HOME, "*": 403},
    "/learn/{chapter}/q/{quiz}/answers/{submission}/": {
        "anonymous": LOGIN,
        "student": 200,
        "other_student": 404,
        "*": 403,
    },
    "/dashboard/": {"anonymous": LOGIN, "student": 200, "other_student": 200, "*": 403},
    "/review/": {"anonymous": LOGIN, "student": 200, "other_student": 200, "*": 403},
    "/leaderboard/": {"anonymous": LOGIN, "student": 200, "other_student": 200, "*": 403},
    "/profile/": {"anonymous": LOGIN, "student": 200, "other_student": 200, "*": 403},
    "/family/": {"anonymous": LOGIN, "parent": 200, "other_parent": 200, "*": 403},
    "/family/link/": {"anonymous": LOGIN, "parent": 200, "other_parent": 200, "*": 403},
    "/family/children/{child}/": {"anonymous": LOGIN, "parent": 200, "other_parent": 404, "*": 403},
    "/family/children/{other_child}/": {"anonymous": LOGIN, "parent": 404, "other_parent": 200, "*": 403},
    "/family/children/new/": {"anonymous": LOGIN, "parent": 200, "other_parent": 200, "*": 403},
    # A child the parent made: the parent manages it; another parent gets 404 on every page of it.
    "/family/children/{made_child}/": {"anonymous": LOGIN, "parent": 200, "other_parent": 404, "*": 403},
    "/family/children/{made_child}/card/": {"anonymous": LOGIN, "parent": 200, "other_parent": 404, "*": 403},
    "/family/children/{made_child}/export/": {"anonymous": LOGIN, "parent": 200, "other_parent": 404, "*": 403},
    "/family/children/{made_child}/erase/": {"anonymous": LOGIN, "parent": 200, "other_parent": 404, "*": 403},
    # A teenager's own account: a linked parent follows it, and manages nothing.
    "/family/children/{child}/card/": {"anonymous": LOGIN, "parent": 403, "other_parent": 404, "*": 403},
    "/family/children/{child}/export/": {"anonymous": LOGIN, "parent": 403, "other_parent": 404, "*": 403},
    "/family/children/{child}/erase/": {"anonymous": LOGIN, "parent": 403, "other_parent": 404, "*": 403},
    # POST only (GET refused before anything is looked up).
    "/family/children/{made_child}/name/": {"anonymous": LOGIN, "parent": 405, "other_parent": 405, "*": 403},
    "/family/children/{made_child}/password/": {"anonymous": LOGIN, "parent": 405, "other_parent": 405, "*": 403},
    "/family/children/{made_child}/leaderboard/": {"anonymous": LOGIN, "parent": 405, "other_parent": 405, "*": 403},
    "/family/children/{made_child}/consent/revoke/": {
        "anonymous": LOGIN,
        "parent": 405,
        "other_parent": 405,
        "*": 403,
    },
    "/family/children/{made_child}/consent/": {"anonymous": LOGIN, "parent": 405, "other_parent": 405, "*": 403},
    "/family/children/{made_child}/invite/": {"anonymous": LOGIN, "parent": 405, "other_parent": 405, "*": 403},
    # An invitation (to other_parent's address): only a parent with that address may accept it.
    "/family/invitations/{invitation}/": {"anonymous": LOGIN, "other_parent": 200, "*": 403},
    "/family/invitations/not-a-token/": {"*": 404},
    # Teachers' pages: approved teachers only (one waiting for approval gets 403, the waiting page).
    "/accounts/signup/teacher/": {"anonymous": 200, "*": HOME},
    "/classes/": {"anonymous": LOGIN, "teacher": 200, "other_teacher": 200, "*": 403},
    "/classes/new/": {"anonymous": LOGIN, "teacher": 200, "other_teacher": 200, "*": 403},
    "/classes/join/": {"anonymous": LOGIN, "student": 200, "other_student": 200, "*": 403},
    "/assignments/": {"anonymous": LOGIN, "student": 200, "other_student": 200, "*": 403},
    # Another teacher gets 404 on every page of a class that is not theirs.
    "/classes/{class}/": {"anonymous": LOGIN, "teacher": 200, "other_teacher": 404, "*": 403},
    "/classes/{class}/progress.csv": {"anonymous": LOGIN, "teacher": 200, "other_teacher": 404, "*": 403},
    "/classes/{class}/students/add/": {"anonymous": LOGIN, "teacher": 200, "other_teacher": 404, "*": 403},
    "/classes/{class}/assignments/new/": {"anonymous": LOGIN, "teacher": 200, "other_teacher": 404, "*": 403},
    "/classes/{class}/assignments/{assignment}/": {"anonymous": LOGIN, "teacher": 200, "other_teacher": 404, "*": 403},
    "/classes/{class}/code/": {"anonymous": LOGIN, "teacher": 405, "other_teacher": 405, "*": 403},
    "/classes/{class}/teachers/invite/": {"anonymous": LOGIN, "teacher": 405, "other_teacher": 405, "*": 403},
    "/classes/{class}/students/{child}/password/": {"anonymous": LOGIN, "teacher": 405, "other_teacher": 405, "*": 403},
    "/classes/{class}/students/{child}/remove/": {"anonymous": LOGIN, "teacher": 405, "other_teacher": 405, "*": 403},
    "/classes/{class}/students/{child}/board/": {"anonymous": LOGIN, "teacher": 405, "other_teacher": 405, "*": 403},
    "/classes/{class}/assignments/{assignment}/extensions/{child}/": {
        "anonymous": LOGIN,
        "teacher": 405,
        "other_teacher": 405,
        "*": 403,
    },
    # A co-teacher invitation (to other_teacher's address): only that approved teacher may accept it.
    "/classes/invitations/{co_invitation}/": {"anonymous": LOGIN, "other_teacher": 200, "*": 403},
    "/classes/invitations/not-a-token/": {"*": 404},
    "/family/children/{child}/classes/{class}/leave/": {
        "anonymous": LOGIN,
        "parent": 405,
        "other_parent": 405,
        "*": 403,
    },
    "/accounts/2fa/": {
        "anonymous": LOGIN,
        "staff": 200,
        "editor": 200,
        "teacher": 200,
        "other_teacher": 200,
        "unapproved_teacher": 200,
        "*": 403,
    },
    # The code step after a password, only while one is pending in the session.
    "/accounts/2fa/verify/": {"*": START_OVER},
    # The page for an account without a student or parent profile: it names no one.
    "/accounts/no-profile/": {"*": 403},
    # A child unlinks a parent by POST only; nobody else may.
    "/profile/parents/{parent}/unlink/": {"anonymous": LOGIN, "student": 405, "other_student": 405, "*": 403},
    # The benchmark's bare view exists only with BENCH_BARE_VIEW (never in production).
    "/bench/bare/": {"*": 404},
    "/bench/floor/": {"*": 404},  # benchmark runs only (BENCH_BARE_VIEW)
    "/accounts/password_change/": {"anonymous": LOGIN, "*": 200},
    "/admin/": {"staff": 200, "editor": 200, "*": ADMIN_LOGIN},
    "/admin/curriculum/question/": {"staff": 200, "editor": 200, "*": ADMIN_LOGIN},
    "/admin/curriculum/chapter/": {"staff": 200, "editor": 200, "*": ADMIN_LOGIN},
    "/admin/accounts/student/": {"staff": 200, "editor": 403, "*": ADMIN_LOGIN},
    "/admin/accounts/user/": {"staff": 200, "editor": 403, "*": ADMIN_LOGIN},
    "/admin/curriculum/quizsubmission/": {"staff": 200, "editor": 200, "*": ADMIN_LOGIN},
    "/admin/curriculum/question/import/": {"staff": 200, "editor": 200, "*": ADMIN_LOGIN},
    "/admin/curriculum/question/{question}/as-student/": {"staff": 200, "editor": 200, "*": ADMIN_LOGIN},
    "/admin/curriculum/question/export/": {"staff": 200, "editor": 200, "*": ADMIN_LOGIN},
    "/admin/analytics/studentprogress/content/chapters/": {"staff": 200, "editor": 200, "*": ADMIN_LOGIN},
    "/admin/analytics/studentprogress/content/questions/": {"staff": 200, "editor": 200, "*": ADMIN_LOGIN},
    "/admin/accounts/student/{child}/change/": {"staff": 200, "editor": 403, "*": ADMIN_LOGIN},
    "/admin/accounts/student/{child}/export/": {"staff": 200, "editor": 403, "*": ADMIN_LOGIN},
    "/admin/accounts/student/{child}/erase/": {"staff": 200, "editor": 403, "*": ADMIN_LOGIN},
    "/admin/accounts/parent/": {"staff": 200, "editor": 403, "*": ADMIN_LOGIN},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("pattern", list(MATRIX))
def test_access_matrix(client, world, pattern, role):
    url = pattern.format(**world["ids"])
    if role != "anonymous":
        sign_in(client, world[role], second_factor=role != "staff_no_2fa")
    if role == "staff_no_2fa":
        expected = NO_2FA_ALLOWED.get(pattern, SECOND_FACTOR)
    else:
        expected = MATRIX[pattern].get(role, MATRIX[pattern].get("*"))

    response = client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    elif expected == HOME:
        assert response.status_code == 302
        assert "/accounts/login/" not in response["Location"]
    elif expected == START_OVER:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/"
    elif expected == SECOND_FACTOR:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/"
    else:
        assert response.status_code == expected


POSTS = [
    "/accounts/signup/student/",
    "/accounts/signup/parent/",
    "/accounts/signup/confirm/MQ/not-a-token/",
    "/accounts/login/",
    "/accounts/logout/",
    "/learn/{chapter}/q/{quiz}/",
    "/profile/",
    "/profile/family-code/",
    "/profile/parents/{parent}/unlink/",
    "/family/link/",
    "/family/children/new/",
    "/family/children/{made_child}/name/",
    "/family/children/{made_child}/password/",
    "/family/children/{made_child}/leaderboard/",
    "/family/children/{made_child}/erase/",
    "/family/children/{made_child}/consent/revoke/",
    "/family/children/{made_child}/consent/",
    "/family/children/{made_child}/invite/",
    "/family/invitations/{invitation}/",
    "/family/children/{child}/classes/{class}/leave/",
    "/accounts/signup/teacher/",
    "/classes/new/",
    "/classes/join/",
    "/classes/{class}/students/add/",
    "/classes/{class}/code/",
    "/classes/{class}/teachers/invite/",
    "/classes/{class}/students/{child}/password/",
    "/classes/{class}/students/{child}/remove/",
    "/classes/{class}/students/{child}/board/",
    "/classes/{class}/assignments/new/",
    "/classes/{class}/assignments/{assignment}/extensions/{child}/",
    "/classes/invitations/{co_invitation}/",
    "/accounts/password_reset/",
]


@pytest.mark.parametrize("pattern", POSTS)
def test_every_post_needs_a_csrf_token(world, pattern):
    url = pattern.format(**world["ids"])
    client = Client(enforce_csrf_checks=True)
    # Signed in as someone the view would let through, so that the 403 is the CSRF check's.
    role = (
        "parent" if "family" in url else "teacher" if url.startswith("/classes/") and "join" not in url else "student"
    )
    if "signup" not in url and "login" not in url and "password_reset" not in url:
        sign_in(client, world[role])

    response = client.post(url, {"code": "X", "selected_answer_index": "0", "name": "x"})

    assert response.status_code == 403


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/", "http:/\\evil.example.com"])
def test_login_never_redirects_off_site(client, world, target):
    from accounts.tests.factories import PASSWORD

    response = client.post(
        f"/accounts/login/?next={target}", {"username": world["student"].email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]


def test_security_headers_are_set(client, world):
    sign_in(client, world["student"])
    response = client.get("/learn/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp  # a nonce joins it only on pages with an inline script (none today)
    assert "unsafe-inline" not in csp
    assert response["X-Request-ID"]
