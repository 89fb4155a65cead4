"""The 正誤表 of a new edition: what changed in a report since its previous edition."""

from __future__ import annotations

from .records import WHOLE_GOVERNMENT, Correction, Document, Measure, Record

__all__ = ["DEPARTMENTS", "DESCRIPTION", "RECORDS", "TITLE", "Correction", "corrections"]

# What a correction is about; the order a measure's corrections are listed in.
TITLE, DESCRIPTION, DEPARTMENTS, RECORDS = "施策名", "施策の内容", "担当課", "取組み"


def _entries(records: tuple[Record, ...]) -> dict[str, str]:
    """Each department's entry as printed, items on lines of their own."""
    entries: dict[str, list[str]] = {}
    for record in records:
        lines = entries.setdefault(record.department, [])
        lines += [("・" if item.bullet else "") + item.text for item in record.items]
    return {department: "\n".join(lines) for department, lines in entries.items()}


def _departments(measure: Measure | None) -> str:
    if measure is None:
        return ""
    names = [d.name + (f"（{d.sub_unit}）" if d.sub_unit else "") for d in measure.departments]
    return "、".join(([WHOLE_GOVERNMENT] if measure.whole_government else []) + names)


def _measure(title: str, old: Measure | None, new: Measure | None, years: tuple[int, ...]) -> list[Correction]:
    found: list[Correction] = []
    if old is not None and new is not None and old.title != new.title:
        found.append(Correction(title, TITLE, old.title, new.title))
    if (old.description if old else "") != (new.description if new else ""):
        found.append(Correction(title, DESCRIPTION, old.description if old else "", new.description if new else ""))
    if _departments(old) != _departments(new):
        found.append(Correction(title, DEPARTMENTS, _departments(old), _departments(new)))
    for year in years:
        before = _entries(old.records.get(year, ())) if old else {}
        after = _entries(new.records.get(year, ())) if new else {}
        for department in [*after, *(d for d in before if d not in after)]:
            if before.get(department, "") != after.get(department, ""):
                found.append(
                    Correction(title, RECORDS, before.get(department, ""), after.get(department, ""), department, year)
                )
    return found


def corrections(old: Document, new: Document) -> list[Correction]:
    """What ``new`` says otherwise than ``old``, measure by measure in the new report's order.

    Measures are matched by title; a measure of the new report whose title the old one lacks is
    matched with the next unmatched measure of the old one (a renamed measure is one correction of
    its title, not a removal and an addition).
    """
    years = tuple(sorted(set(old.years) | set(new.years)))
    new_titles = {m.title for m in new.all_measures()}
    by_title = {m.title: m for m in old.all_measures()}
    unmatched = [m for m in old.all_measures() if m.title not in new_titles]
    found: list[Correction] = []
    for measure in new.all_measures():
        before = by_title.get(measure.title) or (unmatched.pop(0) if unmatched else None)
        found += _measure(measure.title, before, measure, years)
    for measure in unmatched:
        found += _measure(measure.title, measure, None, years)
    return found
