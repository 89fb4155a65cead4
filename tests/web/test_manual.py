"""The manual (ヘルプ): its pages on the site, and its screenshots, taken from the running app by a
walk through the screens it shows, so that they stay current.

The walk writes a screenshot into src/shishin/manual/images/ only when it differs from the stored
one (decoded pixels, with a tolerance for anti-aliasing), so a run where nothing changed leaves the
repository clean; the clock is frozen, so that no date or time changes a picture."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import socket
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image, ImageChops
from playwright.sync_api import Browser, FloatRect, Locator, Page, expect, sync_playwright

from shishin.plans.actions import do_grant_role, do_save_departments
from shishin.plans.management.commands.serve import DEMO_ACCOUNTS, DEMO_DEPARTMENTS
from shishin.plans.models import Department, Plan, Record
from shishin.report.structure_workbook import DepartmentRow

from ..conftest import People
from ..helpers import SEED_ERRORS_REASON, signed_in, submit
from .test_accessibility import ARGS, AXE, CHROMIUM, ROOT, _violations
from .test_city_walk import add_departments, add_first_structure

# In the repository (docs/manual links here), where the walk writes its screenshots.
MANUAL = ROOT / "src" / "shishin" / "manual"
IMAGES = MANUAL / "images"
PAGES = ["index", "admin", "editor"]
PATROL = "CoCoパトロール隊による地域パトロール"
MAIL = "こがねい安全・安心メール、ツイッター"
WEBSITE = "市報やホームページ等の活用"
CHILDREN = "CoCoパトロール車による子ども見守りパトロール"
EDITOR_PASSWORD = "koganei-anzen-2020"

# Every screenshot the walk takes, in its order; the Markdown shows each of them and no other.
SHOTS = [
    "admin-home.png",
    "admin-people.png",
    "editor-invitation.png",
    "sign-in.png",
    "editor-record.png",
    "editor-numbers.png",
    "editor-submitted.png",
    "admin-board.png",
    "admin-review.png",
    "editor-tasks.png",
    "editor-returned.png",
    "editor-workbook.png",
    "editor-workbook-check.png",
    "admin-remind.png",
    "admin-mail-problem.png",
    "admin-outbox.png",
    "reviewer-comment.png",
    "admin-locked.png",
    "admin-publish.png",
    "admin-new-plan.png",
    "admin-departments.png",
    "admin-structure.png",
]


def _referenced() -> dict[str, list[str]]:
    """The images each page of the manual shows."""
    return {
        name: re.findall(r"\]\(images/([^)\s]+)\)", (MANUAL / f"{name}.md").read_text(encoding="utf-8"))
        for name in PAGES
    }


# ---- the pages on the site -------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_of_the_manual_renders_with_its_links_and_images_on_the_site(people: People) -> None:
    client = signed_in(people.bob)
    for name in PAGES:
        address = "/staff/help/" if name == "index" else f"/staff/help/{name}/"
        response = client.get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        assert 'aria-current="page"' in page and '<a href="/staff/">職員用ページ</a>' in page
        assert ".md" not in "".join(re.findall(r'href="([^"]*)"', page)), name  # links lead to pages
        for image in _referenced()[name]:
            assert f'src="/staff/help/images/{image}"' in page
    assert client.get("/staff/help/index/")["Location"] == "/staff/help/"
    assert client.get("/staff/help/nothing/").status_code == 404


def test_every_image_the_manual_shows_is_one_the_walk_takes_and_is_stored() -> None:
    shown = [image for images in _referenced().values() for image in images]
    assert sorted(set(shown)) == sorted(SHOTS)
    assert sorted(p.name for p in IMAGES.glob("*.png")) == sorted(SHOTS)


@pytest.mark.django_db
def test_a_link_to_a_section_of_another_page_finds_its_heading(people: People) -> None:
    client = signed_in(people.alice)
    ids = {
        name: set(re.findall(r' id="([^"]+)"', client.get(f"/staff/help/{name}/").content.decode())) for name in PAGES
    }
    ids["index"] = set(re.findall(r' id="([^"]+)"', client.get("/staff/help/").content.decode()))
    for name in PAGES:
        text = (MANUAL / f"{name}.md").read_text(encoding="utf-8")
        for target, anchor in re.findall(r"\]\((?:([a-z]+)\.md)?#([^)]+)\)", text):
            assert anchor in ids[target or name], f"{name}.md → {target or name}.md#{anchor}"


@pytest.mark.django_db
def test_the_images_are_served_to_staff_by_their_names_only(people: People) -> None:
    client = signed_in(people.carol)
    response = client.get(f"/staff/help/images/{SHOTS[0]}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    # Read to its end, the response is closed by the test client; closing it here would also close the
    # test's database connection, as the end of a request does (PostgreSQL then refuses the next query).
    assert b"".join(response.streaming_content) == (IMAGES / SHOTS[0]).read_bytes()
    shot = SHOTS[0].removesuffix(".png")
    for name in [
        "..%2Findex.md",
        "..%2F..%2F__init__.py",
        "index.md",
        f"{shot.upper()}.png",
        f"{shot}.PNG",
        ".png",
        "missing.png",
    ]:
        assert client.get(f"/staff/help/images/{name}").status_code == 404, name
    assert signed_in(people.erin).get(f"/staff/help/images/{SHOTS[0]}").status_code == 403  # no role
    assert Client().get("/staff/help/")["Location"].startswith("/accounts/login/")
    assert Client().get(f"/staff/help/images/{SHOTS[0]}")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_header_offers_the_manual_to_signed_in_people(people: People) -> None:
    assert '<a href="/staff/help/">ヘルプ</a>' in signed_in(people.dave).get("/staff/").content.decode()
    assert "/staff/help/" not in Client().get("/").content.decode()


# ---- the screenshots -------------------------------------------------------------------------


class Clock:
    """The time the app reads (``timezone.now``), set by the walk: the same pictures every run."""

    now: dt.datetime

    def __init__(self) -> None:
        self.at("2020-04-06", "09:00")

    def at(self, day: str, time: str = "10:00") -> None:
        self.now = dt.datetime.fromisoformat(f"{day}T{time}+09:00")

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


# Chromium's own words (a date field's order, 「ファイルを選択」) in Japanese, as a clerk's browser shows them.
JAPANESE = Path("/usr/lib/chromium/locales/ja.pak")  # Debian's chromium-l10n


@pytest.fixture
def browser() -> Iterator[Browser]:
    assert JAPANESE.exists(), "Chromium's Japanese is missing: `make test` installs it (apt-get install chromium-l10n)"
    assert AXE.exists(), "axe-core is missing: `make test` installs it (npm ci)"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=ARGS, env={**os.environ, "LANG": "C.UTF-8", "LANGUAGE": "ja"}
        )
        yield launched
        launched.close()


def _differs(png: bytes, stored: Path) -> bool:
    """Whether a screenshot shows something else than the stored one. Anti-aliasing, and the stored
    one's fewer colours, change a pixel's colour a little; a changed word, line or layout changes many
    pixels by much."""
    if not stored.exists():
        return True
    with Image.open(stored) as old, Image.open(io.BytesIO(png)) as new:
        if old.size != new.size:
            return True
        red, green, blue = ImageChops.difference(old.convert("RGB"), new.convert("RGB")).split()
        most = ImageChops.lighter(ImageChops.lighter(red, green), blue)
        return sum(most.histogram()[65:]) > 16


def _store(png: bytes, path: Path) -> None:
    """Keep a screenshot in 128 colours (a third of the bytes; text and the page's colours keep theirs)."""
    with Image.open(io.BytesIO(png)) as taken:
        fewer = taken.convert("RGB").quantize(128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        fewer.save(path, optimize=True)


class Camera:
    """Takes the walk's screenshots and keeps those that changed."""

    def __init__(self) -> None:
        self.taken: list[str] = []

    def shoot(self, page: Page, name: str, top: Locator | None = None, bottom: Locator | None = None) -> None:
        """The page from ``top`` to ``bottom`` (both elements included, the page's whole width), or the
        whole page. Nothing focused: a focus ring is not part of the picture."""
        page.wait_for_load_state()  # a navigation the last step began has a document to picture
        width = page.evaluate(
            "document.activeElement?.blur(); window.scrollTo(0, 0); document.documentElement.scrollWidth"
        )
        if top is None:
            png = page.screenshot(full_page=True, animations="disabled")
        else:
            first, last = top.bounding_box(), (bottom or top).bounding_box()
            assert first is not None and last is not None, name
            y = max(0, first["y"] - 16)
            clip = FloatRect(x=0, y=y, width=width, height=last["y"] + last["height"] + 16 - y)
            png = page.screenshot(full_page=True, clip=clip, animations="disabled")
        self.taken.append(name)
        if _differs(png, IMAGES / name):
            _store(png, IMAGES / name)


def _signed_in(browser: Browser, site: str, username: str, **options: Any) -> Page:
    """A page of a new browser context (1280 wide, in Japanese), signed in as ``username`` without the
    sign-in form (test_year_walk signs in through it)."""
    session = signed_in(User.objects.get(username=username)).cookies["sessionid"].value
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}, **options)
    context.add_cookies([{"name": "sessionid", "value": session, "url": site}])
    return context.new_page()


