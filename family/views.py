from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import family as families
from accounts.access import parent_required
from analytics import summaries
from family.forms import FamilyCodeForm


@parent_required
def family(request):
    cards = []
    for child in families.children_of(request.user.parent):
        today = summaries.today_for(child)
        cards.append({"child": child, "streak": summaries.streak(child, today), "week": summaries.week(child, today)})
    return render(request, "family/family.html", {"nav": "family", "cards": cards})


@parent_required
@require_http_methods(["GET", "POST"])
def link_child(request):
    form = FamilyCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            child = families.link_with_code(parent=request.user.parent, typed=form.cleaned_data["code"])
        except families.TooManyWrongCodes:
            form.add_error("code", "Too many wrong codes. Please try again later (in an hour).")
            status = 429
        except families.WrongCode:
            form.add_error("code", "That code doesn't match any child. Check it on your child's Profile page.")
            status = 400
        else:
            messages.success(request, f"You are linked to {child.name}.")
            return redirect("family_child", student_id=child.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "family/link_child.html", {"nav": "family", "form": form}, status=status)


@parent_required
def child(request, student_id):
    student = families.child_of(request.user.parent, student_id)
    if student is None:
        raise Http404("No such child.")  # never confirm that another family's child exists
    context = summaries.progress_page(student)
    context["nav"] = "family"
    return render(request, "family/child.html", context)
