from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shishin.plans.models import Item, Plan

from ..helpers import run, snapshot

pytestmark = pytest.mark.django_db


def _export(tmp_path: Path, format: str, name: str) -> Path:
    path = tmp_path / name
    status, _, err = run("export", "--year", "2018", "--format", format, "-o", str(path))
    assert status == 0, err
    return path


def _clear() -> None:
    Plan.objects.all().delete()
    assert not Item.objects.exists()


def test_text_to_database_to_xlsx_to_database_to_text_is_byte_identical(
    tmp_path: Path, seeded: Plan, seed_bytes: bytes
) -> None:
    workbook = _export(tmp_path, "xlsx", "report.xlsx")
    _clear()
    status, _, err = run("import", str(workbook))
    assert (status, err) == (0, ""), err
    assert _export(tmp_path, "text", "again.txt").read_bytes() == seed_bytes


def test_export_import_export_gives_the_same_workbook_data(tmp_path: Path, seeded: Plan) -> None:
    first = _export(tmp_path, "xlsx", "first.xlsx")
    _clear()
    run("import", str(first))
    second = _export(tmp_path, "xlsx", "second.xlsx")

    def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
        workbook = load_workbook(io.BytesIO(path.read_bytes()))
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}

    assert cells(first) == cells(second)


def test_a_bad_workbook_is_one_line_exit_2_and_nothing_written(tmp_path: Path, seeded: Plan) -> None:
    workbook_path = _export(tmp_path, "xlsx", "report.xlsx")
    workbook = load_workbook(workbook_path)
    workbook["報告書"]["A9"] = "第2節 子どもの安全確保"  # a section row nobody can read
    workbook.save(workbook_path)
    before = snapshot()
    status, out, err = run("import", str(workbook_path), "--replace")
    assert status == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"{workbook_path}:報告書!A9: 基本方針の行"), err
    assert snapshot() == before


def test_a_file_named_xlsx_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"not a workbook")
    status, _, err = run("import", str(path))
    assert status == 2 and err.startswith(f"{path}:-: Excel ブック（.xlsx）として開けません")


@pytest.mark.parametrize(
    ("format", "start"),
    [("html", b"<!DOCTYPE html>"), ("csv", "\ufeff全国".encode()), ("json", b"{"), ("pdf", b"%PDF-")],
)
def test_every_format_exports_from_the_command_line(tmp_path: Path, seeded: Plan, format: str, start: bytes) -> None:
    assert _export(tmp_path, format, f"report.{format}").read_bytes().startswith(start)
