from django.urls import include, path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/signup/student/", views.signup_student, name="signup_student"),
    path("accounts/signup/parent/", views.signup_parent, name="signup_parent"),
    path("accounts/signup/sent/", views.signup_sent, name="signup_sent"),
    path("accounts/signup/asked/", views.signup_asked, name="signup_asked"),
    path("accounts/signup/confirm/<uidb64>/<token>/", views.signup_confirm, name="signup_confirm"),
    path("accounts/no-profile/", views.profile_missing, name="profile_missing"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/2fa/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profile/", views.profile, name="profile"),
    path("profile/family-code/", views.replace_family_code, name="replace_family_code"),
    path("profile/parents/<int:parent_id>/unlink/", views.unlink_parent, name="unlink_parent"),
]
