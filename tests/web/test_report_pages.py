from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from shishin.plans.models import Department, Edition, FiscalYear, Measure, Plan, Record
from shishin.report.records import Item

from ..helpers import correct_and_republish

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(seeded: Plan) -> Plan:
    return seeded


def test_the_index_lists_the_published_reports(client: Client, plan: Plan) -> None:
    page = client.get("/").content.decode()
    assert f'<a href="/plans/{plan.pk}/years/2018/">平成30年度（2018年度）の取組み状況</a>' in page
    assert "/years/2017/" not in page  # shown in the FY2018 report, but not a report of its own


def test_the_report_page_is_the_published_table(client: Client, plan: Plan) -> None:
    page = client.get(f"/plans/{plan.pk}/years/2018/").content.decode()
    assert "<h1>小金井市防犯指針に基づく平成30年度の取組み等について</h1>" in page
    assert '<th scope="col">平成29年度の取組み</th><th scope="col">平成30年度の取組み</th>' in page
    patrol = Measure.objects.get(title="CoCoパトロール隊による地域パトロール")
    assert f'<a href="/plans/{plan.pk}/measures/{patrol.pk}/">CoCoパトロール隊による地域パトロール</a>' in page
    assert page.count('class="measure-title"') == 25


@pytest.mark.parametrize(
    ("format", "content_type", "start"),
    [
        ("csv", "text/csv; charset=utf-8", "\ufeff全国地方公共団体コード".encode()),
        ("json", "application/json", b"{"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("pdf", "application/pdf", b"%PDF-"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("text", "text/tab-separated-values; charset=utf-8", b"\n\n\xe2\x96\xa0"),
    ],
)
def test_every_format_downloads_from_the_report_page(
    client: Client, plan: Plan, format: str, content_type: str, start: bytes
) -> None:
    page = client.get(f"/plans/{plan.pk}/years/2018/").content.decode()
    url = f"/plans/{plan.pk}/years/2018/report.{format}"
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"] == f'attachment; filename="132101-2018.{"txt" if format == "text" else format}"'
    )
    assert response.content.startswith(start)


def test_downloads_agree_with_the_command_line(client: Client, plan: Plan, seed_bytes: bytes) -> None:
    assert client.get(f"/plans/{plan.pk}/years/2018/report.text").content == seed_bytes
    data = json.loads(client.get(f"/plans/{plan.pk}/years/2018/report.json").content)
    assert data["fiscal_year"] == 2018
    workbook = load_workbook(io.BytesIO(client.get(f"/plans/{plan.pk}/years/2018/report.xlsx").content))
    assert workbook.sheetnames[:3] == ["報告書", "データ", "指標"]


def test_an_unpublished_year_is_not_public(client: Client, plan: Plan) -> None:
    # A year being collected that has never been published: no edition.
    Edition.objects.filter(fiscal_year__plan=plan, fiscal_year__year=2018).delete()
    FiscalYear.objects.filter(plan=plan, year=2018).update(status=FiscalYear.Status.COLLECTING)
    assert client.get(f"/plans/{plan.pk}/years/2018/").status_code == 404
    assert client.get(f"/plans/{plan.pk}/years/2018/report.pdf").status_code == 404
    patrol = Measure.objects.get(title="CoCoパトロール隊による地域パトロール")
    page = client.get(f"/plans/{plan.pk}/measures/{patrol.pk}/").content.decode()
    assert "472回" not in page and "589回" in page
    assert "/years/2018/" not in client.get("/").content.decode()


def test_an_unknown_format_or_year_is_404(client: Client, plan: Plan) -> None:
    assert client.get(f"/plans/{plan.pk}/years/2018/report.docx").status_code == 404
    assert client.get(f"/plans/{plan.pk}/years/2017/").status_code == 404
    assert client.get(f"/plans/{plan.pk}/years/2030/report.csv").status_code == 404


def test_a_department_page_shows_what_it_carries_and_reported(client: Client, plan: Plan) -> None:
    school = Department.objects.get(name="学務課")
    page = client.get(f"/plans/{plan.pk}/departments/{school.pk}/").content.decode()
    assert "<h1>学務課の取組み</h1>" in page
    assert "学校等における安全対策</a></li>" in page
    assert "防犯ブザーの貸与(小中学校) 1,579件" in page and "防犯ブザーの貸与(小中学校) 1,572件" in page
    general = Department.objects.get(name="庶務課")
    page = client.get(f"/plans/{plan.pk}/departments/{general.pk}/").content.decode()
    assert "学校等における安全対策</a></li>" in page and "公表済みの取組みはありません" in page


def test_a_measure_page_draws_its_indicators_with_a_text_alternative(client: Client, plan: Plan) -> None:
    patrol = Measure.objects.get(title="CoCoパトロール隊による地域パトロール")
    page = client.get(f"/plans/{plan.pk}/measures/{patrol.pk}/").content.decode()
    assert page.count("<svg ") == 3
    assert '<title id="chart-1-title">パトロール回数の推移</title>' in page
    assert '<desc id="chart-1-desc">平成29年度（2017年度） 589回、平成30年度（2018年度） 472回</desc>' in page


@pytest.mark.parametrize(
    ("path", "queries"),
    # A department page: 6, 3 for its measures' wording (each record's year's, the published years'), and
    # 1 for the departments it took over from or that took it over.
    [("/plans/{plan}/years/2018/", 3), ("/plans/{plan}/departments/{department}/", 10)],
)
@pytest.mark.parametrize("department", ["地域安全課", "学務課"])
def test_list_pages_cost_the_same_queries_whatever_they_list(
    client: Client, plan: Plan, path: str, queries: int, department: str, django_assert_num_queries: Any
) -> None:
    found = Department.objects.get(name=department)
    with django_assert_num_queries(queries):
        assert client.get(path.format(plan=plan.pk, department=found.pk)).status_code == 200


def test_the_report_page_is_served_from_the_cache_until_a_new_edition(
    client: Client, plan: Plan, django_assert_num_queries: Any, people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from shishin.plans import actions

    first = client.get(f"/plans/{plan.pk}/years/2018/")
    with django_assert_num_queries(0):
        again = client.get(f"/plans/{plan.pk}/years/2018/")
    assert again.content == first.content
    fiscal_year = FiscalYear.objects.get(plan=plan, year=2018)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_reopen_year(fiscal_year, reason="訂正", by=people.alice)
    # Reopened: the published edition is still the public page.
    with django_assert_num_queries(0):
        assert client.get(f"/plans/{plan.pk}/years/2018/").content == first.content
    record = Record.objects.get(fiscal_year=fiscal_year, measure__title="CoCoパトロール隊による地域パトロール")
    with django_capture_on_commit_callbacks(execute=True):
        correct_and_republish(record, [Item("パトロール 480回")], admin=people.alice, editor=people.bob)
    page = client.get(f"/plans/{plan.pk}/years/2018/").content.decode()
    assert "第2版" in page and "パトロール 480回" in page
