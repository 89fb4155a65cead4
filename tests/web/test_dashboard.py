"""The plan's public front page (dashboard): the newest published evaluation in charts and tables, read
from the evaluation frozen in its edition, never from the data as it stands; in a browser it passes
axe-core, its towns' table sorts with the keyboard, and it prints on A4."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser

from shishin.plans import actions, editions
from shishin.plans.models import FiscalYear, Measure, Plan

from ..conftest import People
from ..helpers import SEED_ERRORS_REASON
from ..plans.test_evaluation import LIGHTS, PATROL, _published, _target, collected  # noqa: F401  (a fixture)
from .test_accessibility import _violations, browser  # noqa: F401  (the module's browser, reused)

# Incidents per 町丁目 and crime type in 2019, as the police's open data lists them (a row each): towns
# and types of their own, whatever else `collected` counted.
INCIDENTS = {("本町一丁目", "自動車盗"): 3, ("本町一丁目", "ひったくり"): 1, ("緑町三丁目", "自動車盗"): 9}
INCIDENTS |= {("貫井北町四丁目", "ひったくり"): 2, ("梶野町五丁目", "自動車盗"): 1}
OUTCOME = "街頭犯罪認知件数"


class _Tables(HTMLParser):
    """The page's tables by caption: their rows of cell texts, header row first."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._rows: list[list[str]] | None = None
        self._caption: list[str] | None = None
        self._cell: list[str] | None = None
        self._name = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self._name = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("th", "td") and self._cell is not None and self._rows:
            self._rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._name] = self._rows
            self._rows = None

    def handle_data(self, data: str) -> None:
        for part in (self._caption, self._cell):
            if part is not None:
                part.append(data)


