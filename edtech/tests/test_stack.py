"""The shipped stack, run for real on loopback: nginx in front of gunicorn (the project's configs), and
what each of them refuses. gunicorn never faces a slow client; no body is read beyond its limit."""

import contextlib
import http.cookiejar
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from accounts.models import ThrottleHit, User
from accounts.tests.factories import PASSWORD, StudentFactory
from edtech.tests import servers

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = servers.PROJECT_DIR


@pytest.fixture(scope="module")
def stack(tmp_path_factory, django_db_setup, django_db_blocker):
    """gunicorn (DEBUG off, on the test database) with nginx in front of it."""
    root = tmp_path_factory.mktemp("stack")
    with django_db_blocker.unblock():
        database = settings.DATABASES["default"]
        database_url = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{connection.settings_dict['NAME']}"
        )
    app = servers.AppServer(
        root, database_url=database_url, redis_url=settings.REDIS_URL or "", secret_key=secrets.token_urlsafe(50)
    )
    app.env["CACHE_KEY_PREFIX"] = "stack-test"
    app.env["TRUST_X_FORWARDED_FOR"] = "True"  # as in docker-compose.yml: only nginx reaches gunicorn
    # Outside pytest's own (owner-only) temporary directory: nginx's workers run as nobody, and read the
    # pictures as www-data does in production (README, "Production without Docker").
    media = Path(tempfile.mkdtemp(prefix="stack-media-"))
    media.chmod(0o755)
    app.env["MEDIA_ROOT"] = str(media)
    app.manage("collectstatic", "--no-input")
    try:
        with app, servers.NginxServer(root, upstream=f"127.0.0.1:{app.port}", media_root=media) as nginx:
            yield app, nginx
    finally:
        shutil.rmtree(media, ignore_errors=True)


def get(url: str, timeout: float = 5) -> tuple[int, float]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    started = time.monotonic()
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started


def slow_body_clients(port: int, count: int, stop: threading.Event) -> list[threading.Thread]:
    """Clients that announce a large POST body and send it one byte a second (slowloris)."""

    def dribble():
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
            while not stop.is_set():
                sock.sendall(b"x")
                stop.wait(1)

    threads = [threading.Thread(target=dribble, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def test_the_nginx_config_is_valid():
    result = subprocess.run(  # noqa: S603 - the project's script
        [str(PROJECT / "deploy" / "render-nginx"), "127.0.0.1:8000", "8080", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_twenty_slow_clients_do_not_stop_healthz_behind_nginx(stack):
    _app, nginx = stack
    stop = threading.Event()
    clients = slow_body_clients(nginx.port, 20, stop)
    try:
        time.sleep(2)  # every slow client has its connection open and is dribbling
        timings = [get(f"{nginx.base_url}/healthz") for _ in range(5)]
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=5)

    assert all(status == 200 for status, _ in timings), timings
    assert max(seconds for _, seconds in timings) < 1, timings


def test_a_huge_body_is_refused_before_it_is_read(stack):
    app, nginx = stack
    for port, expected in ((app.port, b"413"), (nginx.port, b"413")):
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 300000000\r\n\r\nxxxx")
            answer = sock.recv(200)
        assert answer.split(b" ")[1] == expected, answer
        assert time.monotonic() - started < 2


def test_the_access_logs_hold_no_reset_token_and_no_forged_line(stack):
    app, nginx = stack
    get(f"{nginx.base_url}/accounts/reset/MQ/set-abcdef0123456789/")
    get(f"{nginx.base_url}/x%0Atime=forged%20status=200/")
    time.sleep(0.5)

    for log in (app.log, nginx.log):
        text = log.read_text(errors="replace")
        assert "abcdef0123456789" not in text, log
        assert "/accounts/reset/[redacted]/" in text, log
        assert not any(line.startswith("time=forged") for line in text.splitlines()), log


def test_a_sign_in_passes_through_nginx_counted_under_the_address_nginx_saw(stack):
    _app, nginx = stack
    # Hashed as production hashes (the tests' fast hasher is not among gunicorn's).
    hasher = PBKDF2PasswordHasher()
    StudentFactory(
        user=User.objects.create(email="reader@example.com", password=hasher.encode(PASSWORD, hasher.salt()))
    )
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar))
    login = f"{nginx.base_url}/accounts/login/"
    page = opener.open(login, timeout=5).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def sign_in(password):
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "reader@example.com", "password": password}
        )
        request = urllib.request.Request(  # noqa: S310 - http:// on loopback
            login,
            data=form.encode(),
            # A browser's Origin has the port; a client's own X-Forwarded-For must not pick the address.
            headers={"Origin": nginx.base_url, "X-Forwarded-For": "203.0.113.9"},
        )
        try:
            with opener.open(request, timeout=5) as response:
                return response.status, response.url
        except urllib.error.HTTPError as error:
            return error.code, error.url

    assert sign_in("not the password")[0] == 400  # the form again, with its error
    assert ThrottleHit.objects.filter(scope="login-address", key=ThrottleHit.objects.key("127.0.0.1")).count() == 1
    assert not ThrottleHit.objects.filter(key=ThrottleHit.objects.key("203.0.113.9")).exists()
    assert sign_in(PASSWORD) == (200, f"{nginx.base_url}/learn/")  # signed in, and on to the student's home


def test_nginx_serves_uploaded_pictures_sandboxed_and_nothing_else_from_media(stack):
    app, nginx = stack
    picture = Path(app.env["MEDIA_ROOT"]) / "questions" / "3f2a.svg"
    picture.parent.mkdir(mode=0o755, exist_ok=True)
    picture.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    picture.chmod(0o644)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    with opener.open(f"{nginx.base_url}/media/questions/3f2a.svg", timeout=5) as response:
        body, headers = response.read(), response.headers

    assert body == picture.read_bytes()
    assert headers["Content-Type"] == "image/svg+xml"
    assert "sandbox" in headers["Content-Security-Policy"]  # its script never runs, even opened on its own
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in headers["Cache-Control"]
    assert get(f"{nginx.base_url}/media/")[0] in (403, 404)  # no listing
    assert get(f"{nginx.base_url}/media/questions/missing.png")[0] == 404
    assert get(f"{nginx.base_url}/media/../gunicorn.conf.py")[0] in (400, 404)
    post = urllib.request.Request(f"{nginx.base_url}/media/questions/3f2a.svg", data=b"x", method="POST")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(post, timeout=5)
    assert refused.value.code == 403


def test_gunicorn_binds_to_loopback_unless_told_otherwise():
    result = subprocess.run(  # noqa: S603 - the venv's Python
        [servers.sys.executable, "-c", "import runpy; print(runpy.run_path('gunicorn.conf.py')['bind'])"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == "127.0.0.1:8000"
