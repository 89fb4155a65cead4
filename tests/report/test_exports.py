from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import subprocess
import zlib
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from shishin.report import csv_format, html, json_format, pdf, table_text
from shishin.report.records import Document, Issuer

ISSUER = Issuer("小金井市", "小金井市防犯指針", "132101", "東京都")


@pytest.fixture(scope="module")
def document() -> Document:
    seed = resources.files("shishin.demo").joinpath("koganei-bohan-h30-torikumi.txt").read_bytes()
    return table_text.parse(seed)


def _schema() -> dict[str, Any]:
    text = resources.files("shishin.report").joinpath("schemas/report.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def test_the_json_follows_its_schema(document: Document) -> None:
    data = json.loads(json_format.render(document, ISSUER))
    jsonschema.Draft202012Validator.check_schema(_schema())
    jsonschema.Draft202012Validator(_schema(), format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["municipality"] == {"code": "132101", "prefecture": "東京都", "name": "小金井市"}
    assert data["period"] == {"start": "2018-04-01", "end": "2019-03-31"}
    patrol = data["pillars"][0]["areas"][0]["measures"][0]
    assert patrol["records"][1]["items"][1]["indicators"] == [
        {"label": "パトロール回数", "value": 472, "unit": "回", "qualifier": "", "approximate": False}
    ]


def test_the_schema_refuses_what_it_does_not_describe(document: Document) -> None:
    data = json.loads(json_format.render(document, ISSUER))
    data["pillars"][0]["number"] = "一"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, _schema())


def test_the_csv_has_one_row_per_item_with_the_municipality_code(document: Document) -> None:
    text = csv_format.render(document, ISSUER)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    items = sum(len(r.items) for m in document.all_measures() for records in m.records.values() for r in records)
    assert len(rows) == items
    assert {row["全国地方公共団体コード"] for row in rows} == {"132101"}
    assert rows[1]["取組み"] == "パトロール回数 589回" and rows[1]["年度開始日"] == "2017-04-01"


def test_the_html_is_one_self_contained_accessible_file(document: Document) -> None:
    page = html.render(document, ISSUER)
    assert page.startswith('<!DOCTYPE html>\n<html lang="ja">')
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "<script" not in page and "<style>" in page
    assert page.count('<th scope="row" class="measure-title">') == 25
    assert "<caption>平成30年度（2018年度）の取組み状況</caption>" in page
    assert '<th scope="colgroup" colspan="5">(2) 子どもの安全確保</th>' in page


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed (make test installs it as root)"
)


@needs_poppler
def test_the_pdf_is_a4_landscape_with_every_measure_and_the_font_embedded(tmp_path: Path, document: Document) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.render(document, ISSUER))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # the emb column
    assert "IPAexGothic" in fonts
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for measure in document.all_measures():
        assert re.sub(r"\s+", "", measure.title) in flat
    pages = text.split("\f")
    assert all("主要な施策" in page for page in pages if page.strip())


def _pdf_objects(data: bytes) -> bytes:
    """A PDF's objects as text, its compressed streams (object streams among them) inflated."""
    inflated = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        with contextlib.suppress(zlib.error):
            inflated.append(zlib.decompress(stream.group(1)))
    return b"\n".join(inflated)


@needs_poppler
def test_the_pdf_is_tagged_for_screen_readers(tmp_path: Path, document: Document) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.render(document, ISSUER))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert f"Title:           {document.title}" in info
    objects = _pdf_objects(path.read_bytes())
    assert b"/Lang (ja)" in objects and b"/DisplayDocTitle true" in objects
    assert (
        b'pdfuaid:part="1"' in subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, check=True).stdout
    )
    # The structure a screen reader follows: headings, then the table with its header cells, in order.
    tree = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True, check=True).stdout
    tags = [line.split()[0] for line in tree.splitlines() if line.strip()]
    assert tags.index("H1") < tags.index("Table") < tags.index("THead") < tags.index("TH") < tags.index("TBody")
    assert tags.count("TH") >= len(document.all_measures()) + 5  # a header cell per column, and per measure row
