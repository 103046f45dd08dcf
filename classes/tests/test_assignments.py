"""Assignments, the one status shown everywhere, the class grid and its CSV, class boards, the weekly e-mail."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.test import Client

from accounts.tests.factories import ChildFactory, StudentFactory
from accounts.tests.helpers import sign_in
from classes import progress
from classes.models import Assignment, Extension, Teacher
from classes.tests.factories import AssignmentFactory, EnrollmentFactory, SchoolClassFactory, TeacherFactory
from curriculum.tests.factories import ChapterFactory, QuestionFactory
from learning.tests.helpers import answer

pytestmark = pytest.mark.django_db

# Tuesday 1 December 2026, 15:00 UTC (the classes are in UTC).
NOW = datetime.datetime(2026, 12, 1, 15, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(clock):
    teacher = TeacherFactory(name="Ms Rivera")
    school_class = SchoolClassFactory(name="4B", teacher=teacher)
    fractions = ChapterFactory(id="fractions", name="Fractions", is_locked=True, unlock_xp_required=500)
    questions = QuestionFactory.create_batch(3, chapter=fractions, difficulty_level="easy")
    kids = {name: ChildFactory(name=name) for name in ("Ana", "Ben", "Cy", "Dee", "Eve", "Fay")}
    for kid in kids.values():
        EnrollmentFactory(school_class=school_class, student=kid)
    return {"teacher": teacher, "class": school_class, "chapter": fractions, "questions": questions, "kids": kids}


def set_work(world, *, due_on, starts_on=None, created_at=None):
    assignment = AssignmentFactory(
        school_class=world["class"],
        title="Fractions homework",
        due_on=due_on,
        starts_on=starts_on,
        chapters=[world["chapter"]],
    )
    if created_at:
        Assignment.objects.filter(pk=assignment.pk).update(created_at=created_at)
        assignment.refresh_from_db()
    return assignment


def test_a_teacher_sets_an_assignment(client, world):
    sign_in(client, world["teacher"].user)
    url = f"/classes/{world['class'].pk}/assignments/new/"
    response = client.post(url, {"title": "Fractions", "chapters": ["fractions"], "due_on": "2026-12-08"})
    assert response.status_code == 303
    assignment = Assignment.objects.get()
    assert (assignment.title, assignment.due_on, list(assignment.chapters.values_list("id", flat=True))) == (
        "Fractions",
        datetime.date(2026, 12, 8),
        ["fractions"],
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "X", "chapters": ["nope"], "due_on": "2026-12-08"}, "There is no chapter nope"),
        ({"title": "X", "chapters": [], "due_on": "2026-12-08"}, "This field is required"),
        (
            {"title": "X", "chapters": ["fractions"], "due_on": "2026-12-08", "starts_on": "2026-12-09"},
            "The due date is before the start",
        ),
        ({"title": "", "chapters": ["fractions"], "due_on": "2026-12-08"}, "This field is required"),
        ({"title": "X", "chapters": ["fractions"], "due_on": "soon"}, "Enter a valid date"),
    ],
)
def test_a_bad_assignment_says_what_is_wrong_and_writes_nothing(client, world, data, message):
    sign_in(client, world["teacher"].user)
    response = client.post(f"/classes/{world['class'].pk}/assignments/new/", data)
    assert response.status_code == 400
    assert message in response.text
    assert not Assignment.objects.exists()


def test_an_assignment_opens_its_chapters_even_when_xp_locked(client, world):
    ana = world["kids"]["Ana"]
    sign_in(client, ana.user)
    question = world["questions"][0]
    assert client.get("/learn/fractions/").status_code == 403

    set_work(world, due_on=TODAY + datetime.timedelta(days=7))

    assert "opened by your teacher" in client.get("/learn/").text
    assert client.get("/learn/fractions/").status_code == 200
    answer(ana, question)  # the answer path opens it too
    # Not another class's children.
    outsider = sign_in(Client(), StudentFactory().user)
    assert outsider.get("/learn/fractions/").status_code == 403


def test_an_assignment_that_starts_later_opens_nothing_yet(client, world):
    set_work(world, due_on=TODAY + datetime.timedelta(days=9), starts_on=TODAY + datetime.timedelta(days=2))
    sign_in(client, world["kids"]["Ana"].user)
    assert client.get("/learn/fractions/").status_code == 403
    assert "Fractions homework" not in client.get("/assignments/").text


def build_scenarios(world):
    """Six children, one of each status, on an assignment due yesterday (and one extended, one excused)."""
    q1, q2, q3 = world["questions"]
    kids = world["kids"]
    assignment = set_work(world, due_on=TODAY - datetime.timedelta(days=1), created_at=NOW - datetime.timedelta(days=5))
    earlier = NOW - datetime.timedelta(days=3)
    for q in (q1, q2, q3):
        answer(kids["Ana"], q, at=earlier)  # done on time
        answer(kids["Ben"], q, at=NOW - datetime.timedelta(hours=1)) if q is not q1 else answer(
            kids["Ben"], q, at=earlier
        )  # done, the last after the due date: done late
    answer(kids["Cy"], q1, at=earlier)  # in progress and past due: late
    Extension.objects.create(assignment=assignment, student=kids["Dee"], due_on=TODAY + datetime.timedelta(days=3))
    answer(kids["Dee"], q1, at=earlier)  # extended: in progress
    Extension.objects.create(assignment=assignment, student=kids["Eve"], excused=True)  # excused
    Extension.objects.create(assignment=assignment, student=kids["Fay"], due_on=TODAY + datetime.timedelta(days=3))
    # Fay: extended, nothing done: not started
    return assignment


EXPECTED = {
    "Ana": "done",
    "Ben": "done late",
    "Cy": "late",
    "Dee": "in progress",
    "Eve": "excused",
    "Fay": "not started",
}


def test_the_child_the_dashboard_the_parent_the_grid_and_the_csv_agree_on_every_status(client, world):
    build_scenarios(world)
    teacher = sign_in(Client(), world["teacher"].user)
    grid_html = teacher.get(f"/classes/{world['class'].pk}/").text
    rows = list(csv.reader(io.StringIO(teacher.get(f"/classes/{world['class'].pk}/progress.csv").content.decode())))
    by_name = {row[0]: row for row in rows[1:]}

    for name, label in EXPECTED.items():
        kid = world["kids"][name]
        # The grid's row for the child.
        row_html = re.search(rf"<th scope=\"row\">{name}\b.*?</tr>", grid_html, re.S)[0]
        assert f">{label}</span>" in row_html, (name, row_html)
        # The CSV: the same words.
        assert by_name[name][3].split(",")[0] == label, (name, by_name[name])
        # The child's own page, and (for open work) their dashboard.
        child = sign_in(Client(), kid.user)
        assert f">{label}</span>" in child.get("/assignments/").text, name
        dashboard = child.get("/dashboard/").text
        assert (f">{label}</span>" in dashboard) is (label in {"late", "in progress", "not started"}), name
        # The parent's child page.
        parent = sign_in(Client(), kid.parents.get().user)
        assert f">{label}</span>" in parent.get(f"/family/children/{kid.pk}/").text, name
        # And the one function they all call.
        (item,) = progress.child_assignments(kid)
        assert item.status.label == label


def test_the_grid_runs_the_same_queries_for_two_children_or_twenty(world, django_assert_max_num_queries):
    set_work(world, due_on=TODAY + datetime.timedelta(days=3))
    AssignmentFactory(school_class=world["class"], chapters=[ChapterFactory(), world["chapter"]])
    counts = []
    for extra in (0, 14):
        for n in range(extra):
            kid = StudentFactory()
            EnrollmentFactory(school_class=world["class"], student=kid)
            answer(kid, world["questions"][n % 3], index=(world["questions"][n % 3].correct_answer_index + 1) % 4)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            data = progress.grid(world["class"])
        counts.append(len(queries))
        assert len(data["rows"]) == 6 + extra
    assert counts[0] == counts[1] <= 8, counts


def test_the_badge_is_on_the_grid_with_its_reason(world):
    set_work(world, due_on=TODAY + datetime.timedelta(days=3), created_at=NOW - datetime.timedelta(days=1))
    ana = world["kids"]["Ana"]
    for n, q in enumerate(world["questions"]):
        answer(ana, q, index=(q.correct_answer_index + 1) % 4, at=NOW - datetime.timedelta(minutes=30 - n))
    teacher = sign_in(Client(), world["teacher"].user)
    html = teacher.get(f"/classes/{world['class'].pk}/").text
    assert "Needs help" in html
    assert "3 of the last 3 wrong in Fractions since 14:30" in html
    ben_row = re.search(r'<th scope="row">Ben.*?</tr>', html, re.S)[0]
    assert "Needs help" not in ben_row  # nothing tried: never a badge


def test_the_csv_cannot_run_a_formula(world):
    evil = ChildFactory(name='=HYPERLINK("http://evil.example","x")')
    EnrollmentFactory(school_class=world["class"], student=evil)
    set_work(world, due_on=TODAY + datetime.timedelta(days=3))
    rows = progress.csv_rows(world["class"])
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_an_extension_is_saved_on_the_assignment_page(client, world):
    assignment = set_work(world, due_on=TODAY + datetime.timedelta(days=3))
    cy = world["kids"]["Cy"]
    sign_in(client, world["teacher"].user)
    page = f"/classes/{world['class'].pk}/assignments/{assignment.pk}/"
    assert "Cy" in client.get(page).text
    response = client.post(f"{page}extensions/{cy.pk}/", {f"s{cy.pk}-student": cy.pk, f"s{cy.pk}-due_on": "2026-12-10"})
    assert response.status_code == 303
    assert Extension.objects.get(student=cy).due_on == datetime.date(2026, 12, 10)
    client.post(f"{page}extensions/{cy.pk}/", {f"s{cy.pk}-student": cy.pk, f"s{cy.pk}-excused": "on"})
    assert Extension.objects.get(student=cy).excused


def test_each_class_has_its_weekly_board_and_a_teacher_can_hide_a_child(client, world):
    set_work(world, due_on=TODAY + datetime.timedelta(days=3))
    ana, ben = world["kids"]["Ana"], world["kids"]["Ben"]
    answer(ana, world["questions"][0], at=NOW - datetime.timedelta(days=3))  # last week (Saturday): not this week
    answer(ana, world["questions"][1])
    answer(ben, world["questions"][0])
    answer(ben, world["questions"][1])
    board = sign_in(Client(), ana.user).get("/leaderboard/").text
    section = re.search(r"4B: this week.*?</section>", board, re.S)[0]
    assert section.index("Ben") < section.index("Ana")
    assert re.search(r"Ana \(you\)</th><td>10<", section)  # only this week's XP

    sign_in(client, world["teacher"].user)
    client.post(f"/classes/{world['class'].pk}/students/{ben.pk}/board/", {})
    section = re.search(r"4B: this week.*?</section>", sign_in(Client(), ana.user).get("/leaderboard/").text, re.S)[0]
    assert "Ben" not in section


def test_the_weekly_e_mail_goes_to_the_teachers_once_a_week(world, run_tasks, mailoutbox):
    from classes.tasks import queue_weekly_class_summaries

    build_scenarios(world)
    with time_machine.travel(NOW, tick=False):
        assert queue_weekly_class_summaries.call() == 1
        assert queue_weekly_class_summaries.call() == 0  # once per class and ISO week
    run_tasks()
    (mail,) = mailoutbox
    assert mail.to == [world["teacher"].user.email]
    assert "Cy: Fractions homework" in mail.body  # behind on what was due
    assert "Ana" not in mail.body.split("Needs help:")[0].split("Behind on work that was due:")[1]


def grid_page(world, client=None) -> str:
    client = client or sign_in(Client(), world["teacher"].user)
    return client.get(f"/classes/{world['class'].pk}/").text


def grid_of(page: str) -> str:
    """The page's progress grid (its section), without the forms around it."""
    return page.split('id="grid-heading"')[1].split('id="children-heading"')[0]


