"""The report as an Excel workbook, both ways.

Sheet 報告書 is the published table laid out for printing (A4 landscape, the header
row repeated on every page, the original page breaks); データ and 指標 are the
machine-readable tables. A hidden sheet keeps the layout the table text needs to be
written back unchanged.

Every text cell is written as text, never as a formula, whatever it starts with
(an item may begin with = or -), so the workbook reads back as it was written.

`parse` reads the 報告書 sheet as staff leave it after editing in Excel: merged
cells, line breaks inside cells and extra blank rows are all fine. It turns the
sheet into table text and reads that with `table_text.parse`, so both formats obey
the same rules; errors name the sheet and cell.
"""

from __future__ import annotations

import io
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from shishin.lib import wareki

from . import table_text
from ._rows import INDICATOR_COLUMNS, ITEM_COLUMNS, indicator_rows, item_rows, plain_value
from .records import Document, FormatError, Issuer

__all__ = ["parse", "render"]

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
_LINE_POINTS = 13.5  # one line of 11-point text
_THIN = Side(style="thin", color="767676")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_SECTION_FILL = PatternFill("solid", fgColor="E6E6E6")
_HEADER_FILL = PatternFill("solid", fgColor="D9E0FF")
_YEAR_HEADING_RE = re.compile(r"\S{2,12}年度の\S{1,12}")
_SUBTITLE_RE = re.compile(r".+年度（\d{4}年\d{1,2}月\d{1,2}日～\d{4}年\d{1,2}月\d{1,2}日）")


def _period(year: int) -> str:
    first, last = wareki.fiscal_year_bounds(year)
    return (
        f"{wareki.fiscal_year_label(year)}（{first.year}年{first.month}月{first.day}日～"
        f"{last.year}年{last.month}月{last.day}日）"
    )


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
        needed = max(_lines(value, width) for value, width in zip(values, widths, strict=True))
        sheet.row_dimensions[row].height = needed * _LINE_POINTS + 4
    for column, chars in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = chars
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    footer = sheet.oddFooter
    assert footer is not None and footer.center is not None
    footer.center.text = "&P / &N"  # page number / pages
    sheet.freeze_panes = f"A{_HEADER_ROW + 1}"


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (Japanese counts two)."""
    total = 0
    for paragraph in text.split("\n"):
        columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in paragraph)
        total += max(1, math.ceil(columns / max(width - 1, 1)))
    return total


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
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    # Only openpyxl runs here, on bytes from outside. atheris found a damaged zip raising BadZipFile,
    # zlib.error or NotImplementedError, and a part that is not XML raising SyntaxError; openpyxl
    # raises more (KeyError, ValueError…). Whichever it is, these bytes are not a workbook we can read.
    except Exception as err:
        detail = " ".join(str(err).split())  # the library's message, on one line
        raise FormatError(source, 1, 1, f"Excel ブック（.xlsx）として開けません（{detail}）", cell="-") from None
    sheet = workbook[REPORT_SHEET] if REPORT_SHEET in workbook.sheetnames else workbook.worksheets[0]
    lines = _Reader(sheet, _read_layout(workbook), source).lines()
    text = "\n".join(line.text for line in lines)
    try:
        return table_text.parse(text, source)
    except FormatError as err:
        raise _at_cell(err, lines, sheet.title) from None


def _read_layout(workbook: Any) -> dict[str, Any]:
    if LAYOUT_SHEET not in workbook.sheetnames:
        return {}
    for key, value, *_ in workbook[LAYOUT_SHEET].iter_rows(values_only=True):
        if key == _LAYOUT_KEY and isinstance(value, str):
            try:
                found: dict[str, Any] = json.loads(value)
            except json.JSONDecodeError:
                return {}
            return found
    return {}


def _at_cell(err: FormatError, lines: list[_Line], sheet: str) -> FormatError:
    line = lines[min(err.line, len(lines)) - 1] if lines else _Line("", 1)
    column = 1
    for offset, sheet_column in line.columns:
        if offset <= err.column - 1:
            column = sheet_column
    cell = f"{sheet}!{get_column_letter(column)}{line.row}"
    return FormatError(err.source, err.line, err.column, err.message, cell=cell)


_ITEM_BREAK_RE = re.compile(r"\r?\n(?=[・【])")
_BREAK_RE = re.compile(r"\r?\n")
_DEPARTMENTS_COLUMN = 2


def _value(value: object, column: int) -> str:
    """Read a cell as table text: a line break before ・ or 【 separates items (a space in the text),
    between departments it is a space too, and elsewhere it only wrapped Japanese text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip("\r\n")
    if column == _DEPARTMENTS_COLUMN:
        return _BREAK_RE.sub(" ", text)
    return _BREAK_RE.sub("", _ITEM_BREAK_RE.sub(" ", text))


class _Reader:
    def __init__(self, sheet: Worksheet, layout: dict[str, Any], source: str) -> None:
        self.sheet = sheet
        self.layout = layout
        self.source = source
        self.rows = [
            (number, [_value(v, column) for column, v in enumerate(values, start=1)])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]

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
            cell=f"{self.sheet.title}!A1",
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
        pages = dict(self.layout.get("pages", []))
        # The layout sheet knows the pages by body row, which survives rows added in Excel;
        # without it, the sheet's manual page breaks say where pages start.
        breaks = set() if pages else {brk.id for brk in self.sheet.row_breaks.brk}
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
            if body == 0 or body in pages or number - 1 in breaks:
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