def _tables(page: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def _police_csv() -> bytes:
    rows = ["市区町村コード（発生地）,町丁目（発生地）,発生年月日（始期）,発生時（始期）,手口"]
    for (town, crime), count in INCIDENTS.items():
        rows += [f"132101,{town},2019/05/0{n + 1},{n},{crime}" for n in range(count)]
    return "\n".join(rows).encode("cp932")


def _evaluated(collected: FiscalYear, people: People) -> FiscalYear:  # noqa: F811
    """FY2019 of `collected` with outcomes of 2018 and 2019 (one by hand, two counted from the police's
    CSV), published."""
    plan = collected.plan
    for year, value in ((2018, 410), (2019, 365)):
        actions.do_set_outcome(plan, OUTCOME, "件", year, Decimal(value), by=people.alice)
    actions.do_import_police_csv(plan, _police_csv(), "2019.csv", 2019, by=people.alice)
    return _published(collected, people)


@pytest.fixture
def evaluated(collected: FiscalYear, people: People) -> FiscalYear:  # noqa: F811
    return _evaluated(collected, people)


@pytest.mark.django_db
def test_the_dashboard_shows_the_frozen_evaluation(
    client: Client, evaluated: FiscalYear, django_assert_num_queries: Any
) -> None:
    plan = evaluated.plan
    edition = editions.current(plan.pk, 2019)
    assert edition is not None
    frozen = editions.evaluation_of(edition)
    assert frozen is not None
    # The plan, its years, the newest year's edition and its evaluation, the year before's (imported: none).
    with django_assert_num_queries(6):
        answer = client.get(f"/plans/{plan.pk}/")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert f"<h1>{plan.municipality} {plan.name}</h1>" in page
    assert f"令和元年度（2019年度）の評価です（<strong>{edition.label}</strong>" in page
    assert f'href="/plans/{plan.pk}/years/2019/evaluation/"' in page and f'href="/plans/{plan.pk}/years/2019/"' in page
    tables = _tables(page)

    # Grades per pillar, as the frozen document counts them.
    grades = tables["基本方針ごとの評価の分布（令和元年度（2019年度）、指標の数）"]
    names = [g["grade"] for g in frozen["pillars"][0]["grades"]]
    assert grades[0] == ["基本方針", *names, "計"]
    counted = {row[0]: row[1:-1] for row in grades[1:-1]}
    assert counted == {f"{p['number']} {p['title']}": [str(g["count"]) for g in p["grades"]] for p in frozen["pillars"]}
    assert "A" in names and sum(int(row[names.index("A") + 1]) for row in grades[1:-1]) == 1  # the patrols
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'aria-labelledby="grades-title grades-desc"' in page

    # Each indicator with a target: its values and target, year by year.
    assert tables["パトロール回数（年度別）"] == [
        ["年度", "実績値", "目標値"],
        ["平成29年度（2017年度）", "589回", "―"],
        ["平成30年度（2018年度）（基準）", "472回", "―"],
        ["令和元年度（2019年度）", "560回", "―"],
        ["令和4年度（2022年度）", "―", "600回"],
    ]
    assert tables["街路灯新規設置件数（年度別）"][-1] == ["令和4年度（2022年度）", "―", "40件"]
    assert "達成率 93.3%、評価 <strong>A</strong>" in page

    # The outcomes by calendar year, and the towns most first.
    header, *years = tables["成果指標（暦年）"]
    columns = {name.partition("（")[0]: [row[n] for row in years] for n, name in enumerate(header)}
    shown = [int(year.removesuffix("年")) for year in columns["暦年"]]
    assert shown == sorted({y["calendar_year"] for o in frozen["outcomes"] for y in o["years"]})
    for outcome in frozen["outcomes"]:
        values = {y["calendar_year"]: f"{y['value']:,}{outcome['unit']}" for y in outcome["years"]}
        assert columns[outcome["name"]] == [values.get(year, "―") for year in shown]
    assert (columns[OUTCOME][-2:], columns["自動車盗"][-1], columns["ひったくり"][-1]) == (
        ["410件", "365件"],
        "13件",
        "3件",
    )
    assert f"{OUTCOME}（手入力）" in header and "ひったくり（警察のオープンデータ）" in header
    assert "年度（4月～翌年3月）ではなく、暦年（1月～12月）の数値です" in page
    header, *towns = tables["町丁目別の犯罪発生件数（2019年、件）"]
    assert header == ["町丁目", *frozen["crimes_by_town"]["crimes"], "計"]
    assert towns == [[t["town"], *map(str, t["counts"]), str(t["total"])] for t in frozen["crimes_by_town"]["towns"]]
    totals = [int(row[-1]) for row in towns]
    assert totals == sorted(totals, reverse=True)
    ours = {row[0]: (row[header.index("ひったくり")], row[header.index("自動車盗")], row[-1]) for row in towns}
    assert ours["緑町三丁目"] == ("0", "9", "9") and ours["本町一丁目"] == ("1", "3", "4")
    assert towns[0][0] == "緑町三丁目"

    # What changed since the year before.
    changes = {row[1]: row for row in tables["指標の前年度からの変化（令和元年度（2019年度））"][1:]}
    assert changes["パトロール回数"][2:] == ["472回（平成30年度）", "560回", "↑ +88回（+18.6%）", "A"]


@pytest.mark.django_db
def test_what_is_not_published_never_reaches_the_dashboard(
    client: Client, evaluated: FiscalYear, people: People
) -> None:
    plan = evaluated.plan
    before = client.get(f"/plans/{plan.pk}/").content
    # After publishing: a target revised, an outcome corrected, the next year opened and its evaluation
    # drafted (the council's draft of the street lights, from `collected`, was never approved either).
    _target(Measure.objects.get(title=PATROL), "パトロール回数", "472", "700", people.alice, "中間見直し")
    actions.do_set_outcome(plan, OUTCOME, "件", 2019, Decimal(1), by=people.alice)
    actions.do_open_fiscal_year(plan, 2020, deadline=None, by=people.alice)
    after = client.get(f"/plans/{plan.pk}/").content
    assert after == before
    page = after.decode()
    assert "700回" not in page and "下書き" not in page and "令和元年度（2019年度）の評価です" in page

    # Published again: the next edition's evaluation, with the revised target, is the page's.
    actions.do_reopen_year(evaluated, reason="目標の見直しを反映", by=people.alice)
    assert client.get(f"/plans/{plan.pk}/").content == before  # reopened: a draft until published again
    evaluated.refresh_from_db()
    actions.do_publish_year(evaluated, override_reason=SEED_ERRORS_REASON, by=people.alice)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "（<strong>第2版 " in page
    assert _tables(page)["パトロール回数（年度別）"][-1] == ["令和4年度（2022年度）", "―", "700回"]
    assert "達成率 80%、評価 <strong>B</strong>" in page


@pytest.mark.django_db
def test_a_plan_without_an_evaluation_lists_its_reports(client: Client, seeded: Plan) -> None:
    answer = client.get(f"/plans/{seeded.pk}/")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "この指針の評価はまだ公表されていません" in page
    assert f'<a href="/plans/{seeded.pk}/years/2018/">平成30年度（2018年度）の取組み状況</a>' in page
    assert "<svg" not in page
    index = client.get("/").content.decode()
    assert f'<a href="/plans/{seeded.pk}/">{seeded.name}のページ（評価と成果指標）</a>' in index


@pytest.mark.django_db
def test_a_plan_not_public_or_not_there_is_not_found(client: Client, seeded: Plan, people: People) -> None:
    preparing = actions.do_create_plan(municipality="132144", name="防犯指針", first_year=2026, by=people.alice)
    assert client.get(f"/plans/{preparing.pk}/").status_code == 404
    assert client.get(f"/plans/{seeded.pk + preparing.pk + 1}/").status_code == 404


# ------------------------------------------------------------------------------------------- browser


A4_LANDSCAPE_PX = round((297 - 20) / 25.4 * 96)  # the page less the stylesheet's 10 mm margins, at 96 px an inch


@pytest.mark.markup
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_units")
def test_the_dashboard_passes_axe_sorts_by_keyboard_and_prints_on_a4(
    browser: Browser,  # noqa: F811
    live_server: Any,
    collected: FiscalYear,  # noqa: F811
    people: People,
) -> None:
    plan = _evaluated(collected, people).plan
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert _violations(page) == []

    def towns() -> list[str]:
        return page.locator("table.towns tbody th").all_inner_texts()

    def sorted_by() -> dict[str, str]:
        """The header that says how the table is sorted (only one may)."""
        headers = page.locator("table.towns thead th[aria-sort]")
        return {
            headers.nth(n).inner_text(): headers.nth(n).get_attribute("aria-sort") or "" for n in range(headers.count())
        }

    assert towns()[0] == "緑町三丁目"  # by the total, most first
    # The headers are buttons: Tab reaches them, Enter and Space press them.
    page.locator("table.towns caption").click()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "ひったくり":
            break
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    assert towns()[0] == "貫井北町四丁目"
    assert sorted_by() == {"ひったくり": "descending"}
    page.keyboard.press("Space")
    assert towns()[-1] == "貫井北町四丁目"
    assert sorted_by() == {"ひったくり": "ascending"}
    assert "「ひったくり」の少ない順に並べ替えました" in page.locator("[role=status]").inner_text()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # 町丁目: by its text
    assert sorted_by() == {"町丁目": "ascending"}
    ascending = towns()
    assert ascending == page.evaluate("names => [...names].sort(new Intl.Collator('ja').compare)", ascending)
    page.keyboard.press("Enter")
    assert (towns(), sorted_by()) == (ascending[::-1], {"町丁目": "descending"})
    assert _violations(page) == []

    # In print, at the width of an A4 page in landscape, nothing reaches past the page.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_LANDSCAPE_PX, "height": 900})
    wider = page.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .map(e => e.tagName + '.' + e.className)""",
        A4_LANDSCAPE_PX,
    )
    assert wider == []
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_LANDSCAPE_PX
    assert page.pdf(prefer_css_page_size=True).startswith(b"%PDF")
    context.close()
