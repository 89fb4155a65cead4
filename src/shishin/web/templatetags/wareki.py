"""Dates on every page the one way (令和2年6月1日), loaded in every template (settings: builtins)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from shishin.lib import wareki

register = template.Library()


@register.filter
def wareki_date(day: dt.date | dt.datetime | None) -> str:
    """令和2年6月1日; a moment is written as the local day it falls on."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return wareki.format_date(day)


@register.filter
def wareki_time(moment: dt.datetime | None) -> str:
    """令和2年6月1日 14:05 (local time), for history and comments."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{wareki.format_date(local.date())} {local:%H:%M}"


@register.filter
def fiscal_year(year: int | None) -> str:
    """A fiscal year by its 西暦 number, the one way: 2019 → 令和元年度（2019年度）."""
    return wareki.fiscal_year_name(year) if year else ""
