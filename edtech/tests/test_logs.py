"""Log lines cannot be forged and hold no reset token: the app's log and gunicorn's access log."""

import io
import logging
from types import SimpleNamespace

import pytest

from edtech import logs

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_output():
    """What the project's stdout handler (its formatter and filters, as configured) writes, during a test."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "stdout"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_a_newline_in_a_path_cannot_start_a_forged_line(client, log_output):
    client.get("/nope%0Atime=2026 level=ERROR msg=forged/")

    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("time=")
    assert 'msg="Not Found: /nope' in lines[0] and 'msg=forged/"' in lines[0]  # the whole path, on its own line


def test_a_reset_link_is_logged_without_its_token(log_output):
    logging.getLogger("django.request").warning("Not Found: %s", "/accounts/reset/MQ/ce6ggl-0123456789abcdef/")

    out = log_output.getvalue()
    assert "0123456789abcdef" not in out
    assert "/accounts/reset/[redacted]/" in out


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/a\r\nb", "/a\\x0d\\x0ab"),
        ('/a"b', "/a\\x22b"),
        ("/a\\b", "/a\\x5cb"),
        ("/a\u2028b", "/a\\u2028b"),
        ("/accounts/reset/Mg/set-password/", "/accounts/reset/[redacted]/"),
        # An invitation's link lets its holder join a child's family: never in a log.
        ("/family/invitations/MTI:1vX2:abcDEF/", "/family/invitations/[redacted]/"),
        ("/ok/ñ/", "/ok/ñ/"),
    ],
)
def test_unsafe_characters_are_escaped(text, shown):
    assert logs.safe(text) == shown


def test_gunicorns_access_log_fields_are_made_safe():
    logger = logs.SafeAccessLogger(
        SimpleNamespace(
            errorlog="-",
            loglevel="info",
            accesslog="-",
            syslog=False,
            logconfig=None,
            logconfig_dict={},
            logconfig_json=None,
            capture_output=False,
            disable_redirect_access_to_syslog=False,
            user=0,
            group=0,
            statsd_host=None,
            dogstatsd_tags="",
            statsd_prefix="",
            access_log_format="",
        )
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/accounts/reset/MQ/abc-123/?x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/accounts/reset/MQ/abc-123/\nforged",
        "QUERY_STRING": "x=1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[])

    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=5))

    assert atoms["U"] == "/accounts/reset/[redacted]/\\x0aforged"
    assert "abc-123" not in atoms["r"]
