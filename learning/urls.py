from django.urls import path

from learning import views

urlpatterns = [
    path("learn/", views.learn, name="learn"),
    path("learn/<str:chapter_id>/", views.chapter_detail, name="chapter"),
    path("learn/<str:chapter_id>/summary/", views.chapter_summary, name="chapter_summary"),
    path("learn/<str:chapter_id>/q/<str:quiz_id>/", views.question_page, name="question"),
    path(
        "learn/<str:chapter_id>/q/<str:quiz_id>/answers/<int:submission_id>/",
        views.answer_result,
        name="answer_result",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("assignments/", views.assignments, name="assignments"),
    path("review/", views.review_page, name="review"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
]
