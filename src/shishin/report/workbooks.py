"""Excel workbooks both ways, as every workbook Shishin reads or writes needs them (the report's,
a department's, a plan's structure).

A workbook is a zip archive whose parts may unpack to far more than the file, and a sheet may
claim or hold any number of rows: before anything is parsed, the sizes the archive declares are
checked (zipfile stops reading a part at its declared size), the sheet is streamed and its rows
counted, and a workbook past the limits below is refused; so is a formula. Errors name the cell.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .records import FormatError

_MB = 2**20
# Far above a real report, whose workbook is 47 KB, 330 KB unpacked, 38 rows of 5 cells on 報告書 (FY2018),
# and above what `render` writes for the largest table text `table_text` reads (2 MB: 2.5 MB, 21 MB
# unpacked, its largest part the データ sheet at 12 MB, 1,700 rows on 報告書), so that it reads back.
# Bounded so, a workbook is refused or read in seconds and about 100 MB.
MAX_WORKBOOK_BYTES = 8 * _MB  # the file
MAX_UNPACKED_BYTES = 32 * _MB  # all its parts unpacked
MAX_PART_BYTES = 16 * _MB  # one part unpacked: a sheet, the shared strings
MAX_RATIO = 100  # unpacked : packed, for a part over _RATIO_FROM; our parts pack 2 to 11 : 1
_RATIO_FROM = _MB  # a small part may pack better, and unpacked it is small anyway
MAX_ROWS = 20_000  # of the 報告書 sheet
MAX_CELLS = 200_000  # of the 報告書 sheet: each row counts the columns up to its last cell

REPORT_DEPARTMENTS_COLUMN = 2  # B, 担当課, on the report's sheet
LINE_POINTS = 13.5  # one line of 11-point text, for a row's height


def fit_a4_landscape(sheet: Worksheet) -> None:
    """Print ``sheet`` on A4 landscape, one page wide and as many long as it takes."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def line_count(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (Japanese counts two)."""
    total = 0
    for paragraph in text.split("\n"):
        columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in paragraph)
        total += max(1, math.ceil(columns / max(width - 1, 1)))
    return total


def _megabytes(size: int) -> str:
    return f"{size / _MB:,.1f} MB"


def _part_name(part: zipfile.ZipInfo) -> str:
    """A part's name for a one-line message: a damaged or made-up archive names parts with any bytes."""
    name = "".join(c if c.isprintable() else "?" for c in part.filename)
    return name if len(name) <= 60 else name[:60] + "…"


def check_archive(data: bytes, source: str) -> None:
    """Refuse a workbook that would unpack to more than any report needs, from the sizes its zip
    archive declares: zipfile reads no part past its declared size."""

    def refuse(message: str) -> FormatError:
        return FormatError(source, 1, 1, message, cell="-")

    if problem := too_large(len(data)):
        raise refuse(problem)
    total = 0
    for part in zipfile.ZipFile(io.BytesIO(data)).infolist():
        if part.file_size > MAX_PART_BYTES:
            raise refuse(
                f"ブックの {_part_name(part)} が展開すると {_megabytes(part.file_size)} になります。"
                f"展開して1つ {MAX_PART_BYTES // _MB} MB、全体で {MAX_UNPACKED_BYTES // _MB} MB までのブックを取り込めます"
            )
        if part.file_size > _RATIO_FROM and part.file_size > MAX_RATIO * part.compress_size:
            raise refuse(
                f"ブックの {_part_name(part)} は {part.compress_size:,} バイトが {_megabytes(part.file_size)} に"
                f"展開されます（上限は {MAX_RATIO} 倍）。展開すると大きくなるよう作られたファイルは取り込めません"
            )
        total += part.file_size
    if total > MAX_UNPACKED_BYTES:
        raise refuse(
            f"ブックを展開すると {_megabytes(total)} になります。"
            f"展開して全体で {MAX_UNPACKED_BYTES // _MB} MB までのブックを取り込めます"
        )


def open_read_only(data: bytes, source: str) -> ExcelReader:
    """Open a workbook from outside to read its sheets as streams (`read_rows`), once its archive
    passed `check_archive`; raise `FormatError` for bytes that are no workbook we can read."""
    try:
        check_archive(data, source)
        reader = ExcelReader(io.BytesIO(data), read_only=True)
        reader.read()
    except FormatError:
        raise
    # Only zipfile and openpyxl run here, on bytes from outside. atheris found a damaged zip raising BadZipFile,
    # zlib.error or NotImplementedError, and a part that is not XML raising SyntaxError; openpyxl
    # raises more (KeyError, ValueError…). Whichever it is, these bytes are not a workbook we can read.
    except Exception as err:
        raise unreadable(err, source) from None
    return reader


