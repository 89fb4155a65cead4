"""A year's evaluation (評価表) written from its document (`shishin.plans.evaluation_report`): text for the
terminal, JSON as it is, an Excel workbook that prints as the evaluation table (A4 landscape, the header
on every page) with machine-readable sheets (one header row, one value a cell, no merged cells: the
総務省's rules for open data), and a tagged PDF of the same table.

Everything here reads the document only, so a published year's files come from its frozen document.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shishin.lib import wareki

from .html import stylesheet
from .workbooks import fit_a4_landscape, line_count

Document = dict[str, Any]
DASH = "—"


def number(value: int | float | None, unit: str = "") -> str:
    """1166 → 1,166件; None → a dash."""
    if value is None:
        return DASH
    return f"{value:,}{unit}" if isinstance(value, int) else f"{value:,.10g}{unit}"


def in_year(value: dict[str, Any] | None, unit: str) -> str:
    """{fiscal_year, value} → 1,166件（平成30年度）."""
    if value is None:
        return DASH
    return f"{number(value['value'], unit)}（{wareki.fiscal_year_label(value['fiscal_year'])}）"


def rate(value: int | float | None) -> str:
    return DASH if value is None else f"{value:g}%"


def target_text(indicator: dict[str, Any]) -> str:
    """The target in force, and the original when it was revised."""
    shown = in_year(indicator["target"], indicator["unit"])
    if indicator["original_target"]:
        shown += f"（当初 {in_year(indicator['original_target'], indicator['unit'])}）"
    return shown


def self_text(assessment: dict[str, Any]) -> str:
    """【防災安全課】A・継続"""
    parts = [part for part in (assessment["grade"], assessment["outlook_label"]) if part]
    return f"【{assessment['department']}】{'・'.join(parts) or '未記入'}"


def self_lines(assessments: list[dict[str, Any]]) -> list[str]:
    """Each department's assessment a line (【防災安全課】A・継続), those that wrote none on one line last
    (未記入: 保育課、学務課)."""
    written = [a for a in assessments if a["grade"] or a["outlook_label"] or a["issues"]]
    lines = [self_text(a) for a in written]
    if blank := [a["department"] for a in assessments if a not in written]:
        lines.append(f"未記入: {'、'.join(blank)}")
    return lines


def scale_text(document: Document) -> str:
    """S 100%以上／A 90%以上／B 基準値より改善／C"""
    bands = []
    for band in document["scale"]["bands"]:
        if band["improved"]:
            bands.append(f"{band['grade']} 基準値より改善")
        elif band["at_least"] is not None:
            bands.append(f"{band['grade']} 達成率{band['at_least']:g}%以上")
        else:
            bands.append(f"{band['grade']} それ以外")
    scale = document["scale"]
    return "／".join(bands) + f"（目標なし {scale['no_target']}、実績値なし {scale['no_value']}）"


def title(document: Document) -> str:
    return f"{document['plan']['name']} {document['fiscal_year_label']} 評価表"


# ---------------------------------------------------------------------------------------------- text


def text(document: Document) -> str:
    lines = [title(document), f"評価の段階: {scale_text(document)}", ""]
    pillar = None
    for measure in document["measures"]:
        if measure["pillar"]["number"] != pillar:
            pillar = measure["pillar"]["number"]
            lines += [f"{pillar} {measure['pillar']['title']}", ""]
        lines.append(f"■ {measure['title']}（{'、'.join(measure['departments']) or '担当課なし'}）")
        lines += [f"  {line}" for line in measure_lines(measure)]
        lines.append("")
    lines += outcome_lines(document["outcomes"])
    return "\n".join(lines).rstrip("\n") + "\n"


def measure_lines(measure: dict[str, Any]) -> list[str]:
    """A measure's evaluation a line a fact: its indicators, the self-assessments and issues, the council's."""
    lines = [
        f"指標 {i['name']}（{i['kind_label']}・{i['direction_label']}）: 基準 {in_year(i['baseline'], i['unit'])}　"
        f"目標 {target_text(i)}　実績 {number(i['actual'], i['unit'])}　達成率 {rate(i['rate'])}　評価 {i['grade']}"
        for i in measure["indicators"]
    ]
    lines += [f"自己評価 {line}" for line in self_lines(measure["self_assessments"])]
    lines += [f"課題【{a['department']}】{a['issues']}" for a in measure["self_assessments"] if a["issues"]]
    if council := measure["council"]:
        lines.append(f"協議会の評価 {council['grade'] or DASH}: {council['opinion']}")
    return lines


def outcome_lines(outcomes: list[dict[str, Any]]) -> list[str]:
    """成果指標（暦年） 刑法犯認知件数: 2018年 1,038件、2019年 912件（手入力）"""
    lines = []
    for outcome in outcomes:
        years = "、".join(f"{y['calendar_year']}年 {number(y['value'], outcome['unit'])}" for y in outcome["years"])
        lines.append(f"成果指標（暦年） {outcome['name']}: {years}（{outcome['source']}）")
    return lines


def as_json(document: Document) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------- xlsx

TABLE_SHEET = "評価表"
TABLE_COLUMNS = (
    ("基本方針", 14),
    ("施策", 22),
    ("担当課", 14),
    ("指標", 16),
    ("基準値", 14),
    ("目標値", 16),
    ("実績値", 10),
    ("達成率", 8),
    ("評価", 6),
    ("自己評価・今後の方向性", 18),
    ("課題", 28),
    ("協議会の評価", 28),
)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
LINE_POINTS = 13


@dataclass(frozen=True)
class _Shown:
    """A measure as the evaluation table shows it: a row of cells a targeted indicator, the
    assessments once."""

    pillar: str
    title: str
    departments: str
    indicators: list[tuple[str, ...]]  # name, baseline, target, actual, rate, grade
    assessed: tuple[str, str, str]  # self-assessments, issues, the council's


def _shown(measure: dict[str, Any]) -> _Shown:
    selves = measure["self_assessments"]
    council = measure["council"]
    return _Shown(
        f"{measure['pillar']['number']} {measure['pillar']['title']}",
        measure["title"],
        "、".join(measure["departments"]),
        [
            (
                f"{i['name']}（{i['kind_label']}・{i['direction_label']}）",
                in_year(i["baseline"], i["unit"]),
                target_text(i),
                number(i["actual"], i["unit"]),
                rate(i["rate"]),
                i["grade"],
            )
            for i in measure["indicators"]
        ],
        (
            "\n".join(self_lines(selves)),
            "\n".join(f"【{a['department']}】{a['issues']}" for a in selves if a["issues"]),
            f"{council['grade'] or DASH}　{council['opinion']}".strip() if council else "",
        ),
    )


def table_rows(document: Document) -> list[tuple[str, ...]]:
    """The evaluation table as the workbook prints it: one row a measure's indicator (one for a measure
    without), the measure's assessments on its first row."""
    rows = []
    for measure in map(_shown, document["measures"]):
        for index, indicator in enumerate(measure.indicators or [("",) * 6]):
            rows.append(
                (measure.pillar, measure.title, measure.departments, *indicator)
                + (measure.assessed if index == 0 else ("", "", ""))
            )
    return rows


