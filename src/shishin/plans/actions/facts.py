"""Facts read from the text: the quantities and dates of every item, and the unit list they depend on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from shishin.lib import quantities

from ..models import Indicator, Item, ItemDate, Unit
from .base import action


def derive_facts(items: Iterable[Item], year: int, units: dict[str, str]) -> None:
    """Store the quantities and dates read from each item's text."""
    indicators: list[Indicator] = []
    dates: list[ItemDate] = []
    for item in items:
        found = quantities.extract(item.text, units, fiscal_year=year)
        indicators += (Indicator.of(item, number, q) for number, q in enumerate(found.quantities))
        dates += (ItemDate.of(item, number, d) for number, d in enumerate(found.dates))
    Indicator.objects.bulk_create(indicators)
    ItemDate.objects.bulk_create(dates)


def rederive_facts(items: Iterable[Item], year: int) -> None:
    """Read again the quantities and dates of items whose text changed."""
    changed = list(items)
    Indicator.objects.filter(item__in=changed).delete()
    ItemDate.objects.filter(item__in=changed).delete()
    derive_facts(changed, year, Unit.mapping())


@action
def do_recompute_indicators() -> int:
    """Read every item's quantities and dates again (after the unit list changed); return the item count."""
    Indicator.objects.all().delete()
    ItemDate.objects.all().delete()
    units = Unit.mapping()
    count = 0
    by_year: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.select_related("record__fiscal_year").iterator(chunk_size=2000):
        by_year[item.record.fiscal_year.year].append(item)
        count += 1
    for year, items in by_year.items():
        derive_facts(items, year, units)
    return count


@action
def do_save_unit(unit: Unit) -> Unit:
    """Add or change a unit of the list; every item's quantities are read again."""
    unit.save()
    do_recompute_indicators()
    return unit


@action
def do_delete_unit(unit: Unit) -> None:
    """Remove a unit of the list; every item's quantities are read again."""
    unit.delete()
    do_recompute_indicators()
