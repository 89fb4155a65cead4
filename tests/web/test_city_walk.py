"""A new city in a real browser, from an empty database with its first administrator to an open year
with two departments' editors invited, on the pages only; the invitations arrive at an SMTP server
and their links work."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from shishin.plans.models import FiscalYear, Membership, Record

from ..conftest import Inbox
from .test_year_walk import _sign_in, browser  # noqa: F401  (the module's browser)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_units"), pytest.mark.markup]
EDITOR_PASSWORD = "kokubunji-bohan-2026"


# Two departments of a new city, one with a contact address: (name, 組織順, よみがな, 連絡先).
NEW_DEPARTMENTS = [
    ("くらし安全課", "1", "くらしあんぜんか", "kurashi@example.jp"),
    ("学校教育課", "2", "がっこうきょういくか", ""),
]


def add_departments(page: Page) -> None:
    """Fill the departments page's blank rows with NEW_DEPARTMENTS (not saved yet)."""
    for row, (name, position, reading, email) in enumerate(NEW_DEPARTMENTS, start=1):
        page.get_by_label(f"追加する担当課（{row}行目）の名前").fill(name)
        page.get_by_label(f"追加する担当課（{row}行目）の組織順").fill(position)
        page.get_by_label(f"追加する担当課（{row}行目）のよみがな").fill(reading)
        page.get_by_label(f"追加する担当課（{row}行目）の連絡先メールアドレス").fill(email)


def add_first_structure(page: Page) -> None:
    """From the saved departments page, on to the structure: a pillar, an area, and a measure both of
    NEW_DEPARTMENTS carry."""
    page.get_by_role("link", name=re.compile("次へ")).click()
    page.get_by_label("基本方針の名前").fill("地域で守る安全なまち")
    page.get_by_role("button", name="基本方針を追加").click()
    page.get_by_label("施策の方向の名前").fill("見守り活動")
    page.get_by_role("button", name="施策の方向を追加").click()
    page.get_by_label("施策名").fill("通学路の見守り")
    page.get_by_label("基本方針・施策の方向").select_option(label="1 地域で守る安全なまち ／ (1) 見守り活動")
    page.get_by_label("担当課（空白区切り）").fill("くらし安全課 学校教育課")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_role("row", name=re.compile("通学路の見守り"))).to_contain_text("くらし安全課、学校教育課")


def _invite(page: Page, name: str, email: str, department: str) -> None:
    page.get_by_label("氏名").fill(name)
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("役割").select_option(label="担当課の編集者")
    page.get_by_label(department, exact=False).check()
    page.get_by_role("button", name="招待メールを送る").click()
    expect(page.locator(".message").first).to_contain_text(name)


def test_a_new_city_is_set_up_on_the_pages_and_its_departments_invited(
    browser: Browser,  # noqa: F811
    live_server: Any,
    inbox: Inbox,
    password_hash: str,
    settings: Any,
) -> None:
    site = settings.SITE_URL = str(live_server.url)  # the links in mail point here
    first = User.objects.create(username="kanri", email="kanri@example.jp", password=password_hash)
    Membership.objects.create(user=first, role=Membership.Role.ADMINISTRATOR)
    admin = _sign_in(browser, site, "kanri")

    admin.get_by_role("link", name="新しい指針を作る").click()
    admin.get_by_label("地方公共団体（全国地方公共団体コード6桁、または名前）").fill("国分寺市")
    admin.get_by_label("指針の名前").fill("防犯指針")
    admin.get_by_label("最初の年度（西暦）").fill("2026")
    admin.get_by_role("button", name="指針を作る").click()
    expect(admin.locator("h1")).to_have_text("東京都国分寺市の担当課")

    add_departments(admin)
    admin.get_by_role("button", name="担当課を保存する").click()
    expect(admin.locator(".message")).to_contain_text("担当課 2 件を保存しました")

    add_first_structure(admin)
    admin.get_by_label("提出期限").fill("2099-05-31")
    admin.get_by_role("button", name=re.compile("照会を始める")).click()
    expect(admin.locator(".message").first).to_contain_text("照会を始めました（取組み 2 件）")
    expect(admin.locator(".message").last).to_contain_text("依頼のメールが届かない担当課（1）: 学校教育課")

    admin.goto(f"{site}/staff/people/")
    _invite(admin, "国分 花子", "hanako@example.jp", "くらし安全課")
    _invite(admin, "国分 太郎", "taro@example.jp", "学校教育課")

    fiscal_year = FiscalYear.objects.get(plan__name="防犯指針")
    assert fiscal_year.status == FiscalYear.Status.COLLECTING
    assert Record.objects.filter(fiscal_year=fiscal_year).count() == 2
    requests = [to for to, message in inbox.messages if "照会" in message["Subject"]]
    assert requests == [["kurashi@example.jp"]]  # the department's contact address; 学校教育課 has none
    invitations = {to[0]: message for to, message in inbox.messages if "パスワードの設定" in message["Subject"]}
    assert sorted(invitations) == ["hanako@example.jp", "taro@example.jp"]
    body = invitations["hanako@example.jp"].get_content()
    link = re.search(re.escape(site) + r"/staff/\S+", body)
    assert link is not None, body

    # Hanako opens her link, chooses her password and finds her department's task.
    hanako = browser.new_context(locale="ja-JP").new_page()
    hanako.goto(link.group())
    hanako.get_by_label("新しいパスワード", exact=True).fill(EDITOR_PASSWORD)
    hanako.get_by_label("新しいパスワード（確認のためもう一度）").fill(EDITOR_PASSWORD)
    hanako.get_by_role("button", name="パスワードを設定してサインインする").click()
    expect(hanako.locator("h1")).to_have_text("職員用ページ")
    expect(hanako.get_by_role("row", name=re.compile("通学路の見守り"))).to_contain_text("くらし安全課")
