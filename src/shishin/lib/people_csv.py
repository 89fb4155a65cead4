"""The CSV of accounts an administrator imports: 氏名, メールアドレス, 役割, 担当課 (departments separated
by blanks or 、). Read as Excel saves it (UTF-8 with or without a BOM, or Shift_JIS), written as
Excel opens it (UTF-8 with a BOM).

`parse` reads the file into plain rows and refuses only a file it cannot read as a whole (its
encoding, its header, its size); what each row says is checked where accounts are made
(`shishin.plans.actions.people`), every row at once.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .tables import to_csv

COLUMNS = {"name": "氏名", "email": "メールアドレス", "role": "役割", "departments": "担当課"}
MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
# Between department names: blanks (full-width too), 、 and commas, as people type a list in one cell.
_DEPARTMENT_SEPARATORS = re.compile(r"[\s、，,;；]+")


@dataclass(frozen=True)
class Row:
    """One account as a line of the file says it; ``line`` is where it starts (the header is line 1)."""

    line: int
    name: str
    email: str
    role: str
    departments: tuple[str, ...]


class CsvError(ValueError):
    """The file cannot be read as a whole; the message is for the user (Japanese)."""


def parse(data: bytes) -> list[Row]:
    """The rows of the file, blank lines left out; `CsvError` when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise CsvError(f"ファイルが大きすぎます（{len(data):,}バイト）。{MAX_BYTES // 1_000_000} MB までです")
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: dict[str, int] | None = None
    rows: list[Row] = []
    line = 1
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                line = reader.line_num + 1
                continue
            if header is None:
                header = _header(cells, line)
            else:
                extra = [cell for index, cell in enumerate(cells) if cell and index not in header.values()]
                if extra:
                    raise CsvError(f"{line}行目: 見出しのない列に「{extra[0]}」があります")
                value = {key: cells[index] if index < len(cells) else "" for key, index in header.items()}
                departments = tuple(name for name in _DEPARTMENT_SEPARATORS.split(value["departments"]) if name)
                rows.append(Row(line, value["name"], value["email"], value["role"], departments))
                if len(rows) > MAX_ROWS:
                    raise CsvError(f"行が多すぎます。1つのファイルで{MAX_ROWS:,}人までです")
            line = reader.line_num + 1
    except csv.Error as error:
        raise CsvError(f"{line}行目: CSV として読めません（{error}）") from None
    if header is None:
        raise CsvError(f"見出しの行（{','.join(COLUMNS.values())}）がありません")
    if not rows:
        raise CsvError("登録する利用者の行がありません")
    return rows


def render(rows: Iterable[Row]) -> bytes:
    """The rows as a file `parse` reads back (with no rows: the template people fill in)."""
    records = [{"name": r.name, "email": r.email, "role": r.role, "departments": " ".join(r.departments)} for r in rows]
    return to_csv(records, COLUMNS).encode("utf-8")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise CsvError("ファイルに NUL 文字が含まれています。CSV 形式で保存し直してください")
        return text
    raise CsvError("文字コードを読み取れません。UTF-8 または Shift_JIS の CSV で保存してください")


def _header(cells: list[str], line: int) -> dict[str, int]:
    # Half-width katakana (ﾒｰﾙｱﾄﾞﾚｽ) and full-width spaces are the same heading.
    wanted = {title: key for key, title in COLUMNS.items()}
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if not cell:
            continue
        key = wanted.get(unicodedata.normalize("NFKC", cell).replace(" ", ""))
        if key is None:
            raise CsvError(f"{line}行目: 見出し「{cell}」は使えません。見出しは {','.join(COLUMNS.values())} です")
        if key in found:
            raise CsvError(f"{line}行目: 見出し「{cell}」が2つあります")
        found[key] = index
    missing = [title for key, title in COLUMNS.items() if key not in found]
    if missing:
        raise CsvError(
            f"{line}行目: 見出し「{'」「'.join(missing)}」がありません。見出しは {','.join(COLUMNS.values())} です"
        )
    return found
