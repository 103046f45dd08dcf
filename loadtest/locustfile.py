"""Load test: children answering quizzes and parents following them, through the real pages and forms.

Run by loadtest/run.sh (`make loadtest`), which creates the accounts this file logs in with:
load-student-NNN@example.com and load-parent-NNN@example.com, password LOADTEST_PASSWORD.
The correct answers come from the demo curriculum (curriculum/demo_curriculum.json), which the
driver loads with seed_demo.

Requests are named by page type (`name=`), so the statistics group e.g. every chapter page
under "/learn/[chapter]/". Every response's status is counted by page type. When locust
stops, the final statistics (the numbers locust prints) and the status counts are written
to LOADTEST_RESULTS_FILE as JSON, which loadtest/report.py summarises; the driver fails
the run on any 5xx.
"""

import itertools
import json
import os
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

DEMO_CURRICULUM = Path(__file__).resolve().parent.parent / "curriculum" / "demo_curriculum.json"

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
STUDENTS = int(os.environ.get("LOADTEST_STUDENTS", "60"))
PARENTS = int(os.environ.get("LOADTEST_PARENTS", "10"))
RESULTS_FILE = os.environ.get("LOADTEST_RESULTS_FILE", "")
PERCENTILES = {"p50": 0.50, "p95": 0.95, "p99": 0.99}

# Page types: the names the statistics are grouped under.
LOGIN = "/accounts/login/"
CHAPTER_MAP = "/learn/"
CHAPTER = "/learn/[chapter]/"
QUESTION = "/learn/[chapter]/q/[quiz]/"
DOUBLE_SUBMIT = "/learn/[chapter]/q/[quiz]/ (double submit)"
RESULT = "/learn/[chapter]/q/[quiz]/answers/[id]/"
DASHBOARD = "/dashboard/"
LEADERBOARD = "/leaderboard/"
FAMILY = "/family/"
FAMILY_CHILD = "/family/children/[id]/"

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')
OPEN_CHAPTER_RE = re.compile(r'<a href="/learn/([\w-]+)/"')
CHILD_RE = re.compile(r'href="/family/children/(\d+)/"')

# quiz_id -> (chapter id, correct index, number of options)
QUESTIONS = {
    q["quiz_id"]: (q["chapter_id"], q["correct_answer_index"], len(q["options"]))
    for q in json.loads(DEMO_CURRICULUM.read_text())["questions"]
}
QUESTIONS_BY_CHAPTER: dict[str, list[str]] = defaultdict(list)
for quiz_id, (chapter_id, _, _) in QUESTIONS.items():
    QUESTIONS_BY_CHAPTER[chapter_id].append(quiz_id)

rng = random.Random()  # noqa: S311 - picks questions and answers, nothing secret
# Each simulated user takes the next account (gevent switches only at I/O, so next() is safe).
student_numbers = itertools.cycle(range(1, STUDENTS + 1))
parent_numbers = itertools.cycle(range(1, PARENTS + 1))
statuses: defaultdict[str, Counter] = defaultdict(Counter)


