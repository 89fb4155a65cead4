"""A report flattened to keyed facts, to tell which parts of two reports differ.

Keys name a place in the report; the values compare with ``==``:

- ``("layout",)``: title and layout of the report
- ``("pillar", number)``, ``("area", pillar, number)``: their titles
- ``("measure", title)``: pillar, area, description and the 全庁 flag
- ``("departments", title)``: the departments carrying the measure in the report's year
- ``("record", year, measure title, department)``: position and items of one record
"""

from __future__ import annotations

from dataclasses import replace

from shishin.lib import wareki

from .records import Document, Item

Key = tuple[object, ...]


def facts(document: Document) -> dict[Key, object]:
    """Flatten ``document`` to facts."""
    inline = tuple(p.number for p in document.pillars if p.first_area_inline)
    found: dict[Key, object] = {("layout",): (replace(document, pillars=()), inline)}
    for pillar in document.pillars:
        found[("pillar", pillar.number)] = (pillar.title, pillar.purpose, pillar.numbering)
        placed = [(None, m) for m in pillar.measures] + [(a.number, m) for a in pillar.areas for m in a.measures]
        for area in pillar.areas:
            found[("area", pillar.number, area.number)] = (area.title, area.numbering)
        for area_number, measure in placed:
            found[("measure", measure.title)] = (
                pillar.number,
                area_number,
                measure.description,
                measure.whole_government,
            )
            found[("departments", measure.title)] = measure.departments
            for year, records in measure.records.items():
                for position, record in enumerate(records):
                    found[("record", year, measure.title, record.department)] = (position, record.items)
    return found


def _items_text(value: object) -> str:
    if value is None:
        return "なし"
    assert isinstance(value, tuple)
    items: tuple[Item, ...] = value[1]
    text = " ".join(("・" if item.bullet else "") + item.text for item in items)
    return f"「{text[:60]}…」" if len(text) > 60 else f"「{text}」"


def describe(key: Key, stored: object, incoming: object) -> str:
    """Say in Japanese how one fact differs between the database and an incoming report."""
    kind = key[0]
    if kind == "record":
        year, measure, department = key[1:]
        assert isinstance(year, int)
        place = f"{wareki.fiscal_year_name(year)}「{measure}」【{department or '担当課なし'}】"
        return f"{place}: 登録済み {_items_text(stored)} / 取込むファイル {_items_text(incoming)}"
    if kind == "measure":
        return f"施策「{key[1]}」の基本方針・施策の方向・施策の内容が登録済みのものと異なります"
    if kind == "departments":
        return f"施策「{key[1]}」の担当課が登録済みのものと異なります"
    if kind == "pillar":
        return f"基本方針 {key[1]} の名称・目的が登録済みのものと異なります"
    if kind == "area":
        return f"基本方針 {key[1]} の施策の方向 ({key[2]}) の名称が登録済みのものと異なります"
    return "報告書の表題・見出し・ページ割りが登録済みのものと異なります"
