from django.shortcuts import render
from django.urls import path


def bare(request):
    return render(request, "bare.html", {"name": "benchmark"})


urlpatterns = [path("", bare)]