def test_the_cached_grid_follows_an_answer_an_extension_and_a_new_child_at_once(world):
    """The grid's HTML is kept while nothing it shows changes (progress.grid_signature): each change shows."""
    work = set_work(world, due_on=TODAY + datetime.timedelta(days=3), created_at=NOW - datetime.timedelta(days=1))
    teacher = sign_in(Client(), world["teacher"].user)
    before = grid_of(grid_page(world, teacher))
    assert grid_of(grid_page(world, teacher)) == before  # the same grid again (from the cache)
    assert before.count("status-not-started") == 6

    answer(world["kids"]["Ana"], world["questions"][0])
    after_answer = grid_of(grid_page(world, teacher))
    assert after_answer.count("status-not-started") == 5 and after_answer.count("status-in-progress") == 1

    Extension.objects.create(assignment=work, student=world["kids"]["Ben"], excused=True)
    assert grid_of(grid_page(world, teacher)).count("status-excused") == 1

    EnrollmentFactory(school_class=world["class"], student=StudentFactory(name="Zed New"))
    assert "Zed New" in grid_of(grid_page(world, teacher))


def test_the_cached_heading_follows_the_class_teachers_at_once(world):
    teacher = sign_in(Client(), world["teacher"].user)
    assert "taught by Ms Rivera</p>" in grid_page(world, teacher)
    assert "taught by Ms Rivera</p>" in grid_page(world, teacher)  # from the cache

    world["class"].teachers.add(TeacherFactory(name="Mr Osei"))
    assert "taught by Mr Osei and Ms Rivera</p>" in grid_page(world, teacher)

    Teacher.objects.filter(name="Mr Osei").update(name="Dr Osei")
    assert "taught by Dr Osei and Ms Rivera</p>" in grid_page(world, teacher)

    world["class"].teachers.add(TeacherFactory(name="Ms Park"))
    assert "taught by Dr Osei, Ms Park and Ms Rivera</p>" in grid_page(world, teacher)


