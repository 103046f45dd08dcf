from django.contrib import admin
from django.urls import include, path

from edtech import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("curriculum.urls")),
    path("", include("analytics.urls")),
]

handler500 = "edtech.views.server_error"
