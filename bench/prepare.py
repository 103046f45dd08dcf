"""Prepare the benchmark's requests on the generated dataset: signed-in sessions and wrk scripts.

Run with DJANGO_SETTINGS_MODULE=edtech.settings and DATABASE_URL set to the bench database:
    python bench/prepare.py OUT_DIR
Writes OUT_DIR/<page>.lua, one per page, each cycling through many students' requests.
"""

import json
import random
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402

from accounts.models import Parent, Student, StudentParentLink, User  # noqa: E402
from curriculum.models import Chapter, Question  # noqa: E402
from learning.forms import make_form_token  # noqa: E402

STUDENTS = 400
PARENTS = 100
# The class grid: classes of 40 of the sampled students, 25 assignments each, one teacher each.
CLASSES = 5
CLASS_SIZE = 40
ASSIGNMENTS = 25
ANSWERS = 60_000  # real answers (each form token is used once)
BACKEND = "accounts.backends.EmailBackend"

rng = random.Random(7)  # noqa: S311 - picking sample students, not a secret


def session_for(user: User, *, second_factor: bool = False) -> str:
    from accounts.middleware import SECOND_FACTOR_DONE

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if second_factor:  # staff and teachers use a second factor: as if it was used in this session
        store[SECOND_FACTOR_DONE] = True
    store.create()
    return str(store.session_key)


def cookie(session_key: str, csrf: str = "") -> str:
    """The cookies of a browser that has been on the site: its session, and the CSRF cookie Django set on its
    first page with a form (else every page with a form, the logout button in the header, would make and set a
    new one; the peer's requests carry theirs too)."""
    return f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf or _get_new_csrf_string()}"


