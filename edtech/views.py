import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from psycopg_pool import PoolTimeout

logger = logging.getLogger(__name__)

# Errors that mean "the database is unreachable", not "the code is wrong".
DATABASE_DOWN = (DatabaseError, PoolTimeout)


@never_cache
def healthz(request):
    """{"database": "ok"|"error", "cache": "ok"|"degraded"}; 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DATABASE_DOWN:
        logger.warning("healthz: database unreachable")
        database = "error"
    try:
        cache.set("healthz", "ok", 10)
        cache_state = "ok" if cache.get("healthz") == "ok" else "degraded"
    except Exception:  # any cache backend error means degraded, never an error page
        cache_state = "degraded"
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "cache": cache_state}, status=status)


def server_error(request):
    """The 500 handler; a database outage gets a friendly 503 instead."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN):
        template, status = "errors/503.html", 503
    else:
        template, status = "errors/500.html", 500
    # Rendered without a request context: nothing here may touch the database.
    response = HttpResponseServerError(loader.render_to_string(template))
    response.status_code = status
    if status == 503:
        response["Retry-After"] = "30"
    return response
