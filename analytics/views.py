from django.http import Http404
from django.shortcuts import render

from accounts import family as families
from accounts.access import parent_required, student_required
from analytics import charts, summaries


def progress_context(student) -> dict:
    """What a progress page shows about one student: the student's dashboard and a parent's child page."""
    today = summaries.today_for(student)
    activity = summaries.activity(student, today)
    started = summaries.started_chapters(student)  # one read of mastery and of the chapter list
    return {
        "student": student,
        "today": today,
        "streak": summaries.streak(student, today),
        "started": started["chapters"],
        "not_started_count": started["not_started"],
        "mastery_as_of": started["as_of"],
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


@parent_required
def family(request):
    cards = []
    for child in families.children_of(request.user.parent):
        today = summaries.today_for(child)
        cards.append({"child": child, "streak": summaries.streak(child, today), "week": summaries.week(child, today)})
    return render(request, "analytics/family.html", {"nav": "family", "cards": cards})


@parent_required
def family_child(request, student_id):
    child = families.child_of(request.user.parent, student_id)
    if child is None:
        raise Http404("No such child.")  # never confirm that another family's child exists
    context = progress_context(child)
    context["nav"] = "family"
    return render(request, "analytics/family_child.html", context)
