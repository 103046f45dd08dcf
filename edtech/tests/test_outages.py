"""Outages end to end: the real app under gunicorn while its Redis or its PostgreSQL goes away and comes back.

The app, a PostgreSQL cluster and a redis-server of their own run as subprocesses (see
servers.py); a student logs in through the real login form and uses the site with a cookie
jar, as a browser would. These tests never use the pytest-django test database.
"""

import contextlib
import copy
import http.cookiejar
import json
import os
import re
import secrets
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from edtech import redis_breaker
from edtech.tests import servers
from learning.management.commands import seed_demo

DEMO = json.loads(seed_demo.DEMO_CURRICULUM.read_text())
CHAPTER = DEMO["chapters"][0]
QUESTION = next(question for question in DEMO["questions"] if question["chapter_id"] == CHAPTER["id"])
QUESTION_URL = f"/learn/{CHAPTER['id']}/q/{QUESTION['quiz_id']}/"
PAGES = ["/learn/", "/dashboard/", QUESTION_URL]

# No request may wait for longer than this while Redis is down: its socket timeouts are 0.5 s.
REDIS_DOWN_BUDGET = 3.0
# The database pool gives up after DB_POOL_TIMEOUT (3 s); the 503 must come soon after.
DATABASE_DOWN_BUDGET = 5.0


@dataclass
class Response:
    status: int
    headers: dict
    text: str
    seconds: float
    path: str

    def json(self) -> dict:
        return json.loads(self.text)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let the test see each redirect (a 303 after an answer, a 302 to the login page)."""

    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Browser:
    """A cookie-keeping HTTP client for the app; every response is kept in history, with its time."""

    base_url: str
    history: list[Response] = field(default_factory=list)

    def __post_init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # never a proxy from the environment
            urllib.request.HTTPCookieProcessor(self.cookies),
            _NoRedirect(),
        )

    def get(self, path: str) -> Response:
        return self._open(path)

    def post(self, path: str, data: dict) -> Response:
        return self._open(path, urllib.parse.urlencode(data).encode())

    def _open(self, path: str, data: bytes | None = None) -> Response:
        url = self.base_url + path
        # Always http://127.0.0.1:<port>, the app server the fixture started.
        request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=20) as raw:
                status, headers, body = raw.status, dict(raw.headers), raw.read()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            status, headers, body = error.code, dict(error.headers), error.read()
        response = Response(status, headers, body.decode(errors="replace"), time.monotonic() - started, path)
        self.history.append(response)
        return response

    def submit(self, path: str, page: Response, data: dict) -> Response:
        """POST a form of the page, with the page's CSRF token."""
        return self.post(path, {**data, "csrfmiddlewaretoken": hidden_input(page, "csrfmiddlewaretoken")})

    def log_in(self, email: str, password: str) -> None:
        form = self.get("/accounts/login/")
        response = self.submit("/accounts/login/", form, {"username": email, "password": password, "next": ""})
        assert response.status == 302, response.text[:2000]
        assert any(cookie.name == "sessionid" for cookie in self.cookies)


def hidden_input(page: Response, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page.text)
    assert match, f"no {name} in {page.path} ({page.status})"
    return match.group(1)


@dataclass
class Stack:
    postgres: servers.PostgresCluster
    redis: servers.RedisServer
    app: servers.AppServer
    dbname: str
    demo_passwords: dict[str, str]

    def query(self, sql: str, params: tuple) -> list[tuple]:
        with self.postgres.connect(self.dbname) as conn:
            return conn.execute(sql, params).fetchall()

    def server_log(self) -> str:
        return servers.tail(self.app.log, 60)


@pytest.fixture(scope="module")
def stack():
    """PostgreSQL, Redis and the app, migrated and seeded; all stopped and deleted afterwards, even on failure."""
    with (
        tempfile.TemporaryDirectory(prefix="outages-") as tmp,
        contextlib.ExitStack() as started,
        ThreadPoolExecutor(max_workers=1) as background,
    ):
        root = Path(tmp)
        os.chmod(root, 0o755)  # noqa: S103 - the postgres user must reach its data directory inside
        try:
            postgres = servers.PostgresCluster(root)
        except RuntimeError as error:
            pytest.fail(str(error))
        dbname = "learning_quest"
        # Persistent: what Redis held comes back after a restart, stale copies included (the logout tests).
        redis = started.enter_context(servers.RedisServer(root, persistent=True))
        app = servers.AppServer(
            root, database_url=postgres.url(dbname), redis_url=redis.url, secret_key=secrets.token_urlsafe(50)
        )
        # Collecting the static files needs no database: it runs while the cluster is made.
        collected = background.submit(app.manage, "collectstatic", "--no-input")
        started.enter_context(postgres)
        postgres.create_database(dbname)
        app.manage("migrate", "--no-input")
        seeded = app.manage("seed_demo")  # DEBUG is off: the logins get random passwords, printed once
        collected.result()
        started.enter_context(app)
        yield Stack(postgres, redis, app, dbname, demo_passwords=_printed_passwords(seeded))


