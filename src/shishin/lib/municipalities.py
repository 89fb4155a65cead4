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


_NAME_RE = re.compile(r"(?P<name>\S+?[都道府県市区町村])")


def named_at_start(text: str) -> tuple[str | None, list[Entry]]:
    """Find the municipality a text such as a report title starts with.

    Return the name as written and the list entries that carry it: one entry
    when the name identifies a municipality, several when prefectures share
    it (府中市), none when it is not in the list. A leading prefecture
    (東京都府中市…) settles a shared name.
    """
    prefecture = next(
        (e.prefecture for e in entries() if e.name == e.prefecture and text.startswith(e.prefecture)),
        None,
    )
    rest = text[len(prefecture) :] if prefecture else text
    candidates = [
        e
        for e in entries()
        if e.name != e.prefecture and rest.startswith(e.name) and (prefecture is None or e.prefecture == prefecture)
    ]
    if candidates:
        longest = max(len(e.name) for e in candidates)
        return rest[:longest], [e for e in candidates if len(e.name) == longest]
    if prefecture is not None:
        return prefecture, [e for e in entries() if e.name == prefecture and e.prefecture == prefecture]
    match = _NAME_RE.match(text)
    return (match["name"] if match else None), []
