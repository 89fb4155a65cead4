"""parse(render(document)) == document for generated documents the table text format can hold."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shishin.lib import wareki
from shishin.report import table_text
from shishin.report.records import Area, DepartmentRef, Document, Item, Measure, Page, Pillar, Record

# Characters that matter to the format (・ 【 】 （ ） ( )) appear inside words; a word never
# starts with one of them, because after a space they would open a bullet, a block or an area.
_INNER = "・【】()（）、。0123456789,."
_PLAIN = "安全市民課防犯パトロール子ども見守り回件台ABCabcｱｲｳ１２３"
_word = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(_PLAIN),
    st.text(alphabet=_PLAIN + _INNER, max_size=8),
)


def _words(min_size: int = 1, max_size: int = 4) -> st.SearchStrategy[str]:
    return st.lists(_word, min_size=min_size, max_size=max_size).map(" ".join)


_department_name = st.text(alphabet=_PLAIN + "・()", min_size=1, max_size=8).filter(
    lambda w: w != "全庁" and w[0] not in "・("
)
_sub_unit = st.text(alphabet=_PLAIN, min_size=1, max_size=6)
_item = st.builds(Item, text=_words(0), bullet=st.just(True))
_lead_item = st.builds(Item, text=_words(1), bullet=st.just(False))


@st.composite
def _record_list(draw: st.DrawFn) -> tuple[Record, ...]:
    names = draw(st.lists(_department_name, min_size=1, max_size=3, unique=True))
    records = []
    for name in names:
        items = draw(st.lists(_item, max_size=3))
        if draw(st.booleans()):
            items.insert(0, draw(_lead_item))
        records.append(Record(name, tuple(items)))
    if draw(st.booleans()):
        unattributed = draw(st.lists(_item, min_size=1, max_size=2))
        records.insert(0, Record("", (draw(_lead_item), *unattributed) if draw(st.booleans()) else tuple(unattributed)))
    return tuple(records)


@st.composite
def _measure(draw: st.DrawFn, years: tuple[int, ...]) -> Measure:
    names = draw(st.lists(_department_name, max_size=3, unique=True))
    departments = [DepartmentRef(name, draw(st.one_of(st.just(""), _sub_unit))) for name in names]
    whole_government = draw(st.booleans()) or not departments
    shown = draw(st.lists(st.sampled_from(years), unique=True))
    return Measure(
        title=draw(_words()).replace("主要な施策", "施策"),
        description=draw(_words(0)),
        departments=tuple(departments),
        whole_government=whole_government,
        records={year: draw(_record_list()) for year in sorted(shown)},
    )


@st.composite
def _pillar(draw: st.DrawFn, number: int, years: tuple[int, ...]) -> Pillar:
    measures = st.lists(_measure(years), max_size=2).map(tuple)
    areas = tuple(
        Area(n, draw(_words()), draw(measures), draw(st.sampled_from(["", f"（{n}）", f"({n})", f"（{n}） "])))
        for n in range(1, draw(st.integers(0, 3)) + 1)
    )
    direct = draw(measures)
    purpose = draw(st.one_of(st.just(""), _words().map(lambda w: w + "ために")))
    return Pillar(
        number=number,
        title=draw(_word),
        purpose=purpose,
        measures=direct,
        areas=areas,
        first_area_inline=bool(areas) and not direct and draw(st.booleans()),
        numbering=draw(st.sampled_from(["", f"{number}　", chr(0xFF10 + number) + " " if number < 10 else ""])),
    )


@st.composite
def documents(draw: st.DrawFn) -> Document:
    last = draw(st.integers(1990, 2030))
    years = tuple(range(last - draw(st.integers(0, 2)), last + 1))
    labels = tuple(
        "平成31年度" if year == 2019 and draw(st.booleans()) else wareki.fiscal_year_label(year) for year in years
    )
    pillars = tuple(draw(_pillar(n, years)) for n in range(1, draw(st.integers(1, 3)) + 1))
    if not any(p.all_measures() for p in pillars):
        pillars = (*pillars[:-1], Pillar(len(pillars), "方針", measures=(draw(_measure(years)),)))
    pillars = _numbered_titles(pillars)
    rows = sum(1 + len(p.all_measures()) + len(p.areas) - p.first_area_inline for p in pillars)
    breaks = sorted(draw(st.lists(st.integers(0, rows), max_size=3)))
    label = st.sampled_from(["取組み", "実績", "取組状況"])
    return Document(
        title=draw(_words()),
        years=years,
        year_labels=labels,
        pillars=pillars,
        pages=(Page(0, draw(label)), *(Page(row, draw(label)) for row in breaks)),
        headings=draw(st.sampled_from([("主要な施策", "担当課", "施策の内容"), ("施策", "担当部署", "内容")])),
        title_mark=draw(st.sampled_from(["■ ", "◆", ""])),
        blank_lines_before_title=draw(st.integers(0, 3)),
        blank_lines_after_title=draw(st.integers(0, 2)),
        trailing_newlines=draw(st.integers(0, 2)),
    )


def _numbered_titles(pillars: tuple[Pillar, ...]) -> tuple[Pillar, ...]:
    """Make measure titles unique in the document, as a plan requires."""
    counter = iter(range(1, 1000))

    def number(measures: tuple[Measure, ...]) -> tuple[Measure, ...]:
        return tuple(replace(m, title=f"{m.title}{next(counter)}") for m in measures)

    return tuple(p.with_measures(number) for p in pillars)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_parse_inverts_render(document: Document) -> None:
    text = table_text.render(document)
    assert table_text.parse(text) == document
    assert table_text.parse(text.encode("utf-8")) == document
