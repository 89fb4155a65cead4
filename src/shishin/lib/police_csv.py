"""The prefectural police's open data of street crimes (犯罪発生情報): one CSV per crime type and year, one
row per incident. Read by its header names (full- or half-width), in Shift_JIS or UTF-8, and counted for
one municipality by type, month, hour and 町丁目. A problem names its line and field; nothing is counted
from a file with one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

CODE = "市区町村コード（発生地）"
TOWN = "町丁目（発生地）"
DATE = "発生年月日（始期）"
HOUR = "発生時（始期）"
TYPES = ("手口", "罪名")  # what a row counts as: its 手口 where the file has one, else its 罪名
REQUIRED = (CODE, TOWN, DATE, HOUR)
MAX_BYTES = 50 * 2**20  # a year of a prefecture's bicycle thefts is a few MB
_DATE_RE = re.compile(r"(\d{4})[/\-年.](\d{1,2})[/\-月.](\d{1,2})日?")


class PoliceCsvError(ValueError):
    """What is wrong with a file, for the user (Japanese), naming the line and the field."""


@dataclass(frozen=True)
class Count:
    crime: str
    month: int | None  # None: the date is not known (the police leave it blank)
    hour: int | None  # None: the hour is not known (不明)
    town: str


@dataclass(frozen=True)
class Counted:
    counts: Counter[Count]
    other_places: int  # rows of other municipalities, left out


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().replace(" ", "")


def decode(data: bytes, source: str) -> str:
    """The file's text: UTF-8 (with or without a BOM), else Shift_JIS; a byte neither reads is named."""
    if len(data) > MAX_BYTES:
        raise PoliceCsvError(f"{source}: ファイルが大きすぎます（{MAX_BYTES // 2**20} MB まで）")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise PoliceCsvError(
            f"{source}: {line}行目の {column} バイト目（0x{data[err.start]:02X}）を Shift_JIS としても UTF-8 としても読めません"
        ) from None


def count(data: bytes, source: str, municipality_code: str, year: int) -> Counted:
    """Count the incidents of ``municipality_code`` (全国地方公共団体コード, 5 or 6 digits) in calendar ``year``."""
    reader = csv.reader(io.StringIO(decode(data, source), newline=""), strict=True)
    try:
        return _count(reader, source, municipality_code, year)
    except csv.Error as err:
        said = next((why for start, why in _CSV_ERRORS if str(err).startswith(start)), "形が正しくありません")
        raise PoliceCsvError(f"{source}: {reader.line_num}行目を CSV として読めません（{said}）") from None


_CSV_ERRORS = (
    ("unexpected end of data", '閉じていない「"」があります'),
    ("field larger than field limit", "セルが長すぎます"),
    ("new-line character seen in unquoted field", "改行の形が正しくありません"),
    ("',' expected after '\"'", '「"」で囲んだセルのあとに「,」がありません'),
)


def _count(reader: Any, source: str, municipality_code: str, year: int) -> Counted:
    header = next(reader, None)
    if not header:
        raise PoliceCsvError(f"{source}: 空のファイルです")
    columns = {_key(name): number for number, name in enumerate(header)}
    missing = [name for name in REQUIRED if _key(name) not in columns]
    kinds = [name for name in TYPES if _key(name) in columns]
    if missing or not kinds:
        named = missing + ([] if kinds else ["手口 または 罪名"])
        raise PoliceCsvError(
            f"{source}: 1行目の見出しに「{'」「'.join(named)}」がありません（警察のオープンデータの列名のままにしてください）"
        )
    where = {name: columns[_key(name)] for name in (*REQUIRED, kinds[0])}
    place = municipality_code.strip()[:5]
    counts: Counter[Count] = Counter()
    others = 0
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if any("\n" in cell or "\r" in cell for cell in row):
            raise PoliceCsvError(
                f'{source}: {line}行目までの行に、セルの中の改行があります（閉じていない「"」がないか確かめてください）'
            )
        cells = {name: (row[number].strip() if number < len(row) else "") for name, number in where.items()}
        if cells[CODE][:5] != place:
            others += 1
            continue
        counts[
            Count(_crime(cells[kinds[0]], line, kinds[0], source), *_when(cells, line, year, source), cells[TOWN])
        ] += 1
    if not counts:
        raise PoliceCsvError(
            f"{source}: 市区町村コード {municipality_code} の行がありません（ほかの市区町村の行が {others:,} 行あります）"
        )
    return Counted(counts, others)


def _crime(text: str, line: int, column: str, source: str) -> str:
    if not text:
        raise PoliceCsvError(f"{source}: {line}行目の「{column}」が空欄です")
    return text


def _when(cells: dict[str, str], line: int, year: int, source: str) -> tuple[int | None, int | None]:
    """The month and hour of a row (None where the police left them blank or 不明), refusing a date outside
    ``year`` or one that is not a date."""
    if cells[DATE] in ("", "不明"):
        return None, _hour(cells, line, source)
    found = _DATE_RE.fullmatch(unicodedata.normalize("NFKC", cells[DATE]))
    try:
        day = dt.date(int(found[1]), int(found[2]), int(found[3])) if found else None
    except ValueError:
        day = None
    if day is None:
        raise PoliceCsvError(
            f"{source}: {line}行目の「{DATE}」「{cells[DATE]}」は日付ではありません（2023/01/05 の形）"
        )
    if day.year != year:
        raise PoliceCsvError(f"{source}: {line}行目の「{DATE}」「{cells[DATE]}」は{year}年ではありません")
    return day.month, _hour(cells, line, source)


def _hour(cells: dict[str, str], line: int, source: str) -> int | None:
    hour_text = unicodedata.normalize("NFKC", cells[HOUR]).removesuffix("時")
    if hour_text in ("", "不明"):
        return None
    if not hour_text.isdigit() or not 0 <= int(hour_text) <= 23:
        raise PoliceCsvError(f"{source}: {line}行目の「{HOUR}」「{cells[HOUR]}」は 0 から 23 の時刻か「不明」です")
    return int(hour_text)
