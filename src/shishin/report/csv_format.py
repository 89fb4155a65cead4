"""The report as open-data CSV: one row per item, UTF-8 with BOM so that Excel reads it.

A text field that starts with =, +, -, @, a tab or a carriage return is written with a ' in front
(-3件減 as '-3件減): a spreadsheet opening the file would otherwise take it for a formula and run it
(=HYPERLINK(…) sends whoever clicks it to another site). This is the usual defence against CSV
injection (OWASP); spreadsheets show the ', and a program reading the CSV should drop a leading
' before one of those characters. Numbers are written as they are.

An edition's CSV has two more columns: its label (第2版 令和2年6月1日公表) and, on the first row of
what it corrects, what the edition before it said there: its 正誤表, one table still. A correction
with no row left to stand on (a record removed) gets a row of its own.
"""

from __future__ import annotations

import csv
import io

from shishin.lib import wareki
from shishin.lib.tables import inert

from ._rows import ITEM_COLUMNS, item_rows, plain_value
from .records import Correction, Document, Issuer

__all__ = ["CORRECTION_COLUMNS", "render"]

CORRECTION_COLUMNS = ("版", "訂正（前の版の記載）")
_YEAR, _MEASURE, _DEPARTMENT = (
    ITEM_COLUMNS.index("年度（西暦）"),
    ITEM_COLUMNS.index("施策"),
    ITEM_COLUMNS.index("担当課"),
)


def render(document: Document, issuer: Issuer) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    rows = item_rows(document, issuer)
    if issuer.edition:
        writer.writerow(ITEM_COLUMNS + CORRECTION_COLUMNS)
        rows = _corrected(rows, issuer)
    else:
        writer.writerow(ITEM_COLUMNS)
    writer.writerows([inert(plain_value(v)) for v in row] for row in rows)
    return "\ufeff" + out.getvalue()


def _said(correction: Correction) -> str:
    return f"{correction.field}: {correction.before or '（記載なし）'}"


def _corrected(rows: list[tuple[object, ...]], issuer: Issuer) -> list[tuple[object, ...]]:
    """The rows with the edition's label, each correction on the first row of its measure (or record)."""
    pending = list(issuer.corrections)
    written = []
    for row in rows:
        here = [
            c
            for c in pending
            if c.measure == row[_MEASURE]
            and (c.year is None or (c.year == row[_YEAR] and c.department == row[_DEPARTMENT]))
        ]
        pending = [c for c in pending if c not in here]
        written.append((*row, issuer.edition, "\n".join(map(_said, here))))
    for correction in pending:
        blank: list[object] = [""] * len(ITEM_COLUMNS)
        blank[:4] = (issuer.code, issuer.prefecture, issuer.municipality, issuer.plan)
        if correction.year is not None:
            first, last = wareki.fiscal_year_bounds(correction.year)
            blank[_YEAR : _YEAR + 4] = (correction.year, wareki.fiscal_year_label(correction.year), first, last)
        blank[_MEASURE], blank[_DEPARTMENT] = correction.measure, correction.department
        written.append((*blank, issuer.edition, _said(correction)))
    return written