def unreadable(err: Exception, source: str) -> FormatError:
    """The error for bytes zipfile or openpyxl could not read as a workbook, with their message on one line."""
    detail = " ".join(str(err).split())
    return FormatError(source, 1, 1, f"Excel ブック（.xlsx）として開けません（{detail}）", cell="-")


def too_large(size: int) -> str | None:
    """Why a file of ``size`` bytes is not taken as a workbook, before it is read; None if it may be."""
    if size <= MAX_WORKBOOK_BYTES:
        return None
    return f"ファイルが大きすぎます（{_megabytes(size)}）。取り込める Excel ブックは {MAX_WORKBOOK_BYTES // _MB} MB までです"


def read_rows(
    sheet: ReadOnlyWorksheet, source: str, departments_column: int = REPORT_DEPARTMENTS_COLUMN
) -> list[tuple[int, list[str]]]:
    """Each row of the sheet, numbered, as table-text cells; refuse a formula, and more rows or cells
    than any report has."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0  # from <dimension>, read first
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise FormatError(
            source,
            1,
            1,
            f"シートの範囲が {rows:,} 行 × {columns:,} 列あります。"
            f"取り込めるのは {MAX_ROWS:,} 行、{MAX_CELLS:,} セルまでです",
            cell=f"{sheet.title}!{get_column_letter(max(columns, 1))}{rows}",
        )
    # The dimension may be wrong (a sheet too short for its rows is cut there, one too long padded):
    # read the rows there are, counting.
    sheet.reset_dimensions()
    read = []
    cells = 0
    for number, row in enumerate(sheet.rows, start=1):
        cells += len(row)
        if number > MAX_ROWS or cells > MAX_CELLS:
            raise FormatError(
                source,
                1,
                1,
                f"行またはセルが多すぎます。取り込めるのは {MAX_ROWS:,} 行、{MAX_CELLS:,} セルまでです",
                cell=f"{sheet.title}!A{number}",
            )
        values = []
        for column, cell in enumerate(row, start=1):
            if cell.data_type == "f":
                formula = cell.value if isinstance(cell.value, str) else "…"
                raise FormatError(
                    source,
                    1,
                    1,
                    f"数式（{formula}）は取り込めません。計算の結果を値として貼り付けるか、文字で入力してください",
                    cell=f"{sheet.title}!{get_column_letter(column)}{number}",
                )
            values.append(cell_text(cell.value, column, departments_column))
        read.append((number, values))
    return read


_ITEM_BREAK_RE = re.compile(r"\r?\n(?=[・【])")
_BREAK_RE = re.compile(r"\r?\n")


def cell_text(value: object, column: int, departments_column: int = REPORT_DEPARTMENTS_COLUMN) -> str:
    """Read a cell as table text: a line break before ・ or 【 separates items (a space in the text),
    between departments (in ``departments_column``) it is a space too, and elsewhere it only wrapped
    Japanese text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip("\r\n")
    if column == departments_column:
        return _BREAK_RE.sub(" ", text)
    return _BREAK_RE.sub("", _ITEM_BREAK_RE.sub(" ", text))


# The workbooks people fill in and upload (structure, targets): a guide sheet first, then sheets with a
# header row of column names.
_HEADER_FILL = PatternFill("solid", fgColor="D9E0FF")


def with_guide(title: str, lines: tuple[str, ...]) -> Workbook:
    """A new workbook whose first sheet, ``title``, says how to fill it in, a line a row."""
    workbook = Workbook()
    guide = workbook.active
    assert guide is not None
    guide.title = title
    for line in lines:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    return workbook


def header(sheet: Worksheet, columns: tuple[str, ...], widths: tuple[int, ...], freeze: str = "A2") -> None:
    """The column names in bold on the first row, each column ``widths`` wide, frozen above ``freeze``."""
    sheet.append(list(columns))
    for number, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=number)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = freeze


def as_text(value: object) -> object:
    """Text cells stay text: one starting with = is not a formula (numbers are left as numbers); read back
    with `from_text`."""
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value


def from_text(text: str) -> str:
    """A cell's text as `as_text` had it before writing (the quote before = taken off)."""
    return text[1:] if text.startswith("'=") else text


def named_sheet_rows(
    workbook: Any, name: str, source: str, departments_column: int = REPORT_DEPARTMENTS_COLUMN
) -> list[tuple[int, list[str]]]:
    """The rows of the sheet ``name`` of an uploaded workbook (`read_rows`), refusing a workbook without it."""
    if name not in workbook.sheetnames:
        raise FormatError(
            source, 1, 1, f"シート「{name}」がありません（ひな形のシート名のままにしてください）", cell="-"
        )
    sheet = workbook[name]
    assert isinstance(sheet, ReadOnlyWorksheet)
    try:
        return read_rows(sheet, source, departments_column=departments_column)
    except FormatError:
        raise
    except Exception as err:  # openpyxl reading a damaged part: see `open_read_only`
        raise unreadable(err, source) from None
