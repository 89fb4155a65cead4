"""Random and mutated documents: the importers either read them or raise the documented FormatError."""

from __future__ import annotations

import io
from importlib import resources

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from shishin.report import table_text, xlsx
from shishin.report.records import FormatError, Issuer

SEED = resources.files("shishin.demo").joinpath("koganei-bohan-h30-torikumi.txt").read_bytes()
LINES = SEED.decode().split("\n")
TRICKY = st.sampled_from(
    ["\t", "\n", "\r\n", "【", "】", "・", " ", "（", "）", "(", ")", "1", "全庁", "■ ", "\x00", "\ufeff"]
)
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes) -> None:
    try:
        document = table_text.parse(data, "fuzz.txt")
    except FormatError as err:
        assert str(err).startswith("fuzz.txt:")
        assert "\n" not in str(err)
    else:
        # Whatever is read is written back unchanged (after BOM/CRLF normalisation).
        assert table_text.parse(table_text.render(document)) == document


@st.composite
def mutated_lines(draw: st.DrawFn) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        action = draw(st.sampled_from(["cut", "insert", "drop", "duplicate", "swap"]))
        if action == "cut" and line:
            start = draw(st.integers(0, len(line) - 1))
            lines[index] = line[:start] + line[draw(st.integers(start, len(line))) :]
        elif action == "insert":
            at = draw(st.integers(0, len(line)))
            extra = "".join(draw(st.lists(st.one_of(TRICKY, st.text(max_size=3)), max_size=4)))
            lines[index] = line[:at] + extra + line[at:]
        elif action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        else:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
    return "\n".join(lines).encode("utf-8")


@FUZZ
@given(mutated_lines())
def test_mutated_reports_are_read_or_refused_with_a_place(data: bytes) -> None:
    _read(data)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_are_refused_cleanly(data: bytes) -> None:
    _read(data)


@FUZZ
@given(st.binary(max_size=200))
def test_a_truncated_or_corrupted_report_is_refused_cleanly(tail: bytes) -> None:
    _read(SEED[: len(tail) * 37 % len(SEED)] + tail)


# What a person can type into a cell: no control characters (openpyxl refuses those itself).
CELL_TEXT = st.one_of(TRICKY, st.text(max_size=8)).filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t))
WORKBOOK = xlsx.render(table_text.parse(SEED), Issuer("小金井市", "小金井市防犯指針", "132101", "東京都"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(1, 40), st.integers(1, 7), st.one_of(st.none(), CELL_TEXT, st.integers())),
        min_size=1,
        max_size=5,
    )
)
def test_edited_workbooks_are_read_or_refused_with_a_cell(edits: list[tuple[int, int, str | int | None]]) -> None:
    workbook = load_workbook(io.BytesIO(WORKBOOK))
    sheet = workbook["報告書"]
    for row, column, value in edits:
        cell = sheet.cell(row, column)
        if type(cell).__name__ != "MergedCell":
            cell.value = value
    out = io.BytesIO()
    workbook.save(out)
    try:
        xlsx.parse(out.getvalue(), "fuzz.xlsx")
    except FormatError as err:
        assert str(err).startswith("fuzz.xlsx:")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=500))
def test_random_bytes_named_xlsx_are_refused_cleanly(data: bytes) -> None:
    try:
        xlsx.parse(b"PK\x03\x04" + data, "fuzz.xlsx")
    except FormatError as err:
        assert str(err).startswith("fuzz.xlsx:")
