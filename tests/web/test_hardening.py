"""What a hostile or careless visitor or editor can send: each is answered with a clear 4xx, never a 500
or an unbounded amount of work (issue 13). The files (workbooks, tables) are in tests/report/test_hostile_files.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shishin.api.views import EXTRACT_CALLS_PER_MINUTE, MAX_EXTRACT_CHARACTERS
from shishin.plans import actions
from shishin.plans.models import MAX_ITEM_CHARACTERS, MAX_ITEMS_PER_RECORD, FiscalYear, Item, Plan, Record

from ..conftest import People
from ..helpers import run, signed_in, wsgi_get

pytestmark = pytest.mark.django_db

HUGE = "9" * 20  # an id no database stores


@pytest.fixture
def fy2019(seeded_2019_open: Plan) -> FiscalYear:
    return FiscalYear.objects.get(plan=seeded_2019_open, year=2019)


def _bobs_record(plan: Plan) -> Record:
    return Record.objects.get(
        fiscal_year__plan=plan, fiscal_year__year=2019, measure__title="CoCoパトロール隊による地域パトロール"
    )


@pytest.mark.parametrize(
    "path",
    [
        f"/plans/{HUGE}/years/2018/",
        f"/plans/1/years/{HUGE}/",
        f"/plans/1/measures/{HUGE}/",
        f"/plans/1/departments/{HUGE}/",
        f"/plans/1/years/2018/editions/{HUGE}/",
        "/plans/1/measures/2147483648/",
        f"/staff/records/{HUGE}/",
    ],
)
def test_an_id_too_large_to_store_is_a_page_not_found(seeded: Plan, people: People, path: str) -> None:
    assert signed_in(people.alice).get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [f"q=防犯&department={HUGE}", f"q=防犯&year={HUGE}", "q=防犯&department=-1", "q=" + "防" * 60_000],
)
def test_search_refuses_what_it_cannot_look_for(seeded: Plan, query: str) -> None:
    answer = Client().get(f"/search/?{query}")
    assert answer.status_code == 400
    assert "文字まで" in answer.content.decode() or "番号で指定" in answer.content.decode()


def test_the_public_number_reader_takes_a_bounded_text(db: None) -> None:
    client = Client()
    longest = client.post("/api/extract", {"text": "車両数 15台、" * (MAX_EXTRACT_CHARACTERS // 8)}, "application/json")
    assert longest.status_code == 200 and len(longest.json()["indicators"]) == MAX_EXTRACT_CHARACTERS // 8
    too_long = client.post("/api/extract", {"text": "あ" * (MAX_EXTRACT_CHARACTERS + 1)}, "application/json")
    assert too_long.status_code == 422


def test_one_client_calls_the_number_reader_a_bounded_number_of_times_a_minute(db: None) -> None:
    client, other = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    body = json.dumps({"text": "車両数 15台"})
    answers = [client.post("/api/extract", body, "application/json") for _ in range(EXTRACT_CALLS_PER_MINUTE + 1)]
    assert {a.status_code for a in answers[:-1]} == {200}
    refused = answers[-1]
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "待ってから" in refused.json()["detail"]
    assert other.post("/api/extract", body, "application/json").status_code == 200  # another client is served


def test_staff_typing_in_a_record_is_not_counted(db: None, people: People) -> None:
    """The record page reads the numbers as an editor types: twenty departments behind one office
    address would exhaust a per-address rate in minutes."""
    editor = signed_in(people.bob)
    body = json.dumps({"text": "車両数 15台"})
    answers = {
        editor.post("/api/extract", body, "application/json").status_code for _ in range(EXTRACT_CALLS_PER_MINUTE + 5)
    }
    assert answers == {200}


def test_an_editor_cannot_save_more_items_than_a_record_holds(seeded: Plan, people: People, fy2019: FiscalYear) -> None:
    record = _bobs_record(seeded)
    before = list(Item.objects.filter(record=record).values_list("text", flat=True))
    bob = signed_in(people.bob)
    typed = "\n".join(f"・パトロール {n}回" for n in range(MAX_ITEMS_PER_RECORD + 1))
    page = bob.post(f"/staff/records/{record.pk}/save/", {"items": typed, "version": record.version})
    assert page.status_code == 400
    text = page.content.decode()
    assert f"1つの記録は{MAX_ITEMS_PER_RECORD}項目まで" in text and "パトロール 200回" in text  # kept as typed
    long = "あ" * (MAX_ITEM_CHARACTERS + 1)
    page = bob.post(f"/staff/records/{record.pk}/save/", {"items": f"・短い項目\n・{long}", "version": record.version})
    assert page.status_code == 400 and "2項目目が長すぎます" in page.content.decode()
    assert list(Item.objects.filter(record=record).values_list("text", flat=True)) == before

    api = f"/api/records/{record.pk}"
    many = {"version": record.version, "items": [{"text": "項目"}] * (MAX_ITEMS_PER_RECORD + 1)}
    assert bob.put(api, many, "application/json").status_code == 422
    one_long = {"version": record.version, "items": [{"text": long}]}
    assert bob.put(api, one_long, "application/json").status_code == 422
    most = {"version": record.version, "items": [{"text": "あ" * MAX_ITEM_CHARACTERS}] * MAX_ITEMS_PER_RECORD}
    assert bob.put(api, most, "application/json").status_code == 200
    assert Item.objects.filter(record=record).count() == MAX_ITEMS_PER_RECORD


def test_the_actions_refuse_too_many_items_whoever_calls_them(seeded: Plan, people: People, fy2019: FiscalYear) -> None:
    from shishin.report.records import Item as PlainItem

    record = _bobs_record(seeded)
    with pytest.raises(actions.ActionError, match="項目が多すぎます"):
        actions.do_save_record(
            record, [PlainItem("x")] * (MAX_ITEMS_PER_RECORD + 1), version=record.version, by=people.bob
        )


def test_a_file_of_a_municipality_without_a_national_code_downloads_under_its_name(
    db: None, tmp_path: Path, seed_bytes: bytes
) -> None:
    """RFC 6266: a name that is not ASCII goes in ``filename*``, as UTF-8; browsers save it as written."""
    from urllib.parse import quote

    report = tmp_path / "yumemi.txt"
    report.write_bytes(seed_bytes.decode().replace("小金井市", "夢見市").encode())
    status, _, err = run("import", str(report))
    assert status == 0, err
    plan = Plan.objects.get()
    answer = Client().get(f"/plans/{plan.pk}/years/2018/report.csv")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('夢見市-2018.csv')}"


def test_the_public_pages_a_visitor_reads_are_answered_from_memory(
    seeded: Plan, settings: Any, django_assert_num_queries: Any
) -> None:
    """A page drawn for each visitor takes a worker 15–25 ms; kept for a couple of seconds, none: a
    search or a number reader running beside it cannot hold up what most visitors read."""
    from django.core.handlers.wsgi import WSGIHandler

    from shishin.plans.models import Department, Measure
    from shishin.web.front import Remembered

    settings.REPORT_PAGE_MEMORY_SECONDS = 600
    front = Remembered(WSGIHandler())
    measure, department = Measure.objects.filter(plan=seeded).first(), Department.objects.first()
    assert measure and department
    for path in (
        "/",
        f"/plans/{seeded.pk}/measures/{measure.pk}/",
        f"/plans/{seeded.pk}/departments/{department.pk}/",
        f"/plans/{seeded.pk}/years/2018/changes/",
    ):
        first = wsgi_get(front, path)
        with django_assert_num_queries(0):
            again = wsgi_get(front, path)
        assert first.status == "200 OK" and again == first, path
    # A search is everyone's own.
    with CaptureQueriesContext(connection) as queries:
        wsgi_get(front, "/search/?q=%E9%98%B2%E7%8A%AF")  # 防犯
    assert len(queries) > 0
