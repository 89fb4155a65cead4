"""The report as flat rows, for the machine-readable formats (CSV and the xlsx data sheets).

Columns follow 総務省「統計表における機械判読可能なデータの表記方法の統一ルール」: one
header row, one value per cell, numbers as numbers, 西暦 ISO dates, and the
全国地方公共団体コード in every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from shishin.lib import wareki
from shishin.lib.tables import json_number

from . import reading
from .records import Document, Issuer, Item, Measure, Pillar

ITEM_COLUMNS = (
    "全国地方公共団体コード",
    "都道府県名",
    "地方公共団体名",
    "指針",
    "年度（西暦）",
    "年度（和暦）",
    "年度開始日",
    "年度終了日",
    "基本方針番号",
    "基本方針",
    "施策の方向番号",
    "施策の方向",
    "施策番号",
    "施策",
    "担当課",
    "項目番号",
    "箇条書き（1:あり 0:なし）",
    "取組み",
)
INDICATOR_COLUMNS = (
    *ITEM_COLUMNS[:8],
    "施策番号",
    "施策",
    "担当課",
    "項目番号",
    "指標",
    "値",
    "単位",
    "修飾",
    "概数（1:概数 0:実数）",
)

Row = tuple[object, ...]


def _placed(document: Document) -> Iterator[tuple[int, Pillar, int | None, str, Measure]]:
    number = 0
    for pillar in document.pillars:
        placed = [(None, "", m) for m in pillar.measures] + [
            (a.number, a.title, m) for a in pillar.areas for m in a.measures
        ]
        for area_number, area_title, measure in placed:
            number += 1
            yield number, pillar, area_number, area_title, measure


@dataclass(frozen=True)
class _Line:
    year: int
    number: int  # the measure's number in report order
    pillar: Pillar
    area: tuple[int | None, str]
    measure: Measure
    department: str
    position: int  # the item's number in its record, from 1
    item: Item

    def year_columns(self) -> Row:
        return _year_columns(self.year)


def _year_columns(year: int) -> Row:
    first, last = wareki.fiscal_year_bounds(year)
    return (year, wareki.fiscal_year_label(year), first, last)


def _lines(document: Document) -> Iterator[_Line]:
    for year in document.years:
        for number, pillar, area_number, area_title, measure in _placed(document):
            for record in measure.records.get(year, ()):
                for position, item in enumerate(record.items, start=1):
                    yield _Line(
                        year, number, pillar, (area_number, area_title), measure, record.department, position, item
                    )


def _issuer_columns(issuer: Issuer) -> Row:
    return (issuer.code, issuer.prefecture, issuer.municipality, issuer.plan)


def item_rows(document: Document, issuer: Issuer) -> list[Row]:
    """One row per item of every fiscal year the report shows."""
    return [
        (
            *_issuer_columns(issuer),
            *line.year_columns(),
            line.pillar.number,
            line.pillar.title,
            *line.area,
            line.number,
            line.measure.title,
            line.department,
            line.position,
            line.item.bullet,
            line.item.text,
        )
        for line in _lines(document)
    ]


def indicator_rows(document: Document, issuer: Issuer, units: dict[str, str] | None = None) -> list[Row]:
    """One row per quantity read from an item, as the staff corrected them: a number they said is not an
    indicator is left out, a label they corrected is written so."""
    rows: list[Row] = []
    for year in document.years:
        for number, _pillar, _number, _title, measure in _placed(document):
            for record in measure.records.get(year, ()):
                fixes = reading.fixes_of(issuer.indicator_fixes, year, measure.title, record.department)
                texts = (item.text for item in record.items)
                for position, (_, found) in enumerate(reading.read_record(texts, year, units, fixes), start=1):
                    rows += [
                        (
                            *_issuer_columns(issuer),
                            *_year_columns(year),
                            number,
                            measure.title,
                            record.department,
                            position,
                            read.quantity.label,
                            read.quantity.value,
                            read.quantity.unit,
                            read.quantity.qualifier,
                            read.quantity.approximate,
                        )
                        for read in found
                        if not read.hidden
                    ]
    return rows


def plain_value(value: object) -> str | int | float:
    """Turn a row value into what a spreadsheet cell or CSV field holds: ISO dates, 1/0, plain numbers."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return json_number(value)
    if value is None:
        return ""
    return value if isinstance(value, str | int | float) else str(value)
