"""Every public page in a real browser: axe-core finds no WCAG 2.0 A/AA violation (JIS X 8341-3:2016 AA),
and the report page works with the keyboard alone."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

from shishin.plans.models import Department, Measure, Plan

from ..conftest import People

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The live server needs committed data.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_units"), pytest.mark.markup]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs it (apt-get install chromium)"
    assert AXE.exists(), "axe-core is missing: `make test` installs it (npm ci)"
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def site(live_server: Any, seeded: Plan) -> str:
    return str(live_server.url)


def _public_paths() -> list[str]:
    plan = Plan.objects.get()
    paths = ["/", f"/plans/{plan.pk}/years/2018/", f"/plans/{plan.pk}/years/2018/changes/", "/search/?q=防犯カメラ"]
    paths += ["/search/"]
    paths += [f"/plans/{plan.pk}/measures/{m.pk}/" for m in Measure.objects.filter(plan=plan)]
    paths += [f"/plans/{plan.pk}/departments/{d.pk}/" for d in Department.objects.all()]
    return paths


def _violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    # Every rule runs on every node as before; only the violations are gathered up and sent back
    # (axe's resultTypes keeps one node of each passed or inapplicable rule instead of all of them).
    violations = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}, resultTypes: ['violations']})
            .then(result => result.violations)"""
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations]


def test_every_public_page_has_no_wcag_violation(browser: Browser, site: str) -> None:
    paths = _public_paths()
    assert len(paths) > 25
    context = browser.new_context(locale="ja-JP", bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    found = {}
    for path in paths:
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        if violations := _violations(page):
            found[path] = violations
    context.close()
    assert found == {}


def test_the_error_pages_have_no_wcag_violation(browser: Browser, site: str) -> None:
    page = browser.new_page(locale="ja-JP", bypass_csp=True)
    response = page.goto(site + "/no/such/page/")
    assert response is not None and response.status == 404
    assert _violations(page) == []
    page.close()


def test_the_exported_html_has_no_wcag_violation(browser: Browser, site: str) -> None:
    plan = Plan.objects.get()
    html = Client().get(f"/plans/{plan.pk}/years/2018/report.html").content.decode()
    page = browser.new_page()
    page.set_content(html)
    assert _violations(page) == []
    page.close()


def test_the_staff_check_page_has_no_wcag_violation(browser: Browser, site: str, people: People) -> None:
    client = Client()
    client.force_login(people.alice)
    context = browser.new_context(bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
    page = context.new_page()
    plan = Plan.objects.get()
    page.goto(f"{site}/plans/{plan.pk}/years/2018/checks/")
    assert page.locator("h1").inner_text().endswith("平成30年度（2018年度）の点検結果")
    assert _violations(page) == []
    context.close()


def _focused(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """() => {
            const e = document.activeElement;
            const r = e.getBoundingClientRect();
            const s = getComputedStyle(e);
            return {tag: e.tagName, id: e.id, text: e.innerText.trim(), href: e.getAttribute('href'),
                    outline: s.outlineStyle, visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight};
        }"""
    )
    return result


def test_the_report_page_works_with_the_keyboard_alone(browser: Browser, site: str) -> None:
    plan = Plan.objects.get()
    page = browser.new_page()
    page.goto(f"{site}/plans/{plan.pk}/years/2018/")
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert (skip["text"], skip["href"], skip["visible"], skip["outline"]) == ("本文へ移動", "#main", True, "solid")
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = _focused(page)
        assert focused["visible"] and focused["outline"] == "solid", focused
        seen.append(focused["text"])
        if focused["text"] == "CoCoパトロール隊による地域パトロール":
            break
    assert seen[0] == "Excel（印刷用とデータ）"
    assert seen[-1] == "CoCoパトロール隊による地域パトロール"
    page.keyboard.press("Enter")
    page.wait_for_url("**/measures/**")
    assert page.locator("h1").inner_text() == "CoCoパトロール隊による地域パトロール"
    page.close()


def test_every_staff_page_has_no_wcag_violation(browser: Browser, site: str, people: People) -> None:
    from shishin.plans import actions
    from shishin.plans.models import Mail, Record

    plan = Plan.objects.get()
    actions.do_open_fiscal_year(plan, 2019, deadline=None, by=people.alice)
    record = Record.objects.filter(fiscal_year__year=2019, department__name="地域安全課").first()
    assert record is not None
    # A new city's plan, being prepared: its departments and structure pages with every form.
    preparing = actions.do_create_plan(municipality="132144", name="防犯指針", first_year=2026, by=people.alice)
    actions.do_add_pillar(preparing, title="地域で守る", by=people.alice)
    Mail.objects.create(  # the outbox, with a mail the server refused
        kind="reminder",
        to=["anzen@example.jp"],
        subject="督促",
        body="…",
        state="failed",
        error="SMTPRecipientsRefused",
    )
    # A measure's target, set and revised: its page shows the original and the history.
    for target, reason in (("650", ""), ("700", "上方修正")):
        wanted = actions.TargetIn(
            "パトロール回数", "回", "output", "increase", 2017, Decimal(589), 2022, Decimal(target), reason
        )
        actions.do_set_target(record.measure, wanted, by=people.alice)
    # Outcomes by hand and counted from the police's open data (its tables by month, hour and 町丁目).
    actions.do_set_outcome(plan, "刑法犯認知件数", "件", 2023, Decimal(1038), by=people.alice)
    rows = ["市区町村コード（発生地）,町丁目（発生地）,発生年月日（始期）,発生時（始期）,手口"]
    rows += [f"132101,本町{n % 3 + 1}丁目,2023/{n % 12 + 1:02d}/05,{n % 24},自転車盗" for n in range(30)]
    actions.do_import_police_csv(plan, "\n".join(rows).encode("cp932"), "自転車盗.csv", 2023, by=people.alice)
    found: dict[str, object] = {}
    for person, paths in [
        (None, ["/accounts/login/"]),
        (
            people.alice,
            [
                "/staff/",
                f"/staff/plans/{plan.pk}/years/2019/",
                f"/staff/plans/{plan.pk}/years/2019/structure/",
                f"/staff/plans/{plan.pk}/years/2019/publishing/",
                f"/staff/plans/{plan.pk}/years/2019/preview/",
                f"/staff/plans/{plan.pk}/years/2019/numbers/",
                f"/staff/records/{record.pk}/",
                "/staff/plans/new/",
                f"/staff/plans/{preparing.plan_id}/departments/",
                f"/staff/plans/{preparing.plan_id}/years/2026/structure/",
                "/staff/mail/",
                f"/staff/plans/{plan.pk}/targets/",
                f"/staff/plans/{plan.pk}/measures/{record.measure_id}/targets/",
                f"/staff/plans/{plan.pk}/grades/",
                f"/staff/plans/{plan.pk}/outcomes/",
            ],
        ),
        (people.bob, ["/staff/", f"/staff/records/{record.pk}/", "/staff/tokens/"]),
    ]:
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
        if person is not None:
            client = Client()
            client.force_login(person)
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
        page = context.new_page()
        for path in paths:
            response = page.goto(site + path)
            assert response is not None and response.status == 200, path
            if violations := _violations(page):
                found[path] = violations
            if (width := page.evaluate("document.documentElement.scrollWidth")) > 1280:
                found[path] = f"scrolls sideways in a 1280 px window: {width} px"
        context.close()
    assert found == {}
