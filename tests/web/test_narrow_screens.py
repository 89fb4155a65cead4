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
