"""Files made to do harm, through `shishin import` and `shishin export` as a user runs them: text a
spreadsheet would run as a formula, and tables too large to read (issue 13)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shishin.report import table_text

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


@pytest.mark.parametrize(
    ("cell", "column"),
    [("【地域安全課 ・車両数 15台", 13), ("【地域安全課】 ・車両数 15台 【交通対策課 ・点検", 30)],
    ids=["first-block", "a-later-block"],
)
def test_an_unclosed_department_bracket_is_refused_at_its_place(tmp_path: Path, cell: str, column: int) -> None:
    path = _write(tmp_path, _report(row("施策", "地域安全課", "内容", cell, "")), "report.txt")
    assert _refused(path) == (
        f"{path}:7:{column}: 【 が閉じていません。担当課は【地域安全課】のように 】 で閉じてください"
    )