INDICATOR_COLUMNS = (
    *("年度", "施策ID", "施策", "指標", "単位", "指標の種類", "方向"),
    *("基準年度", "基準値", "目標年度", "目標値", "実績値", "達成率（%）", "評価"),
)


Sheet = tuple[tuple[str, ...], list[tuple[object, ...]]]  # columns, rows


def _data_sheets(document: Document) -> dict[str, Sheet]:
    """The machine-readable sheets: their columns and rows."""
    year = document["fiscal_year"]
    indicators: list[tuple[object, ...]] = [
        (
            year,
            m["id"],
            m["title"],
            i["name"],
            i["unit"],
            i["kind_label"],
            i["direction_label"],
            i["baseline"]["fiscal_year"],
            i["baseline"]["value"],
            i["target"]["fiscal_year"],
            i["target"]["value"],
            i["actual"],
            i["rate"],
            i["grade"],
        )
        for m in document["measures"]
        for i in m["indicators"]
    ]
    selves: list[tuple[object, ...]] = [
        (year, m["id"], m["title"], a["department"], a["grade"], a["issues"], a["outlook_label"])
        for m in document["measures"]
        for a in m["self_assessments"]
    ]
    councils: list[tuple[object, ...]] = [
        (year, m["id"], m["title"], m["council"]["grade"], m["council"]["opinion"])
        for m in document["measures"]
        if m["council"]
    ]
    outcomes: list[tuple[object, ...]] = [
        (o["name"], o["unit"], y["calendar_year"], y["value"], o["source"])
        for o in document["outcomes"]
        for y in o["years"]
    ]
    sheets: dict[str, Sheet] = {
        "指標の評価": (
            INDICATOR_COLUMNS,
            indicators,
        ),
        "自己評価": (("年度", "施策ID", "施策", "担当課", "自己評価", "課題", "今後の方向性"), selves),
        "協議会の評価": (("年度", "施策ID", "施策", "協議会の評価", "協議会の意見"), councils),
        "成果指標": (("項目", "単位", "暦年", "値", "出典"), outcomes),
    }
    towns = document["crimes_by_town"]
    if towns:
        sheets["町丁目別の犯罪"] = (
            ("暦年", "町丁目", *towns["crimes"], "計"),
            [(towns["calendar_year"], t["town"], *t["counts"], t["total"]) for t in towns["towns"]],
        )
    return sheets


