"""A plan's structure as an Excel workbook, both ways: how a city without a published report starts.

Sheet 構成 has a row per measure (or per pillar or area before it has measures): the pillar's
number and name, the area's number and name (blank for a measure directly under its pillar), the
measure and the departments carrying it. Sheet 担当課 lists the departments in the organisation's
order with their readings and contact addresses. The 記入方法 sheet says how to fill them in.

`parse` refuses, naming the sheet and cell, anything it cannot read unambiguously: a number that is
not one, a pillar or area named two ways, a measure twice, a department the 担当課 sheet does not
list (a typo would otherwise become a department), a formula, a workbook too large to be one.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, replace

from openpyxl.utils import get_column_letter

from . import workbooks
from .records import Area, DepartmentRef, FormatError, Measure, Pillar
from .workbooks import open_read_only

STRUCTURE_SHEET = "構成"
DEPARTMENT_SHEET = "担当課"
GUIDE_SHEET = "記入方法"
STRUCTURE_COLUMNS = (
    "基本方針の番号",
    "基本方針",
    "基本方針の目的",
    "施策の方向の番号",
    "施策の方向",
    "施策名",
    "施策の内容",
    "担当課（「、」区切り）",
)
DEPARTMENT_COLUMNS = ("組織順", "担当課", "よみがな", "連絡先メールアドレス")
GUIDE = (
    "このブックに指針の構成（基本方針・施策の方向・施策と担当課）を書いて、Shishin の「指針の構成」ページで取り込みます。",
    "",
    "【構成シート】1行に1つの施策を書きます。",
    "・基本方針の番号（1、2…）は必ず書きます。基本方針の名前と目的は、その番号が最初に出てくる行に書けば十分です。",
    "・施策の方向の下にある施策は、施策の方向の番号（基本方針ごとに1、2…）を書きます。基本方針の直下の施策は空けます。",
    "・施策名のない行は、基本方針や施策の方向だけを登録します。",
    "・担当課は「、」で区切るか、セルの中で改行して1行に1課ずつ並べます。課内の係・室は「地域安全課（防犯係）」と書きます"
    "（担当課シートに「（）」を含む名前で載っている課は、その名前のままで構いません）。",
    "",
    "【担当課シート】組織の順に1行に1課を書きます。",
    "・組織順は並べる順（1、2…）。よみがなはひらがなで書くと五十音順にも並べられます。",
    "・連絡先メールアドレスには、照会や督促のメールが担当者のアカウントとは別に届きます（課の共有アドレスなど）。",
    "",
    "数式は使えません。値として貼り付けてください。",
)

LARGEST_NUMBER = 9999  # a pillar's, an area's or a department's number: what the database keeps
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
READING_RE = re.compile(r"[\u3041-\u3096\u30fc\u30fb\s]*")  # a reading: hiragana, ー, ・ and spaces
_SUB_UNIT_RE = re.compile(r"(?P<name>[^（(]+)[（(](?P<sub>[^）)]+)[）)]")
_DEPARTMENT_SPLIT_RE = re.compile(r"[、,，\s]")  # a line break in the cell is read as a blank


@dataclass(frozen=True)
class DepartmentRow:
    name: str
    position: int | None = None
    reading: str = ""
    email: str = ""


@dataclass(frozen=True)
class Structure:
    pillars: tuple[Pillar, ...]
    departments: tuple[DepartmentRow, ...]


def render(structure: Structure) -> bytes:
    """The workbook of ``structure``; of an empty one, the template to fill in."""
    workbook = workbooks.with_guide(GUIDE_SHEET, GUIDE)
    sheet = workbook.create_sheet(STRUCTURE_SHEET)
    workbooks.header(sheet, STRUCTURE_COLUMNS, (10, 24, 30, 10, 24, 32, 40, 30))
    for values in _structure_rows(structure.pillars):
        sheet.append([workbooks.as_text(v) for v in values])
    departments = workbook.create_sheet(DEPARTMENT_SHEET)
    workbooks.header(departments, DEPARTMENT_COLUMNS, (8, 24, 30, 36))
    for department in structure.departments:
        departments.append(
            [
                department.position or "",
                workbooks.as_text(department.name),
                department.reading,
                workbooks.as_text(department.email),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _structure_rows(pillars: tuple[Pillar, ...]) -> list[list[object]]:
    """A row per measure, or per pillar or area without one; a pillar's name and purpose on its first row."""
    rows: list[list[object]] = []
    for pillar in pillars:
        places: list[tuple[Area | None, Measure | None]] = [(None, m) for m in pillar.measures]
        for each in pillar.areas:
            places += [(each, m) for m in each.measures] or [(each, None)]
        for n, (area, measure) in enumerate(places or [(None, None)]):
            rows.append(
                [
                    pillar.number,
                    "" if n else pillar.title,
                    "" if n else pillar.purpose,
                    area.number if area else "",
                    area.title if area else "",
                    measure.title if measure else "",
                    measure.description if measure else "",
                    "、".join(_department_text(d) for d in measure.departments) if measure else "",
                ]
            )
    return rows


