"""Every format a report is written in, and read back from where it can be: one entry each.

The download links and the download view, the export command's ``--format`` and the import
command's choice of reader all come from `FORMATS`, so a format is added here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from . import csv_format, html, json_format, pdf, table_text, xlsx
from .records import Document, Issuer

__all__ = ["FORMATS", "READ_SUFFIXES", "Format", "reader_for"]

Units = dict[str, str] | None  # unit → fallback label, as `shishin.lib.quantities.extract` takes it
Render = Callable[[Document, Issuer, Units], bytes | str]
Parse = Callable[[bytes, str], Document]


@dataclass(frozen=True)
class Format:
    name: str  # in the address (report.xlsx) and on the command line (--format xlsx)
    label: str  # the download link
    content_type: str
    extension: str  # of the file written
    render: Render
    parse: Parse | None = None
    suffixes: tuple[str, ...] = ()  # the files read in this format, by name
    signature: bytes = b""  # how a file in this format begins, whatever its name

    def write(self, document: Document, issuer: Issuer, units: Units) -> bytes:
        content = self.render(document, issuer, units)
        return content.encode("utf-8") if isinstance(content, str) else content


# In the order the report page offers them.
FORMATS = {
    f.name: f
    for f in (
        Format(
            "xlsx",
            "Excel（印刷用とデータ）",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            xlsx.render,
            parse=xlsx.parse,
            suffixes=(".xlsx",),
            signature=b"PK\x03\x04",  # a zip archive
        ),
        Format("pdf", "PDF", "application/pdf", "pdf", lambda document, issuer, _: pdf.render(document, issuer)),
        Format(
            "csv",
            "CSV（オープンデータ）",
            "text/csv; charset=utf-8",
            "csv",
            lambda document, issuer, _: csv_format.render(document, issuer),
        ),
        Format("json", "JSON", "application/json", "json", json_format.render),
        Format(
            "html",
            "HTML（1ファイル）",
            "text/html; charset=utf-8",
            "html",
            lambda document, issuer, _: html.render(document, issuer),
        ),
        Format(
            "text",
            "テキスト（タブ区切り）",
            "text/tab-separated-values; charset=utf-8",
            "txt",
            lambda document, _, __: table_text.render(document),
            parse=table_text.parse,
            suffixes=(".txt", ".tsv"),
        ),
    )
}

READ_SUFFIXES = frozenset(suffix for f in FORMATS.values() for suffix in f.suffixes)


def reader_for(name: str, data: bytes) -> Parse:
    """Choose how to read a file: by how it begins, else by its name, else as table text.

    Anything unrecognised is read as table text, whose errors say what a report file must hold.
    """
    readable = [(f.signature, f.suffixes, f.parse) for f in FORMATS.values() if f.parse is not None]
    suffix = PurePath(name).suffix.lower()
    for signature, _, parse in readable:
        if signature and data.startswith(signature):
            return parse
    for _, suffixes, parse in readable:
        if suffix in suffixes:
            return parse
    return table_text.parse
