"""Plain records of a published progress report, shared by every format.

A `Document` holds what a report says and how it is laid out (pages, the
title line), enough for a format to write the same bytes back. Text is kept
exactly as written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .reading import IndicatorFix

DEFAULT_HEADINGS = ("主要な施策", "担当課", "施策の内容")
WHOLE_GOVERNMENT = "全庁"


@dataclass(frozen=True)
class Item:
    text: str
    bullet: bool = True


@dataclass(frozen=True)
class Record:
    """One department's entry for a measure in one fiscal year.

    ``department`` is empty for text the report does not attribute to a department
    (a cell such as 「－」, or text before the first 【課】 block).
    """

    department: str
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class DepartmentRef:
    """A department carrying a measure; ``sub_unit`` is the office inside it (男女共同参画室)."""

    name: str
    sub_unit: str = ""


@dataclass(frozen=True)
class Measure:
    title: str
    description: str = ""
    departments: tuple[DepartmentRef, ...] = ()
    whole_government: bool = False
    # fiscal year → the records of that year, in the order printed
    records: dict[int, tuple[Record, ...]] = field(default_factory=dict)


# Turns the measures of a pillar or an area into others (the year's data dropped, numbered…).
MeasuresChange = Callable[[tuple[Measure, ...]], tuple[Measure, ...]]


@dataclass(frozen=True)
class Area:
    number: int
    title: str
    measures: tuple[Measure, ...] = ()
    # The numbering as written when it is not the usual "(1) ": "（１）", "(1)" without a space…
    numbering: str = ""


@dataclass(frozen=True)
class Pillar:
    number: int
    title: str
    purpose: str = ""
    measures: tuple[Measure, ...] = ()  # measures directly under the pillar, printed before its areas
    areas: tuple[Area, ...] = ()
    # Layout: the first area is printed on the pillar's own row.
    first_area_inline: bool = False
    # The numbering as written when it is not the usual "1 ": "１　", "1"…
    numbering: str = ""

    def all_measures(self) -> tuple[Measure, ...]:
        return self.measures + tuple(m for area in self.areas for m in area.measures)

    def with_measures(self, change: MeasuresChange) -> Pillar:
        """This pillar with its own measures, then each area's, replaced by ``change(measures)``."""
        return replace(
            self,
            measures=change(self.measures),
            areas=tuple(replace(area, measures=change(area.measures)) for area in self.areas),
        )


@dataclass(frozen=True)
class Page:
    """A printed page: the body row it starts at (0-based) and its column label (取組み, 実績)."""

    first_row: int
    label: str


@dataclass(frozen=True)
class Document:
    title: str
    years: tuple[int, ...]  # the fiscal years shown, oldest first; the report's own year is the last
    year_labels: tuple[str, ...]  # how the header writes each year (平成29年度), validated against ``years``
    pillars: tuple[Pillar, ...] = ()
    pages: tuple[Page, ...] = (Page(0, "取組み"),)
    headings: tuple[str, ...] = DEFAULT_HEADINGS
    title_mark: str = "■ "
    blank_lines_before_title: int = 2
    blank_lines_after_title: int = 1
    trailing_newlines: int = 0
    # What the reader read but says is probably a mistake (an unclosed 【), with its place; not part of
    # the report, and not compared.
    warnings: tuple[FormatError, ...] = field(default=(), compare=False)

    @property
    def fiscal_year(self) -> int:
        return self.years[-1]

    def all_measures(self) -> tuple[Measure, ...]:
        return tuple(m for pillar in self.pillars for m in pillar.all_measures())

    def with_measures(self, change: MeasuresChange) -> Document:
        """This report with every pillar's and area's measures replaced by ``change(measures)``."""
        return replace(self, pillars=tuple(pillar.with_measures(change) for pillar in self.pillars))


@dataclass(frozen=True)
class Correction:
    """One line of a 正誤表: what an edition says otherwise than the one before it."""

    measure: str  # the measure's title in the new edition (in the old one when it was removed)
    field: str  # 施策名, 施策の内容, 担当課 or 取組み
    before: str
    after: str
    department: str = ""  # for 取組み: whose entry
    year: int | None = None  # for 取組み: of which fiscal year


@dataclass(frozen=True)
class Issuer:
    """Who publishes a report: the municipality (with its 全国地方公共団体コード) and the plan's name;
    for a published edition, its label (第2版 令和2年6月1日公表) and what it corrects."""

    municipality: str
    plan: str
    code: str = ""
    prefecture: str = ""
    edition: str = ""
    corrections: tuple[Correction, ...] = ()
    indicator_fixes: tuple[IndicatorFix, ...] = ()  # what the staff corrected of the numbers read


class FormatError(ValueError):
    """Input that is not a valid report, with the place it went wrong.

    The place is a 1-based line and column in text, or a sheet and cell (報告書!D12) in a workbook.
    """

    def __init__(self, source: str, line: int, column: int, message: str, cell: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        self.cell = cell

    def __str__(self) -> str:
        if self.cell is not None:
            return f"{self.source}:{self.cell}: {self.message}"
        return f"{self.source}:{self.line}:{self.column}: {self.message}"
