"""Find the numbers inside Japanese report text: quantities with their unit, and dates.

``extract("・車両数 15台 ・距離 9,588km", UNITS)`` gives (車両数, 15, 台) and (距離, 9588, km).
Dates (平成30年2月1日, H29.10.15, 11月12日～25日) are found first and are never
quantities. Spans index the text as written; nothing is normalised in place.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from . import wareki
from .tables import json_number

# Unit → the label used when the text gives none (「(2件)」 → 件数). Cities extend the list as data.
DEFAULT_UNITS: dict[str, str] = {
    "台": "台数",
    "回": "回数",
    "km": "距離",
    "㎞": "距離",
    "ｋｍ": "距離",
    "件": "件数",
    "人": "人数",
    "名": "人数",
    "個": "個数",
    "団体": "団体数",
    "枚": "枚数",
    "点": "点数",
    "セット": "セット数",
    "組": "組数",
    "校": "校数",
    "園": "園数",
    "ヶ所": "箇所数",
    "か所": "箇所数",
    "カ所": "箇所数",
    "ケ所": "箇所数",
    "箇所": "箇所数",
    "社": "社数",
}
# Indicators are stored as numeric(18, 4) (`plans.models.Indicator.value`): a number with more
# digits is not read as a quantity (it stays in the text), rather than rounded or refused.
MAX_INTEGER_DIGITS = 14
MAX_DECIMAL_PLACES = 4
APPROXIMATE = frozenset({"約", "およそ", "概ね", "程度", "前後", "余り"})
_PREFIXES = ("合計", "およそ", "概ね", "のべ", "延べ", "最大", "約", "計", "全")
_SUFFIXES = ("程度", "以上", "以下", "未満", "前後", "余り")
_PERIOD_RE = re.compile(r"(?P<period>毎週|週|毎月|月|毎年|年間|年|毎日|日)に?$")
_CONNECTIVES = ("として", "とした", "による", "における", "に対して", "に対し", "するため", "の一環で")
_UNINFORMATIVE = frozenset({"市内", "上記", "うち", "残り", "各", "全", "計", "合計", "約", "のべ", "延べ"})
_PARTICLES = ("から", "より", "を", "に", "で", "は", "が", "と", "の", "も", "へ")
_DELIMITERS = set("、。，．,「」『』【】[]/／:：;；！？!? 　\n")
_OPENING = {")": "(", "）": "（"}
_LONG_LABEL = 24
_VERB_RE = re.compile(r"[一-龥]{2,4}")

_D = "[0-9０-９]"
_NUMBER = rf"(?<![0-9０-９.．,，第])(?:{_D}{{1,3}}(?:[,，]{_D}{{3}})+|{_D}+)(?:[.．]{_D}+)?"
_RANGE = rf"(?:[～〜~－-](?:(?P<m2>{_D}{{1,2}})月)?(?P<d2>{_D}{{1,2}})日)?"
_DATE_RES = (
    re.compile(
        rf"(?P<era>明治|大正|昭和|平成|令和)(?P<y>元|{_D}{{1,2}})年"
        rf"(?:(?P<fy>度)|(?P<m>{_D}{{1,2}})月(?:(?P<d>{_D}{{1,2}})日{_RANGE})?)?"
    ),
    re.compile(rf"(?<!{_D})(?P<west>{_D}{{4}})年(?:(?P<fy>度)|(?P<m>{_D}{{1,2}})月(?:(?P<d>{_D}{{1,2}})日{_RANGE})?)?"),
    re.compile(
        rf"(?<![A-Za-zＡ-Ｚａ-ｚ])(?P<letter>[MTSHRＭＴＳＨＲ])(?P<y>{_D}{{1,2}})[.．](?P<m>{_D}{{1,2}})[.．](?P<d>{_D}{{1,2}})"
    ),
    re.compile(rf"(?<![0-9０-９年])(?P<m>{_D}{{1,2}})月(?P<d>{_D}{{1,2}})日{_RANGE}"),
)
_LETTER_ERA = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}


@dataclass(frozen=True)
class Quantity:
    label: str
    value: Decimal
    unit: str
    qualifier: str  # 約, 程度, 合計, 全, 週 (per week), 延べ 以上… or empty
    approximate: bool
    start: int
    end: int

    def as_json(self) -> dict[str, object]:
        """The quantity as the JSON outputs write it (value a number, whole when it is)."""
        return {
            "label": self.label,
            "value": json_number(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "approximate": self.approximate,
        }


@dataclass(frozen=True)
class DateMention:
    """A date or a period named in the text; ``first`` and ``last`` are None when the year is unknown."""

    text: str
    precision: str  # day, month, year or fiscal_year
    first: dt.date | None
    last: dt.date | None
    start: int
    end: int

    def as_json(self) -> dict[str, object]:
        """The date as the JSON outputs write it: ISO dates, or null when the year is unknown."""
        return {
            "text": self.text,
            "precision": self.precision,
            "start": self.first.isoformat() if self.first else None,
            "end": self.last.isoformat() if self.last else None,
        }


@dataclass(frozen=True)
class Extraction:
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]


def _int(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def _date_mention(match: re.Match[str], fiscal_year: int | None) -> DateMention:
    groups = match.groupdict()
    if groups.get("west"):
        year: int | None = _int(groups["west"])
    elif groups.get("era") or groups.get("letter"):
        era = groups.get("era") or _LETTER_ERA[unicodedata.normalize("NFKC", groups["letter"])]
        number = 1 if groups["y"] == "元" else _int(groups["y"])
        try:
            year = wareki.parse_fiscal_year(f"{era}{number}年度")
        except wareki.WarekiError:
            year = None  # 平成40年: written as a date, but the era had ended
    elif fiscal_year is not None:
        # 11月12日 in a fiscal year's record: April to December is the fiscal year's own calendar year.
        year = fiscal_year if _int(groups["m"]) >= 4 else fiscal_year + 1
    else:
        year = None
    month = _int(groups["m"]) if groups.get("m") else None
    day = _int(groups["d"]) if groups.get("d") else None
    if groups.get("fy"):
        precision = "fiscal_year"
    elif day is not None:
        precision = "day"
    elif month is not None:
        precision = "month"
    else:
        precision = "year"
    first = last = None
    if year is not None:
        try:
            if precision == "fiscal_year":
                first, last = wareki.fiscal_year_bounds(year)
            elif precision == "year":
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            elif month is not None and day is None:
                first = dt.date(year, month, 1)
                last = dt.date(year, month, calendar.monthrange(year, month)[1])
            elif month is not None and day is not None:
                first = last = dt.date(year, month, day)
                if groups.get("d2"):
                    end_month = _int(groups["m2"]) if groups.get("m2") else month
                    end_year = year + 1 if end_month < month else year
                    last = dt.date(end_year, end_month, _int(groups["d2"]))
        except ValueError:
            first = last = None  # 2月30日: named as a date, but no such day
    return DateMention(match.group(), precision, first, last, match.start(), match.end())


def _find_dates(text: str, fiscal_year: int | None) -> list[DateMention]:
    found: list[DateMention] = []
    for pattern in _DATE_RES:
        for match in pattern.finditer(text):
            if not any(d.start < match.end() and match.start() < d.end for d in found):
                found.append(_date_mention(match, fiscal_year))
    return sorted(found, key=lambda d: d.start)


@functools.lru_cache(maxsize=16)
def _quantity_re(units: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    prefixes = "|".join(_PREFIXES)
    suffixes = "|".join(_SUFFIXES)
    return re.compile(
        rf"(?P<prefix>{prefixes})?(?P<number>{_NUMBER})(?P<unit>{names})(?P<suffix>{suffixes})?(?![a-zA-Zａ-ｚＡ-Ｚ])"
    )


def _label_before(text: str, end: int, floor: int) -> str:
    """Read the words a number follows, back to a delimiter: 「通学路防犯カメラの設置(小学校) 40台」."""
    stop = end
    while stop > floor and text[stop - 1] in " 　":
        stop -= 1
    start = stop
    while start > floor:
        char = text[start - 1]
        if char in _OPENING:
            opening = text.rfind(_OPENING[char], floor, start - 1)
            if opening < 0:
                break
            start = opening
            continue
        if char in _DELIMITERS or char in "(（":
            break
        if char == "・" and (start - 1 == 0 or text[start - 2] in " 　\n"):
            break  # a bullet, not a middle dot inside a word
        start -= 1
    label = text[start:stop]
    for connective in _CONNECTIVES:
        label = label.rsplit(connective, 1)[-1]
    trimmed = None
    while trimmed != label:
        trimmed = label
        for word in (*_PARTICLES, *_UNINFORMATIVE):
            if label.endswith(word) and len(label) > len(word):
                label = label[: -len(word)]
    if len(label) > _LONG_LABEL:
        # Keep the noun at the end of a long clause: 「…準備していた啓発グッズ」 → 啓発グッズ.
        kana = [i for i, c in enumerate(label[:-2]) if _is_hiragana(c)]
        if kana:
            label = label[kana[-1] + 1 :]
    return label


def _storable(value: Decimal) -> bool:
    _, digits, exponent = value.as_tuple()
    decimals = max(-int(exponent), 0)
    return decimals <= MAX_DECIMAL_PLACES and len(digits) - decimals <= MAX_INTEGER_DIGITS


def _is_hiragana(char: str) -> bool:
    return "\u3041" <= char <= "\u309f"


def extract(text: str, units: dict[str, str] | None = None, fiscal_year: int | None = None) -> Extraction:
    """Find the quantities and dates in ``text``.

    ``units`` maps each unit to its fallback label (default `DEFAULT_UNITS`);
    ``fiscal_year`` places dates written without a year (11月12日).
    """
    units = DEFAULT_UNITS if units is None else units
    dates = _find_dates(text, fiscal_year)
    if not units:
        return Extraction((), tuple(dates))
    quantities: list[Quantity] = []
    floor = 0
    for match in _quantity_re(tuple(units)).finditer(text):
        if any(d.start < match.end() and match.start() < d.end for d in dates):
            continue
        floor = max([floor, *(d.end for d in dates if d.end <= match.start())])
        unit = match["unit"]
        label = _label_before(text, match.start(), floor)
        qualifiers = [q for q in (match["prefix"], match["suffix"]) if q]
        qualifier = " ".join(qualifiers)
        period = _PERIOD_RE.search(text, floor, match.start())
        if period and not qualifier:
            # 週1回, 月に1回: a rate, not a count of the preceding words.
            qualifier, label = period["period"].removeprefix("毎").removesuffix("間"), ""
        if unit == "回" and label and text[: match.start()].endswith("を"):
            # 「協議会を3回開催」: the count of the act, 協議会の開催回数.
            verb = _VERB_RE.match(text, match.end())
            if verb:
                label = f"{label}の{verb.group()}回数"
        if len(label) < 2 or label in _UNINFORMATIVE or all(map(_is_hiragana, label)):
            label = units[unit]
        value = Decimal(unicodedata.normalize("NFKC", match["number"]).replace(",", ""))
        if not _storable(value):
            continue
        approximate = any(q in APPROXIMATE for q in qualifiers)
        quantities.append(Quantity(label, value, unit, qualifier, approximate, match.start(), match.end()))
        floor = match.end()
    return Extraction(tuple(quantities), tuple(dates))
