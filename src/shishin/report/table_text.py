"""The published table as tab-separated text (the seed's format).

Layout: blank lines, a title line (``■ …``), blank lines, then pages. Each page
is a header row (主要な施策 | 担当課 | 施策の内容 | 平成29年度の取組み | …)
followed by section rows (基本方針, 施策の方向: only the first cell filled) and
measure rows; pages are separated by one blank line.

`parse` refuses what it could not write back unchanged, so a document that
parses is always rendered to the same text. It refuses a file larger than
`MAX_BYTES` before decoding it: the FY2018 report is 29 KB for 25 measures, and
a report seventy times its size still fits.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field, replace

from shishin.lib import wareki

from .records import (
    WHOLE_GOVERNMENT,
    Area,
    DepartmentRef,
    Document,
    FormatError,
    Item,
    Measure,
    Page,
    Pillar,
    Record,
)

__all__ = ["parse", "render"]

_TITLE_MARK_RE = re.compile(r"[■□◆◇●○◎◉▼▽▲△★☆][ 　]?")
_YEAR_HEADING_RE = re.compile(r"(?P<year>.+?年度)の(?P<label>.+)")
_PILLAR_RE = re.compile(r"(?P<numbering>(?P<number>[0-9０-９]+)[ 　]?)(?P<rest>\S.*)")
_AREA_RE = re.compile(r"(?P<numbering>[(（](?P<number>[0-9０-９]+)[)）][ 　]?)(?P<title>.+)")
_INLINE_AREA_RE = re.compile(r"(?P<head>.*?) (?P<area>[(（][0-9０-９]+[)）].+)")
_PURPOSE_END = "ために"
_SUB_UNIT_RE = re.compile(r"（(?P<sub_unit>[^（）]+)）")
_BLOCK_RE = re.compile(r"【(?P<department>[^【】]+)】")
# A 【 where a block may start, with no 】 before the next 【 or the end of the cell.
_UNCLOSED_BLOCK_RE = re.compile(r"(?:^| )(?P<bracket>【)[^【】]*(?=【|$)")
_BULLET = "・"
# Control characters (Unicode category Cc) other than the tab and the line end.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_BYTES = 2 * 2**20


def render(document: Document) -> str:
    """Write ``document`` as table text."""
    width = len(document.headings) + len(document.years)
    rows = list(_body_rows(document, width))
    lines = [""] * document.blank_lines_before_title
    lines.append(document.title_mark + document.title)
    lines.extend([""] * document.blank_lines_after_title)
    for number, page in enumerate(document.pages):
        if number:
            lines.append("")
        years = [f"{label}の{page.label}" for label in document.year_labels]
        lines.append("\t".join([*document.headings, *years]))
        end = document.pages[number + 1].first_row if number + 1 < len(document.pages) else len(rows)
        lines.extend(rows[page.first_row : end])
    return "\n".join(lines) + "\n" * document.trailing_newlines


def _body_rows(document: Document, width: int) -> list[str]:
    empty = "\t" * (width - 1)
    rows = []
    for pillar in document.pillars:
        text = (pillar.numbering or f"{pillar.number} ") + pillar.title
        if pillar.purpose:
            text += f" {pillar.purpose}"
        areas = list(pillar.areas)
        if pillar.first_area_inline and areas:
            text += " " + _area_text(areas[0])
        rows.append(text + empty)
        rows.extend(_measure_row(m, document.years) for m in pillar.measures)
        for number, area in enumerate(areas):
            if number or not pillar.first_area_inline:
                rows.append(_area_text(area) + empty)
            rows.extend(_measure_row(m, document.years) for m in area.measures)
    return rows


def _area_text(area: Area) -> str:
    return (area.numbering or f"({area.number}) ") + area.title


def _numbering(written: str, usual: str) -> tuple[int, str]:
    """Read a number written with ASCII or full-width digits; keep how it was written unless usual."""
    number = int(unicodedata.normalize("NFKC", re.sub(r"[^0-9０-９]", "", written)))
    return number, "" if written == usual.format(number) else written


def _measure_row(measure: Measure, years: tuple[int, ...]) -> str:
    departments = [WHOLE_GOVERNMENT] if measure.whole_government else []
    departments += [d.name + (f" （{d.sub_unit}）" if d.sub_unit else "") for d in measure.departments]
    cells = [measure.title, " ".join(departments), measure.description]
    cells += [_records_text(measure.records.get(year, ())) for year in years]
    return "\t".join(cells)


def _records_text(records: tuple[Record, ...]) -> str:
    return " ".join(_record_text(record) for record in records)


def _record_text(record: Record) -> str:
    items = [(_BULLET if item.bullet else "") + item.text for item in record.items]
    if not record.department:
        return " ".join(items)
    return " ".join([f"【{record.department}】", *items])


def parse(data: bytes | str, source: str = "<入力>", *, limit: int | None = MAX_BYTES) -> Document:
    """Read table text; raise `FormatError` naming the line and column of the first problem.
    ``limit``: the most bytes accepted (None for a text Shishin wrote itself: a published edition)."""
    text = _decode(data, source, limit) if isinstance(data, bytes) else data.replace("\r\n", "\n")
    document = _Parser(text, source).parse()
    _check_round_trip(document, text, source)
    return document


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _decode(data: bytes, source: str, limit: int | None) -> str:
    if limit is not None and len(data) > limit:
        raise FormatError(
            source,
            1,
            1,
            f"ファイルが大きすぎます（{len(data):,} バイト）。取り込める表は {limit:,} バイト"
            f"（{limit // 2**20} MB）までです",
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data.strip():
        raise FormatError(source, 1, 1, "ファイルが空です。表題の行と表（タブ区切り）が必要です")
    if b"\x00" in data:
        line, column = _position(data, data.index(b"\x00"))
        raise FormatError(
            source, line, column, "バイナリファイルです（NUL文字を含みます）。タブ区切りのテキストが必要です"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            # Excel on Japanese Windows saves tab-separated text as Shift_JIS (CP932).
            text = data.decode("cp932")
        except UnicodeDecodeError:
            line, column = _position(data, utf8_error.start)
            raise FormatError(
                source, line, column, "文字コードを判別できません。UTF-8 または Shift_JIS のテキストが必要です"
            ) from None
    text = text.replace("\r\n", "\n")
    control = _CONTROL.search(text)
    if control:
        offset = control.start()
        line, column = text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        raise FormatError(
            source, line, column, f"制御文字 U+{ord(control.group()):04X} があります。タブ区切りのテキストが必要です"
        )
    return text


def _check_round_trip(document: Document, text: str, source: str) -> None:
    written = render(document).split("\n")
    for number, (original, again) in enumerate(zip(text.split("\n"), written, strict=False), start=1):
        if original != again:
            column = next(
                (i for i, (a, b) in enumerate(zip(original, again, strict=False)) if a != b),
                min(len(original), len(again)),
            )
            raise FormatError(
                source,
                number,
                column + 1,
                "この行は表の書式どおりではありません（空白・区切り・括弧の書き方を確認してください）。"
                f"書式どおりなら「{again[max(0, column - 10) : column + 10]}」です",
            )


@dataclass
class _PillarDraft:
    number: int
    title: str
    purpose: str
    first_area_inline: bool
    numbering: str = ""
    measures: list[Measure] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    area_measures: list[list[Measure]] = field(default_factory=list)

    def freeze(self) -> Pillar:
        return Pillar(
            number=self.number,
            title=self.title,
            purpose=self.purpose,
            measures=tuple(self.measures),
            areas=tuple(replace(a, measures=tuple(m)) for a, m in zip(self.areas, self.area_measures, strict=True)),
            first_area_inline=self.first_area_inline,
            numbering=self.numbering,
        )


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = text.split("\n")
        self.trailing_newlines = 0
        while self.lines and self.lines[-1] == "" and len(self.lines) > 1:
            self.lines.pop()
            self.trailing_newlines += 1
        self.pillars: list[_PillarDraft] = []
        self.pages: list[Page] = []
        self.measure_lines: dict[str, int] = {}
        self.rows = 0
        self.warnings: list[FormatError] = []

    def error(self, index: int, column: int, message: str) -> FormatError:
        return FormatError(self.source, index + 1, column, message)

    def parse(self) -> Document:
        index = 0
        before = self._count_blank(index)
        index += before
        if index >= len(self.lines) or self.lines[index] == "":
            raise self.error(index, 1, "ファイルが空です。表題の行と表（タブ区切り）が必要です")
        title_line = self.lines[index]
        if "\t" in title_line:
            raise self.error(
                index, 1, "表の前に表題の行（例: 「■ 小金井市防犯指針に基づく平成30年度の取組み等について」）が必要です"
            )
        mark = _TITLE_MARK_RE.match(title_line)
        title_mark = mark.group() if mark else ""
        index += 1
        after = self._count_blank(index)
        index += after
        if index >= len(self.lines):
            raise self.error(index, 1, "表題の後に見出し行（主要な施策、担当課、施策の内容、各年度）が必要です")
        headings, years, year_labels = self._read_first_header(index)
        self.width = len(headings) + len(years)
        self.years = years
        self.headings = headings
        self.year_labels = year_labels
        expect_header = True
        for position in range(index, len(self.lines)):
            line = self.lines[position]
            if expect_header:
                self.pages.append(Page(self.rows, self._read_header(position)))
                expect_header = False
            elif line == "":
                expect_header = True
            else:
                self._read_row(position)
        if not any(p.measures or any(p.area_measures) for p in self.pillars):
            raise self.error(len(self.lines) - 1, 1, "表に施策の行がありません")
        return Document(
            title=title_line[len(title_mark) :],
            years=years,
            year_labels=year_labels,
            pillars=tuple(p.freeze() for p in self.pillars),
            pages=tuple(self.pages),
            headings=headings,
            title_mark=title_mark,
            blank_lines_before_title=before,
            blank_lines_after_title=after,
            trailing_newlines=self.trailing_newlines,
            warnings=tuple(self.warnings),
        )

    def _count_blank(self, index: int) -> int:
        count = 0
        while index + count < len(self.lines) - 1 and self.lines[index + count] == "":
            count += 1
        return count

    def _read_first_header(self, index: int) -> tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...]]:
        cells = self.lines[index].split("\t")
        if len(cells) < 4:
            raise self.error(
                index, 1, "見出し行（主要な施策、担当課、施策の内容、各年度の取組み をタブで区切ったもの）が必要です"
            )
        years = []
        labels = []
        column = sum(len(c) + 1 for c in cells[:3]) + 1
        for cell in cells[3:]:
            match = _YEAR_HEADING_RE.fullmatch(cell)
            if match is None:
                raise self.error(index, column, f"年度の見出し（例: 「平成30年度の取組み」）が必要ですが「{cell}」です")
            try:
                years.append(wareki.parse_fiscal_year(match["year"]))
            except wareki.WarekiError as err:
                raise self.error(index, column, str(err)) from None
            labels.append(match["year"])
            column += len(cell) + 1
        return tuple(cells[:3]), tuple(years), tuple(labels)

    def _read_header(self, index: int) -> str:
        cells = self.lines[index].split("\t")
        expected = [*self.headings, *(f"{y}の" for y in self.year_labels)]
        column = 1
        label = None
        for number, want in enumerate(expected):
            cell = cells[number] if number < len(cells) else None
            if number < len(self.headings):
                ok = cell == want
            else:
                ok = cell is not None and cell.startswith(want) and len(cell) > len(want)
                if ok and cell is not None:
                    ok = label is None or cell[len(want) :] == label
                    label = cell[len(want) :]
            if not ok:
                raise self.error(
                    index, column, f"ページの始めに見出し行「{want}…」が必要です（ページは空行1行で区切ります）"
                )
            column += len(cell or "") + 1
        if len(cells) != len(expected):
            raise self.error(index, column, f"見出し行は{len(expected)}列が必要ですが{len(cells)}列です")
        assert label is not None
        return label

    def _read_row(self, index: int) -> None:
        line = self.lines[index]
        cells = line.split("\t")
        if len(cells) < self.width:
            raise self.error(
                index,
                len(line) + 1,
                f"{self.width}列（タブ区切り）が必要ですが{len(cells)}列しかありません。行が途中で切れていませんか",
            )
        if len(cells) > self.width:
            column = sum(len(c) + 1 for c in cells[: self.width]) + 1
            raise self.error(index, column, f"{self.width}列（タブ区切り）が必要ですが{len(cells)}列あります")
        if cells[: len(self.headings)] == list(self.headings):
            raise self.error(index, 1, "見出し行の前にはページ区切りの空行が必要です")
        if not any(cells[1:]):
            self._read_section(index, cells[0])
        else:
            self._read_measure(index, cells)
        self.rows += 1

    def _read_section(self, index: int, text: str) -> None:
        if (match := _PILLAR_RE.fullmatch(text)) is not None:
            rest = match["rest"]
            inline = _INLINE_AREA_RE.fullmatch(rest)
            head = inline["head"] if inline else rest
            title, purpose = head, ""
            if head.endswith(_PURPOSE_END) and " " in head:
                title, purpose = head.split(" ", 1)
            number, numbering = _numbering(match["numbering"], "{} ")
            if any(p.number == number for p in self.pillars):
                raise self.error(index, 1, f"基本方針 {number} が2回あります。基本方針の番号は重複できません")
            self.pillars.append(_PillarDraft(number, title, purpose, inline is not None, numbering))
            if inline:
                self._add_area(index, inline["area"])
        elif _AREA_RE.fullmatch(text):
            self._add_area(index, text)
        elif text:
            raise self.error(
                index,
                1,
                "基本方針の行（例: 「1 日常生活における安全安心の確保 …ために」）"
                "または施策の方向の行（例: 「(1) 地域防犯力の向上」）が必要です",
            )
        else:
            raise self.error(index, 1, "空の行です。施策名か基本方針・施策の方向が必要です")

    def _add_area(self, index: int, text: str) -> None:
        match = _AREA_RE.fullmatch(text)
        assert match is not None
        if not self.pillars:
            raise self.error(
                index, 1, "施策の方向の前に基本方針の行（例: 「1 日常生活における安全安心の確保 …ために」）が必要です"
            )
        number, numbering = _numbering(match["numbering"], "({}) ")
        if any(area.number == number for area in self.pillars[-1].areas):
            raise self.error(
                index,
                1,
                f"基本方針 {self.pillars[-1].number} の施策の方向 ({number}) が2回あります。番号は重複できません",
            )
        self.pillars[-1].areas.append(Area(number, match["title"], (), numbering))
        self.pillars[-1].area_measures.append([])

    def _read_measure(self, index: int, cells: list[str]) -> None:
        if not self.pillars:
            raise self.error(
                index, 1, "施策の前に基本方針の行（例: 「1 日常生活における安全安心の確保 …ために」）が必要です"
            )
        if not cells[0]:
            raise self.error(index, 1, "施策名（1列目）が空です")
        if cells[0] in self.measure_lines:
            raise self.error(
                index, 1, f"施策「{cells[0]}」は{self.measure_lines[cells[0]]}行目にもあります。施策名は重複できません"
            )
        self.measure_lines[cells[0]] = index + 1
        pillar = self.pillars[-1]
        tokens = cells[1].split(" ") if cells[1] else []
        if "" in tokens:
            column = len(cells[0]) + 2 + max(cells[1].find("  "), 0)
            raise self.error(
                index, column, "担当課は空白1つで区切ってください（先頭・末尾の空白や空白の連続はできません）"
            )
        departments: list[DepartmentRef] = []
        for token in tokens:
            sub_unit = _SUB_UNIT_RE.fullmatch(token)
            if sub_unit and departments and not departments[-1].sub_unit:
                departments[-1] = DepartmentRef(departments[-1].name, sub_unit["sub_unit"])
            elif token != WHOLE_GOVERNMENT:
                if any(d.name == token for d in departments):
                    raise self.error(index, len(cells[0]) + 2, f"担当課「{token}」が2回あります")
                departments.append(DepartmentRef(token))
        column = sum(len(c) + 1 for c in cells[: len(self.headings)]) + 1
        records = {}
        for year, cell in zip(self.years, cells[len(self.headings) :], strict=True):
            records[year] = self._read_records(index, column, cell)
            column += len(cell) + 1
        measure = Measure(
            title=cells[0],
            description=cells[2],
            departments=tuple(departments),
            whole_government=WHOLE_GOVERNMENT in tokens,
            records={year: found for year, found in records.items() if found},
        )
        if pillar.areas:
            pillar.area_measures[-1].append(measure)
        else:
            pillar.measures.append(measure)

    def _read_records(self, index: int, column: int, cell: str) -> tuple[Record, ...]:
        # A block starts at 【…】 at the start of the cell or after a space; 【交通対策課所管】
        # inside an item is preceded by other text.
        if unclosed := _UNCLOSED_BLOCK_RE.search(cell):
            # Read as before (text of no department, written back as it was), and said.
            self.warnings.append(
                self.error(
                    index,
                    column + unclosed.start("bracket"),
                    "【 が閉じていないため、担当課のない文として読みました。担当課は【地域安全課】のように 】 で閉じてください",
                )
            )
        starts = [m for m in _BLOCK_RE.finditer(cell) if m.start() == 0 or cell[m.start() - 1] == " "]
        records: list[Record] = []
        lead_end = starts[0].start() - 1 if starts else len(cell)
        if lead_end > 0:
            # Text before the first block (or with no block at all, such as 「－」) names no department.
            records.append(Record("", _read_items(cell[:lead_end])))
        for number, block in enumerate(starts):
            end = starts[number + 1].start() - 1 if number + 1 < len(starts) else len(cell)
            body = cell[block.end() : end]
            department = block["department"]
            if any(r.department == department for r in records):
                raise self.error(
                    index, column + block.start(), f"【{department}】が同じ欄に2回あります。1つにまとめてください"
                )
            if body and not body.startswith(" "):
                raise self.error(index, column + block.end(), f"【{department}】の後には空白が必要です")
            records.append(Record(department, _read_items(body[1:])))
        return tuple(records)


def _read_items(text: str) -> tuple[Item, ...]:
    # ・ is a bullet only at the start or after a space; inside words it is a
    # middle dot (安全・安心メール, 小・中学校).
    bullets = [i for i, char in enumerate(text) if char == _BULLET and (i == 0 or text[i - 1] == " ")]
    items = []
    lead = text[: max(bullets[0] - 1, 0)] if bullets else text
    if lead:
        items.append(Item(lead, bullet=False))
    for number, start in enumerate(bullets):
        end = bullets[number + 1] - 1 if number + 1 < len(bullets) else len(text)
        items.append(Item(text[start + 1 : end]))
    return tuple(items)
