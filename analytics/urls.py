from django.urls import path

from analytics import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("family/", views.family, name="family"),
    path("family/children/<int:student_id>/", views.family_child, name="family_child"),
]