def _printed_passwords(seed_output: str) -> dict[str, str]:
    """{e-mail: password} from seed_demo's list of logins."""
    found = re.findall(r"^\s+\w+\s+(\S+@\S+) / (\S+)$", seed_output, flags=re.MULTILINE)
    return dict(found)


@pytest.fixture
def servers_up(stack):
    """Every server running at the start of a test, and again after it (so one failure does not cascade)."""
    _restart_stopped(stack)
    yield stack
    _restart_stopped(stack)


def _restart_stopped(stack: Stack) -> None:
    if stack.redis.process is None:
        stack.redis.start()
    if not stack.postgres.running:
        stack.postgres.start()


@pytest.fixture
def student(servers_up):
    browser = Browser(servers_up.app.base_url)
    email = seed_demo.DEMO_STUDENT["email"]
    browser.log_in(email, servers_up.demo_passwords[email])
    return browser


def answer_question(browser: Browser, index: int) -> Response:
    page = browser.get(QUESTION_URL)
    assert page.status == 200, page.text[:2000]
    return browser.submit(
        QUESTION_URL, page, {"selected_answer_index": str(index), "token": hidden_input(page, "token")}
    )


def submission_in(response: Response) -> int:
    """The id of the submission an answer's 303 redirects to (/learn/…/answers/<id>/)."""
    return int(re.search(r"/answers/(\d+)/$", response.headers["Location"]).group(1))


def timings(history: list[Response]) -> str:
    return ", ".join(f"{r.path} {r.status} {r.seconds:.2f}s" for r in history)


def wait_until(predicate, *, timeout: float, what: str, stack: Stack, browser: Browser) -> None:
    """servers.wait_until, failing with the requests made while waiting and the server's log."""
    try:
        servers.wait_until(predicate, timeout=timeout, what=what)
    except TimeoutError as error:
        pytest.fail(f"{error}; requests: {timings(browser.history)}\n{stack.server_log()}")


def test_the_site_works_while_redis_is_down_and_uses_redis_again_when_it_is_back(servers_up, student):
    stack = servers_up
    stack.redis.stop()
    student.history.clear()

    health = student.get("/healthz")
    assert health.status == 200, stack.server_log()
    assert health.json() == {"database": "ok", "cache": "degraded", "static": "ok"}
    for page in PAGES:
        assert student.get(page).status == 200, f"{page}\n{stack.server_log()}"

    answered = answer_question(student, QUESTION["correct_answer_index"])
    assert answered.status == 303, f"{answered.text[:2000]}\n{stack.server_log()}"
    submission_id = submission_in(answered)
    assert stack.query(
        "SELECT s.email, q.quiz_id, a.is_correct FROM quiz_submissions a"
        " JOIN students s ON s.id = a.student_id JOIN questions q ON q.id = a.question_id WHERE a.id = %s",
        (submission_id,),
    ) == [(seed_demo.DEMO_STUDENT["email"], QUESTION["quiz_id"], True)]
    result = student.get(answered.headers["Location"])
    assert result.status == 200
    assert "Correct!" in result.text

    # Sessions are in the database: still logged in, not sent to the login page.
    dashboard = student.get("/dashboard/")
    assert dashboard.status == 200
    assert seed_demo.DEMO_STUDENT["name"].split()[0] in dashboard.text
    slowest = max(student.history, key=lambda r: r.seconds)
    assert slowest.seconds < REDIS_DOWN_BUDGET, timings(student.history)

    stack.redis.start()
    student.history.clear()
    wait_until(
        lambda: student.get("/healthz").json() == {"database": "ok", "cache": "ok", "static": "ok"},
        timeout=10,  # the cache is skipped for 5 s after its last failure (edtech/redis_breaker.py)
        what="healthz reporting the cache ok again",
        stack=stack,
        browser=student,
    )
    for page in PAGES:
        assert student.get(page).status == 200, f"{page}\n{stack.server_log()}"


def test_a_hanging_redis_costs_a_request_at_most_one_socket_timeout(servers_up, student):
    stack = servers_up
    stack.redis.pause()
    try:
        student.history.clear()
        for page in [*PAGES, "/healthz"]:
            assert student.get(page).status == 200, f"{page}\n{stack.server_log()}"
        answered = answer_question(student, QUESTION["correct_answer_index"])
        assert answered.status == 303
        # Socket timeout 0.5 s: without the circuit breaker the dashboard alone waited about 7 s.
        slowest = max(student.history, key=lambda r: r.seconds)
        assert slowest.seconds < 1.5, timings(student.history)
    finally:
        stack.redis.resume()
    # Every worker's breaker closes BREAK_SECONDS after its own last failure: one "ok" answer can come from a
    # worker whose breaker closed while the other's is still open (the next test then saw "degraded").
    time.sleep(redis_breaker.BREAK_SECONDS + 0.5)
    wait_until(
        lambda: student.get("/healthz").json() == {"database": "ok", "cache": "ok", "static": "ok"},
        timeout=15,  # every worker's breaker must close again (5 s after its last failure)
        what="healthz reporting the cache ok again",
        stack=stack,
        browser=student,
    )


