"""The report as open-data CSV: one row per item, UTF-8 with BOM so that Excel reads it."""

from __future__ import annotations

import csv
import io

from ._rows import ITEM_COLUMNS, item_rows, plain_value
from .records import Document, Issuer

__all__ = ["render"]


def render(document: Document, issuer: Issuer) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ITEM_COLUMNS)
    writer.writerows([plain_value(v) for v in row] for row in item_rows(document, issuer))
    return "\ufeff" + out.getvalue()
