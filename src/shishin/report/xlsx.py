"""The report as an Excel workbook, both ways.

Sheet 報告書 is the published table laid out for printing (A4 landscape, the header
row repeated on every page, the original page breaks); データ and 指標 are the
machine-readable tables. A hidden sheet keeps the layout the table text needs to be
written back unchanged.

Every text cell is written as text, never as a formula, whatever it starts with
(an item may begin with = or -), so the workbook reads back as it was written.

`parse` reads the 報告書 sheet as staff leave it after editing in Excel: merged
cells, line breaks inside cells and extra blank rows are all fine; a formula is
refused. It turns the sheet into table text and reads that with `table_text.parse`,
so both formats obey the same rules; errors name the sheet and cell.

A workbook is a zip archive whose parts may unpack to far more than the file, and
a sheet may claim or hold any number of rows: before anything is parsed, the sizes
the archive declares are checked (zipfile stops reading a part at its declared
size), the sheet is streamed and its rows counted, and a workbook past the limits
below is refused.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from shishin.lib import wareki

from . import table_text
from ._rows import INDICATOR_COLUMNS, ITEM_COLUMNS, indicator_rows, item_rows, plain_value
from .records import Document, FormatError, Issuer
from .workbooks import (
    LINE_POINTS,
    MAX_CELLS,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_WORKBOOK_BYTES,
    fit_a4_landscape,
    line_count,
    open_read_only,
    read_rows,
    unreadable,
)

# The limits are `workbooks`'; named here too, as the report's workbook is the one they were measured on.
__all__ = [
    "MAX_CELLS",
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "MAX_WORKBOOK_BYTES",
    "parse",
    "render",
]

REPORT_SHEET = "報告書"
# A corrected edition's 正誤表, after the data sheets (read back by nobody: the report is on 報告書).
CORRECTIONS_SHEET = "正誤表"
CORRECTION_COLUMNS = ("施策", "項目", "担当課", "年度", "訂正前", "訂正後")
DATA_SHEET = "データ"
INDICATOR_SHEET = "指標"
LAYOUT_SHEET = "書式情報"
_LAYOUT_KEY = "shishin-layout"
_HEADER_ROW = 4
_WIDTHS = (26, 16, 40, 52, 52)  # in characters of the default font; Japanese takes about two
_THIN = Side(style="thin", color="767676")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_SECTION_FILL = PatternFill("solid", fgColor="E6E6E6")
_HEADER_FILL = PatternFill("solid", fgColor="D9E0FF")
_YEAR_HEADING_RE = re.compile(r"\S{2,12}年度の\S{1,12}")
# The subtitle `_period` writes (令和元年度（2019年度）・令和元年4月1日～令和2年3月31日), and as workbooks
# written before 2026-12 have it (令和元年度（2019年4月1日～2020年3月31日）): not a title.
_SUBTITLE_RE = re.compile(
    r".+年度（\d{4}年度）・.+年\d{1,2}月\d{1,2}日～.+年\d{1,2}月\d{1,2}日"
    r"|.+年度（\d{4}年\d{1,2}月\d{1,2}日～\d{4}年\d{1,2}月\d{1,2}日）"
)

_MAX_LAYOUT_LINES = 1_000  # blank lines around the title or at the end, as the layout sheet says


def _period(year: int) -> str:
    first, last = wareki.fiscal_year_bounds(year)
    return f"{wareki.fiscal_year_name(year)}・{wareki.format_date(first)}～{wareki.format_date(last)}"


def render(document: Document, issuer: Issuer, units: dict[str, str] | None = None) -> bytes:
    """Write ``document`` as an .xlsx workbook."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = REPORT_SHEET
    _write_report_sheet(sheet, document)
    _write_data_sheet(workbook.create_sheet(DATA_SHEET), ITEM_COLUMNS, item_rows(document, issuer))
    _write_data_sheet(
        workbook.create_sheet(INDICATOR_SHEET), INDICATOR_COLUMNS, indicator_rows(document, issuer, units)
    )
    if issuer.corrections:
        _write_data_sheet(
            workbook.create_sheet(CORRECTIONS_SHEET),
            CORRECTION_COLUMNS,
            [
                (
                    c.measure,
                    c.field,
                    c.department,
                    wareki.fiscal_year_label(c.year) if c.year else "",
                    c.before,
                    c.after,
                )
                for c in issuer.corrections
            ],
        )
    layout = workbook.create_sheet(LAYOUT_SHEET)
    layout.sheet_state = "hidden"
    _append(layout, [_LAYOUT_KEY, json.dumps(_layout(document), ensure_ascii=False)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _append(sheet: Worksheet, values: Sequence[str | float]) -> None:
    """Add a row, its text as text: openpyxl makes a formula of text starting with =, and an item
    such as =HYPERLINK(…) would then be run by the spreadsheet and no longer read back."""
    cells = [WriteOnlyCell(sheet, value) for value in values]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    sheet.append(cells)


def _layout(document: Document) -> dict[str, Any]:
    return {
        "title_mark": document.title_mark,
        "blank_lines_before_title": document.blank_lines_before_title,
        "blank_lines_after_title": document.blank_lines_after_title,
        "trailing_newlines": document.trailing_newlines,
        "pages": [[page.first_row, page.label] for page in document.pages],
    }


def _cell_text(text: str) -> str:
    # One item or department block a line: the same text with spaces, as read back.
    return re.sub(r" (?=・|【)", "\n", text)


def _write_report_sheet(sheet: Worksheet, document: Document) -> None:
    width = len(document.headings) + len(document.years)
    _append(sheet, [document.title_mark + document.title])
    _append(sheet, [_period(document.fiscal_year)])
    sheet.append([])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    label = document.pages[0].label
    _append(sheet, [*document.headings, *(f"{y}の{label}" for y in document.year_labels)])
    for cell in sheet[_HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = list(_WIDTHS[:3] + _WIDTHS[3:4] * len(document.years))
    lines = table_text.render(document).split("\n")
    body = [line for line in lines if "\t" in line and not line.startswith(document.headings[0] + "\t")]
    starts = {page.first_row for page in document.pages[1:]}
    for number, line in enumerate(body):
        cells = line.split("\t")
        row = _HEADER_ROW + 1 + number
        if number in starts:
            sheet.row_breaks.append(Break(id=row - 1))
        if not any(cells[1:]):
            _append(sheet, [cells[0]])
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            sheet.cell(row, 1).font = Font(bold=True)
            for column in range(1, width + 1):
                sheet.cell(row, column).fill = _SECTION_FILL
                sheet.cell(row, column).border = _BORDER
            continue
        values = [cells[0], cells[1], cells[2], *(_cell_text(c) for c in cells[3:])]
        _append(sheet, values)
        for cell in sheet[row]:
            cell.alignment = _WRAP
            cell.border = _BORDER
        # Spreadsheets do not all fit a row to wrapped text on their own: give the height it needs.
        needed = max(line_count(value, width) for value, width in zip(values, widths, strict=True))
        sheet.row_dimensions[row].height = needed * LINE_POINTS + 4
    for column, chars in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = chars
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    fit_a4_landscape(sheet)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    footer = sheet.oddFooter
    assert footer is not None and footer.center is not None
    footer.center.text = "&P / &N"  # page number / pages
    sheet.freeze_panes = f"A{_HEADER_ROW + 1}"


def _write_data_sheet(sheet: Worksheet, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    _append(sheet, list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(sheet, [plain_value(value) for value in row])
    for column, title in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(12, len(title) * 2 + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


@dataclass
class _Line:
    """A line of the table text made from the sheet, and the cells it came from."""

    text: str
    row: int
    columns: list[tuple[int, int]] = field(default_factory=list)  # (offset in the line, sheet column)


def parse(data: bytes, source: str = "<入力>") -> Document:
    """Read the 報告書 sheet of a workbook; raise `FormatError` naming the sheet and cell."""
    reader = open_read_only(data, source)
    try:
        workbook = reader.wb
        sheet = workbook[REPORT_SHEET] if REPORT_SHEET in workbook.sheetnames else workbook.worksheets[0]
        assert isinstance(sheet, ReadOnlyWorksheet)
        layout = _read_layout(workbook)
        rows = read_rows(sheet, source)
        breaks = set() if layout.get("pages") else _row_breaks(reader, sheet.title)
    except FormatError:
        raise
    except Exception as err:  # openpyxl reading a damaged part: see `workbooks.open_read_only`
        raise unreadable(err, source) from None
    lines = _Reader(sheet.title, rows, breaks, layout, source).lines()
    text = "\n".join(line.text for line in lines)
    try:
        document = table_text.parse(text, source)
    except FormatError as err:
        raise _at_cell(err, lines, sheet.title) from None
    return replace(document, warnings=tuple(_at_cell(w, lines, sheet.title) for w in document.warnings))


# openpyxl does not read a read-only sheet's page breaks; they follow its rows in the part.
_ROW_BREAKS_RE = re.compile(rb"<(?:\w+:)?rowBreaks\b.*?</(?:\w+:)?rowBreaks>", re.DOTALL)
_BREAK_ID_RE = re.compile(rb"<(?:\w+:)?brk\b[^>]*?\bid=[\"'](\d+)")


def _row_breaks(reader: ExcelReader, title: str) -> set[int]:
    """The rows the manual page breaks of sheet ``title`` follow."""
    part = next(rel.target for sheet, rel in reader.parser.find_sheets() if sheet.name == title)
    found = _ROW_BREAKS_RE.search(reader.archive.read(part))
    return {int(row) for row in _BREAK_ID_RE.findall(found.group())} if found else set()


def _read_layout(workbook: Workbook) -> dict[str, Any]:
    """What the layout sheet says, if it holds what `_layout` writes (one row), with counts a table can have."""
    if LAYOUT_SHEET not in workbook.sheetnames:
        return {}
    layout = workbook[LAYOUT_SHEET]
    assert isinstance(layout, ReadOnlyWorksheet)
    key, value = ([cell.value for cell in next(layout.rows, ())] + [None, None])[:2]
    if key != _LAYOUT_KEY or not isinstance(value, str):
        return {}
    try:
        found = json.loads(value)
    except json.JSONDecodeError:
        return {}
    return found if _is_layout(found) else {}


def _is_layout(found: object) -> bool:
    if not isinstance(found, dict):
        return False
    counts = [found.get(key, 0) for key in ("blank_lines_before_title", "blank_lines_after_title", "trailing_newlines")]
    pages = found.get("pages", [])
    return (
        all(isinstance(count, int) and 0 <= count <= _MAX_LAYOUT_LINES for count in counts)
        and isinstance(pages, list)
        and len(pages) <= MAX_ROWS
        and all(
            isinstance(page, list) and len(page) == 2 and isinstance(page[0], int) and isinstance(page[1], str)
            for page in pages
        )
    )


def _at_cell(err: FormatError, lines: list[_Line], sheet: str) -> FormatError:
    line = lines[min(err.line, len(lines)) - 1] if lines else _Line("", 1)
    column = 1
    for offset, sheet_column in line.columns:
        if offset <= err.column - 1:
            column = sheet_column
    cell = f"{sheet}!{get_column_letter(column)}{line.row}"
    return FormatError(err.source, err.line, err.column, err.message, cell=cell)


class _Reader:
    def __init__(
        self, title: str, rows: list[tuple[int, list[str]]], breaks: set[int], layout: dict[str, Any], source: str
    ) -> None:
        self.title = title
        self.rows = rows
        self.breaks = breaks  # the rows manual page breaks follow, when the layout sheet does not say
        self.layout = layout
        self.source = source

    def _header(self) -> tuple[int, list[str]]:
        for number, cells in self.rows:
            years = [c for c in cells[3:] if c]
            if all(cells[:3]) and years and all(_YEAR_HEADING_RE.fullmatch(c) for c in years):
                return number, cells
        raise FormatError(
            self.source,
            1,
            1,
            "見出し行（主要な施策、担当課、施策の内容、各年度の取組み）が見つかりません",
            cell=f"{self.title}!A1",
        )

    def lines(self) -> list[_Line]:
        header_row, header = self._header()
        width = max(i for i, c in enumerate(header, start=1) if c)
        header = header[:width]
        titles = [cells[0] for number, cells in self.rows[: header_row - 1] if cells and cells[0]]
        titles = [t for t in titles if not _SUBTITLE_RE.fullmatch(t)]
        lines = [_Line("", 1)] * self.layout.get("blank_lines_before_title", 2)
        lines.append(_Line(titles[0] if titles else "", 1, [(0, 1)]))
        lines += [_Line("", 1)] * self.layout.get("blank_lines_after_title", 1)
        heading_text = "\t".join(header[:3])
        label = header[3].split("年度の", 1)[1] if "年度の" in header[3] else ""
        # The layout sheet knows the pages by body row, which survives rows added in Excel.
        pages = dict(self.layout.get("pages", []))
        body = 0
        for number, cells in self.rows[header_row:]:
            if not any(cells[width:]):
                # Cells past the header are empty (or absent): keep exactly the header's width.
                cells = (cells + [""] * width)[:width]
            if not any(cells):
                continue  # blank rows staff add for spacing
            if "\t".join(cells[:3]) == heading_text:
                label = cells[3].split("年度の", 1)[1] if "年度の" in cells[3] else label
                pages.setdefault(body, label)
                continue
            if body == 0 or body in pages or number - 1 in self.breaks:
                page_label = pages.get(body, label)
                if body:
                    lines.append(_Line("", number))
                lines.append(self._header_line(header, page_label, header_row))
                pages[body] = page_label
            lines.append(self._row_line(cells, number))
            body += 1
        if body == 0:
            lines.append(self._header_line(header, label, header_row))
        lines += [_Line("", header_row)] * self.layout.get("trailing_newlines", 0)
        return lines

    def _header_line(self, header: list[str], label: str, row: int) -> _Line:
        cells = header[:3] + [c.split("年度の", 1)[0] + "年度の" + label if "年度の" in c else c for c in header[3:]]
        return self._row_line(cells, row)

    @staticmethod
    def _row_line(cells: list[str], row: int) -> _Line:
        columns = []
        offset = 0
        for number, cell in enumerate(cells, start=1):
            columns.append((offset, number))
            offset += len(cell) + 1
        return _Line("\t".join(cells), row, columns)
