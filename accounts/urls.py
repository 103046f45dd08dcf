from django.urls import include, path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/student/", views.signup_student, name="signup_student"),
    path("accounts/no-profile/", views.profile_missing, name="profile_missing"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profile/", views.profile, name="profile"),
]
