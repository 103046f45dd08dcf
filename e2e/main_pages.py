"""The site's main pages, each with who sees it, over a small world that gives every page content."""

from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import default_storage

from accounts.tests.factories import (
    ChildFactory,
    ParentFactory,
    StaffFactory,
    StudentFactory,
    StudentParentLinkFactory,
)
from classes.tests.factories import AssignmentFactory, EnrollmentFactory, SchoolClassFactory, TeacherFactory
from curriculum.models import Question
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.management.commands.seed_demo import DEMO_PICTURES_DIR
from learning.tests.helpers import answer


@dataclass(frozen=True)
class MainPage:
    name: str
    who: str  # "visitor", "student", "parent", "teacher" or "staff"
    path: str


NAMES = [
    "landing",
    "login",
    "sign-up",
    "chapter-map",
    "chapter",
    "question",
    "result",
    "dashboard",
    "leaderboard",
    "profile",
    "family",
    "child",
    "add-child",
    "made-child",
    "sign-in-card",
    "privacy",
    "assignments",
    "classes",
    "class-grid",
    "class-assignment",
    "add-students",
    "teacher-sign-up",
    "admin-index",
]


@dataclass(frozen=True)
class World:
    users: dict  # who -> the User to log in as (None for the visitor)
    pages: dict  # name -> MainPage


def build_world() -> World:
    """A student with right and wrong answers (and a long name, for narrow screens), a linked parent, staff."""
    counting = ChapterFactory(
        id="counting", name="Counting and place value", subject="Math", order=1, description="Ones, tens, hundreds."
    )
    questions = QuestionFactory.create_batch(3, chapter=counting, difficulty_level="easy")
    # The question and the result show a picture (the demo's own, stored as a staff upload is).
    with (DEMO_PICTURES_DIR / "pizza-eighths.svg").open("rb") as pizza:
        picture = default_storage.save("questions/pizza-eighths.svg", File(pizza))
    Question.objects.filter(pk__in=[questions[1].pk, questions[2].pk]).update(
        image=picture, image_alt="A pizza cut into 8 equal slices; 3 of the slices are gone."
    )
    ChapterFactory(id="fractions", name="Fractions", subject="Math", order=2, is_locked=True, unlock_xp_required=500)
    ChapterFactory(id="plants", name="Plants", subject="Science", order=1)
    student = StudentFactory(name="Maximiliana Wolfeschlegelsteinhausen")
    answer(student, questions[0])
    wrong = answer(student, questions[1], index=(questions[1].correct_answer_index + 1) % 4)
    for rival in ("Ben Okafor", "Chloé Martin"):
        answer(StudentFactory(name=rival), questions[0])
    parent = ParentFactory(name="Pat Parent")
    StudentParentLinkFactory(student=student, parent=parent)
    made = ChildFactory(name="Mia", user__username="mia.lopez", link__parent=parent)
    teacher = TeacherFactory(name="Ms Rivera")
    school_class = SchoolClassFactory(name="4B Maths", teacher=teacher)
    for child in (student, made):
        EnrollmentFactory(school_class=school_class, student=child)
    work = AssignmentFactory(school_class=school_class, title="Counting week", chapters=[counting])
    staff = StaffFactory()

    quiz_id = questions[2].quiz_id
    pages = [
        MainPage("landing", "visitor", "/"),
        MainPage("login", "visitor", "/accounts/login/"),
        MainPage("sign-up", "visitor", "/accounts/signup/student/"),
        MainPage("chapter-map", "student", "/learn/"),
        MainPage("chapter", "student", "/learn/counting/"),
        MainPage("question", "student", f"/learn/counting/q/{quiz_id}/"),
        MainPage("result", "student", f"/learn/counting/q/{questions[1].quiz_id}/answers/{wrong.pk}/"),
        MainPage("dashboard", "student", "/dashboard/"),
        MainPage("leaderboard", "student", "/leaderboard/"),
        MainPage("profile", "student", "/profile/"),
        MainPage("family", "parent", "/family/"),
        MainPage("child", "parent", f"/family/children/{student.pk}/"),
        MainPage("add-child", "parent", "/family/children/new/"),
        MainPage("made-child", "parent", f"/family/children/{made.pk}/"),
        MainPage("sign-in-card", "parent", f"/family/children/{made.pk}/card/"),
        MainPage("privacy", "visitor", "/privacy/"),
        MainPage("assignments", "student", "/assignments/"),
        MainPage("classes", "teacher", "/classes/"),
        MainPage("class-grid", "teacher", f"/classes/{school_class.pk}/"),
        MainPage("class-assignment", "teacher", f"/classes/{school_class.pk}/assignments/{work.pk}/"),
        MainPage("add-students", "teacher", f"/classes/{school_class.pk}/students/add/"),
        MainPage("teacher-sign-up", "visitor", "/accounts/signup/teacher/"),
        MainPage("admin-index", "staff", "/admin/"),
    ]
    assert [page.name for page in pages] == NAMES
    users = {"visitor": None, "student": student.user, "parent": parent.user, "teacher": teacher.user, "staff": staff}
    return World(users=users, pages={page.name: page for page in pages})
