from django.urls import path

from bench import views

urlpatterns = [path("bench/bare/", views.bare), path("bench/floor/", views.floor)]
