from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def bare(request):
    """A small template and no database: the yardstick `make bench` compares every page with."""
    return render(request, "bench/bare.html", {"name": "benchmark"})


@login_required
def floor(request):
    """The floor: the same small template for a signed-in account, through the project's whole stack (session,
    account and profile, second-factor check, private-page headers). What every signed-in page costs at least."""
    return render(request, "bench/bare.html", {"name": request.user.role})
