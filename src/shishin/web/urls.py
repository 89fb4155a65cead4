from __future__ import annotations

from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:plan_id>/measures/<int:measure_id>/", views.measure, name="measure"),
    path("plans/<int:plan_id>/years/<int:year>/checks/", views.checks, name="checks"),
]
