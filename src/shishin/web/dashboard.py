"""The plan's public front page (dashboard): its latest published evaluation in charts and tables, for
the council and citizens.

Everything on it is read from the evaluation frozen in the newest published edition that has one, never
from the data as it stands: what is not published is not public, and what is published never changes
(a target revised or an assessment written since reaches the page when a new edition freezes it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from shishin.lib import wareki
from shishin.plans import editions
from shishin.plans.models import Edition, FiscalYear, Plan
from shishin.report import evaluation as evaluation_formats
from shishin.report.evaluation import number
from shishin.review.compare import IndicatorChange

from . import charts

Document = dict[str, Any]


def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's newest published evaluation: grades per pillar, each indicator against its target, the
    outcomes by calendar year, crimes by 町丁目 and what changed since the year before."""
    found = get_object_or_404(Plan.objects.public().select_related("municipality"), pk=plan_id)
    years = list(FiscalYear.objects.filter(plan=found, editions__isnull=False).distinct().order_by("-year"))
    context: dict[str, Any] = {"plan": found, "years": years}
    evaluated = _newest_evaluation(found, years)
    if evaluated is not None:
        edition, document = evaluated
        before = editions.current(found.pk, document["fiscal_year"] - 1)
        previous = editions.evaluation_of(before) if before is not None else None
        context |= _shown(edition, document, previous)
    return render(request, "web/dashboard.html", context)


def _newest_evaluation(plan: Plan, years: list[FiscalYear]) -> tuple[Edition, Document] | None:
    """The newest year's current edition that froze an evaluation (an imported report has none)."""
    for fiscal_year in years:
        edition = editions.current(plan.pk, fiscal_year.year)
        document = editions.evaluation_of(edition) if edition is not None else None
        if edition is not None and document is not None:
            return edition, document
    return None


def _shown(edition: Edition, document: Document, previous: Document | None) -> dict[str, Any]:
    indicators = [(m, i) for m in document["measures"] for i in m["indicators"]]
    return {
        "edition": edition,
        "document": document,
        "year": document["fiscal_year"],
        "scale": evaluation_formats.scale_text(document),
        "grades": _grades(document),
        "trends": [_trend(number, m, i) for number, (m, i) in enumerate(indicators, start=1)],
        "outcomes": _outcomes(document["outcomes"]),
        "towns": document["crimes_by_town"],
        "changes": _changes(indicators, previous),
        "previous": previous,
    }


def _grades(document: Document) -> dict[str, Any] | None:
    """The count of each grade per pillar (基本方針), a table and one chart."""
    pillars = document["pillars"]
    if not pillars:
        return None
    names = [grade["grade"] for grade in pillars[0]["grades"]]
    rows = [
        {"pillar": p, "counts": [g["count"] for g in p["grades"]], "total": sum(g["count"] for g in p["grades"])}
        for p in pillars
    ]
    # The scale's bands, then 未把握 and －: the two counted without a grade are drawn in grey.
    muted = len(names) - len(document["scale"]["bands"])
    chart = charts.stacked_bar_chart(
        "grades",
        f"基本方針ごとの評価の分布（{document['fiscal_year_label']}）",
        names,
        [(f"基本方針{row['pillar']['number']}", row["counts"]) for row in rows],
        muted=muted,
    )
    return {
        "names": names,
        "rows": rows,
        "totals": [sum(row["counts"][n] for row in rows) for n in range(len(names))],
        "total": sum(row["total"] for row in rows),
        "svg": mark_safe(chart),  # escapes its text
    }


def _decimal(value: int | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _trend(count: int, measure: Document, indicator: Document) -> dict[str, Any]:
    """An indicator's values year by year against its target: a chart over every year from the first
    value to the target's, and a table of the years that have a value or the target."""
    unit = indicator["unit"]
    values = {point["fiscal_year"]: point["value"] for point in indicator["series"]}
    target = indicator["target"]
    first = min([*values, target["fiscal_year"]])
    last = max([*values, target["fiscal_year"]])
    svg = charts.trend_chart(
        f"trend-{count}",
        indicator["name"],
        unit,
        [(wareki.fiscal_year_name(year), _decimal(values.get(year))) for year in range(first, last + 1)],
        (wareki.fiscal_year_name(target["fiscal_year"]), Decimal(str(target["value"]))),
    )
    rows = [
        {
            "label": wareki.fiscal_year_name(year),
            "actual": number(values.get(year), unit) if year in values else "",
            "target": number(target["value"], unit) if year == target["fiscal_year"] else "",
            "baseline": year == indicator["baseline"]["fiscal_year"],
        }
        for year in range(first, last + 1)
        if year in values or year == target["fiscal_year"]
    ]
    baseline = indicator["baseline"]
    return {
        "id": f"trend-{count}",
        "measure": measure,
        "indicator": indicator,
        "svg": mark_safe(svg),  # escapes its text
        "rows": rows,
        "baseline": evaluation_formats.in_year(baseline, unit),
        "target": evaluation_formats.target_text(indicator),
        "actual": number(indicator["actual"], unit),
        "rate": evaluation_formats.rate(indicator["rate"]),
    }


def _outcomes(outcomes: list[Document]) -> dict[str, Any] | None:
    """The outcomes by calendar year: one table (a row a year, a column an outcome) and a chart each."""
    if not outcomes:
        return None
    years = sorted({y["calendar_year"] for o in outcomes for y in o["years"]})
    by_year = [{y["calendar_year"]: y["value"] for y in o["years"]} for o in outcomes]
    return {
        "outcomes": outcomes,
        "rows": [
            (
                year,
                [
                    number(found[year], o["unit"]) if year in found else ""
                    for o, found in zip(outcomes, by_year, strict=True)
                ],
            )
            for year in years
        ],
        "charts": [
            (
                o,
                mark_safe(  # escapes its text
                    charts.bar_chart(
                        f"outcome-{n}",
                        f"{o['name']}（暦年）",
                        o["unit"],
                        [(f"{y['calendar_year']}年", Decimal(str(y["value"]))) for y in o["years"]],
                    )
                ),
            )
            for n, o in enumerate(outcomes, start=1)
        ],
    }


def _changes(indicators: list[tuple[Document, Document]], previous: Document | None) -> list[dict[str, Any]]:
    """Each indicator's value against its previous one, and its grade against the previous year's frozen
    evaluation when that year has one."""
    graded = {(m["id"], i["name"]): i["grade"] for m in (previous or {}).get("measures", []) for i in m["indicators"]}
    found = []
    for measure, indicator in indicators:
        before = indicator["previous"]
        change = IndicatorChange(
            indicator["name"],
            indicator["unit"],
            _decimal(before["value"]) if before else None,
            _decimal(indicator["actual"]),
        )
        found.append(
            {
                "measure": measure,
                "indicator": indicator,
                "before": (
                    f"{number(before['value'], indicator['unit'])}（{wareki.fiscal_year_label(before['fiscal_year'])}）"
                    if before
                    else number(None)
                ),
                "after": number(indicator["actual"], indicator["unit"]),
                "change": change.said or number(None),
                "grade_before": graded.get((measure["id"], indicator["name"])),
            }
        )
    return found
