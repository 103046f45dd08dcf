"""Request ids: every log line of a request carries the same id, and the response tells it."""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponse
from django.template import loader
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


class RequestSizeLimitMiddleware:
    """Refuse (413) a request whose body is larger than it may be, before reading any of it.

    The limit is MAX_REQUEST_BYTES, or MAX_UPLOAD_REQUEST_BYTES for the paths UPLOAD_PATHS match (the
    question import, a question's form with its picture). A body of unknown length (chunked) is refused
    with 411: nginx, in front, always sends the length; and nginx itself refuses a body over its
    client_max_body_size.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        takes_files = any(re.fullmatch(pattern, request.path) for pattern in settings.UPLOAD_PATHS)
        limit = settings.MAX_UPLOAD_REQUEST_BYTES if takes_files else settings.MAX_REQUEST_BYTES
        length = request.META.get("CONTENT_LENGTH") or ""
        if not length and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return HttpResponse("A request body needs a Content-Length.\n", status=411, content_type="text/plain")
        try:
            too_large = int(length or 0) > limit
        except ValueError:
            return HttpResponse("Bad Content-Length.\n", status=400, content_type="text/plain")
        if too_large:
            # Rendered without the request: this runs before sessions and users are loaded.
            page = loader.render_to_string("errors/413.html", {"limit_mb": limit // (1024 * 1024)})
            response = HttpResponse(page, status=413)
            response["Connection"] = "close"  # the unread body is not read: the connection cannot be reused
            return response
        return self.get_response(request)
