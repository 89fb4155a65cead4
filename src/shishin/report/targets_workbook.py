"""The targets workbook: every measure's indicators with their targets in force, to fill in and upload.

Sheets: 記入方法 (how to fill it in) and 目標 (one row per measure and indicator). The upload is read with
the bounded reader all workbooks share (`shishin.report.workbooks`); a cell that cannot be read is named
(目標!G4) and nothing is written.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter

from . import workbooks
from .records import FormatError
from .workbooks import open_read_only

SHEET = "目標"
GUIDE_SHEET = "記入方法"
COLUMNS = ("施策", "指標", "単位", "種類", "方向", "基準年度", "基準値", "目標年度", "目標値", "見直しの理由")
KINDS = {"活動指標": "output", "成果指標": "outcome"}
DIRECTIONS = {"増やす": "increase", "減らす": "decrease", "維持": "maintain"}
GUIDE = (
    "指標の目標の一括設定",
    "",
    "「目標」シートには、施策ごとに取組みから読み取った指標が1行ずつ並び、設定済みの目標が入っています。",
    "目標を設定・見直す行に、種類（活動指標・成果指標）、方向（増やす・減らす・維持）、基準年度と基準値、"
    "目標年度と目標値を書いてください。年度は西暦（2019 など）で書きます。",
    "設定済みの目標を変える行には「見直しの理由」を書いてください。元の目標は残り、見直した目標と並べて表示されます。",
    "施策・指標・単位の列は変えないでください（照合に使います）。目標を書かない行は空欄のままで構いません。",
    "読み取れないセルがあると、そのセル（例: 目標!G4）を示して、どの行も保存しません。",
)
_YEAR_RE = re.compile(r"(\d{4})(?:年度?)?")


@dataclass(frozen=True)
class TargetRow:
    """One row of the 目標 sheet as written (``row`` is its number on the sheet)."""

    row: int
    measure: str
    indicator: str
    unit: str
    kind: str = ""
    direction: str = ""
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    target_year: int | None = None
    target_value: Decimal | None = None
    reason: str = ""

    @property
    def blank(self) -> bool:
        """Nothing is set on the row: it is left as it is."""
        return not (self.kind or self.direction) and self.baseline_value is None and self.target_value is None


def render(rows: list[TargetRow]) -> bytes:
    """The workbook of ``rows`` (each measure's indicators, with the targets in force filled in)."""
    workbook = workbooks.with_guide(GUIDE_SHEET, GUIDE)
    sheet = workbook.create_sheet(SHEET)
    workbooks.header(sheet, COLUMNS, (36, 30, 8, 10, 8, 10, 12, 10, 12, 30), freeze="C2")
    kinds = {value: label for label, value in KINDS.items()}
    directions = {value: label for label, value in DIRECTIONS.items()}
    for row in rows:
        sheet.append(
            [
                workbooks.as_text(row.measure),
                workbooks.as_text(row.indicator),
                workbooks.as_text(row.unit),
                kinds.get(row.kind, ""),
                directions.get(row.direction, ""),
                row.baseline_year or "",
                _number(row.baseline_value),
                row.target_year or "",
                _number(row.target_value),
                "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _number(value: Decimal | None) -> object:
    if value is None:
        return ""
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def parse(data: bytes, source: str = "<入力>") -> list[TargetRow]:
    """Read the 目標 sheet; raise `FormatError` naming the sheet and cell of what cannot be read."""
    rows = workbooks.named_sheet_rows(open_read_only(data, source).wb, SHEET, source, departments_column=0)
    if not rows or [c.strip() for c in rows[0][1][:3]] != list(COLUMNS[:3]):
        raise FormatError(
            source, 1, 1, f"1行目は見出し（{'・'.join(COLUMNS)}）のままにしてください", cell=f"{SHEET}!A1"
        )
    read = []
    for number, cells in rows[1:]:
        # A text cell starting with = was written with a quote before it (`workbooks.as_text`): as written.
        cells = [workbooks.from_text(c.strip()) for c in cells]
        cells = (cells + [""] * len(COLUMNS))[: len(COLUMNS)]
        if any(cells):
            read.append(_row(number, cells, source))
    return read


def _error(source: str, row: int, column: int, message: str) -> FormatError:
    return FormatError(
        source, 1, 1, f"{COLUMNS[column]}: {message}", cell=f"{SHEET}!{get_column_letter(column + 1)}{row}"
    )


def _row(number: int, cells: list[str], source: str) -> TargetRow:
    measure, indicator, unit, kind, direction, b_year, b_value, t_year, t_value, reason = cells
    for column in (0, 1, 2):
        if not cells[column]:
            raise _error(source, number, column, "空欄です（施策・指標・単位の列はダウンロードしたままにしてください）")
    if kind and kind not in KINDS:
        raise _error(source, number, 3, f"「{kind}」は {'・'.join(KINDS)} のいずれかで書いてください")
    if direction and direction not in DIRECTIONS:
        raise _error(source, number, 4, f"「{direction}」は {'・'.join(DIRECTIONS)} のいずれかで書いてください")
    return TargetRow(
        row=number,
        measure=measure,
        indicator=indicator,
        unit=unit,
        kind=KINDS.get(kind, ""),
        direction=DIRECTIONS.get(direction, ""),
        baseline_year=_year(source, number, 5, b_year),
        baseline_value=_amount(source, number, 6, b_value),
        target_year=_year(source, number, 7, t_year),
        target_value=_amount(source, number, 8, t_value),
        reason=reason,
    )


def _year(source: str, row: int, column: int, text: str) -> int | None:
    if not text:
        return None
    found = _YEAR_RE.fullmatch(unicodedata.normalize("NFKC", text))
    if found is None:
        raise _error(source, row, column, f"「{text}」は年度ではありません（西暦で 2019 のように書いてください）")
    return int(found[1])


def _amount(source: str, row: int, column: int, text: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(unicodedata.normalize("NFKC", text).replace(",", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _error(source, row, column, f"「{text}」は数ではありません")
    return value