def _department_text(department: DepartmentRef) -> str:
    return f"{department.name}（{department.sub_unit}）" if department.sub_unit else department.name


def parse(data: bytes, source: str = "<入力>") -> Structure:
    """Read a structure workbook; raise `FormatError` naming the sheet and cell."""
    workbook = open_read_only(data, source).wb
    sheets = {
        name: workbooks.named_sheet_rows(workbook, name, source, departments_column=len(STRUCTURE_COLUMNS))
        for name in (STRUCTURE_SHEET, DEPARTMENT_SHEET)
    }
    departments = _departments(sheets[DEPARTMENT_SHEET], source)
    pillars = _pillars(sheets[STRUCTURE_SHEET], {d.name for d in departments}, source)
    return Structure(pillars, departments)


class _Sheet:
    """Cells of one sheet's rows, read as text, with errors naming the cell."""

    def __init__(self, name: str, columns: tuple[str, ...], source: str) -> None:
        self.name, self.columns, self.source = name, columns, source

    def error(self, row: int, column: int, message: str) -> FormatError:
        cell = f"{self.name}!{get_column_letter(column + 1)}{row}"
        return FormatError(self.source, 1, 1, f"{self.columns[column]}: {message}", cell=cell)

    def number(self, row: int, column: int, text: str) -> int:
        digits = unicodedata.normalize("NFKC", text).strip()
        if not digits.isdigit() or not 1 <= int(digits) <= LARGEST_NUMBER:
            raise self.error(
                row, column, f"「{text}」は番号ではありません（1 から {LARGEST_NUMBER} までの整数を書いてください）"
            )
        return int(digits)


def _body(rows: list[tuple[int, list[str]]], width: int) -> list[tuple[int, list[str]]]:
    """The rows after the header that hold anything, each padded to ``width`` cells."""
    return [
        (number, [workbooks.from_text(c.strip()) for c in (cells + [""] * width)[:width]])
        for number, cells in rows[1:]
        if any(c.strip() for c in cells)
    ]


def _departments(rows: list[tuple[int, list[str]]], source: str) -> tuple[DepartmentRow, ...]:
    sheet = _Sheet(DEPARTMENT_SHEET, DEPARTMENT_COLUMNS, source)
    found: dict[str, DepartmentRow] = {}
    for number, (position, name, reading, email) in _body(rows, 4):
        if not name:
            raise sheet.error(number, 1, "担当課の名前がありません")
        if name in found:
            raise sheet.error(number, 1, f"「{name}」が2回出てきます")
        reading = hiragana(reading)
        if not READING_RE.fullmatch(reading):
            raise sheet.error(number, 2, f"「{reading}」はひらがなではありません")
        if email and not _EMAIL_RE.fullmatch(email):
            raise sheet.error(number, 3, f"「{email}」はメールアドレスではありません")
        found[name] = DepartmentRow(name, sheet.number(number, 0, position) if position else None, reading, email)
    return tuple(found.values())


