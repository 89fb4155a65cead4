from __future__ import annotations

from django.urls import path

from . import views
from .staff import checks

app_name = "web"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search_page, name="search"),
    path("plans/<int:plan_id>/years/<int:year>/", views.report, name="report"),
    path("plans/<int:plan_id>/years/<int:year>/report.<str:format>", views.download, name="download"),
    path("plans/<int:plan_id>/years/<int:year>/changes/", views.changes, name="changes"),
    path("plans/<int:plan_id>/years/<int:year>/editions/<int:number>/", views.edition, name="edition"),
    path(
        "plans/<int:plan_id>/years/<int:year>/editions/<int:number>/report.<str:format>",
        views.download,
        name="edition-download",
    ),
    # A staff page (drafts included) at the address of the year it reviews.
    path("plans/<int:plan_id>/years/<int:year>/checks/", checks.checks, name="checks"),
    path("plans/<int:plan_id>/measures/<int:measure_id>/", views.measure, name="measure"),
    path("plans/<int:plan_id>/departments/<int:department_id>/", views.department, name="department"),
]
