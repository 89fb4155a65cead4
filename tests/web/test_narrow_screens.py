"""The public pages on a phone (390 px wide): nothing scrolls sideways (issue 14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from .test_accessibility import _public_paths, browser, site  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_units"), pytest.mark.markup]


def test_no_public_page_scrolls_sideways_on_a_phone(browser: Browser, site: str) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="ja-JP")
    wide = {}
    for path in _public_paths():
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    page.close()
    assert wide == {}


def test_on_a_wide_screen_the_header_stays_in_view_and_shows_its_whole_search_placeholder(
    browser: Browser,  # noqa: F811
    site: str,  # noqa: F811
) -> None:
    path = next(p for p in _public_paths() if "/years/" in p)  # a long page: a report
    for width, sticky in [(1280, True), (390, False)]:
        page = browser.new_page(viewport={"width": width, "height": 800}, locale="ja-JP")
        page.goto(site + path)
        page.evaluate("window.scrollTo(0, 3000)")
        top = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().top")
        assert (top == 0) is sticky, (width, top)
        # The placeholder's text fits inside the box (measured in the box's own font).
        room, needed = page.evaluate(
            """() => {
              const input = document.getElementById('site-q');
              const style = getComputedStyle(input);
              const context = document.createElement('canvas').getContext('2d');
              context.font = style.font;
              const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
              return [input.clientWidth - padding, context.measureText(input.placeholder).width];
            }"""
        )
        assert needed <= room, (width, needed, room)
        page.close()