def test_the_cached_grid_turns_late_when_the_due_time_passes(world, clock):
    set_work(world, due_on=TODAY, created_at=NOW - datetime.timedelta(days=1))
    teacher = sign_in(Client(), world["teacher"].user)
    assert "status-late" not in grid_of(grid_page(world, teacher))

    clock.move_to(datetime.datetime(2026, 12, 1, 23, 59, 30, tzinfo=datetime.UTC))  # due at the end of 23:59
    assert "status-late" not in grid_of(grid_page(world, teacher))

    clock.move_to(datetime.datetime(2026, 12, 2, 0, 0, tzinfo=datetime.UTC))  # the next minute
    assert grid_of(grid_page(world, teacher)).count("status-late") == 6


def test_the_cached_grid_is_the_class_own_and_the_forms_carry_each_teacher_own_token(world):
    set_work(world, due_on=TODAY + datetime.timedelta(days=3))
    other_class = SchoolClassFactory(name="5C", teacher=world["teacher"])
    EnrollmentFactory(school_class=other_class, student=StudentFactory(name="Only In 5C"))
    co_teacher = TeacherFactory()
    world["class"].teachers.add(co_teacher)
    first, second = sign_in(Client(), world["teacher"].user), sign_in(Client(), co_teacher.user)

    pages = [grid_page(world, first), grid_page(world, second)]
    assert grid_of(pages[0]) == grid_of(pages[1])  # one grid for the class's teachers
    assert "Only In 5C" not in pages[0] and "Only In 5C" not in pages[1]
    assert "Only In 5C" in first.get(f"/classes/{other_class.pk}/").text
    tokens = [set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)) for page in pages]
    assert all(tokens) and not tokens[0] & tokens[1]  # the roster's forms are rendered for each request


