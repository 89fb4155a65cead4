"""A fiscal year's evaluation (進行管理の評価表) as one JSON-ready document.

Per measure, in the report's order: its indicators' baseline, target, actual value, achievement rate and
grade (computed here from the targets in force and the grade scale, never typed), the departments' own
assessments, and the council's assessment when it is approved; then the plan's outcomes by calendar year
and the last year's crimes by 町丁目. Publishing freezes the document in the year's edition
(`actions.editions`), and every format, page and dashboard of a published year is written from the
frozen document, so no later target, scale or assessment reaches it. docs/json-output.md describes it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from shishin.lib import grading, wareki
from shishin.lib.tables import json_number
from shishin.report import evaluation as report

from . import wording
from .actions import evaluation
from .models import CouncilAssessment, CrimeCount, FiscalYear, Measure, Outcome, Record, Target

FORMAT = "shishin-evaluation"
VERSION = 1


def _number(value: Decimal | None) -> int | float | None:
    return None if value is None else json_number(value)


def _scale(scale: grading.Scale) -> dict[str, Any]:
    return {
        "bands": [
            {
                "grade": band.grade,
                "at_least": _number(band.at_least),
                "improved": band.improved,
            }
            for band in scale.bands
        ],
        "no_target": scale.no_target,
        "no_value": scale.no_value,
    }


def _indicator(measure: Measure, history: list[Target], year: int, scale: grading.Scale) -> dict[str, Any]:
    """One indicator of the measure in ``year``: the target in force, the values up to the year, the grade."""
    target, original = history[-1], history[0]
    values = evaluation.actuals(measure, target.indicator)
    actual = values.get(year)
    graded = grading.grade(scale, target.direction, target.baseline_value, target.target_value, actual)
    previous = max((y for y in values if y < year), default=None)
    return {
        "name": target.indicator,
        "unit": target.unit,
        "kind": target.kind,
        "kind_label": target.get_kind_display(),
        "direction": target.direction,
        "direction_label": target.get_direction_display(),
        "baseline": {"fiscal_year": target.baseline_year, "value": _number(target.baseline_value)},
        "target": {"fiscal_year": target.target_year, "value": _number(target.target_value)},
        "original_target": (
            {"fiscal_year": original.target_year, "value": _number(original.target_value)}
            if original is not target
            else None
        ),
        "actual": _number(actual),
        "previous": ({"fiscal_year": previous, "value": _number(values[previous])} if previous is not None else None),
        "rate": _number(graded.rate),
        "grade": graded.grade,
        "series": [{"fiscal_year": y, "value": _number(v)} for y, v in sorted(values.items()) if y <= year],
    }


def _self_assessment(record: Record) -> dict[str, Any]:
    return {
        "department": record.department_name,
        "grade": record.self_grade,
        "issues": record.issues,
        "outlook": record.outlook,
        "outlook_label": record.get_outlook_display() if record.outlook else "",
    }


def _outcomes(fiscal_year: FiscalYear) -> list[dict[str, Any]]:
    """The plan's outcomes, each a series of calendar years up to the fiscal year's own."""
    series: dict[str, dict[str, Any]] = {}
    for outcome in Outcome.objects.filter(plan=fiscal_year.plan, year__lte=fiscal_year.year).order_by("name", "year"):
        found = series.setdefault(
            outcome.name,
            {"name": outcome.name, "unit": outcome.unit, "source": outcome.get_source_display(), "years": []},
        )
        found["years"].append({"calendar_year": outcome.year, "value": _number(outcome.value)})
    return list(series.values())


def _crimes_by_town(fiscal_year: FiscalYear) -> dict[str, Any] | None:
    """The last calendar year of police data up to the fiscal year's: incidents per 町丁目 and type."""
    counts = CrimeCount.objects.filter(plan=fiscal_year.plan, year__lte=fiscal_year.year)
    last = counts.order_by("-year").values_list("year", flat=True).first()
    if last is None:
        return None
    rows = counts.filter(year=last).values("town", "crime").annotate(total=Sum("count")).order_by("town", "crime")
    towns: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        towns[row["town"] or "（不明）"][row["crime"]] = row["total"]
    crimes = sorted({row["crime"] for row in rows})
    return {
        "calendar_year": last,
        "crimes": crimes,
        "towns": [
            {"town": town, "counts": [by_crime.get(crime, 0) for crime in crimes], "total": sum(by_crime.values())}
            for town, by_crime in sorted(towns.items(), key=lambda pair: (-sum(pair[1].values()), pair[0]))
        ],
    }