def hiragana(reading: str) -> str:
    """A reading as hiragana: katakana, half-width kana and full-width spaces are written the usual way."""
    text = unicodedata.normalize("NFKC", reading).strip()
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def _pillars(rows: list[tuple[int, list[str]]], known: set[str], source: str) -> tuple[Pillar, ...]:
    sheet = _Sheet(STRUCTURE_SHEET, STRUCTURE_COLUMNS, source)
    pillars: dict[int, Pillar] = {}
    areas: dict[tuple[int, int], Area] = {}
    measures: dict[tuple[int, int | None], list[Measure]] = {}
    titles: set[str] = set()

    def named(row: int, column: int, kept: str, given: str, what: str) -> str:
        if given and kept and given != kept:
            raise sheet.error(row, column, f"{what}の名前が前の行（「{kept}」）と違います")
        return kept or given

    for number, cells in _body(rows, len(STRUCTURE_COLUMNS)):
        pillar_no, pillar_title, purpose, area_no, area_title, title, description, names = cells
        if not pillar_no:
            raise sheet.error(number, 0, "基本方針の番号がありません")
        p = sheet.number(number, 0, pillar_no)
        kept = pillars.get(p, Pillar(p, ""))
        pillars[p] = replace(
            kept,
            title=named(number, 1, kept.title, pillar_title, "基本方針"),
            purpose=named(number, 2, kept.purpose, purpose, "基本方針の目的"),
        )
        a = None
        if area_no:
            a = sheet.number(number, 3, area_no)
            kept_area = areas.get((p, a), Area(a, ""))
            areas[p, a] = replace(kept_area, title=named(number, 4, kept_area.title, area_title, "施策の方向"))
        elif area_title:
            raise sheet.error(number, 3, f"施策の方向「{area_title}」の番号がありません")
        if not title:
            if description or names:
                raise sheet.error(number, 5, "施策名がありません")
            continue
        if title in titles:
            raise sheet.error(number, 5, f"施策「{title}」が2回出てきます")
        titles.add(title)
        measures.setdefault((p, a), []).append(
            Measure(title, description, departments=_refs(sheet, number, names, known))
        )
    for (p, a), area in areas.items():
        if not area.title:
            raise sheet.error(_first_row(rows, p, a), 4, f"基本方針{p}の施策の方向{a}の名前がありません")
    for p, pillar in pillars.items():
        if not pillar.title:
            raise sheet.error(_first_row(rows, p, None), 1, f"基本方針{p}の名前がありません")
    return tuple(
        replace(
            pillar,
            measures=tuple(measures.get((p, None), ())),
            areas=tuple(
                replace(area, measures=tuple(measures.get((p, a), ())))
                for (q, a), area in sorted(areas.items())
                if q == p
            ),
        )
        for p, pillar in sorted(pillars.items())
    )


def _first_row(rows: list[tuple[int, list[str]]], pillar: int, area: int | None) -> int:
    """The first row naming ``pillar`` (and ``area``), for an error about them."""
    for number, cells in rows[1:]:
        values = [unicodedata.normalize("NFKC", c).strip() for c in [*cells, "", "", "", ""][:4]]
        if values[0] == str(pillar) and (area is None or values[3] == str(area)):
            return number
    return 2


def _refs(sheet: _Sheet, row: int, names: str, known: set[str]) -> tuple[DepartmentRef, ...]:
    """The departments a cell names, separated by 「、」 or lines; a name the 担当課 sheet lists is
    taken whole (子ども家庭支援センター（ぶんじ）), else 「課（係）」 is a department and its sub-unit."""
    if names.strip() in known:
        return (DepartmentRef(names.strip()),)
    refs = []
    for written in filter(None, (n.strip() for n in _DEPARTMENT_SPLIT_RE.split(names))):
        match = _SUB_UNIT_RE.fullmatch(written)
        if written in known or not match:
            name, sub_unit = written, ""
        else:
            name, sub_unit = match["name"].strip(), match["sub"].strip()
        if name not in known:
            raise sheet.error(
                row, 7, f"「{name}」は担当課シートにありません（名前を確かめるか、担当課シートに加えてください）"
            )
        refs.append(DepartmentRef(name, sub_unit))
    return tuple(refs)
