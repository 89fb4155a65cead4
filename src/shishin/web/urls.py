from __future__ import annotations

from django.urls import path

from . import dashboard, views
from .staff import checks

app_name = "web"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search_page, name="search"),
    path("plans/<id:plan_id>/", dashboard.plan, name="plan"),
    path("plans/<id:plan_id>/years/<id:year>/", views.report, name="report"),
    path("plans/<id:plan_id>/years/<id:year>/report.<str:format>", views.download, name="download"),
    path("plans/<id:plan_id>/years/<id:year>/changes/", views.changes, name="changes"),
    path("plans/<id:plan_id>/years/<id:year>/evaluation/", views.evaluation, name="evaluation"),
    path(
        "plans/<id:plan_id>/years/<id:year>/evaluation.<str:format>",
        views.evaluation_download,
        name="evaluation-download",
    ),
    path(
        "plans/<id:plan_id>/years/<id:year>/editions/<id:number>/evaluation/",
        views.evaluation,
        name="edition-evaluation",
    ),
    path(
        "plans/<id:plan_id>/years/<id:year>/editions/<id:number>/evaluation.<str:format>",
        views.evaluation_download,
        name="edition-evaluation-download",
    ),
    path("plans/<id:plan_id>/years/<id:year>/editions/<id:number>/", views.edition, name="edition"),
    path(
        "plans/<id:plan_id>/years/<id:year>/editions/<id:number>/report.<str:format>",
        views.download,
        name="edition-download",
    ),
    # A staff page (drafts included) at the address of the year it reviews.
    path("plans/<id:plan_id>/years/<id:year>/checks/", checks.checks, name="checks"),
    path("plans/<id:plan_id>/measures/<id:measure_id>/", views.measure, name="measure"),
    path("plans/<id:plan_id>/departments/<id:department_id>/", views.department, name="department"),
]
