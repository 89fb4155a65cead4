"""A department's workbook (記入用ブック): what the division asks one department for one fiscal year,
filled in offline in Excel and read back.

Sheet 記入シート has a block of rows per record: the measure, last year's items beside, this year's
items one a row in the yellow cells, a cell for 「○」 (今年度は実績なし), and on the block's first row the
department's own assessment: 自己評価 and 今後の方向性 chosen from lists, 課題 as free text. The sheet is
protected (no password: it guides, the reader enforces) with only those cells unlocked. Sheet 記入方法
says how to fill it in. A very hidden sheet, 管理情報, names the plan, year and department and, for
each block, its record, the record's version when the workbook was written, its rows, and a digest of
the answer as written (its assessment included): an answer whose digest is unchanged was not edited,
whatever the record holds now. A workbook of the format before the assessment (_FORMAT_BEFORE_ASSESSMENT)
is still read, its answers giving no assessment.

`parse` refuses, naming the sheet and cell, a workbook of another plan, year or department, rows
added or removed in the table (column A, hidden, holds each row's record), text below it, a formula,
an edited assessment the record may not hold (a grade not of the plan's scale, an outlook not of the
list, 課題 too long), and anything the report reader's limits refuse (`xlsx`: file size, unpacked
sizes, packing ratio, rows and cells). A cell is read as the report's workbook reads one (`xlsx`): a line break before
「・」 starts another item, another line break only wraps the text; but 課題 keeps its line breaks.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from shishin.lib import wareki

from . import workbooks
from .records import FormatError, Item

__all__ = ["Answer", "AssessmentChoices", "DepartmentWorkbook", "Entry", "Filled", "SelfAssessment", "parse", "render"]

ENTRY_SHEET = "記入シート"
HOW_TO_SHEET = "記入方法"
META_SHEET = "管理情報"
_KEY = "shishin-department-workbook"
_FORMAT = "2"
_FORMAT_BEFORE_ASSESSMENT = "1"  # downloaded before workbooks carried the assessment: still read, without it
_HEADER_ROW = 5
_FIRST_ROW = _HEADER_ROW + 1
# Columns of 記入シート: the record (hidden), the measure, last year, this year, 実績なし, and the assessment.
_RECORD, _MEASURE, _LAST_YEAR, _THIS_YEAR, _NONE, _GRADE, _OUTLOOK, _ISSUES = 1, 3, 4, 5, 6, 7, 8, 9
# Narrower years than before the assessment, so that A4 landscape fit to width still reads at about 75 %.
_WIDTHS = {1: 8, 2: 2, 3: 30, 4: 40, 5: 52, 6: 12, 7: 9, 8: 12, 9: 36}
_MAX_ROW_POINTS = 409  # Excel's highest row: a long 課題 is read in the formula bar or a taller row
_HOW_TO_WIDTH = 90
_SPARE_ROWS = 3  # empty rows below the longer of the two years' items
_NONE_MARK = "○"
_NONE_MARKS = frozenset("○〇◯")  # what people type for 「○」
_MAX_META_ROWS = 10_000
_NUMBER_RE = re.compile(r"[0-9]{1,10}")
_ITEM_START_RE = re.compile(r"\s+(?=・)")

_THIN = Side(style="thin", color="767676")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_FILL = PatternFill("solid", fgColor="D9E0FF")
_ENTRY_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill in
_FIXED_FILL = PatternFill("solid", fgColor="EDEDED")  # a record that may not change (submitted…)
_UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class SelfAssessment:
    """A department's own assessment of a record: a grade of the plan's scale, 課題, and the outlook (one of
    the values `AssessmentChoices.outlooks` names). Blank is allowed."""

    grade: str = ""
    issues: str = ""
    outlook: str = ""

    def read_back(self) -> SelfAssessment:
        """As `parse` reads it once written: no blank around, 課題's line breaks as Excel keeps them (\\n)."""
        return SelfAssessment(self.grade.strip(), _lines(self.issues), self.outlook.strip())


