from __future__ import annotations

from django.urls import path

from . import staff

app_name = "staff"
urlpatterns = [
    path("", staff.home, name="home"),
    path("plans/<int:plan_id>/open/", staff.open_year, name="open_year"),
    path("plans/<int:plan_id>/years/<int:year>/", staff.board, name="board"),
    path("plans/<int:plan_id>/years/<int:year>/action/", staff.year_action, name="year_action"),
    path("plans/<int:plan_id>/years/<int:year>/structure/", staff.structure, name="structure"),
    path("records/<int:record_id>/", staff.record, name="record"),
]