def _demo(plan: Plan, password_hash: str) -> None:
    """The demo's departments and accounts (`shishin serve --demo`)."""
    listed = resources.files("shishin.demo").joinpath(DEMO_DEPARTMENTS).read_text(encoding="utf-8")
    rows = [
        DepartmentRow(row["担当課"], int(row["組織順"]), row["よみがな"], row["連絡先メールアドレス"])
        for row in csv.DictReader(listed.splitlines())
    ]
    do_save_departments(plan, rows, by=None)
    for username, role, departments in DEMO_ACCOUNTS:
        user = User.objects.create(username=username, email=f"{username}@example.jp", password=password_hash)
        named = Department.objects.filter(municipality=plan.municipality, name__in=departments)
        do_grant_role(user, role, departments=list(named), by=None)


def _record(title: str) -> Record:
    return Record.objects.get(measure__title=title, department__name="地域安全課", fiscal_year__year=2019)


@pytest.mark.markup
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("default_units")
def test_the_manuals_screenshots_are_taken_from_the_running_app(
    browser: Browser,
    live_server: Any,
    seeded: Plan,
    password_hash: str,
    clock: Clock,
    settings: Any,
    tmp_path: Path,
) -> None:
    site = settings.SITE_URL = str(live_server.url)  # the invitation's link points here
    board = f"{site}/staff/plans/{seeded.pk}/years/2019/"
    _demo(seeded, password_hash)
    camera = Camera()

    # 令和2年4月6日: the administrator opens FY2019 and invites an editor.
    admin = _signed_in(browser, site, "admin", bypass_csp=True)  # axe-core is injected into the manual at the end
    admin.goto(f"{site}/staff/")
    admin.get_by_label(re.compile("提出期限")).fill("2020-05-15")
    camera.shoot(admin, "admin-home.png")
    admin.get_by_role("button", name=re.compile("を開始$")).click()
    expect(admin.locator(".message")).to_contain_text("を開始しました")

    admin.goto(f"{site}/staff/people/")
    admin.get_by_label("氏名").fill("小金井 花子")
    admin.get_by_label("メールアドレス").fill("hanako@example.jp")
    admin.get_by_label("役割").select_option(label="担当課の編集者")
    admin.get_by_label("地域安全課", exact=True).check()
    camera.shoot(admin, "admin-people.png")
    mail.outbox.clear()
    admin.get_by_role("button", name="招待メールを送る").click()
    expect(admin.locator(".message").first).to_contain_text("小金井 花子")

    # 4月7日: she opens the link in her mail and chooses a password; later she signs in with it.
    clock.at("2020-04-07")
    (invitation,) = [m for m in mail.outbox if m.to == ["hanako@example.jp"]]
    link = re.search(re.escape(site) + r"/staff/\S+", str(invitation.body))
    assert link is not None
    editor = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}).new_page()
    editor.goto(link.group())
    camera.shoot(editor, "editor-invitation.png", editor.locator("main"))
    editor.get_by_label("新しいパスワード", exact=True).fill(EDITOR_PASSWORD)
    editor.get_by_label("新しいパスワード（確認のためもう一度）").fill(EDITOR_PASSWORD)
    editor.get_by_role("button", name="パスワードを設定してサインインする").click()
    expect(editor.locator("h1")).to_have_text("職員用ページ")
    signing_in = browser.new_page(locale="ja-JP", viewport={"width": 1280, "height": 900})
    signing_in.goto(f"{site}/accounts/login/")
    signing_in.get_by_label("ユーザー名").fill("hanako@example.jp")
    signing_in.get_by_label("パスワード").fill(EDITOR_PASSWORD)
    camera.shoot(signing_in, "sign-in.png", signing_in.locator("main"))
    signing_in.close()

    # 4月13日: she writes this year's patrols, saves, reads the check and the numbers, and submits.
    clock.at("2020-04-13")
    editor.get_by_role("link", name=PATROL).click()
    items = editor.get_by_label("項目（1行に1項目。「・」で始まる行は箇条書き）")
    items.fill("・車両数 15台\n・パトロール回数 501回\n・距離 8,012km\n・青色防犯パトロール講習会の開催 2回")
    expect(editor.locator("#live")).to_contain_text("パトロール回数: 501回")
    editor.get_by_role("button", name="保存する", exact=True).click()
    expect(editor.locator(".message")).to_contain_text("保存しました")
    camera.shoot(editor, "editor-record.png", editor.locator("h1"), editor.locator(".two-columns"))
    camera.shoot(editor, "editor-numbers.png", editor.locator("#numbers"), editor.locator("#numbers + p + table"))
    editor.get_by_label("内容を確認しました（提出するとき）").check()
    editor.get_by_role("button", name="保存して提出する").click()
    expect(editor.locator(".lead")).to_contain_text("提出済み")
    camera.shoot(editor, "editor-submitted.png", editor.locator("h1"), editor.locator(".two-columns"))
    hanako = User.objects.get(username="hanako@example.jp")
    submit(_record(MAIL), by=hanako)  # as it was last year, which the administrator will return

    # 4月14日: the administrator follows the board, approves one and returns the other with its reason.
    clock.at("2020-04-14")
    admin.goto(board)
    camera.shoot(admin, "admin-board.png", admin.locator("h1"), admin.locator("tbody tr").nth(12))
    admin.get_by_role("link", name=PATROL).first.click()
    admin.get_by_role("button", name="承認する").click()
    expect(admin.locator(".lead")).to_contain_text("承認済み")
    admin.goto(f"{site}/staff/records/{_record(MAIL).pk}/")
    admin.get_by_label("差戻しの理由").fill(
        "加入登録数と配信数を令和元年度（令和2年3月31日現在）の数に直してください。"
    )
    review = admin.get_by_role("heading", name="確認", exact=True)
    camera.shoot(admin, "admin-review.png", review, admin.locator("form[action$='/return/']"))
    admin.get_by_role("button", name="差し戻す").click()
    expect(admin.locator(".lead")).to_contain_text("差戻し")

    # 4月15日: the editor finds the returned record first, with its reason; she fills in the workbook.
    clock.at("2020-04-15")
    editor.goto(f"{site}/staff/")
    camera.shoot(editor, "editor-tasks.png", editor.locator("h2").first, editor.locator("tbody tr").nth(5))
    editor.get_by_role("link", name=MAIL).click()
    expect(editor.locator("#returned")).to_be_visible()  # the record page, not the list it leaves
    camera.shoot(editor, "editor-returned.png", editor.locator("h1"), editor.locator("#returned"))

    editor.goto(f"{site}/staff/")
    section = editor.locator("h2", has_text="記入用ブック")
    camera.shoot(editor, "editor-workbook.png", section, editor.locator("form").last)
    with editor.expect_download() as download:
        editor.get_by_role("link", name=re.compile("記入用ブックをダウンロード")).click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook["記入シート"]
    blocks = [(str(sheet.cell(row, 3).value), row) for row in range(1, sheet.max_row + 1)]

    def block(title: str) -> int:
        return next(row for text, row in blocks if text.startswith(title))

    sheet.cell(block(WEBSITE), 6).value = "○"  # 今年度は実績なし
    children = sheet.cell(block(CHILDREN), 5)
    children.value = f"{children.value}\n・下校時の見守りパトロールを週2回に拡充"  # another item in the same cell
    filled = tmp_path / "地域安全課.xlsx"
    workbook.save(filled)
    editor.set_input_files("input[name=workbook]", str(filled))
    editor.get_by_role("button", name="アップロードして変更点を確認する").click()
    expect(editor.locator("caption")).to_contain_text("変更のある取組み")
    save = editor.get_by_role("button", name="この内容で保存する")
    camera.shoot(editor, "editor-workbook-check.png", editor.locator("h1"), save)
    save.click()
    expect(editor.locator(".message")).to_contain_text("保存しました")

    # 4月16日: reminders, while the mail server cannot be reached; the outbox; a reviewer's comment.
    clock.at("2020-04-16")
    admin.goto(board)
    with socket.socket() as unreachable:  # bound, never listening: a connection is refused at once
        unreachable.bind(("127.0.0.1", 0))
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = unreachable.getsockname()
        admin.get_by_role("button", name="未提出の担当課に督促メールを送る").click()
        expect(admin.locator(".message").first).to_contain_text("督促メールを送りました")
    camera.shoot(admin, "admin-remind.png", admin.locator(".messages"), admin.locator(".actions"))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin.goto(f"{site}/staff/")
    camera.shoot(admin, "admin-mail-problem.png", admin.locator("h1"), admin.locator(".notice"))
    admin.get_by_role("link", name="メールの送信状況を確認して再送する").click()
    admin.wait_for_url("**/staff/mail/")
    camera.shoot(admin, "admin-outbox.png", admin.locator("h1"), admin.locator("tbody tr").nth(3))

    reviewer = _signed_in(browser, site, "kyogikai")
    reviewer.goto(f"{site}/staff/records/{_record(PATROL).pk}/")
    reviewer.get_by_label("コメントを書く").fill("講習会の参加者数も書いていただけると、協議会で説明しやすいです。")
    reviewer.get_by_role("button", name="コメントする").click()
    expect(reviewer.locator(".message")).to_contain_text("コメントしました")
    comments = reviewer.get_by_role("heading", name="コメント", exact=True)
    camera.shoot(reviewer, "reviewer-comment.png", comments, reviewer.locator("form[action$='/comment/']"))

    # 4月17日: everything is in; the administrator approves the rest at once, and previews before publishing.
    clock.at("2020-04-17")
    for record in Record.objects.filter(fiscal_year__year=2019).exclude(state__in=["submitted", "approved"]):
        submit(record, by=User.objects.get(username="admin"))
    admin.goto(board)
    admin.get_by_label("一件ずつ開かずにすべて承認します", exact=False).check()
    admin.get_by_role("button", name="提出済みをすべて承認する").click()
    expect(admin.locator(".lead")).to_contain_text("確定")
    camera.shoot(admin, "admin-locked.png", admin.locator("h1"), admin.locator(".actions"))
    admin.get_by_role("link", name="プレビューして公表する").click()
    admin.get_by_label("エラーを残したまま公表する理由").fill(SEED_ERRORS_REASON)
    admin.get_by_label("プレビューで内容を確認しました").check()
    camera.shoot(admin, "admin-publish.png")  # publishing itself is test_year_walk's

    # A city with no published report starts on the pages.
    admin.goto(f"{site}/staff/plans/new/")
    admin.get_by_label("地方公共団体（全国地方公共団体コード6桁、または名前）").fill("国分寺市")
    admin.get_by_label("指針の名前").fill("防犯指針")
    admin.get_by_label("最初の年度（西暦）").fill("2020")
    create = admin.get_by_role("button", name="指針を作る")
    camera.shoot(admin, "admin-new-plan.png", admin.locator("h1"), create)
    create.click()
    add_departments(admin)
    save = admin.get_by_role("button", name="担当課を保存する")
    camera.shoot(admin, "admin-departments.png", admin.locator("h1"), save)
    save.click()
    add_first_structure(admin)
    admin.get_by_label("提出期限").fill("2020-05-29")
    camera.shoot(admin, "admin-structure.png")  # 照会を始める is test_city_walk's

    assert camera.taken == SHOTS

    # The manual itself: every page served, its pictures shown, nothing refused by the CSP, no axe violation.
    refused: list[str] = []
    editor.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    found = {}
    for name in PAGES:
        address = f"{site}/staff/help/" if name == "index" else f"{site}/staff/help/{name}/"
        response = editor.goto(address)
        assert response is not None and response.status == 200, address
        shown = editor.evaluate("[...document.images].map(image => image.complete && image.naturalWidth > 0)")
        assert shown == [True] * len(_referenced()[name]), name
        admin.goto(address)
        if violations := _violations(admin):
            found[name] = violations
    assert (refused, found) == ([], {})
    for page in (admin, editor, reviewer):
        page.context.close()
