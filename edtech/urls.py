from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from edtech import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # One login page for everyone, so its throttling (and second factor) cannot be bypassed.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("media/<path:path>", views.media, name="media"),  # DEBUG only; nginx in production
    path("", include("accounts.urls")),
    path("", include("classes.urls")),
    path("", include("learning.urls")),
    path("", include("family.urls")),
]

if apps.is_installed("bench"):  # benchmark runs only (BENCH_BARE_VIEW)
    urlpatterns.append(path("", include("bench.urls")))

handler500 = "edtech.views.server_error"
