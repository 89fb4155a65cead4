from __future__ import annotations

import subprocess
import sys

import pytest

from shishin.report import table_text, xlsx
from shishin.report.formats import FORMATS, READ_SUFFIXES, reader_for
from shishin.report.records import Document, Issuer

ISSUER = Issuer("小金井市", "小金井市防犯指針", "132101", "東京都")


@pytest.fixture
def document(seed_bytes: bytes) -> Document:
    return table_text.parse(seed_bytes)


def test_the_formats_are_offered_in_the_order_of_the_report_page() -> None:
    assert list(FORMATS) == ["xlsx", "pdf", "csv", "json", "html", "text"]
    assert {f.name: f.extension for f in FORMATS.values()}["text"] == "txt"


@pytest.mark.parametrize("name", ["xlsx", "text"])
def test_a_readable_format_reads_back_what_it_writes(document: Document, name: str) -> None:
    written = FORMATS[name]
    assert written.parse is not None
    assert written.parse(written.write(document, ISSUER, None), "報告書") == document


@pytest.mark.parametrize(
    ("name", "start", "reader"),
    [
        pytest.param("report.xlsx", b"PK\x03\x04", xlsx.parse, id="a workbook"),
        pytest.param("report.XLSX", b"", xlsx.parse, id="a workbook by its name only"),
        pytest.param("report.txt", b"PK\x03\x04", xlsx.parse, id="a workbook named as text"),
        pytest.param("report.tsv", b"\n\n", table_text.parse, id="table text"),
        pytest.param("report.csv", b"\n\n", table_text.parse, id="anything else, as table text"),
    ],
)
def test_a_file_is_read_in_the_format_its_beginning_or_its_name_says(name: str, start: bytes, reader: object) -> None:
    assert reader_for(name, start + b"...") is reader


def test_a_folder_imports_the_files_of_the_readable_formats() -> None:
    assert {".xlsx", ".txt", ".tsv"} == READ_SUFFIXES


def test_the_formats_need_no_django() -> None:
    code = "import sys, shishin.report.formats; print(sorted(m for m in sys.modules if m.startswith('django')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"
