"""全国地方公共団体コード: validation and the national list shipped with the package."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

_WEIGHTS = (6, 5, 4, 3, 2)
_CODE_RE = re.compile(r"\d{6}")


@dataclass(frozen=True)
class Entry:
    code: str
    prefecture: str
    name: str  # the city, or the prefecture itself on prefecture rows


def check_digit(first_five: str) -> int:
    """Return the JIS X 0402 check digit of a 5-digit code."""
    total = sum(int(digit) * weight for digit, weight in zip(first_five, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def code_error(code: str) -> str | None:
    """Say what is wrong with ``code`` in Japanese, or return None when it is valid."""
    if not _CODE_RE.fullmatch(code):
        return f"全国地方公共団体コード「{code}」は6桁の数字ではありません"
    if check_digit(code[:5]) != int(code[5]):
        return f"全国地方公共団体コード「{code}」の検査数字が正しくありません（{code[:5]}{check_digit(code[:5])} ではありませんか）"
    return None


def is_valid_code(code: str) -> bool:
    return code_error(code) is None


@functools.cache
def entries() -> tuple[Entry, ...]:
    """Return every prefecture and municipality of the national list."""
    text = resources.files("shishin.data").joinpath("municipalities.csv").read_text(encoding="utf-8")
    return tuple(
        Entry(row["code"], row["prefecture"], row["city"] or row["prefecture"])
        for row in csv.DictReader(text.splitlines())
    )


def by_code(code: str) -> Entry | None:
    return next((entry for entry in entries() if entry.code == code), None)


@functools.cache
def _municipality_names() -> tuple[re.Pattern[str], dict[str, list[Entry]]]:
    """One pattern for every municipality's name, longest first, and the entries of each name."""
    by_name: dict[str, list[Entry]] = {}
    for entry in entries():
        if entry.name != entry.prefecture:
            by_name.setdefault(entry.name, []).append(entry)
    names = sorted(by_name, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))), by_name


_NAME_RE = re.compile(r"[^\s■□◆◇●○]+?[都道府県市区町村]")


def named_in(text: str) -> tuple[str | None, list[Entry]]:
    """Find the municipality a text such as a report title names first.

    Return the name as written and the list entries that carry it: one entry
    when the name identifies a municipality, several when prefectures share
    it (府中市), none when it is not in the list. A prefecture written just
    before the name (東京都府中市) settles a shared name.
    """
    pattern, by_name = _municipality_names()
    # The leftmost name, and the longest of those starting there (the pattern lists longest first).
    first = pattern.search(text)
    if first:
        candidates = by_name[first.group()]
        settled = [e for e in candidates if text[: first.start()].endswith(e.prefecture)]
        return first.group(), settled or candidates
    prefectures = [(text.find(e.name), e) for e in entries() if e.name == e.prefecture and e.name in text]
    if prefectures:
        entry = min(prefectures, key=lambda pair: pair[0])[1]
        return entry.name, [entry]
    match = _NAME_RE.search(text)
    return (match.group() if match else None), []
