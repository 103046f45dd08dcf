from django.urls import path

from family import views

urlpatterns = [
    path("family/", views.family, name="family"),
    path("family/link/", views.link_child, name="link_child"),
    path("family/children/<int:student_id>/", views.child, name="family_child"),
]
