import logging
import sys

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.static import serve
from psycopg_pool import PoolTimeout

logger = logging.getLogger(__name__)

# Uploaded files, opened on their own, run nothing (an SVG's script) and load nothing; the same header
# as nginx's location /media/ (deploy/nginx/learning-quest.conf.template).
MEDIA_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

# Errors that mean "the database is unreachable", not "the code is wrong".
DATABASE_DOWN = (DatabaseError, PoolTimeout)


@never_cache
def healthz(request):
    """{"database": "ok"|"error", "cache": "ok"|"degraded", "static": "ok"|"error"}: 503 when the database
    does not answer, or when the static files were not collected (every page would fail: their
    manifest tells the pages the files' hashed names)."""
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
    static = "ok" if _static_files_collected() else "error"
    status = 200 if database == "ok" and static == "ok" else 503
    return JsonResponse({"database": database, "cache": cache_state, "static": static}, status=status)


def _static_files_collected() -> bool:
    """With the manifest storage (DEBUG off), whether collectstatic has run: the stylesheet every page links
    must have its hashed name. Without a manifest (development), files are served as they are."""
    if not hasattr(staticfiles_storage, "stored_name"):
        return True
    try:
        staticfiles_storage.stored_name("css/app.css")
    except ValueError:
        logger.error("healthz: the static files are not collected (run manage.py collectstatic)")
        return False
    return True


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


def media(request, path):
    """Uploaded pictures under MEDIA_ROOT, in development only (DEBUG): in production nginx serves
    /media/ (with the same headers) and this answers 404."""
    if not settings.DEBUG:
        raise Http404("Media files are served by the web server.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Security-Policy"] = MEDIA_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