def lua(name: str, requests: list[dict], out: Path) -> None:
    """A wrk script cycling through the requests; each thread starts at its own offset."""
    script = f"""
local requests = {to_lua(requests)}
local counter = 0
local thread_id = 0
local threads = {{}}

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  -- Each thread of each round (wrk ... -- ROUND) starts in a sixth of the list of its own: an answer's form
  -- token is used once.
  local round = tonumber(args[1]) or 1
  counter = (id * 3 + (round - 1) % 3) * math.floor(#requests / 6)
end

function request()
  counter = counter + 1
  local r = requests[(counter % #requests) + 1]
  local headers = {{ ["Cookie"] = r.cookie, ["Host"] = "127.0.0.1" }}
  if r.body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Referer"] = "http://127.0.0.1/"
    -- As the page's htmx sends it: the answer's result comes back in the same response.
    headers["HX-Request"] = "true"
    return wrk.format("POST", r.path, headers, r.body)
  end
  return wrk.format("GET", r.path, headers)
end

local statuses = {{}}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{{"page": "{name}", "requests": %d, "seconds": %.3f, "errors": %d, ',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.status + e.timeout))
  io.write(string.format('"p50": %.2f, "p95": %.2f, "p99": %.2f}}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""
    (out / f"{name}.lua").write_text(script)
    (out / f"{name}.json").write_text(json.dumps(requests))


def to_lua(requests: list[dict]) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    rows = []
    for r in requests:
        fields = [f"path = {quote(r['path'])}", f"cookie = {quote(r['cookie'])}"]
        if "body" in r:
            fields.append(f"body = {quote(r['body'])}")
        rows.append("{ " + ", ".join(fields) + " }")
    return "{\n  " + ",\n  ".join(rows) + "\n}"


def class_grids(students: list[Student], chapters: list[Chapter]) -> list[dict]:
    """Approved teachers, each with a class of CLASS_SIZE sampled students and ASSIGNMENTS assignments (one open
    chapter each, set 60 days ago so the dataset's answers count); the requests for their grids."""
    import datetime

    from django.utils import timezone

    from accounts.middleware import SECOND_FACTOR_DONE
    from classes import rosters
    from classes.models import Assignment, AssignmentChapter, Enrollment, Teacher

    requests = []
    today = timezone.localdate()
    for n in range(CLASSES):
        user, _ = User.objects.get_or_create(email=f"bench-teacher-{n}@bench.example")
        teacher, _ = Teacher.objects.get_or_create(
            user=user, defaults={"name": f"Teacher {n}", "approved_at": timezone.now()}
        )
        school_class = rosters.classes_of(teacher).first() or rosters.make_class(
            teacher=teacher, name=f"Bench class {n}", time_zone=settings.TIME_ZONE
        )
        if not school_class.enrollments.exists():
            members = students[n * CLASS_SIZE : (n + 1) * CLASS_SIZE]
            Enrollment.objects.bulk_create(Enrollment(school_class=school_class, student=s) for s in members)
            for a in range(ASSIGNMENTS):
                assignment = Assignment.objects.create(
                    school_class=school_class, title=f"Homework {a + 1}", due_on=today + datetime.timedelta(days=a - 10)
                )
                Assignment.objects.filter(pk=assignment.pk).update(
                    created_at=timezone.now() - datetime.timedelta(days=60)
                )
                AssignmentChapter.objects.create(
                    assignment=assignment, chapter=chapters[(n * ASSIGNMENTS + a) % len(chapters)]
                )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = BACKEND
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[SECOND_FACTOR_DONE] = True  # teachers use a second factor: as if it was used in this session
        store.create()
        requests.append({"path": f"/classes/{school_class.pk}/", "cookie": cookie(str(store.session_key))})
    return requests


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    students = list(Student.objects.select_related("user").filter(total_xp__gt=0).order_by("?")[:STUDENTS])
    open_chapters = [c for c in Chapter.objects.all() if not c.is_locked]
    questions_by_chapter: dict[str, list[Question]] = {}
    for question in Question.objects.filter(chapter__in=open_chapters).only("id", "quiz_id", "chapter_id"):
        questions_by_chapter.setdefault(question.chapter_id, []).append(question)
    sessions = {s.pk: session_for(s.user) for s in students}

    pages: dict[str, list[dict]] = {
        "dashboard": [],
        "chapter_map": [],
        "chapter": [],
        "question": [],
        "leaderboard": [],
    }
    for student in students:
        c = cookie(sessions[student.pk])
        chapter = rng.choice(open_chapters)
        question = rng.choice(questions_by_chapter[chapter.id])
        pages["dashboard"].append({"path": "/dashboard/", "cookie": c})
        pages["chapter_map"].append({"path": "/learn/", "cookie": c})
        pages["chapter"].append({"path": f"/learn/{chapter.id}/", "cookie": c})
        pages["question"].append({"path": f"/learn/{chapter.id}/q/{question.quiz_id}/", "cookie": c})
        pages["leaderboard"].append({"path": "/leaderboard/", "cookie": c})

    # Answering: the question page and a real answer to it (a fresh form token each time).
    answering = []
    for _ in range(ANSWERS // 2):
        student = rng.choice(students)
        csrf = _get_new_csrf_string()
        chapter = rng.choice(open_chapters)
        question = rng.choice(questions_by_chapter[chapter.id])
        c = cookie(sessions[student.pk], csrf)
        path = f"/learn/{chapter.id}/q/{question.quiz_id}/"
        token = make_form_token(student=student, question=question)
        answering.append({"path": path, "cookie": c})
        answering.append(
            {
                "path": path,
                "cookie": c,
                "body": f"csrfmiddlewaretoken={csrf}&token={token}&selected_answer_index={rng.randrange(4)}",
            }
        )
    pages["answering"] = answering

    parents = []
    for link in StudentParentLink.objects.select_related("parent__user").order_by("?")[:PARENTS]:
        parent_session = session_for(link.parent.user)
        parents.append({"path": f"/family/children/{link.student_id}/", "cookie": cookie(parent_session)})
    pages["parent_child"] = parents

    staff, _ = User.objects.get_or_create(
        email="bench-staff@bench.example", defaults={"is_staff": True, "is_superuser": True}
    )
    staff_cookie = cookie(session_for(staff, second_factor=True))
    pages["content_analytics"] = [
        {"path": "/admin/analytics/studentprogress/content/chapters/", "cookie": staff_cookie},
        {"path": "/admin/analytics/studentprogress/content/questions/", "cookie": staff_cookie},
    ]
    pages["bare"] = [{"path": "/bench/bare/", "cookie": ""}]
    pages["floor"] = [{"path": "/bench/floor/", "cookie": cookie(sessions[s.pk])} for s in students]
    pages["class_grid"] = class_grids(students, open_chapters)

    for name, requests in pages.items():
        lua(name, requests, out)
    summary = {
        "students": len(students),
        "parents": Parent.objects.count(),
        "answers_prepared": len(answering) // 2,
    }
    (out / "prepared.json").write_text(json.dumps(summary))
    print(json.dumps(summary))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
