from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from edtech import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # One login page for everyone, so its throttling (and second factor) cannot be bypassed.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("curriculum.urls")),
    path("", include("analytics.urls")),
]

if settings.BENCH_BARE_VIEW:
    urlpatterns.append(path("bench/bare/", views.bare))

handler500 = "edtech.views.server_error"
