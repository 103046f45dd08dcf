from django.urls import path

from classes import views

urlpatterns = [
    path("accounts/signup/teacher/", views.signup_teacher, name="signup_teacher"),
    path("classes/", views.class_list, name="classes"),
    path("classes/new/", views.new_class, name="new_class"),
    path("classes/join/", views.join_class, name="join_class"),
    path("classes/invitations/<str:token>/", views.accept_teacher_invitation, name="accept_teacher_invitation"),
    path("classes/<int:class_id>/", views.class_page, name="class_page"),
    path("classes/<int:class_id>/progress.csv", views.progress_csv, name="class_progress_csv"),
    path("classes/<int:class_id>/students/add/", views.add_students, name="class_add_students"),
    path("classes/<int:class_id>/code/", views.rotate_code, name="class_rotate_code"),
    path("classes/<int:class_id>/teachers/invite/", views.invite_teacher, name="class_invite_teacher"),
    path(
        "classes/<int:class_id>/students/<int:student_id>/password/",
        views.reset_student_passphrase,
        name="class_student_password",
    ),
    path("classes/<int:class_id>/students/<int:student_id>/remove/", views.remove_student, name="class_remove_student"),
    path("classes/<int:class_id>/students/<int:student_id>/board/", views.student_board, name="class_student_board"),
    path("classes/<int:class_id>/assignments/new/", views.new_assignment, name="class_new_assignment"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/", views.assignment_page, name="class_assignment"),
    path(
        "classes/<int:class_id>/assignments/<int:assignment_id>/extensions/<int:student_id>/",
        views.save_extension,
        name="class_extension",
    ),
]
