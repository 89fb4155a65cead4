"""A whole year in a real browser: open FY2019 from FY2018, two departments submit, one is returned
and fixed, everything is approved and published, and the FY2019 report exports in every format."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from shishin.plans.models import FiscalYear, Plan, Record

from ..conftest import PASSWORD, People
from ..helpers import SEED_ERRORS_REASON, submit
from .test_accessibility import ARGS, CHROMIUM

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_units"), pytest.mark.markup]
PATROL = "CoCoパトロール隊による地域パトロール"
SCHOOL = "学校等における安全対策"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _sign_in(browser: Browser, site: str, username: str) -> Page:
    page = browser.new_context(locale="ja-JP").new_page()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="サインイン").click()
    expect(page.locator("h1")).to_have_text("職員用ページ")
    return page


def _open_record(page: Page, title: str) -> None:
    page.get_by_role("link", name=title).first.click()
    expect(page.locator("h1")).to_have_text(title)


def test_a_whole_year_from_opening_to_publishing(
    browser: Browser, live_server: Any, seeded: Plan, people: People
) -> None:
    site = str(live_server.url)
    plan = seeded

    alice = _sign_in(browser, site, "alice")
    alice.get_by_label("小金井市防犯指針：提出期限").fill("2020-04-30")
    alice.get_by_role("button", name="小金井市防犯指針の令和元年度（2019年度）を開始").click()
    expect(alice.locator(".message")).to_contain_text("令和元年度（2019年度）を開始しました")

    # Bob (地域安全課) updates the patrol figures; the numbers are read as he types.
    bob = _sign_in(browser, site, "bob")
    _open_record(bob, PATROL)
    items = bob.get_by_label("項目（1行に1項目。「・」で始まる行は箇条書き）")
    items.fill("・車両数 15台\n・パトロール回数 501回\n・距離 8,012km")
    expect(bob.locator("#live")).to_contain_text("パトロール回数: 501回")
    bob.get_by_label("内容を確認しました（提出するとき）").check()
    bob.get_by_role("button", name="保存して提出する").click()
    expect(bob.locator(".lead")).to_contain_text("提出済み")

    # Carol (学務課) confirms last year's items as they are.
    carol = _sign_in(browser, site, "carol")
    _open_record(carol, SCHOOL)
    carol.get_by_label("内容を確認しました（提出するとき）").check()
    carol.get_by_role("button", name="保存して提出する").click()
    expect(carol.locator(".lead")).to_contain_text("提出済み")

    # Alice returns Carol's record; Carol fixes it and submits again.
    school = Record.objects.get(measure__title=SCHOOL, department__name="学務課", fiscal_year__year=2019)
    alice.goto(f"{site}/staff/records/{school.pk}/")
    alice.get_by_label("差戻しの理由").fill("防犯ブザーの貸与件数を今年度の数に直してください")
    alice.get_by_role("button", name="差し戻す").click()
    expect(alice.locator(".lead")).to_contain_text("差戻し")
    carol.goto(f"{site}/staff/")
    expect(carol.get_by_role("row", name=SCHOOL)).to_contain_text("差戻し")
    # Returned first, with its reason; on the record, the reason above everything else.
    expect(carol.locator("tbody tr").first).to_contain_text(
        "差戻しの理由: 防犯ブザーの貸与件数を今年度の数に直してください"
    )
    _open_record(carol, SCHOOL)
    expect(carol.locator(".returned-box")).to_contain_text("防犯ブザーの貸与件数を今年度の数に直してください")
    expect(carol.locator(".comment").last).to_contain_text("防犯ブザーの貸与件数を今年度の数に直してください")
    text = carol.get_by_label("項目（1行に1項目。「・」で始まる行は箇条書き）").input_value()
    carol.get_by_label("項目（1行に1項目。「・」で始まる行は箇条書き）").fill(text.replace("1,579件", "1,602件"))
    # Leaving with unsaved text asks first; staying keeps it.
    asked: list[str] = []

    def stay(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    carol.once("dialog", stay)
    carol.get_by_role("link", name="職員用ページ").first.click(no_wait_after=True)
    expect(carol.locator("h1")).to_have_text(SCHOOL)
    assert asked == ["beforeunload"]
    carol.get_by_label("内容を確認しました（提出するとき）").check()
    carol.get_by_role("button", name="保存して提出する").click()
    expect(carol.locator(".lead")).to_contain_text("提出済み")

    # The other departments' submissions, which this walk does not click through one by one.
    for record in Record.objects.filter(fiscal_year__year=2019).exclude(state=Record.State.SUBMITTED):
        submit(record, by=people.alice)

    alice.goto(f"{site}/staff/plans/{plan.pk}/years/2019/")
    alice.get_by_label("一件ずつ開かずにすべて承認します", exact=False).check()
    alice.get_by_role("button", name="提出済みをすべて承認する").click()
    expect(alice.locator(".lead")).to_contain_text("確定（全件承認済み）")
    alice.get_by_role("link", name="プレビューして公表する").click()
    expect(alice.locator(".findings li")).to_have_count(2)  # the seed's own: 16台 in the description, 15台 reported
    alice.get_by_role("link", name="公表されるページのプレビュー").click()
    expect(alice.get_by_role("note")).to_contain_text("プレビュー（未公表）")
    expect(alice.get_by_role("table").first).to_contain_text("パトロール回数 501回")
    alice.get_by_role("link", name="公表の確認に戻る").click()
    alice.get_by_label("エラーを残したまま公表する理由").fill(SEED_ERRORS_REASON)
    alice.get_by_label("プレビューで内容を確認しました").check()
    alice.get_by_role("button", name="第1版として公表する").click()
    expect(alice.locator(".message")).to_contain_text("第1版")
    expect(alice.locator(".lead")).to_contain_text("公表済み")
    assert FiscalYear.objects.get(plan=plan, year=2019).status == "published"

    public = browser.new_page()
    public.goto(f"{site}/plans/{plan.pk}/years/2019/")
    expect(public.locator("h1")).to_have_text("小金井市防犯指針に基づく令和元年度の取組み等について")
    expect(public.locator("table.report")).to_contain_text("パトロール回数 501回")
    expect(public.locator("table.report")).to_contain_text("防犯ブザーの貸与(小中学校) 1,602件")
    for name, extension in [
        ("Excel", "xlsx"),
        ("PDF", "pdf"),
        ("CSV", "csv"),
        ("JSON", "json"),
        ("HTML", "html"),
        ("テキスト", "txt"),
    ]:
        with public.expect_download() as download:
            public.get_by_role("link", name=name).click()
        assert download.value.suggested_filename == f"132101-2019.{extension}"
        assert Path(download.value.path()).stat().st_size > 1000

    # History kept every step of the walk.
    patrol = Record.objects.get(measure__title=PATROL, fiscal_year__year=2019)
    states = [h.state for h in patrol.history.order_by("history_date")]
    assert states == ["not_started", "draft", "submitted", "approved"]
    assert {h.history_user for h in patrol.history.all() if h.state in ("draft", "submitted")} == {people.bob}