def _append(sheet: Worksheet, values: Sequence[object]) -> tuple[Any, ...]:
    """Add a row, its text as text (an opinion starting with = is no formula); returns its cells."""
    sheet.append(list(values))
    cells: tuple[Any, ...] = sheet[sheet.max_row]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    return cells


def _write_table(sheet: Worksheet, document: Document) -> None:
    _append(sheet, [title(document)])
    _append(sheet, [f"評価の段階: {scale_text(document)}"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = 3
    sheet.append([name for name, _ in TABLE_COLUMNS])
    for cell in sheet[header]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in table_rows(document):
        cells = _append(sheet, row)
        for cell in cells:
            cell.alignment = _WRAP
            cell.border = _BORDER
        needed = max(line_count(value, width) for value, (_, width) in zip(row, TABLE_COLUMNS, strict=True))
        sheet.row_dimensions[sheet.max_row].height = needed * LINE_POINTS + 4
    for column, (_, width) in enumerate(TABLE_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.print_title_rows = f"{header}:{header}"
    fit_a4_landscape(sheet)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    footer = sheet.oddFooter
    assert footer is not None and footer.center is not None
    footer.center.text = "&P / &N"
    sheet.freeze_panes = f"A{header + 1}"


def xlsx(document: Document) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = TABLE_SHEET
    _write_table(sheet, document)
    for name, (columns, rows) in _data_sheets(document).items():
        data = workbook.create_sheet(name)
        data.append(list(columns))
        for cell in data[1]:
            cell.font = Font(bold=True)
        for row in rows:
            _append(data, row)
        for column, heading in enumerate(columns, start=1):
            data.column_dimensions[get_column_letter(column)].width = max(10, len(heading) * 2 + 2)
        data.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- html, pdf


def table_html(document: Document) -> str:
    """The evaluation table as an accessible HTML table (the page, the PDF): a row heading each pillar,
    a measure's name, departments and assessments spanning its indicators' rows."""
    columns = TABLE_COLUMNS[1:]  # the pillar heads its rows instead

    def cell(text: str, span: int = 1, tag: str = "td", scope: str = "") -> str:
        spanned = f' rowspan="{span}"' if span > 1 else ""
        scoped = f' scope="{scope}"' if scope else ""
        return f"<{tag}{scoped}{spanned}>{escape(text).replace(chr(10), '<br>')}</{tag}>"

    body = []
    pillar = None
    for measure in map(_shown, document["measures"]):
        if measure.pillar != pillar:
            pillar = measure.pillar
            body.append(f'<tr class="pillar"><th scope="colgroup" colspan="{len(columns)}">{escape(pillar)}</th></tr>')
        indicators = measure.indicators or [("",) * 6]
        span = len(indicators)
        for index, indicator in enumerate(indicators):
            cells = [cell(measure.title, span, "th", "row"), cell(measure.departments, span)] if index == 0 else []
            cells += [cell(text) for text in indicator]
            if index == 0:
                cells += [cell(text, span) for text in measure.assessed]
            body.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name, _ in columns)
    return (
        '<table class="evaluation">\n'
        f"<caption>{escape(title(document))}</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
    )


def html(document: Document, stylesheet: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>{escape(title(document))}</title>
<style>
{stylesheet}</style>
</head>
<body>
<main class="page">
<h1>{escape(title(document))}</h1>
<p class="lead">評価の段階: {escape(scale_text(document))}</p>
{table_html(document)}</main>
</body>
</html>
"""


def pdf(document: Document) -> bytes:
    import weasyprint  # slow to import; few commands write a PDF

    page = weasyprint.HTML(string=html(document, stylesheet()), media_type="print")
    written: bytes = page.write_pdf(pdf_variant="pdf/ua-1")
    return written


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    media_type: str
    extension: str
    write: Callable[[Document], bytes]


FORMATS = {
    format.name: format
    for format in (
        Format("json", "JSON", "application/json", "json", as_json),
        Format("xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", xlsx),
        Format("pdf", "PDF", "application/pdf", "pdf", pdf),
        Format("text", "テキスト", "text/plain; charset=utf-8", "txt", lambda d: text(d).encode("utf-8")),
    )
}
