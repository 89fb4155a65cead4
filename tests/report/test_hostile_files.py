"""Files made to do harm, through `shishin import` and `shishin export` as a user runs them: text a
spreadsheet would run as a formula, and workbooks and tables too large to read (issue 13)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shishin.report import table_text, xlsx
from shishin.report.records import Issuer

from ..helpers import export, report, row, run, snapshot

pytestmark = pytest.mark.django_db


def _report(*rows: str) -> bytes:
    """A small report of 小金井市, a city the municipality list knows (the import then warns of nothing)."""
    return report(*rows).replace("架空市".encode(), "小金井市".encode())


LIKE_FORMULAS = _report(
    row(
        '=HYPERLINK("https://example.com/","防犯パトロール")',
        "地域安全課",
        "-3件減を目指す",
        '=HYPERLINK("https://example.com/","詳細")',
        "【地域安全課】 -3件減 ・+ ・@安全メール",
    ),
    row("防犯講習会", "地域安全課", "講習会を開く", "【地域安全課】 ・2回", "【地域安全課】 ・3回"),
)
PLAIN = _report(row("防犯講習会", "地域安全課", "講習会を開く", "【地域安全課】 ・2回", "【地域安全課】 ・3回"))


def _write(tmp_path: Path, data: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _exported(tmp_path: Path, data: bytes, format_: str) -> Path:
    """Import ``data`` as table text, then export its year in ``format_``."""
    status, _, err = run("import", str(_write(tmp_path, data, "report.txt")))
    assert status == 0, err
    path = tmp_path / f"exported.{format_}"
    status, _, err = run("export", "--year", "2018", "--format", format_, "-o", str(path))
    assert status == 0, err
    return path


def _refused(path: Path) -> str:
    """Import ``path``, which must be refused with one line and nothing written; that line."""
    before = snapshot()
    status, out, err = run("import", str(path))
    assert (status, out) == (2, ""), err
    assert snapshot() == before
    (line,) = err.splitlines()
    return line


# Formulas


def test_text_that_starts_like_a_formula_is_written_to_the_workbook_as_text(tmp_path: Path) -> None:
    path = _exported(tmp_path, LIKE_FORMULAS, "xlsx")
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not [sheet for sheet in sheets if re.search(rb"<(\w+:)?f[ >]", sheet)]
    workbook = load_workbook(path)  # formulas as formulas, not their values
    report_sheet, data = workbook["報告書"], workbook["データ"]
    assert [(report_sheet[c].value, report_sheet[c].data_type) for c in ("A6", "C6", "D6")] == [
        ('=HYPERLINK("https://example.com/","防犯パトロール")', "s"),
        ("-3件減を目指す", "s"),
        ('=HYPERLINK("https://example.com/","詳細")', "s"),
    ]
    assert data["R1"].value == "取組み"
    assert [(cell.value, cell.data_type) for cell in data["R"][1:]] == [
        ('=HYPERLINK("https://example.com/","詳細")', "s"),
        ("2回", "s"),
        ("-3件減", "s"),
        ("+", "s"),
        ("@安全メール", "s"),
        ("3回", "s"),
    ]


def test_a_workbook_with_such_text_reads_back_as_it_was_written(tmp_path: Path) -> None:
    path = _exported(tmp_path, LIKE_FORMULAS, "xlsx")
    before = snapshot()
    status, out, err = run("import", str(path))
    assert (status, err) == (0, "")
    assert "変更はありません" in out
    assert snapshot() == before
    assert export() == LIKE_FORMULAS


def test_the_csv_puts_a_quote_before_text_that_starts_like_a_formula(tmp_path: Path) -> None:
    path = _exported(tmp_path, LIKE_FORMULAS, "csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    title = '\'=HYPERLINK("https://example.com/","防犯パトロール")'
    assert [(r["年度（西暦）"], r["施策"], r["取組み"]) for r in rows] == [
        ("2017", title, '\'=HYPERLINK("https://example.com/","詳細")'),
        ("2017", "防犯講習会", "2回"),
        ("2018", title, "'-3件減"),
        ("2018", title, "'+"),
        ("2018", title, "'@安全メール"),
        ("2018", "防犯講習会", "3回"),
    ]


def test_the_indicators_csv_puts_a_quote_before_text_that_starts_like_a_formula(tmp_path: Path) -> None:
    status, _, err = run("import", str(_write(tmp_path, LIKE_FORMULAS, "report.txt")))
    assert status == 0, err
    status, out, err = run("indicators", "--year", "2018", "--format", "csv")
    assert status == 0, err
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    fields = [field for found in rows[1:] for field in found]
    assert "'-3件減" in fields and '\'=HYPERLINK("https://example.com/","防犯パトロール")' in fields
    assert not [field for field in fields if field.startswith(("=", "+", "-", "@"))]


def test_a_formula_in_the_workbook_is_refused_with_its_cell(tmp_path: Path) -> None:
    path = _exported(tmp_path, PLAIN, "xlsx")
    workbook = load_workbook(path)
    workbook["報告書"]["E6"] = "=1+1"
    workbook.save(path)
    assert _refused(path) == (
        f"{path}:報告書!E6: 数式（=1+1）は取り込めません。計算の結果を値として貼り付けるか、文字で入力してください"
    )


# Workbooks too large to read: each is a real workbook whose 報告書 sheet is replaced.


def _workbook(sheet_xml: Iterator[bytes]) -> bytes:
    """The workbook of PLAIN with the 報告書 sheet's XML written from ``sheet_xml``."""
    original = zipfile.ZipFile(io.BytesIO(xlsx.render(table_text.parse(PLAIN), Issuer("小金井市", "小金井市防犯指針"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in original.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(part, original.read(part))
                continue
            with archive.open(part.filename, "w", force_zip64=True) as sheet:
                for chunk in sheet_xml:
                    sheet.write(chunk)
    return out.getvalue()


def _sheet(dimension: str, rows: Iterator[bytes]) -> Iterator[bytes]:
    yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    yield f'<dimension ref="{dimension}"/><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def _numbered_rows(count: int) -> Iterator[bytes]:
    for number in range(1, count + 1):
        yield f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()


def _same_rows(megabytes: int) -> Iterator[bytes]:
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
    for _ in range(megabytes * 2**20 // len(row)):
        yield row


@pytest.mark.parametrize(
    ("dimension", "rows", "expected"),
    [
        pytest.param(
            "A1:A48000",
            partial(_same_rows, 48),
            ":-: ブックの xl/worksheets/sheet1.xml が展開すると 48.0 MB になります。"
            "展開して1つ 16 MB、全体で 32 MB までのブックを取り込めます",
            id="zip-bomb",
        ),
        pytest.param(
            "A1:A4000",
            partial(_same_rows, 4),
            ":-: ブックの xl/worksheets/sheet1.xml は ",
            id="packed-too-well",
        ),
        pytest.param(
            "A1:F1000000",
            partial(_numbered_rows, xlsx.MAX_ROWS + 5_000),
            ":報告書!F1000000: シートの範囲が 1,000,000 行 × 6 列あります。取り込めるのは 20,000 行、200,000 セルまでです",
            id="a-million-rows",
        ),
        pytest.param(
            "A1:E40",
            partial(_numbered_rows, xlsx.MAX_ROWS + 5_000),
            ":報告書!A20001: 行またはセルが多すぎます。取り込めるのは 20,000 行、200,000 セルまでです",
            id="more-rows-than-its-dimension-says",
        ),
    ],
)
def test_a_workbook_too_large_to_read_is_refused_before_it_is_read(
    tmp_path: Path, dimension: str, rows: Callable[[], Iterator[bytes]], expected: str
) -> None:
    path = _write(tmp_path, _workbook(_sheet(dimension, rows())), "report.xlsx")
    assert _refused(path).startswith(f"{path}{expected}")


def test_a_layout_sheet_with_counts_no_report_has_is_ignored(tmp_path: Path) -> None:
    path = _exported(tmp_path, PLAIN, "xlsx")
    workbook = load_workbook(path)
    layout = json.loads(workbook["書式情報"]["B1"].value)
    workbook["書式情報"]["B1"] = json.dumps({**layout, "trailing_newlines": 10**9})
    workbook.save(path)
    status, out, err = run("import", str(path))
    assert (status, err) == (0, "")
    assert "変更はありません" in out


# Table text


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (
            table_text.MAX_BYTES + 1,
            ":1:1: ファイルが大きすぎます（2,097,153 バイト）。取り込める表は 2,097,152 バイト（2 MB）までです",
        ),
        (table_text.MAX_BYTES, ":1:1: バイナリファイルです"),  # read, and refused for what it holds
    ],
    ids=["just-over-the-limit", "at-the-limit"],
)
def test_a_table_too_large_to_read_is_refused_before_it_is_decoded(tmp_path: Path, size: int, expected: str) -> None:
    path = _write(tmp_path, b"\x00" * size, "report.txt")
    assert _refused(path).startswith(f"{path}{expected}")


def test_a_file_larger_than_any_report_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """200 MB (sparse: no disk is used) is refused from its size alone, as a 200 MB table was read for
    minutes before."""
    path = tmp_path / "report.txt"
    with path.open("wb") as file:
        file.truncate(200 * 2**20)
    assert _refused(path) == (
        f"{path}:1:1: ファイルが大きすぎます（209,715,200 バイト）。取り込めるファイルは 8,388,608 バイトまでです"
    )


@pytest.mark.parametrize(
    ("cell", "column"),
    [("【地域安全課 ・車両数 15台", 13), ("【地域安全課】 ・車両数 15台 【交通対策課 ・点検", 30)],
    ids=["first-block", "a-later-block"],
)
def test_an_unclosed_department_bracket_is_read_as_before_and_said_with_its_place(
    tmp_path: Path, cell: str, column: int
) -> None:
    """It used to be read silently as text of no department: it still is (the report reads back as it
    was), and the import says where, so that the clerk can look."""
    data = _report(row("施策", "地域安全課", "内容", cell, ""))
    path = _write(tmp_path, data, "report.txt")
    status, out, err = run("import", str(path))
    assert status == 0 and "取り込みました" in out
    assert err.splitlines() == [
        f"警告: {path}:7:{column}: 【 が閉じていないため、担当課のない文として読みました。"
        "担当課は【地域安全課】のように 】 で閉じてください"
    ]
    assert export(2018) == data
    workbook = _exported(tmp_path, data, "xlsx")  # the same place in the workbook: its cell
    status, _, err = run("import", str(workbook))
    assert status == 0 and err.startswith(f"警告: {workbook}:報告書!D")


def test_a_part_named_with_any_bytes_is_named_on_one_line(tmp_path: Path) -> None:
    """atheris found it: a made-up archive may name a part with a line break; the message stays one line."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/work\nsheet\x1b.xml", b"\0" * (xlsx.MAX_PART_BYTES + 1))
    path = _write(tmp_path, packed.getvalue(), "report.xlsx")
    assert _refused(path).startswith(f"{path}:-: ブックの xl/work?sheet?.xml が展開すると 16.0 MB になります")
