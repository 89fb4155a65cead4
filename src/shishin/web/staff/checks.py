"""The review findings of a fiscal year, each linked to its place: for staff, drafts included."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from shishin.lib import wareki
from shishin.plans.models import FiscalYear, Plan
from shishin.plans.permissions import Right
from shishin.review.checks import SEVERITY_LABELS, Finding, run_checks

from . import staff_view


@staff_view(Right.READ_DRAFTS)
def checks(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """List the review findings of a fiscal year, each linked to its place."""
    plan = get_object_or_404(Plan, pk=plan_id)
    get_object_or_404(FiscalYear, plan=plan, year=year)
    findings = run_checks(plan, year)
    context = {
        "plan": plan,
        "label": wareki.fiscal_year_name(year),
        "counts": Counter(f.severity for f in findings),
        "findings": [_finding_row(plan, f) for f in findings],
    }
    return render(request, "web/checks.html", context)


def _finding_row(plan: Plan, finding: Finding) -> dict[str, Any]:
    url = ""
    if finding.place.measure_id is not None:
        url = reverse("web:measure", args=[plan.pk, finding.place.measure_id])
        if finding.place.item_id is not None:
            url += f"#item-{finding.place.item_id}"
    return {
        "severity": finding.severity,
        "severity_label": SEVERITY_LABELS[finding.severity],
        "year_label": wareki.fiscal_year_name(finding.place.fiscal_year),
        "place": finding.place,
        "message": finding.message,
        "code": finding.code,
        "url": url,
    }
