from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from shishin.plans.models import Item, Plan
from shishin.plans.search import Hit, occurrences

from ..helpers import run

pytestmark = pytest.mark.django_db
TEXT = "A&B <b>"


@pytest.fixture
def plan(seed_path: Path) -> Plan:
    run("import", str(seed_path))
    # An item as an editor may write it, with characters that mean something in HTML.
    Item.objects.filter(text="車両数 15台", record__fiscal_year__year=2018).update(text=TEXT)
    return Plan.objects.get()


@pytest.mark.parametrize(
    ("query", "highlighted"),
    [
        pytest.param("A&B", "<mark>A&amp;B</mark> &lt;b&gt;", id="an ampersand"),
        pytest.param("<b>", "A&amp;B <mark>&lt;b&gt;</mark>", id="a tag"),
    ],
)
def test_the_api_returns_the_text_as_stored_and_highlights_it_escaped(
    client: Client, plan: Plan, query: str, highlighted: str
) -> None:
    data = json.loads(client.get("/api/search", {"q": query}).content)
    assert [g["items"] for g in data["groups"]] == [
        [{"department": "地域安全課", "text": TEXT, "highlighted": highlighted}]
    ]


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        pytest.param("A&B", "<li>【地域安全課】<mark>A&amp;B</mark> &lt;b&gt;</li>", id="an ampersand"),
        pytest.param("<b>", "<li>【地域安全課】A&amp;B <mark>&lt;b&gt;</mark></li>", id="a tag"),
        pytest.param("B", "<li>【地域安全課】A&amp;<mark>B</mark> &lt;b&gt;</li>", id="a letter"),
    ],
)
def test_the_page_shows_the_text_escaped_with_each_match_marked(
    client: Client, plan: Plan, query: str, shown: str
) -> None:
    page = client.get("/search/", {"q": query}).content.decode()
    assert shown in page
    assert "<b>" not in page.split("<main", 1)[1]


def test_matches_are_found_from_the_left_without_overlapping() -> None:
    hit = Hit("", "ああああ回", occurrences("ああああ回", "ああ"))
    assert hit.matches == ((0, 2), (2, 4))
    assert hit.parts == [("ああ", True), ("ああ", True), ("回", False)]
    assert Hit("", "回数", occurrences("回数", "ああ")).parts == [("回数", False)]