@dataclass(frozen=True)
class AssessmentChoices:
    """What an assessment may say: the plan's grades, the outlooks (value → label, as written), how long 課題 may be."""

    grades: tuple[str, ...]
    outlooks: Mapping[str, str]
    max_issues: int


@dataclass(frozen=True)
class Entry:
    """One record as the workbook asks for it."""

    record: int  # its id
    version: int  # its version now: a save from the workbook names it
    measure: str  # as worded in the year
    items: tuple[Item, ...] = ()
    no_activity: bool = False
    last_year: tuple[Item, ...] = ()
    editable: bool = True  # False: shown, in grey, for reading (submitted, approved)
    note: str = ""  # under the measure: the record's state, what to check
    assessment: SelfAssessment = SelfAssessment()


@dataclass(frozen=True)
class DepartmentWorkbook:
    plan_id: int
    plan: str
    year: int
    department_id: int
    department: str
    entries: tuple[Entry, ...]
    choices: AssessmentChoices
    deadline: str = ""  # as people read it (令和2年4月30日)


@dataclass(frozen=True)
class Answer:
    """What a returned workbook says of one record."""

    record: int
    version: int  # the record's version when the workbook was written
    items: tuple[Item, ...]
    no_activity: bool
    edited: bool  # the answer differs from what the workbook was written with
    cell: str  # its first entry cell (記入シート!E6), for messages
    # None: not given, the record's stays (a workbook of the previous format, or a block not edited).
    assessment: SelfAssessment | None = None


@dataclass(frozen=True)
class Filled:
    department_id: int
    department: str  # as named when the workbook was written
    answers: tuple[Answer, ...]


def _year_text(year: int) -> str:
    return wareki.fiscal_year_name(year)


def _item_text(item: Item) -> str:
    return ("・" if item.bullet else "") + item.text


def _items(texts: Sequence[str]) -> tuple[Item, ...]:
    """Read this year's cells, one item a cell; 「・」 after a space (a line break read) starts another."""
    items = []
    for text in texts:
        for piece in _ITEM_START_RE.split(text.strip()):
            piece = piece.strip()
            if piece.startswith("・"):
                if piece[1:].strip():
                    items.append(Item(piece[1:].strip(), True))
            elif piece:
                items.append(Item(piece, False))
    return tuple(items)


def _lines(text: str) -> str:
    """課題 as a cell keeps it: XML reads a line break as \\n (Excel writes no other), no blank around."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _digest(items: Sequence[Item], no_activity: bool, assessment: Sequence[str] | None) -> str:
    """The answer's digest; ``assessment`` (grade, outlook, 課題 as the cells read) is None in the previous format."""
    answer: list[object] = [[[i.text, i.bullet] for i in items], no_activity]
    if assessment is not None:
        answer.append(list(assessment))
    said = json.dumps(answer, ensure_ascii=False)
    return hashlib.sha256(said.encode("utf-8")).hexdigest()


def _rows(entry: Entry) -> int:
    return max(len(entry.items), len(entry.last_year)) + _SPARE_ROWS


