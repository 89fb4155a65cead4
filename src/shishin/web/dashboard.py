"""The plan's public front page (dashboard): being written."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    return redirect("web:index")