@events.request.add_listener
def count_status(request_type, name, response, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    statuses[f"{request_type} {name}"][str(status)] += 1


def _summary(entry) -> dict:
    return {
        "method": entry.method or "",
        "name": entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": round(entry.total_rps, 2),
        **{label: entry.get_response_time_percentile(p) for label, p in PERCENTILES.items()},
        "max": round(entry.max_response_time),
    }


@events.quitting.add_listener
def write_results(environment, **kwargs):
    """The final numbers (the same ones locust prints), per page type, and every status seen."""
    if not RESULTS_FILE:
        return
    stats = environment.stats
    results = {
        "pages": [_summary(entry) for entry in stats.entries.values() if entry.num_requests],
        "total": _summary(stats.total),
        "statuses": statuses,
        "errors": [error.to_dict() for error in stats.errors.values()],
    }
    with open(RESULTS_FILE, "w") as out:
        json.dump(results, out, indent=1, sort_keys=True)


class Visitor(FastHttpUser):
    abstract = True
    # Redirects are never followed: each response is checked (a 302 after login, a 303 after an
    # answer). Not per request with allow_redirects=False: that flag is switched on the shared
    # client for the duration of a request, so two requests in flight at once (the double
    # submit) would switch it back under each other.
    max_redirects = 0
    email_pattern = ""
    start_page = ""

    def log_in(self, number: int) -> None:
        """The real login form: GET it for the CSRF token, POST it, expect a redirect to the start page."""
        with self.client.get(LOGIN, name=LOGIN, catch_response=True) as page:
            csrf = CSRF_RE.search(page.text or "")
            if page.status_code != 200 or not csrf:
                page.failure(f"login form: status {page.status_code}, CSRF token found: {bool(csrf)}")
                self.stop()
                return
        form = {
            "csrfmiddlewaretoken": csrf.group(1),
            "username": self.email_pattern.format(number),
            "password": PASSWORD,
            "next": "",
        }
        with self.client.post(
            LOGIN,
            data=form,
            name=LOGIN,
            catch_response=True,
            headers={"Referer": self.host + LOGIN},
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused: status {response.status_code}")
                self.stop()
                return
        self.client.get(self.start_page, name=self.start_page)


class Student(Visitor):
    weight = 5
    wait_time = between(1, 3)
    email_pattern = "load-student-{:03d}@example.com"
    start_page = CHAPTER_MAP

    def on_start(self):
        self.open_chapters = ["math-place-value", "science-plants"]
        self.answered: set[str] = set()
        self.correct: set[str] = set()
        self.log_in(next(student_numbers))

    # --- pages ---------------------------------------------------------------------

    @task(2)
    def chapter_map(self):
        with self.client.get(CHAPTER_MAP, name=CHAPTER_MAP, catch_response=True) as page:
            if page.status_code == 200:
                found = sorted(set(OPEN_CHAPTER_RE.findall(page.text or "")) & QUESTIONS_BY_CHAPTER.keys())
                if found:
                    self.open_chapters = found
            else:
                page.failure(f"status {page.status_code}")

    @task(2)
    def chapter(self):
        self.client.get(f"/learn/{rng.choice(self.open_chapters)}/", name=CHAPTER)

    @task(2)
    def dashboard(self):
        self.client.get(DASHBOARD, name=DASHBOARD)

    @task(1)
    def leaderboard(self):
        self.client.get(LEADERBOARD, name=LEADERBOARD)

    # --- answers -------------------------------------------------------------------

    @task(4)
    def answer_right(self):
        chapter_id = rng.choice(self.open_chapters)
        todo = [q for q in QUESTIONS_BY_CHAPTER[chapter_id] if q not in self.correct]
        quiz_id = rng.choice(todo or QUESTIONS_BY_CHAPTER[chapter_id])
        self.answer(quiz_id, right=True)

    @task(2)
    def answer_wrong(self):
        quiz_id = rng.choice(QUESTIONS_BY_CHAPTER[rng.choice(self.open_chapters)])
        self.answer(quiz_id, right=False)

    @task(1)
    def answer_again_today(self):
        """The same question again on the same day: recorded as practice (no XP, does not count)."""
        if not self.answered:
            return self.answer_right()
        self.answer(rng.choice(sorted(self.answered)), right=rng.random() < 0.5)

    @task(1)
    def double_submit(self):
        """The same rendered form posted twice at once (a double click): both must land on the same result."""
        quiz_id = rng.choice(QUESTIONS_BY_CHAPTER[rng.choice(self.open_chapters)])
        form = self.question_form(quiz_id, right=rng.random() < 0.5)
        if form is None:
            return
        url = self.question_url(quiz_id)
        posts = [gevent.spawn(self.post_answer, url, form, DOUBLE_SUBMIT) for _ in range(2)]
        gevent.joinall(posts)
        locations = [post.value for post in posts]
        if None in locations:
            return
        if locations[0] != locations[1]:
            events.request.fire(
                request_type="CHECK",
                name="double submit gives one result",
                response_time=0,
                response_length=0,
                response=None,
                context={},
                exception=AssertionError(f"two results: {locations}"),
            )
        self.client.get(locations[0], name=RESULT)

    def answer(self, quiz_id: str, *, right: bool) -> None:
        form = self.question_form(quiz_id, right=right)
        if form is None:
            return
        location = self.post_answer(self.question_url(quiz_id), form, QUESTION)
        if location:
            self.client.get(location, name=RESULT)

    @staticmethod
    def question_url(quiz_id: str) -> str:
        return f"/learn/{QUESTIONS[quiz_id][0]}/q/{quiz_id}/"

    def question_form(self, quiz_id: str, *, right: bool) -> dict | None:
        """GET the question page; the form to post (its CSRF and signed tokens, and a right or wrong choice)."""
        _, correct_index, option_count = QUESTIONS[quiz_id]
        with self.client.get(self.question_url(quiz_id), name=QUESTION, catch_response=True) as page:
            text = page.text or ""
            csrf, token = CSRF_RE.search(text), TOKEN_RE.search(text)
            if page.status_code != 200 or not csrf or not token:
                page.failure(f"status {page.status_code}, form tokens found: {bool(csrf and token)}")
                return None
        wrong = [i for i in range(option_count) if i != correct_index]
        return {
            "csrfmiddlewaretoken": csrf.group(1),
            "token": token.group(1),
            "selected_answer_index": str(correct_index if right else rng.choice(wrong)),
        }

    def post_answer(self, url: str, form: dict, name: str) -> str | None:
        """POST the answer; the result page's address (the 303's Location), or None on a failure."""
        with self.client.post(
            url, data=form, name=name, catch_response=True, headers={"Referer": self.host + url}
        ) as response:
            location = (response.headers or {}).get("Location")
            if response.status_code != 303 or not location:
                response.failure(f"expected a 303 to the result page, got {response.status_code}")
                return None
        quiz_id = url.rstrip("/").rsplit("/", 1)[-1]
        self.answered.add(quiz_id)
        if form["selected_answer_index"] == str(QUESTIONS[quiz_id][1]):
            self.correct.add(quiz_id)
        return location


class Parent(Visitor):
    weight = 1
    wait_time = between(2, 5)
    email_pattern = "load-parent-{:03d}@example.com"
    start_page = FAMILY

    def on_start(self):
        self.children: list[str] = []
        self.log_in(next(parent_numbers))

    @task(1)
    def family(self):
        with self.client.get(FAMILY, name=FAMILY, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"status {page.status_code}")
                return
            self.children = sorted(set(CHILD_RE.findall(page.text or "")))
            if not self.children:
                page.failure("no linked child listed")

    @task(3)
    def child(self):
        if not self.children:
            return self.family()
        self.client.get(f"/family/children/{rng.choice(self.children)}/", name=FAMILY_CHILD)