def render(book: DepartmentWorkbook) -> bytes:
    """Write ``book`` as an .xlsx workbook."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = ENTRY_SHEET
    blocks = _write_entry_sheet(sheet, book)
    _write_how_to(workbook.create_sheet(HOW_TO_SHEET), book)
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    for row in [
        [_KEY, _FORMAT],
        ["plan", book.plan_id, book.plan],
        ["year", book.year],
        ["department", book.department_id, book.department],
        *blocks,
    ]:
        meta.append(row)
    workbook.security = WorkbookProtection(lockStructure=True)  # no sheet added, removed or unhidden
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(sheet: Worksheet, row: int, column: int, text: str) -> Cell:
    """Put ``text`` in a cell as text: openpyxl makes a formula of text starting with =, and an item such
    as =HYPERLINK(…) would then be run by the spreadsheet, and refused when read back."""
    cell = sheet.cell(row, column)
    assert isinstance(cell, Cell)
    if text:
        cell.value = text
        cell.data_type = "s"
    return cell


class _Styles:
    """The named styles of 記入シート's blocks (one lookup a cell, where separate fills, borders and
    protections would each be looked up)."""

    def __init__(self, sheet: Worksheet) -> None:
        workbook = sheet.parent
        assert workbook is not None
        self._workbook = workbook
        self.text = self._add("前年度", _BORDER, _WRAP)
        self.entry = self._add("記入欄", _BORDER, _WRAP, _ENTRY_FILL, _UNLOCKED)
        self.fixed = self._add("変更不可", _BORDER, _WRAP, _FIXED_FILL)
        self.choice = self._add(  # 実績なし, 自己評価, 今後の方向性: a word from a list
            "選択欄", _BORDER, Alignment(horizontal="center", vertical="top", wrap_text=True), _ENTRY_FILL, _UNLOCKED
        )
        self._sides: dict[str, str] = {}

    def _add(
        self,
        name: str,
        border: Border,
        alignment: Alignment,
        fill: PatternFill | None = None,
        protection: Protection | None = None,
    ) -> str:
        style = NamedStyle(name=name, border=border, alignment=alignment)
        if fill is not None:
            style.fill = fill
        if protection is not None:
            style.protection = protection
            # A cell to fill in keeps what is typed as text: Excel would turn 4/1 into a date, 1.50 into 1.5.
            style.number_format = "@"
        self._workbook.add_named_style(style)
        return name

    def side(self, place: str) -> str:
        """A block's cell in a column of one cell a block (the measure; 実績なし and the assessment below
        their cells): ruled around the block, not between its rows."""
        if place not in self._sides:
            border = Border(
                left=_THIN,
                right=_THIN,
                top=_THIN if "first" in place else None,
                bottom=_THIN if "last" in place else None,
            )
            self._sides[place] = self._add(f"枠{place or 'middle'}", border, _WRAP)
        return self._sides[place]


def _write_entry_sheet(sheet: Worksheet, book: DepartmentWorkbook) -> list[list[object]]:
    """Lay out the blocks; return the 管理情報 rows that describe them."""
    _text(sheet, 1, _MEASURE, f"{book.plan} {_year_text(book.year)}の取組み 記入シート").font = Font(bold=True, size=14)
    deadline = f"　提出期限: {book.deadline}" if book.deadline else ""
    _text(sheet, 2, _MEASURE, f"担当課: {book.department}{deadline}")
    _text(
        sheet,
        3,
        _MEASURE,
        "黄色のセルに記入してください（1行に1項目。「・」で始めると箇条書き）。くわしくは「記入方法」シートを見てください。",
    )
    headings = {
        _RECORD: "管理番号",
        _MEASURE: "施策",
        _LAST_YEAR: f"前年度（{_year_text(book.year - 1)}）の取組み",
        _THIS_YEAR: f"{_year_text(book.year)}の取組み（1行に1項目）",
        _NONE: "実績なし（○）",
        _GRADE: "自己評価",
        _OUTLOOK: "今後の方向性",
        _ISSUES: f"課題（{book.choices.max_issues:,}字まで）",
    }
    for column, heading in headings.items():
        cell = _text(sheet, _HEADER_ROW, column, heading)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[_HEADER_ROW].height = 2 * workbooks.LINE_POINTS + 4
    choice = DataValidation(
        type="list",
        formula1=f'"{_NONE_MARK}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="実績なし",
        error="今年度に実績がないときだけ「○」を選びます（今年度の取組みは空にします）",
    )
    sheet.add_data_validation(choice)
    grades, outlooks = book.choices.grades, tuple(book.choices.outlooks.values())
    grade_choice = _list_validation(
        grades, "自己評価", f"自己評価は、この指針の評価の段階（{'・'.join(grades)}）から選びます"
    )
    outlook_choice = _list_validation(outlooks, "今後の方向性", f"今後の方向性は、{'・'.join(outlooks)} から選びます")
    issues_length = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(book.choices.max_issues),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="課題",
        error=f"課題は {book.choices.max_issues:,} 文字までです",
    )
    for validation in (grade_choice, outlook_choice, issues_length):
        sheet.add_data_validation(validation)
    styles = _Styles(sheet)
    blocks: list[list[object]] = []
    row = _FIRST_ROW
    for entry in book.entries:
        count = _rows(entry)
        written = [_item_text(i) for i in entry.items] + [""] * (count - len(entry.items))
        last = [_item_text(i) for i in entry.last_year] + [""] * (count - len(entry.last_year))
        measure = [entry.measure + (f"\n（{entry.note}）" if entry.note else "")] + [""] * (count - 1)
        said = entry.assessment.read_back()
        outlook = book.choices.outlooks.get(said.outlook, said.outlook)
        for offset in range(count):
            at = row + offset
            sheet.cell(at, _RECORD, entry.record)
            place = ("first" if offset == 0 else "") + ("last" if offset == count - 1 else "")
            texts = {_MEASURE: measure[offset], _LAST_YEAR: last[offset], _THIS_YEAR: written[offset]}
            for column, text in texts.items():
                _text(sheet, at, column, text)
            sheet.cell(at, _MEASURE).style = styles.side(place)
            sheet.cell(at, _LAST_YEAR).style = styles.text
            sheet.cell(at, _THIS_YEAR).style = styles.entry if entry.editable else styles.fixed
            if offset:
                for column in (_NONE, _GRADE, _OUTLOOK, _ISSUES):
                    sheet.cell(at, column).style = styles.side(place)
            else:
                _text(sheet, at, _NONE, _NONE_MARK if entry.no_activity else "")
                for column, text in {_GRADE: said.grade, _OUTLOOK: outlook, _ISSUES: said.issues}.items():
                    _text(sheet, at, column, text)
                for column in (_NONE, _GRADE, _OUTLOOK):
                    sheet.cell(at, column).style = styles.choice if entry.editable else styles.fixed
                sheet.cell(at, _ISSUES).style = styles.entry if entry.editable else styles.fixed
                texts[_ISSUES] = said.issues
            # Spreadsheets do not all fit a row to wrapped text on their own (as `xlsx` says).
            lines = max(workbooks.line_count(text, _WIDTHS[column]) for column, text in texts.items())
            sheet.row_dimensions[at].height = min(lines * workbooks.LINE_POINTS + 4, _MAX_ROW_POINTS)
        if entry.editable:
            choice.add(sheet.cell(row, _NONE))
            grade_choice.add(sheet.cell(row, _GRADE))
            outlook_choice.add(sheet.cell(row, _OUTLOOK))
            issues_length.add(sheet.cell(row, _ISSUES))
        # The digest of the answer as it reads back, so that a block left alone reads as not edited.
        read_back = _items([workbooks.cell_text(text, _THIS_YEAR) for text in written])
        shown = [workbooks.cell_text(said.grade, _GRADE).strip(), workbooks.cell_text(outlook, _OUTLOOK).strip()]
        digest = _digest(read_back, entry.no_activity, [*shown, said.issues])
        blocks.append(["record", entry.record, entry.version, row, count, digest])
        row += count
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["B"].hidden = True
    sheet.freeze_panes = f"A{_FIRST_ROW}"
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    workbooks.fit_a4_landscape(sheet)
    # Only the unlocked cells take input; widths and heights may still be changed to read long text.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    return blocks


def _list_validation(choices: Sequence[str], title: str, error: str) -> DataValidation:
    """A cell's list of ``choices`` (Excel's drop-down), refusing other text as it is typed."""
    listed = ",".join(c.replace('"', '""') for c in choices)
    return DataValidation(
        type="list",
        formula1=f'"{listed}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
    )


def _write_how_to(sheet: Worksheet, book: DepartmentWorkbook) -> None:
    deadline = f"提出期限は{book.deadline}です。" if book.deadline else ""
    lines = [
        f"{book.plan} {_year_text(book.year)}の取組み 記入方法（{book.department}）",
        "",
        f"1. このブックは、{book.department}が{_year_text(book.year)}の取組みを記入するためのものです。{deadline}",
        "2. 「記入シート」の黄色のセルに記入します。ほかのセルは変更できません（シートは保護されています）。",
        "3. 「今年度の取組み」の欄には、1行に1項目を書きます。「・」で始めると箇条書きの項目になります。"
        "前年度から引き継いだ内容が入っている施策は、今年度の内容に書き直してください。",
        "4. 行が足りないときは、セルの中で改行し（Windows は Alt+Enter、Mac は control+option+return）、"
        "次の項目を「・」から書き始めます。それ以外のセル内の改行は、折り返しとして読みます。",
        "5. 今年度に取組みがなかった施策は、「今年度の取組み」を空にして、「実績なし」の欄に「○」を入れます。",
        "6. 各施策の1行目の「自己評価」「今後の方向性」「課題」には、施策ごとの自己評価を記入します。"
        f"「自己評価」はこの指針の評価の段階（{'・'.join(book.choices.grades)}）から、"
        f"「今後の方向性」は{'・'.join(book.choices.outlooks.values())}から選びます。「課題」には今年度の課題を書きます"
        f"（{book.choices.max_issues:,}字まで。セル内の改行はそのまま残ります）。未記入のままでもかまいません。",
        "7. 行や列の追加・削除、数式は使えません。ほかのファイルから貼り付けるときは「値のみ貼り付け」にしてください。",
        "8. 灰色の施策は、提出済みまたは承認済みのため変更できません（読むためだけに載せています）。",
        "9. 記入が終わったら、職員用ページの「自分の担当」からこのブックをアップロードします。"
        "変更点が施策ごとに表示されるので、確認してから保存してください。保存しても提出にはなりません。"
        "提出は施策ごとのページで行います。",
        "10. ブックをダウンロードした後で、ほかの人が同じ施策を保存していた場合、その施策を変えたブックは保存できません"
        "（両方の内容が表示されます）。そのときは、ブックをダウンロードし直して記入してください。",
    ]
    for row, line in enumerate(lines, start=1):
        cell = _text(sheet, row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = workbooks.line_count(line, _HOW_TO_WIDTH) * workbooks.LINE_POINTS + 4
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = _HOW_TO_WIDTH
    workbooks.fit_a4_landscape(sheet)
    sheet.protection.sheet = True


def parse(
    data: bytes, source: str, *, plan: int, year: int, departments: Mapping[int, str], choices: AssessmentChoices
) -> Filled:
    """Read a department's workbook for fiscal ``year`` of ``plan``, from one of ``departments``
    (id → name), its assessments as ``choices`` allow; raise `FormatError` naming the sheet and cell."""
    workbook = workbooks.open_read_only(data, source).wb
    if ENTRY_SHEET not in workbook.sheetnames or META_SHEET not in workbook.sheetnames:
        raise FormatError(
            source,
            1,
            1,
            "Shishin の記入用ブックではありません。職員用ページからダウンロードしたブックに記入してください",
            cell="-",
        )
    meta, entry_sheet = workbook[META_SHEET], workbook[ENTRY_SHEET]
    assert isinstance(meta, ReadOnlyWorksheet) and isinstance(entry_sheet, ReadOnlyWorksheet)
    try:
        said = _Meta.read(workbooks.read_rows(meta, source), source)
        rows = dict(workbooks.read_rows(entry_sheet, source))
        issues = _issues_as_typed(entry_sheet) if said.assessed else {}
    except FormatError:
        raise
    except Exception as err:  # openpyxl reading a damaged part: see `workbooks.open_read_only`
        raise workbooks.unreadable(err, source) from None
    said.check(source, plan, year, departments)
    return Filled(said.department_id, said.department, tuple(_answers(rows, issues, said, choices, source)))


def _issues_as_typed(sheet: ReadOnlyWorksheet) -> dict[int, str]:
    """The text of column 課題 by row, its line breaks kept: `workbooks.read_rows`, which has read the sheet
    (refusing formulas and too many rows), reads a cell as table text and joins wrapped lines."""
    typed = {}
    for number, row in enumerate(sheet.rows, start=1):
        if len(row) >= _ISSUES and isinstance(text := row[_ISSUES - 1].value, str):
            typed[number] = _lines(text)
    return typed


def _cell(column: int, row: int) -> str:
    return f"{ENTRY_SHEET}!{get_column_letter(column)}{row}"


@dataclass(frozen=True)
class _Block:
    record: int
    version: int
    first_row: int
    rows: int
    digest: str


@dataclass(frozen=True)
class _Meta:
    plan_id: int
    year: int
    department_id: int
    department: str
    blocks: tuple[_Block, ...]
    assessed: bool  # the blocks have the assessment (not _FORMAT_BEFORE_ASSESSMENT)

    @classmethod
    def read(cls, rows: list[tuple[int, list[str]]], source: str) -> _Meta:
        """What 管理情報 says, if it says it as `render` writes it."""
        lines = [cells for _, cells in rows[:_MAX_META_ROWS]]
        try:
            head, plan, year, department, *blocks = lines
            if head[:1] != [_KEY] or head[1:2] not in ([_FORMAT], [_FORMAT_BEFORE_ASSESSMENT]):
                raise ValueError
            if [plan[0], year[0], department[0]] != ["plan", "year", "department"]:
                raise ValueError
            found = [
                _Block(_number(b[1]), _number(b[2]), _number(b[3]), _number(b[4]), b[5])
                for b in blocks
                if b[0] == "record"
            ]
            expected = _FIRST_ROW
            for block in found:
                if block.first_row != expected or block.rows < 1:
                    raise ValueError
                expected += block.rows
            if len({b.record for b in found}) != len(found):
                raise ValueError
            return cls(
                _number(plan[1]),
                _number(year[1]),
                _number(department[1]),
                department[2],
                tuple(found),
                assessed=head[1] == _FORMAT,
            )
        except (ValueError, IndexError, TypeError):
            raise FormatError(
                source,
                1,
                1,
                "このブックの管理情報（非表示のシート）が読めません。職員用ページからダウンロードし直したブックに記入してください",
                cell="-",
            ) from None

    def check(self, source: str, plan: int, year: int, departments: Mapping[int, str]) -> None:
        """Refuse a workbook of another plan, year or department, naming the cell that shows it."""
        if self.plan_id != plan:
            raise FormatError(
                source,
                1,
                1,
                "このブックは別の指針の記入用です。この指針のブックをダウンロードして記入してください",
                cell=_cell(_MEASURE, 1),
            )
        if self.year != year:
            raise FormatError(
                source,
                1,
                1,
                f"このブックは{_year_text(self.year)}の記入用です。{_year_text(year)}のブックをダウンロードして記入してください",
                cell=_cell(_MEASURE, 1),
            )
        if self.department_id not in departments:
            wanted = f"{next(iter(departments.values()))}の" if len(departments) == 1 else "記入を依頼した担当課の"
            raise FormatError(
                source,
                1,
                1,
                f"このブックは{self.department}の記入用です。{wanted}ブックをアップロードしてください",
                cell=_cell(_MEASURE, 2),
            )


def _number(text: str) -> int:
    if not _NUMBER_RE.fullmatch(text):
        raise ValueError(text)
    return int(text)


def _answers(
    rows: dict[int, list[str]], issues: dict[int, str], said: _Meta, choices: AssessmentChoices, source: str
) -> list[Answer]:
    def value(row: int, column: int) -> str:
        cells = rows.get(row, [])
        return cells[column - 1].strip() if len(cells) >= column else ""

    def refuse(column: int, row: int, message: str) -> FormatError:
        return FormatError(source, 1, 1, message, cell=_cell(column, row))

    answers = []
    for block in said.blocks:
        for row in range(block.first_row, block.first_row + block.rows):
            if value(row, _RECORD) != str(block.record):
                raise refuse(
                    _THIS_YEAR,
                    row,
                    f"表の行が追加または削除されています（{row}行目）。行の追加・削除はできません。"
                    "行が足りないときは、セルの中で改行して次の項目を「・」から書き始めてください",
                )
        last = block.first_row + block.rows - 1
        items = _items([value(row, _THIS_YEAR) for row in range(block.first_row, last + 1)])
        mark = value(block.first_row, _NONE)
        if mark and mark not in _NONE_MARKS:
            raise refuse(_NONE, block.first_row, f"「実績なし」の欄は「○」か空にしてください（「{mark}」とあります）")
        if mark and items:
            raise refuse(_NONE, block.first_row, "「実績なし」に「○」を付けた施策は、今年度の取組みを空にしてください")
        no_activity = bool(mark)
        first = block.first_row
        # 課題 as typed; a number or a date (pasted as a value) as table text.
        typed = issues.get(first, value(first, _ISSUES))
        shown = [value(first, _GRADE), value(first, _OUTLOOK), typed] if said.assessed else None
        edited = _digest(items, no_activity, shown) != block.digest
        # Only an edited block's assessment is checked, and given: one left alone says what the record held.
        assessment = _assessment(shown, choices, first, refuse) if shown is not None and edited else None
        answers.append(
            Answer(block.record, block.version, items, no_activity, edited, _cell(_THIS_YEAR, first), assessment)
        )
    end = said.blocks[-1].first_row + said.blocks[-1].rows if said.blocks else _FIRST_ROW
    for row in sorted(r for r in rows if r >= end):
        if any(cell.strip() for cell in rows[row]):
            added = bool(value(row, _RECORD))
            message = (
                f"表の行が追加されています（{row}行目）。行の追加はできません。"
                "行が足りないときは、セルの中で改行して次の項目を「・」から書き始めてください"
                if added
                else f"表の外（{end - 1}行目より下）に書かれています。記入は黄色のセルにしてください"
            )
            filled = next(c for c, cell in enumerate(rows[row], start=1) if cell.strip())
            raise refuse(_THIS_YEAR if added else filled, row, message)
    return answers


def _assessment(
    shown: Sequence[str], choices: AssessmentChoices, row: int, refuse: Callable[[int, int, str], FormatError]
) -> SelfAssessment:
    """The assessment on a block's first row (grade, outlook's label, 課題), if the record may hold it."""
    grade, label, issues = shown
    if grade and grade not in choices.grades:
        raise refuse(
            _GRADE, row, f"自己評価「{grade}」は、この指針の評価の段階（{'・'.join(choices.grades)}）から選んでください"
        )
    outlooks = {name: value for value, name in choices.outlooks.items()}
    if label and label not in outlooks:
        raise refuse(_OUTLOOK, row, f"今後の方向性「{label}」は、{'・'.join(outlooks)} のいずれかを選んでください")
    if len(issues) > choices.max_issues:
        raise refuse(_ISSUES, row, f"課題は {choices.max_issues:,} 文字までです（{len(issues):,} 文字あります）")
    return SelfAssessment(grade, issues, outlooks.get(label, ""))
