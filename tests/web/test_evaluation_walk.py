"""The evaluation's "done when" in a real browser (issue 15): the demo plan with its five targets; FY2019
collected with a department's self-assessment and the council's assessment, written, submitted and
approved on the staff pages; published; `shishin evaluate --year 2019 --format json` gives the grades the
scale says; the year's evaluation page shows them, and every page on the way passes axe-core."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from shishin.plans import actions
from shishin.plans.management.commands.serve import set_demo_targets
from shishin.plans.models import FiscalYear, Measure, Plan, Record

from ..conftest import People
from ..helpers import SEED_ERRORS_REASON, run, signed_in
from .test_accessibility import _violations, browser  # noqa: F401  (the module's browser, reused)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_units"), pytest.mark.markup]

PATROL = "CoCoパトロール隊による地域パトロール"


def _page(browser: Browser, site: str, user: User) -> Page:  # noqa: F811
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": signed_in(user).cookies["sessionid"].value, "url": site}])
    return context.new_page()


def _clean(page: Page, found: dict[str, list[str]]) -> None:
    if violations := _violations(page):
        found[page.url] = violations


def test_a_year_is_assessed_published_and_evaluated(
    browser: Browser,  # noqa: F811
    live_server: Any,
    seeded_2019_open: Plan,
    people: People,
) -> None:
    site = str(live_server.url)
    seeded = seeded_2019_open
    set_demo_targets(seeded)
    fiscal_year = FiscalYear.objects.get(plan=seeded, year=2019)
    patrol = Measure.objects.get(title=PATROL)
    record = Record.objects.get(fiscal_year=fiscal_year, measure=patrol, department__name="地域安全課")
    axe: dict[str, list[str]] = {}

    # 地域安全課 writes its year and its own assessment, and submits.
    bob = _page(browser, site, people.bob)
    bob.goto(f"{site}/staff/records/{record.pk}/")
    bob.get_by_label("項目（1行に1項目。「・」で始まる行は箇条書き）").fill(
        "・車両数 15台\n・パトロール回数 560回\n・距離 8,012km"
    )
    bob.get_by_label("自己評価", exact=True).select_option("A")
    bob.get_by_label("今後の方向性").select_option(label="継続")
    bob.get_by_label("課題").fill("隊員の高齢化")
    bob.get_by_label("内容を確認しました（提出するとき）").check()
    bob.get_by_role("button", name="保存して提出する").click()
    expect(bob.locator(".lead")).to_contain_text("提出済み")

    # The council's member reads the measure's figures and writes the council's assessment.
    dave = _page(browser, site, people.dave)
    dave.goto(f"{site}/staff/plans/{seeded.pk}/years/2019/council/")
    _clean(dave, axe)
    dave.get_by_role("link", name=PATROL).click()
    expect(dave.get_by_role("heading", name=PATROL)).to_be_visible()
    expect(dave.locator("#indicators-caption + thead + tbody")).to_contain_text("560回")
    _clean(dave, axe)
    dave.get_by_label("評価", exact=True).select_option("B")
    dave.get_by_label("意見").fill("回数、距離とも前年度を上回った。継続を望む。")
    dave.get_by_role("button", name="保存して提出する").click()
    expect(dave.locator(".message")).to_contain_text("協議会の評価を保存して提出しました")

    # The administrator approves it, and every record; then publishes the year.
    alice = _page(browser, site, people.alice)
    alice.goto(f"{site}/staff/plans/{seeded.pk}/years/2019/council/{patrol.pk}/")
    alice.get_by_role("button", name="承認する").click()
    expect(alice.locator(".message")).to_contain_text("協議会の評価を承認しました")
    _clean(alice, axe)
    for each in Record.objects.filter(fiscal_year=fiscal_year):
        if each.state != Record.State.SUBMITTED:
            if not each.items.exists():
                actions.do_save_record(each, [], version=each.version, by=people.alice, no_activity=True)
                each.refresh_from_db()
            actions.do_submit_record(each, version=each.version, by=people.alice)
            each.refresh_from_db()
        actions.do_approve_record(each, version=each.version, by=people.alice)
    alice.goto(f"{site}/staff/plans/{seeded.pk}/years/2019/")
    alice.get_by_role("link", name="プレビューして公表する").click()
    alice.get_by_role("link", name="公表される評価表のプレビュー").click()  # what the council's paper shows
    expect(alice.locator(".preview")).to_contain_text("プレビュー（未公表）")
    expect(alice.locator("table.evaluation tr", has_text="パトロール回数")).to_contain_text("93.3%")
    _clean(alice, axe)
    alice.go_back()
    alice.get_by_label("エラーを残したまま公表する理由").fill(SEED_ERRORS_REASON)
    alice.get_by_label("プレビューで内容を確認しました").check()
    alice.get_by_role("button", name="第1版として公表する").click()
    expect(alice.locator(".message").first).to_contain_text("公表")
    assert FiscalYear.objects.get(pk=fiscal_year.pk).status == FiscalYear.Status.PUBLISHED

    # The command line gives the grades the default scale says for the five indicators.
    status, out, _ = run("evaluate", "--year", "2019", "--format", "json")
    assert status == 0
    document = json.loads(out)
    graded = {i["name"]: (i["actual"], i["rate"], i["grade"]) for m in document["measures"] for i in m["indicators"]}
    assert graded == {
        "パトロール回数": (560, 93.3, "A"),  # within a tenth of 600
        "距離": (8012, 89, "B"),  # short of 9,000 by more than a tenth, better than 7,714
        "カンガルーポケット登録件数": (1157, 100.6, "S"),  # kept at 1,150 or more (維持)
        "街路灯新規設置件数": (34, 85, "C"),  # no better than the baseline
        "こがねい安全・安心メール加入登録数": (10207, 85.1, "C"),
    }
    [shown] = [m for m in document["measures"] if m["title"] == PATROL]
    assert shown["council"] == {"grade": "B", "opinion": "回数、距離とも前年度を上回った。継続を望む。"}
    assert [(a["grade"], a["issues"], a["outlook_label"]) for a in shown["self_assessments"]] == [
        ("A", "隊員の高齢化", "継続")
    ]

    # Anyone reads the evaluation from the year's report page.
    visitor = browser.new_context(locale="ja-JP", bypass_csp=True).new_page()
    visitor.goto(f"{site}/plans/{seeded.pk}/years/2019/")
    visitor.get_by_role("link", name="この年度の評価表", exact=False).click()
    table = visitor.locator("table.evaluation")
    expect(table).to_contain_text("回数、距離とも前年度を上回った。継続を望む。")
    expect(table.locator("tr", has_text="パトロール回数")).to_contain_text("93.3%")
    _clean(visitor, axe)

    # The plan's front page shows the grades per pillar and each indicator against its target.
    visitor.goto(f"{site}/")
    visitor.get_by_role("link", name="小金井市防犯指針のページ（評価と成果指標）").click()
    expect(visitor.locator(".lead")).to_contain_text("令和元年度（2019年度）の評価です（第1版")
    totals = visitor.locator("#grades-heading ~ div table tfoot td")
    expect(totals).to_have_text(["1", "1", "1", "2", "0", "0", "5"])  # S A B C 未把握 －, as the command line graded
    patrols = visitor.locator("section.chart-block", has=visitor.get_by_role("heading", name="パトロール回数"))
    expect(patrols.locator(".indicator-summary")).to_contain_text("達成率 93.3%、評価 A")
    expect(patrols.locator("table.trend tbody tr")).to_have_text(
        [
            "平成29年度（2017年度）589回―",
            "平成30年度（2018年度）（基準）472回―",
            "令和元年度（2019年度）560回―",
            "令和4年度（2022年度）―600回",
        ]
    )
    _clean(visitor, axe)
    assert axe == {}
