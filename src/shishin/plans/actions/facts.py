"""Facts read from the text: the quantities and dates of every item, and the unit list they depend on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from shishin.lib import tables
from shishin.report import reading

from ..models import FiscalYear, Indicator, IndicatorCorrection, Item, ItemDate, Record, Unit
from .base import ActionError, Person, action, save_changed


def derive_facts(items: Iterable[Item], year: int, units: dict[str, str]) -> None:
    """Store the quantities and dates read from each item's text, with the staff's corrections of its
    record's numbers. Give every item of a record at once: a correction names a number by its place
    among the record's numbers."""
    by_record: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_record[item.record_id].append(item)
    fixes: dict[int, dict[reading.Key, reading.Fix]] = defaultdict(dict)
    for correction in IndicatorCorrection.objects.filter(record__in=by_record):
        fixes[correction.record_id][correction.key] = correction.fix
    indicators: list[Indicator] = []
    dates: list[ItemDate] = []
    for record, record_items in by_record.items():
        record_items.sort(key=lambda item: item.position)
        texts = (item.text for item in record_items)
        for item, (extraction, reads) in zip(
            record_items, reading.read_record(texts, year, units, fixes[record]), strict=True
        ):
            indicators += (Indicator.of(item, number, read) for number, read in enumerate(reads))
            dates += (ItemDate.of(item, number, d) for number, d in enumerate(extraction.dates))
    Indicator.objects.bulk_create(indicators)
    ItemDate.objects.bulk_create(dates)


def rederive_facts(items: Iterable[Item], year: int) -> None:
    """Read again the quantities and dates of the records whose items' text changed."""
    records = {item.record_id for item in items}
    every = list(Item.objects.filter(record__in=records))
    Indicator.objects.filter(item__in=every).delete()
    ItemDate.objects.filter(item__in=every).delete()
    derive_facts(every, year, Unit.mapping())


@action
def do_correct_indicator(indicator: Indicator, *, label: str, hidden: bool, same_as: str, by: Person) -> Indicator:
    """Say what a number read from a record is: its label, that it is not an indicator (it leaves the
    public charts, the comparison and the open data), or the label another year gives the same indicator
    (the comparison pairs them). Only while the year is open: a published year changes by a new edition.
    Saying nothing of it again (its label as read, shown, no other year's) takes the correction back."""
    record = indicator.item.record
    if not record.fiscal_year.editable:
        raise ActionError("照会中の年度の数値だけ訂正できます（公表済みの年度は再開してから訂正してください）")
    label, same_as = label.strip(), same_as.strip()
    if hidden is False and not label:
        label = indicator.read_label
    if same_as == label:
        same_as = ""  # its own label pairs it already
    if hidden and same_as:
        raise ActionError("「指標ではない」とした数値は、前年度の指標と対にできません（どちらか一方にしてください）")
    if same_as:
        # Two numbers of a record named as one indicator pair with neither: the comparison cannot tell which.
        taken = (
            Indicator.objects.filter(item__record=record, unit=indicator.unit, hidden=False)
            .exclude(pk=indicator.pk)
            .filter(Q(same_as=same_as) | Q(same_as="", label=same_as))
            .first()
        )
        if taken is not None:
            raise ActionError(
                f"この取組みの「{taken.label}」（{tables.number_text(taken.value)}{taken.unit}）が、すでに"
                f"前年度の「{same_as}」と対になっています。先にそちらを訂正してください"
            )
    was = _said(record, indicator)
    corrected = "" if label == indicator.read_label else label
    _apply(record, indicator, {"label": corrected, "hidden": hidden, "same_as": same_as})
    # The year after, open while this one is corrected again: its record of the same measure and department
    # takes the correction, unless the staff said otherwise of that number there.
    following = Record.objects.filter(
        fiscal_year__plan_id=record.fiscal_year.plan_id,
        fiscal_year__year=record.fiscal_year.year + 1,
        fiscal_year__status=FiscalYear.Status.COLLECTING,
        measure_id=record.measure_id,
        department=record.department.current if record.department else None,
    ).first()
    same = (
        Indicator.objects.filter(
            item__record=following,
            read_label=indicator.read_label,
            unit=indicator.unit,
            occurrence=indicator.occurrence,
        ).first()
        if following is not None
        else None
    )
    if following is not None and same is not None and _said(following, same) == was:
        _apply(following, same, {"label": corrected, "hidden": hidden, "same_as": same_as}, carried=True)
    return indicator


def _key(record: Record, indicator: Indicator) -> dict[str, Any]:
    """Which correction is of a number: its record, its label as read, its unit and its occurrence."""
    return {
        "record": record,
        "read_label": indicator.read_label,
        "unit": indicator.unit,
        "occurrence": indicator.occurrence,
    }


def _said(record: Record, indicator: Indicator) -> dict[str, Any] | None:
    """What the staff said of a record's number (None: nothing)."""
    key = _key(record, indicator)
    found = IndicatorCorrection.objects.filter(**key).first()
    return {"label": found.label, "hidden": found.hidden, "same_as": found.same_as} if found else None


def _apply(record: Record, indicator: Indicator, said: dict[str, Any], *, carried: bool = False) -> None:
    """Keep what the staff said of a number (nothing: take it back), and store the number as said."""
    key = _key(record, indicator)
    if said["label"] or said["hidden"] or said["same_as"]:
        save_changed(IndicatorCorrection, key, said, reason=IndicatorCorrection.CARRIED if carried else "")
    else:
        for correction in IndicatorCorrection.objects.filter(**key):
            correction.delete()  # kept in the history
    # The number itself, as reading the text again would store it (its id stays).
    indicator.label = said["label"] or indicator.read_label
    indicator.hidden, indicator.same_as = said["hidden"], said["same_as"]
    indicator.save(update_fields=["label", "hidden", "same_as"])


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
