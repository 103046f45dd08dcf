"""Request ids: every log line of a request carries the same id, and the response tells it."""

import contextvars
import logging
import re
import uuid

from django.contrib.auth import SESSION_KEY
from django.utils.cache import add_never_cache_headers

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# A proxy's id is kept only when it looks like an id (nothing to inject into log lines).
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Adds request_id to every log record (\"-\" outside a request)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class PrivatePagesMiddleware:
    """A page shown to a signed-in user is theirs: "Cache-Control: no-store", so that no browser cache,
    back button on a shared computer, or proxy keeps a copy (a view that sets its own header keeps it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only a page that read the session can depend on who is signed in; asking now would make a
        # page that did not (the health probe) read it. An error page (500, 503) shows nobody's data,
        # and asking would try the database once more during an outage.
        session = getattr(request, "session", None)
        if (
            response.status_code < 500
            and "Cache-Control" not in response
            and session is not None
            and session.accessed
            and SESSION_KEY in session
        ):
            add_never_cache_headers(response)
        return response
