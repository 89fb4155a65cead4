"""Outcomes (the city's crime figures, per calendar year): entered by hand or counted from the police's
open data, and the counts by month, hour and 町丁目."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shishin.lib import police_csv
from shishin.plans import actions
from shishin.plans.models import CrimeCount, Outcome, Plan
from shishin.plans.permissions import Right

from . import account, refuse, staff_view, step


@staff_view(Right.ADMINISTER)
def outcomes(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("municipality"), pk=plan_id)
    figures = list(Outcome.objects.filter(plan=plan))
    years = sorted({f.year for f in figures})
    by_name: dict[str, dict[int, Outcome]] = defaultdict(dict)
    for figure in figures:
        by_name[figure.name][figure.year] = figure
    table = [(name, [by_name[name].get(year) for year in years]) for name in sorted(by_name)]
    counted = []
    for crime, year in (
        CrimeCount.objects.filter(plan=plan).values_list("crime", "year").distinct().order_by("crime", "-year")
    ):
        rows = CrimeCount.objects.filter(plan=plan, crime=crime, year=year)
        months = dict(rows.values_list("month").annotate(n=Sum("count")).values_list("month", "n"))
        hours = dict(rows.values_list("hour").annotate(n=Sum("count")).values_list("hour", "n"))
        towns = rows.values("town").annotate(n=Sum("count")).order_by("-n", "town")
        counted.append(
            {
                "crime": crime,
                "year": year,
                "months": [months.get(m, 0) for m in range(1, 13)] + [months.get(None, 0)],
                "hours": [hours.get(h, 0) for h in range(24)] + [hours.get(None, 0)],
                "towns": [(t["town"] or "（町丁目不明）", t["n"]) for t in towns],
            }
        )
    context = {"plan": plan, "years": years, "table": table, "counted": counted, "hours": list(range(24))}
    return render(request, "staff/outcomes.html", context)


@staff_view(Right.ADMINISTER, post=True)
def set_outcome(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_id)
    back = redirect("staff:outcomes", plan_id)
    try:
        year = int(request.POST.get("year", ""))
        value = Decimal(request.POST.get("value", "").replace(",", ""))
    except (ValueError, InvalidOperation):
        return refuse(request, back, "年は西暦の数字で、値は数で書いてください")

    def run() -> str:
        saved = actions.do_set_outcome(
            plan, request.POST.get("name", ""), request.POST.get("unit", ""), year, value, by=account(request)
        )
        return f"{saved.name}（{saved.year}年）を {saved.shown} としました"

    return step(request, back, run)


@staff_view(Right.ADMINISTER, post=True)
def import_police_csv(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_id)
    back = redirect("staff:outcomes", plan_id)
    upload = request.FILES.get("csv")
    if upload is None:
        return refuse(request, back, "警察のオープンデータの CSV ファイルを選んでください")
    if (upload.size or 0) > police_csv.MAX_BYTES:
        return refuse(request, back, f"ファイルが大きすぎます（{police_csv.MAX_BYTES // 2**20} MB まで）")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return refuse(request, back, "CSV の年（暦年）を西暦の数字で書いてください")

    def run() -> str:
        counted = actions.do_import_police_csv(plan, upload.read(), upload.name or "CSV", year, by=account(request))
        crimes = sorted({key.crime for key in counted.counts})
        total = sum(counted.counts.values())
        return (
            f"{year}年の {'・'.join(crimes)} を {total:,} 件数えました"
            f"（ほかの市区町村の {counted.other_places:,} 行は除きました）"
        )

    return step(request, back, run)
