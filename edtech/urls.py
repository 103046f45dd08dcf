from django.contrib import admin
from django.urls import path

from edtech import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler500 = "edtech.views.server_error"
