from django.shortcuts import render

from accounts.access import student_required
from analytics import charts, summaries


def progress_context(student) -> dict:
    """What a progress page shows about one student: the student's dashboard and a parent's child page."""
    today = summaries.today_for(student)
    activity = summaries.activity(student, today)
    return {
        "student": student,
        "today": today,
        "streak": summaries.streak(student, today),
        "subjects": summaries.chapter_map(student),
        "mastery_as_of": summaries.mastery(student)["as_of"],
        "summary": summaries.progress_summary(student, today),
        "activity": activity,
        "chart": charts.activity_chart(activity["days"]),
        "week": summaries.week(student, today),
    }


@student_required
def dashboard(request):
    context = progress_context(request.user.student)
    context["nav"] = "dashboard"
    return render(request, "analytics/dashboard.html", context)


@student_required
def leaderboard(request):
    student = request.user.student
    board = summaries.leaderboard()
    return render(
        request,
        "analytics/leaderboard.html",
        {
            "nav": "leaderboard",
            "board": board,
            "me": student,
            "my_rank": summaries.rank_of(student),
        },
    )
