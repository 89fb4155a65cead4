from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shishin.report import table_text, xlsx
from shishin.report.records import Document, FormatError, Issuer

ISSUER = Issuer("小金井市", "小金井市防犯指針", "132101", "東京都")


@pytest.fixture
def document(seed_bytes: bytes) -> Document:
    return table_text.parse(seed_bytes)


@pytest.fixture
def workbook(document: Document) -> Workbook:
    return load_workbook(io.BytesIO(xlsx.render(document, ISSUER)))


def _saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_workbook_reads_back_as_the_same_report(document: Document, seed_bytes: bytes) -> None:
    again = xlsx.parse(xlsx.render(document, ISSUER))
    assert again == document
    assert table_text.render(again).encode() == seed_bytes


def test_the_report_sheet_is_ready_to_print(workbook: Workbook) -> None:
    sheet = workbook["報告書"]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize or 0) == int(sheet.PAPERSIZE_A4)
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet["A1"].value == "■ 小金井市防犯指針に基づく平成30年度の取組み等について"
    assert sheet["A2"].value == "平成30年度（2018年度）・平成30年4月1日～平成31年3月31日"
    assert [c.value for c in sheet[4]] == [
        "主要な施策",
        "担当課",
        "施策の内容",
        "平成29年度の取組み",
        "平成30年度の取組み",
    ]
    assert sheet["D6"].alignment.wrap_text
    assert sheet["D6"].value == "【地域安全課】\n・車両数 15台\n・パトロール回数 589回\n・距離 9,588km"
    assert [b.id for b in sheet.row_breaks.brk] == [13, 17, 31]
    widths = [sheet.column_dimensions[c].width for c in "ABCDE"]
    assert all(w and w >= 16 for w in widths)


def test_the_data_sheets_are_machine_readable(workbook: Workbook, document: Document) -> None:
    data = workbook["データ"]
    assert not data.merged_cells.ranges
    header = [c.value for c in data[1]]
    assert header[:5] == ["全国地方公共団体コード", "都道府県名", "地方公共団体名", "指針", "年度（西暦）"]
    rows = list(data.iter_rows(min_row=2, values_only=True))
    items = sum(len(r.items) for m in document.all_measures() for records in m.records.values() for r in records)
    assert len(rows) == items
    first = dict(zip(header, rows[0], strict=True))
    assert first["全国地方公共団体コード"] == "132101"
    assert first["年度（西暦）"] == 2017 and first["年度開始日"] == "2017-04-01"
    assert first["取組み"] == "車両数 15台"
    indicators = workbook["指標"]
    assert not indicators.merged_cells.ranges
    header = [c.value for c in indicators[1]]
    assert header[12:15] == ["指標", "値", "単位"]
    values = [row for row in indicators.iter_rows(min_row=2, values_only=True) if row[12] == "パトロール回数"]
    assert [(row[4], row[13], row[14]) for row in values] == [(2017, 589, "回"), (2018, 472, "回")]
    assert all(isinstance(row[13], int | float) for row in indicators.iter_rows(min_row=2, values_only=True))


def _insert_blank_rows(sheet: Worksheet, row: int, amount: int = 1) -> None:
    """Insert rows as Excel does, moving the merged cells below along (openpyxl leaves them)."""
    merged = [r.coord for r in sheet.merged_cells.ranges]
    for coord in merged:
        sheet.unmerge_cells(coord)
    sheet.insert_rows(row, amount)
    for coord in merged:
        sheet.merge_cells(":".join(_shifted(ref, row, amount) for ref in coord.split(":")))


def _shifted(ref: str, row: int, amount: int) -> str:
    column, number = ref.rstrip("0123456789"), int(ref.lstrip("ABCDEFGHIJ"))
    return ref if number < row else f"{column}{number + amount}"


def test_what_staff_do_in_excel_is_read_the_same(workbook: Workbook, document: Document) -> None:
    sheet = workbook["報告書"]
    _insert_blank_rows(sheet, 8)  # blank rows for spacing
    _insert_blank_rows(sheet, 12, amount=2)
    sheet.append([])
    # Line breaks typed to wrap Japanese text join without a space; before ・ or 【 they separate items.
    sheet["C7"] = sheet["C7"].value.replace("、", "、\n", 1)
    sheet["D6"] = sheet["D6"].value.replace("パトロール", "パトロ\nール", 1)
    sheet["B16"] = sheet["B16"].value.replace(" ", "\n")
    assert xlsx.parse(_saved(workbook)) == document


def test_a_workbook_without_the_layout_sheet_still_reads(workbook: Workbook, document: Document) -> None:
    del workbook["書式情報"]
    again = xlsx.parse(_saved(workbook))
    assert again.all_measures() == document.all_measures()
    assert [p.first_row for p in again.pages] == [p.first_row for p in document.pages]


@pytest.mark.parametrize(
    ("cell", "value", "expected"),
    [
        ("F20", "余分", "report.xlsx:報告書!F20: 5列（タブ区切り）が必要ですが6列あります"),
        ("A9", "第2節 子どもの安全確保", "report.xlsx:報告書!A9: 基本方針の行"),
        ("D4", "前年度", "report.xlsx:報告書!A1: 見出し行"),
    ],
    ids=["extra-column", "unknown-section-row", "no-header"],
)
def test_a_wrong_cell_is_named_by_sheet_and_cell(workbook: Workbook, cell: str, value: str, expected: str) -> None:
    workbook["報告書"][cell] = value
    workbook["報告書"]["E4"] = "本年度" if cell == "D4" else workbook["報告書"]["E4"].value
    with pytest.raises(FormatError) as caught:
        xlsx.parse(_saved(workbook), "report.xlsx")
    assert str(caught.value).startswith(expected)


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(FormatError) as caught:
        xlsx.parse(b"PK\x03\x04 not really a zip", "report.xlsx")
    assert str(caught.value).startswith("report.xlsx:-: Excel ブック（.xlsx）として開けません")


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (make test installs it as root)"
)
def test_libreoffice_prints_the_report_sheet_with_the_header_on_every_page(tmp_path: Path, document: Document) -> None:
    (tmp_path / "report.xlsx").write_bytes(xlsx.render(document, ISSUER))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "report.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert "841.89 x 595.3" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    report_pages = text.split("全国地方公共団体コード")[0].split("\f")
    assert len(report_pages) >= 4  # the original four pages at least, each with its rows
    assert all("主要な施策" in page for page in report_pages if page.strip())
    printed = [page for page in report_pages if page.strip()]
    raw = subprocess.run(
        ["pdftotext", "-raw", "-l", str(len(printed)), str(pdf), "-"], capture_output=True, text=True
    ).stdout
    flat = raw.replace(" ", "").replace("\n", "")
    assert all(m.title.replace(" ", "") in flat for m in document.all_measures())
