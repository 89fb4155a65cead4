from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shishin.plans.models import Item, Measure, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def patrol(seeded: Plan) -> Measure:
    return Measure.objects.get(title="CoCoパトロール隊による地域パトロール")


def test_a_measure_shows_its_indicators_across_the_years(client: Client, patrol: Measure) -> None:
    page = client.get(f"/plans/{patrol.plan_id}/measures/{patrol.pk}/").content.decode()
    assert "<h1>CoCoパトロール隊による地域パトロール</h1>" in page
    assert '<th scope="col">平成29年度（2017年度）</th><th scope="col">平成30年度（2018年度）</th>' in page
    assert '<th scope="row">パトロール回数</th><td class="number">589回</td><td class="number">472回</td>' in page
    assert '<td class="number">9,588km</td><td class="number">7,714km</td>' in page


def test_a_measure_shows_every_years_records_with_anchors(client: Client, patrol: Measure) -> None:
    page = client.get(f"/plans/{patrol.plan_id}/measures/{patrol.pk}/").content.decode()
    for item in Item.objects.filter(record__measure=patrol):
        assert f'<li id="item-{item.pk}">{item.text}</li>' in page
    assert page.index('id="year-2018"') < page.index('id="year-2017"')


def test_an_unknown_measure_is_404(client: Client, patrol: Measure) -> None:
    assert client.get(f"/plans/{patrol.plan_id}/measures/999999/").status_code == 404
    assert client.get(f"/plans/999/measures/{patrol.pk}/").status_code == 404


def test_the_measure_page_costs_a_fixed_number_of_queries(
    client: Client, patrol: Measure, django_assert_num_queries: Any
) -> None:
    school = Measure.objects.get(title="学校等における安全対策")
    for measure in (patrol, school):
        # 6, and 4 for the wording of each published year: the years, the measure's, its pillar's, its area's.
        with django_assert_num_queries(10):
            client.get(f"/plans/{measure.plan_id}/measures/{measure.pk}/")
