"""Japanese era years (和暦) and fiscal years (年度).

Years are stored as 西暦; 和暦 is derived for display and accepted on input.
A fiscal year is named by the 西暦 year it starts in: FY2018 runs from
2018-04-01 to 2019-03-31 and is written 平成30年度.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: dt.date


# Oldest first. Dates before the Gregorian adoption (明治6年) are not handled.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", dt.date(1868, 10, 23)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("令和", "R", dt.date(2019, 5, 1)),
)
_BY_NAME = {era.name: era for era in ERAS}
_BY_LETTER = {era.letter: era for era in ERAS}


class WarekiError(ValueError):
    """A 和暦 text that does not name a real year or date."""


def era_of(day: dt.date) -> Era:
    """Return the era in force on ``day``."""
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    raise WarekiError(f"{day.isoformat()} は明治より前の日付です")


def _year_text(number: int) -> str:
    return "元" if number == 1 else str(number)


def wareki_year(day: dt.date) -> tuple[Era, int]:
    """Return the era and the era year of ``day`` (1 for 元年)."""
    era = era_of(day)
    return era, day.year - era.start.year + 1


def format_date(day: dt.date) -> str:
    """Write ``day`` as 和暦: 2019-05-01 → 令和元年5月1日."""
    era, number = wareki_year(day)
    return f"{era.name}{_year_text(number)}年{day.month}月{day.day}日"


def fiscal_year_label(year: int) -> str:
    """Name the fiscal year starting in April of ``year``: 2018 → 平成30年度.

    A fiscal year takes the era its starting calendar year ends in, so FY2019
    is 令和元年度 (it began as 平成31年度) and FY1988 stays 昭和63年度.
    """
    era, number = wareki_year(dt.date(year, 12, 31))
    return f"{era.name}{_year_text(number)}年度"


def fiscal_year_name(year: int) -> str:
    """The one way pages, mail and printed exports write a fiscal year: 2019 → 令和元年度（2019年度）."""
    return f"{fiscal_year_label(year)}（{year}年度）"


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the fiscal year starting in ``year``."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def fiscal_year_of(day: dt.date) -> int:
    """Return the fiscal year ``day`` belongs to."""
    return day.year if day.month >= 4 else day.year - 1


def _to_western(era: Era, number: int) -> int:
    if number < 1:
        raise WarekiError(f"{era.name}{number}年はありません")
    year = era.start.year + number - 1
    following = ERAS.index(era) + 1
    if following < len(ERAS):
        last = ERAS[following].start
        # The era's last year may be shared with the next one (平成31年 = 2019).
        if year > last.year:
            raise WarekiError(f"{era.name}{number}年はありません（{era.name}は{last.year}年まで）")
    return year


_NUMBER = r"(?P<number>元|\d{1,2})"
_ERA_NAMES = "|".join(_BY_NAME)
_FISCAL_RE = re.compile(rf"(?:(?P<era>{_ERA_NAMES}){_NUMBER}|(?P<western>\d{{4}}))年度")
_DATE_RE = re.compile(rf"(?P<era>{_ERA_NAMES}){_NUMBER}年(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日")
_ABBREVIATED_RE = re.compile(r"(?P<letter>[MTSHR])(?P<number>\d{1,2})\.(?P<month>\d{1,2})\.(?P<day>\d{1,2})")


def _normalise(text: str) -> str:
    # NFKC turns full-width digits and letters (２０１９, Ｈ) into ASCII.
    return unicodedata.normalize("NFKC", text).strip()


def _era_number(text: str) -> int:
    return 1 if text == "元" else int(text)


def parse_fiscal_year(text: str) -> int:
    """Read a fiscal year label: 平成31年度, 令和元年度 and 2019年度 all give 2019."""
    match = _FISCAL_RE.fullmatch(_normalise(text))
    if match is None:
        raise WarekiError(f"「{text}」は年度として読めません（例: 平成30年度、令和元年度、2018年度）")
    if match["western"]:
        return int(match["western"])
    return _to_western(_BY_NAME[match["era"]], _era_number(match["number"]))


def _make_date(era: Era, number: int, month: int, day: int, source: str) -> dt.date:
    try:
        result = dt.date(_to_western(era, number), month, day)
    except ValueError as err:
        raise WarekiError(f"「{source}」は日付として正しくありません: {err}") from err
    if era_of(result) is not era:
        raise WarekiError(f"「{source}」は{era.name}の期間外です")
    return result


def parse_date(text: str) -> dt.date:
    """Read a 和暦 date: 平成30年2月1日, 令和元年5月1日 or the short form H29.10.15."""
    normal = _normalise(text)
    match = _DATE_RE.fullmatch(normal)
    if match is not None:
        era = _BY_NAME[match["era"]]
    else:
        match = _ABBREVIATED_RE.fullmatch(normal)
        if match is None:
            raise WarekiError(f"「{text}」は和暦の日付として読めません（例: 平成30年2月1日、H29.10.15）")
        era = _BY_LETTER[match["letter"]]
    return _make_date(era, _era_number(match["number"]), int(match["month"]), int(match["day"]), text)
