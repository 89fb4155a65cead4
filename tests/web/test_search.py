from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client

from shishin.plans.models import Department, FiscalYear, Plan
from shishin.plans.search import _matching_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(seeded: Plan) -> Plan:
    return seeded


@pytest.mark.parametrize(
    ("query", "measure"),
    [
        ("防犯カメラ", "公共の場所における防犯カメラの設置"),
        ("詐欺", "市報やホームページ等の活用"),
        ("パトロール", "CoCoパトロール隊による地域パトロール"),
    ],
)
def test_substrings_of_japanese_text_are_found(client: Client, plan: Plan, query: str, measure: str) -> None:
    page = client.get("/search/", {"q": query}).content.decode()
    assert f"「{query}」の検索結果" in page
    assert f">{measure}</a> <small>" in page
    assert f"<mark>{query}</mark>" in page


def test_results_are_grouped_by_measure_and_year_and_filtered(client: Client, plan: Plan) -> None:
    data = json.loads(client.get("/api/search", {"q": "パトロール回数"}).content)
    assert [(g["measure"], g["fiscal_year"]) for g in data["groups"]] == [
        ("CoCoパトロール隊による地域パトロール", 2018),
        ("CoCoパトロール隊による地域パトロール", 2017),
    ]
    item = data["groups"][0]["items"][0]
    assert item == {
        "department": "地域安全課",
        "text": "パトロール回数 472回",
        "highlighted": "<mark>パトロール回数</mark> 472回",
    }
    only_2017 = json.loads(client.get("/api/search", {"q": "パトロール回数", "year": "2017"}).content)
    assert [g["fiscal_year"] for g in only_2017["groups"]] == [2017]
    school = Department.objects.get(name="学務課")
    by_department = json.loads(client.get("/api/search", {"q": "防犯", "department": str(school.pk)}).content)
    assert {i["department"] for g in by_department["groups"] for i in g["items"]} == {"学務課"}


def test_a_measure_title_or_description_matches_too(client: Client, plan: Plan) -> None:
    data = json.loads(client.get("/api/search", {"q": "暴力団排除"}).content)
    assert [m["title"] for m in data["measures"]] == ["暴力団排除活動の推進"]


def test_unpublished_years_are_not_searched(client: Client, plan: Plan) -> None:
    FiscalYear.objects.filter(year=2018).update(status=FiscalYear.Status.COLLECTING)
    data = json.loads(client.get("/api/search", {"q": "パトロール回数"}).content)
    assert [g["fiscal_year"] for g in data["groups"]] == [2017]


def test_search_text_is_escaped(client: Client, plan: Plan) -> None:
    page = client.get("/search/", {"q": "<script>"}).content.decode()
    assert "<script>" not in page.split("<main", 1)[1]


def test_a_nul_byte_is_a_bad_request_not_a_server_error(client: Client, plan: Plan) -> None:
    assert client.get("/search/", {"q": "防犯\x00"}).status_code == 400
    assert client.get("/api/search", {"q": "防犯\x00"}).status_code == 422


def test_the_item_query_is_served_by_the_trigram_index(plan: Plan) -> None:
    """The search the pages run can use the index made for it (FTS5 trigram / pg_trgm)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The seed is small enough to scan; say scanning is dear, as it is at scale.
            cursor.execute("SET LOCAL enable_seqscan = off")
        assert "plans_item_text_trgm" in _matching_items("防犯カメラ").explain()
    else:
        assert "plans_item_fts VIRTUAL TABLE INDEX" in _matching_items("防犯カメラ").explain()


@pytest.mark.parametrize("query", ["防犯カメラ", "防犯　カメラ", "カメラ 防犯", "防犯 カメラ"])
def test_several_words_in_any_order_must_all_be_found(client: Client, plan: Plan, query: str) -> None:
    page = client.get("/search/", {"q": query}).content.decode()
    assert ">公共の場所における防犯カメラの設置</a> <small>" in page
    data = json.loads(client.get("/api/search", {"q": query}).content)
    texts = [i["text"] for g in data["groups"] for i in g["items"]]
    assert texts and all("防犯" in t and "カメラ" in t for t in texts)
    # Both words are marked, and only where they are.
    assert all("<mark>" in i["highlighted"] for g in data["groups"] for i in g["items"])
    # A word the text does not hold leaves nothing.
    assert json.loads(client.get("/api/search", {"q": query + " 存在しない言葉"}).content)["groups"] == []


@pytest.mark.parametrize(("query", "found"), [("ＣｏＣｏ", "CoCo"), ("ｶﾒﾗ", "防犯カメラ"), ("ｃｏｃｏ", None)])
def test_full_and_half_width_are_one(client: Client, plan: Plan, query: str, found: str | None) -> None:
    data = json.loads(client.get("/api/search", {"q": query}).content)
    titles = [m["title"] for m in data["measures"]]
    if found is None:
        assert titles == []  # widths are one; letter case is not
    else:
        assert titles and all(found in title for title in titles)


def test_text_written_full_width_is_found_by_the_narrow_word(client: Client, plan: Plan) -> None:
    from shishin.plans.models import Item

    item = Item.objects.filter(text__startswith="パトロール回数").first()
    assert item is not None
    item.text = "ＣｏＣｏ" + item.text
    item.save()
    data = json.loads(client.get("/api/search", {"q": "CoCo パトロール"}).content)
    marked = [i["highlighted"] for g in data["groups"] for i in g["items"]]
    assert marked == [f"<mark>ＣｏＣｏ</mark><mark>パトロール</mark>{item.text.removeprefix('ＣｏＣｏパトロール')}"]


def test_the_count_says_plainly_what_was_found(client: Client, plan: Plan) -> None:
    page = client.get("/search/", {"q": "防犯 カメラ"}).content.decode()
    assert "「防犯 カメラ」を含む取組みが" in page and "件見つかりました" in page
    assert "（空白で区切った言葉をすべて含むものを表示しています）" in page
    none = client.get("/search/", {"q": "存在しない言葉"}).content.decode()
    assert "「存在しない言葉」を含む取組みは見つかりませんでした。" in none
