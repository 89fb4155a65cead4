from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shishin.plans.models import Measure, Plan


def index(request: HttpRequest) -> HttpResponse:
    """List every plan with its measures."""
    plans = Plan.objects.select_related("municipality").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.select_related("pillar", "area").order_by("position"))
    )
    return render(request, "web/index.html", {"plans": plans})