def test_the_class_page_finds_a_class_as_every_other_class_page_does(world):
    """progress.class_with_digests (the class page's one query) finds what rosters.class_of (every other page's)
    finds, for an approved teacher only (approved_teacher_required's condition)."""
    from classes import rosters

    mine, co_taught, other = world["class"], SchoolClassFactory(name="5C"), SchoolClassFactory(name="6A")
    co_taught.teachers.add(world["teacher"])
    user = world["teacher"].user
    for school_class in (mine, co_taught, other):
        found = progress.class_with_digests(user, school_class.pk)
        assert found == rosters.class_of(world["teacher"], school_class.pk)
        assert (found is None) is (school_class == other)
    assert progress.class_with_digests(user, other.pk + 1000) is None

    Teacher.objects.filter(pk=world["teacher"].pk).update(approved_at=None)
    assert progress.class_with_digests(user, mine.pk) is None
    assert progress.class_with_digests(other.teachers.get().user, mine.pk) is None


def test_the_class_page_refuses_a_teacher_at_once_when_their_approval_is_withdrawn(world):
    teacher = sign_in(Client(), world["teacher"].user)
    assert teacher.get(f"/classes/{world['class'].pk}/").status_code == 200

    Teacher.objects.filter(pk=world["teacher"].pk).update(approved_at=None)
    response = teacher.get(f"/classes/{world['class'].pk}/")
    assert response.status_code == 403 and "waiting for approval" in response.text.lower()
    assert "Ana" not in response.text


def test_a_warm_grid_page_runs_no_grid_query(world, django_assert_max_num_queries):
    set_work(world, due_on=TODAY + datetime.timedelta(days=3))
    teacher = sign_in(Client(), world["teacher"].user)
    grid_page(world, teacher)
    # The class with its signature, which checks the teacher's approval too (the session and the account are
    # cached): not the teacher's row, none of the grid's eight, not the teachers' list (it is in the cached part).
    with django_assert_max_num_queries(1):
        grid_page(world, teacher)


def test_erasing_a_child_drops_their_classes_cached_grid(world, django_capture_on_commit_callbacks):
    from accounts import data_rights
    from edtech import cache

    set_work(world, due_on=TODAY + datetime.timedelta(days=3))
    grid_page(world)
    assert cache.get(cache.class_grid_entry(world["class"].pk)) is not None

    with django_capture_on_commit_callbacks(execute=True):
        data_rights.erase_student(world["kids"]["Ana"])

    assert cache.get(cache.class_grid_entry(world["class"].pk)) is None
