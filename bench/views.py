from django.shortcuts import render


def bare(request):
    """A small template and no database: the yardstick `make bench` compares every page with."""
    return render(request, "bench/bare.html", {"name": "benchmark"})
