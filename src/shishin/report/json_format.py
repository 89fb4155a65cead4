"""The whole report as JSON, described by ``schemas/report.schema.json``."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from shishin.lib import wareki

from . import reading
from .records import Document, Issuer, Measure, Pillar, Record

__all__ = ["render"]

SCHEMA = "https://github.com/shishin/shishin/schemas/report.schema.json"


def _record(
    record: Record, year: int, measure: Measure, units: dict[str, str] | None, issuer: Issuer
) -> dict[str, Any]:
    fixes = reading.fixes_of(issuer.indicator_fixes, year, measure.title, record.department)
    found = reading.read_record((item.text for item in record.items), year, units, fixes)
    return {
        "fiscal_year": year,
        "department": record.department,
        "items": [
            {
                "bullet": item.bullet,
                "text": item.text,
                # As the staff corrected them: a number they said is not an indicator is left out.
                "indicators": [read.quantity.as_json() for read in reads if not read.hidden],
                "dates": [d.as_json() for d in extraction.dates],
            }
            for item, (extraction, reads) in zip(record.items, found, strict=True)
        ],
    }


def _measure(measure: Measure, years: tuple[int, ...], units: dict[str, str] | None, issuer: Issuer) -> dict[str, Any]:
    return {
        "title": measure.title,
        "description": measure.description,
        "whole_government": measure.whole_government,
        "departments": [{"name": d.name, "sub_unit": d.sub_unit} for d in measure.departments],
        "records": [
            _record(record, year, measure, units, issuer) for year in years for record in measure.records.get(year, ())
        ],
    }


def _pillar(pillar: Pillar, years: tuple[int, ...], units: dict[str, str] | None, issuer: Issuer) -> dict[str, Any]:
    return {
        "number": pillar.number,
        "title": pillar.title,
        "purpose": pillar.purpose,
        "measures": [_measure(m, years, units, issuer) for m in pillar.measures],
        "areas": [
            {"number": a.number, "title": a.title, "measures": [_measure(m, years, units, issuer) for m in a.measures]}
            for a in pillar.areas
        ],
    }


def render(document: Document, issuer: Issuer, units: dict[str, str] | None = None) -> str:
    first, last = wareki.fiscal_year_bounds(document.fiscal_year)
    data = {
        "$schema": SCHEMA,
        "municipality": {"code": issuer.code or None, "prefecture": issuer.prefecture, "name": issuer.municipality},
        "plan": issuer.plan,
        "title": document.title,
        "fiscal_year": document.fiscal_year,
        "fiscal_year_label": wareki.fiscal_year_label(document.fiscal_year),
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "years": [{"year": y, "label": wareki.fiscal_year_label(y)} for y in document.years],
        "pillars": [_pillar(p, document.years, units, issuer) for p in document.pillars],
    }
    if issuer.edition:  # a published edition: its label and what it corrects
        data["edition"] = issuer.edition
        data["corrections"] = [dataclasses.asdict(c) for c in issuer.corrections]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
