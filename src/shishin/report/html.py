"""The report as HTML: the published table as an accessible ``<table>``.

`render` writes one self-contained page (inline CSS, no external requests) for the
city's website; with ``fragment=True`` it writes only the table, which the web app
places in its own pages.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from importlib import resources

from shishin.lib import wareki

from .records import Correction, Document, Issuer, Measure, Pillar, Record

__all__ = ["corrections_table", "render"]

_NOTHING = '<span class="visually-hidden">記載なし</span><span aria-hidden="true">―</span>'


# A measure's title → the address of its page, or None if it has none.
Link = Callable[[str], str | None]


def stylesheet() -> str:
    return resources.files("shishin.report").joinpath("assets/shishin.css").read_text(encoding="utf-8")


def _records(records: tuple[Record, ...]) -> str:
    parts = []
    for record in records:
        if record.department:
            parts.append(f'<p class="department">【{escape(record.department)}】</p>')
        bullets = [item for item in record.items if item.bullet]
        for item in record.items:
            if not item.bullet:
                parts.append(f"<p>{escape(item.text)}</p>")
        if bullets:
            parts.append("<ul>" + "".join(f"<li>{escape(item.text)}</li>" for item in bullets) + "</ul>")
    return "".join(parts) or _NOTHING


def _measure_row(measure: Measure, years: tuple[int, ...], headings: list[str], link: Link | None) -> str:
    """A measure's row; each cell names its column (``data-label``), which a phone's screen shows
    above it when the row is drawn as a card."""
    title = escape(measure.title)
    address = link(measure.title) if link is not None else None
    if address:
        title = f'<a href="{escape(address)}">{title}</a>'
    departments = ["全庁"] if measure.whole_government else []
    departments += [d.name + (f"（{d.sub_unit}）" if d.sub_unit else "") for d in measure.departments]
    label = [f' data-label="{escape(heading)}"' for heading in headings]
    cells = [
        f'<th scope="row" class="measure-title">{title}</th>',
        f'<td class="departments"{label[1]}>{"<br>".join(escape(d) for d in departments)}</td>',
        f'<td class="description"{label[2]}>{escape(measure.description)}</td>',
        *(f"<td{label[3 + n]}>{_records(measure.records.get(year, ()))}</td>" for n, year in enumerate(years)),
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def _section(text: str, css: str, width: int) -> str:
    return f'<tr class="{css}"><th scope="colgroup" colspan="{width}">{text}</th></tr>'


def _pillar_rows(pillar: Pillar, years: tuple[int, ...], headings: list[str], link: Link | None) -> list[str]:
    width = len(headings)
    purpose = f'<span class="purpose">{escape(pillar.purpose)}</span>' if pillar.purpose else ""
    rows = [_section(f"{pillar.number} {escape(pillar.title)}{purpose}", "pillar", width)]
    rows += [_measure_row(m, years, headings, link) for m in pillar.measures]
    for area in pillar.areas:
        rows.append(_section(f"({area.number}) {escape(area.title)}", "area", width))
        rows += [_measure_row(m, years, headings, link) for m in area.measures]
    return rows


def _table(document: Document, link: Link | None) -> str:
    label = document.pages[0].label
    headings = [*document.headings, *(f"{y}の{label}" for y in document.year_labels)]
    caption = f"{wareki.fiscal_year_name(document.fiscal_year)}の取組み状況"
    rows = [row for pillar in document.pillars for row in _pillar_rows(pillar, document.years, headings, link)]
    return (
        f'<table class="report">\n<caption>{caption}</caption>\n<thead><tr>'
        + "".join(f'<th scope="col">{escape(h)}</th>' for h in headings)
        + "</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n"
    )


def corrections_table(corrections: tuple[Correction, ...]) -> str:
    """The 正誤表 of an edition, before its report table; nothing for a first edition."""
    if not corrections:
        return ""

    def text(value: str) -> str:
        return "<br>".join(escape(line) for line in value.splitlines()) or "（なし）"

    rows = "".join(
        f'<tr><th scope="row">{escape(c.measure)}</th><td>{escape(c.field)}</td>'
        f"<td>{escape(c.department)}{f' {wareki.fiscal_year_name(c.year)}' if c.year else ''}</td>"
        f"<td>{text(c.before)}</td><td>{text(c.after)}</td></tr>"
        for c in corrections
    )
    return (
        '<table class="corrections">\n<caption>正誤表（前の版からの訂正）</caption>\n<thead><tr>'
        '<th scope="col">施策</th><th scope="col">項目</th><th scope="col">担当課・年度</th>'
        '<th scope="col">訂正前</th><th scope="col">訂正後</th></tr></thead>\n'
        f"<tbody>{rows}</tbody>\n</table>\n"
    )


def render(
    document: Document,
    issuer: Issuer,
    *,
    fragment: bool = False,
    measure_link: Link | None = None,
) -> str:
    """Write the report as a whole HTML page, or only its table when ``fragment`` is set.

    ``measure_link`` turns a measure's title into the address of its page (None: no page).
    """
    table = _table(document, measure_link)
    if fragment:
        return table
    edition = f'<p class="edition">{escape(issuer.edition)}</p>\n' if issuer.edition else ""
    first, last = wareki.fiscal_year_bounds(document.fiscal_year)
    code = f"（全国地方公共団体コード {escape(issuer.code)}）" if issuer.code else ""
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(document.title)}</title>
<style>
{stylesheet()}</style>
</head>
<body>
<a class="skip-link" href="#report">表へ移動</a>
<main class="page">
<h1>{escape(document.title)}</h1>
<p class="lead">{escape(issuer.prefecture)}{escape(issuer.municipality)}{code}・{escape(issuer.plan)}・\
{wareki.fiscal_year_name(document.fiscal_year)}・{wareki.format_date(first)}～{wareki.format_date(last)}</p>
{edition}{corrections_table(issuer.corrections)}<div id="report">
{table}</div>
</main>
</body>
</html>
"""
