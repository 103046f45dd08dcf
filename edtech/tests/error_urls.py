"""The project's URLs plus two views that fail, for the error page tests."""

from django.db import OperationalError
from django.urls import path

from edtech.urls import handler500  # noqa: F401 - handler500 is read from here
from edtech.urls import urlpatterns as project_urls


def boom(request):
    raise RuntimeError("secret internals: do not show")


def database_down(request):
    raise OperationalError("connection refused")


urlpatterns = [path("boom/", boom), path("db-down/", database_down), *project_urls]