def test_a_database_outage_is_a_friendly_503_and_the_app_recovers_without_a_restart(servers_up, student):
    stack = servers_up
    form = student.get(QUESTION_URL)  # a question the child is looking at when the database goes away
    assert form.status == 200
    stack.postgres.stop()
    student.history.clear()

    # First the pools hand out their broken connections (fast errors), then they wait for a new
    # one for DB_POOL_TIMEOUT: keep asking until a request has waited, to see both kinds of 503.
    for _ in range(8):
        health = student.get("/healthz")
        assert health.status == 503, f"{health.status} {health.text[:2000]}\n{stack.server_log()}"
        assert health.json() == {"database": "error", "cache": "ok", "static": "ok"}
        if health.seconds > 1:
            break
    else:
        pytest.fail(f"no request waited for the pool: {timings(student.history)}")
    page = student.get("/learn/")
    answered = student.submit(QUESTION_URL, form, {"selected_answer_index": "0", "token": hidden_input(form, "token")})
    for response in (page, answered):
        assert response.status == 503, f"{response.path}: {response.status}\n{stack.server_log()}"
        assert "We'll be right back" in response.text
        for leak in ("Traceback", "OperationalError", "PoolTimeout", "psycopg"):
            assert leak not in response.text
        assert response.headers["Retry-After"] == "30"
    assert max(r.seconds for r in student.history) < DATABASE_DOWN_BUDGET, timings(student.history)

    stack.postgres.start()
    student.history.clear()
    run = []

    def serves_again() -> bool:
        # Recovered means a run of requests in a row succeed (so not just one worker's pool).
        response = student.get(("/healthz", *PAGES)[len(student.history) % 4])
        run.append(response.status)
        if response.status != 200:
            run.clear()
        return len(run) >= 8

    wait_until(serves_again, timeout=20, what="the app serving again", stack=stack, browser=student)
    # The child presses the answer button again: the same form is recorded now.
    again = student.submit(QUESTION_URL, form, {"selected_answer_index": "0", "token": hidden_input(form, "token")})
    assert again.status == 303, f"{again.status}\n{stack.server_log()}"
    submission_id = submission_in(again)
    assert stack.query("SELECT selected_answer_index FROM quiz_submissions WHERE id = %s", (submission_id,)) == [(0,)]


def _redis_keys(stack: Stack, pattern: str) -> list[bytes]:
    import redis

    return redis.Redis.from_url(stack.redis.url).keys(pattern)


def _same_cookies(browser: Browser) -> Browser:
    """Another client holding a copy of this one's cookies: someone who kept the session cookie."""
    other = Browser(browser.base_url)
    for cookie in browser.cookies:
        other.cookies.set_cookie(copy.copy(cookie))
    return other


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_a_logout_while_redis_is_out_stays_a_logout_when_redis_comes_back(servers_up, student, outage):
    """The session and the account are copied into Redis (edtech.auth_cache); a logout while Redis cannot be
    reached cannot drop the copy, and Redis brings it back (its append-only file, or a frozen process that
    wakes up). The old cookie is refused all the same."""
    stack = servers_up
    for _ in range(2):  # the first request copies the session and the account into Redis, the second uses them
        assert student.get("/dashboard/").status == 200
    session_key = next(cookie.value for cookie in student.cookies if cookie.name == "sessionid")
    assert _redis_keys(stack, f"*:auth:*:session:{session_key}:*"), "the session was never copied into Redis"
    kept = _same_cookies(student)

    page = student.get("/dashboard/")
    stack.redis.stop() if outage == "stopped" else stack.redis.pause()
    logout = student.submit("/accounts/logout/", page, {})
    assert logout.status == 302, f"{logout.text[:2000]}\n{stack.server_log()}"
    stack.redis.start() if outage == "stopped" else stack.redis.resume()

    # Redis has the stale copy again: only the lease and generation keep it out of reach.
    assert _redis_keys(stack, f"*:auth:*:session:{session_key}:*")
    wait_until(
        lambda: student.get("/healthz").json()["cache"] == "ok",
        timeout=10,
        what="healthz reporting the cache ok again",
        stack=stack,
        browser=student,
    )
    time.sleep(5.5)  # every worker's circuit breaker closed again (edtech/redis_breaker.py): Redis is read
    for _ in range(4):  # both workers
        refused = kept.get("/dashboard/")
        assert refused.status == 302, f"the old session cookie still works\n{stack.server_log()}"
        assert refused.headers["Location"].startswith("/accounts/login/")
    # The logout waited out the lease at most (edtech.auth_cache.LEASE_SECONDS + margin, plus one socket timeout).
    assert logout.seconds < 6, timings(student.history)