def _measures(fiscal_year: FiscalYear, scale: grading.Scale, only: int | None = None) -> list[dict[str, Any]]:
    """The year's measures (or measure ``only``) in the report's order, each with its evaluation."""
    records = Record.objects.filter(fiscal_year=fiscal_year)
    councils = CouncilAssessment.objects.filter(fiscal_year=fiscal_year, state=Record.State.APPROVED)
    targets = Target.objects.filter(measure__plan=fiscal_year.plan_id)
    if only is not None:
        records, councils, targets = (
            records.filter(measure=only),
            councils.filter(measure=only),
            targets.filter(measure=only),
        )
    by_measure: dict[int, list[Record]] = defaultdict(list)
    for record in records.select_related("department", "measure__pillar", "measure__area").order_by(
        "measure__position", "position"
    ):
        by_measure[record.measure_id].append(record)
    measures = wording.in_year([rows[0].measure for rows in by_measure.values()], fiscal_year)
    approved = {found.measure_id: found for found in councils}
    histories: dict[int, dict[str, list[Target]]] = defaultdict(lambda: defaultdict(list))
    for target in targets.order_by("indicator", "set_at", "pk"):
        histories[target.measure_id][target.indicator].append(target)
    shown = []
    for measure in measures:
        written = [r for r in by_measure[measure.pk] if r.department_id]
        council = approved.get(measure.pk)
        shown.append(
            {
                "id": measure.pk,
                "title": measure.title,
                "pillar": {"number": measure.pillar.number, "title": measure.pillar.title},
                "area": {"number": measure.area.number, "title": measure.area.title} if measure.area else None,
                "departments": [r.department_name for r in written],
                "indicators": [
                    _indicator(measure, history, fiscal_year.year, scale) for history in histories[measure.pk].values()
                ],
                "self_assessments": [_self_assessment(r) for r in written],
                "council": {"grade": council.grade, "opinion": council.opinion} if council else None,
            }
        )
    return shown


def measure_of(fiscal_year: FiscalYear, measure: Measure) -> dict[str, Any] | None:
    """One measure's evaluation in ``fiscal_year`` as `build` writes it (None: not a measure of the year),
    without evaluating the others."""
    found = _measures(fiscal_year, evaluation.scale_of(fiscal_year.plan), only=measure.pk)
    return found[0] if found else None


def build(fiscal_year: FiscalYear, *, edition: int | None = None) -> dict[str, Any]:
    """The evaluation of ``fiscal_year`` as the data stands now: as ``edition`` when publishing freezes
    it, else a draft."""
    plan = fiscal_year.plan
    year = fiscal_year.year
    scale = evaluation.scale_of(plan)
    shown = _measures(fiscal_year, scale)
    pillars: dict[int, dict[str, Any]] = {}
    for measure in shown:
        pillar = measure["pillar"]
        found = pillars.setdefault(pillar["number"], {**pillar, "grades": Counter()})
        found["grades"].update(indicator["grade"] for indicator in measure["indicators"])
    names = [band.grade for band in scale.bands] + [scale.no_value, scale.no_target]
    return {
        "format": FORMAT,
        "version": VERSION,
        "plan": {"id": plan.pk, "name": plan.name, "municipality": str(plan.municipality)},
        "fiscal_year": year,
        "fiscal_year_label": wareki.fiscal_year_name(year),
        "status": "published" if edition else "draft",
        "edition": edition,
        "scale": _scale(scale),
        "pillars": [
            {
                "number": found["number"],
                "title": found["title"],
                "grades": [{"grade": name, "count": found["grades"][name]} for name in dict.fromkeys(names)],
            }
            for found in sorted(pillars.values(), key=lambda found: found["number"])
        ],
        "measures": shown,
        "outcomes": _outcomes(fiscal_year),
        "crimes_by_town": _crimes_by_town(fiscal_year),
    }


def same(was: dict[str, Any] | None, now: dict[str, Any] | None) -> bool:
    """Whether two evaluations say the same, whichever editions they were frozen in."""

    def said(document: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if document is None else {k: v for k, v in document.items() if k != "edition"}

    return said(was) == said(now)


CORRECTED = "評価"


def corrections(was: dict[str, Any] | None, now: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The 正誤表 lines of what the evaluation says otherwise than the previous edition's, a measure a line
    (the plan's outcomes one line more)."""
    if same(was, now):
        return []
    before = {m["id"]: m for m in (was or {}).get("measures", [])}
    after = {m["id"]: m for m in (now or {}).get("measures", [])}
    year = (now or was or {}).get("fiscal_year")

    def line(measure: str, old: str, new: str) -> dict[str, Any]:
        return {"measure": measure, "field": CORRECTED, "before": old, "after": new, "department": "", "year": year}

    def said(measure: dict[str, Any] | None) -> str:
        return "\n".join(report.measure_lines(measure)) if measure else ""

    texts = {
        key: (said(before.get(key)), said(after.get(key))) for key in [*after, *(k for k in before if k not in after)]
    }
    found = [line((after.get(key) or before[key])["title"], *pair) for key, pair in texts.items() if pair[0] != pair[1]]
    outcomes = ["\n".join(report.outcome_lines(document["outcomes"])) if document else "" for document in (was, now)]
    if outcomes[0] != outcomes[1]:
        found.append(line("成果指標", *outcomes))
    return found
