from __future__ import annotations

import pytest
from django.test import Client

from shishin.plans.models import Item, Plan

from ..conftest import People

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(seeded: Plan) -> Plan:
    return seeded


def test_the_check_results_need_a_staff_sign_in(client: Client, plan: Plan) -> None:
    response = client.get(f"/plans/{plan.pk}/years/2018/checks/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_check_results_link_to_their_place(client: Client, plan: Plan, people: People) -> None:
    client.force_login(people.dave)
    page = client.get(f"/plans/{plan.pk}/years/2018/checks/").content.decode()
    assert "エラー 2 件" in page
    truncated = Item.objects.get(text__contains="6回開（")
    assert f'href="/plans/{plan.pk}/measures/{truncated.record.measure_id}/#item-{truncated.pk}"' in page
    assert "「開催」の誤りではありませんか" in page


def test_an_unknown_year_is_404(client: Client, plan: Plan, people: People) -> None:
    client.force_login(people.alice)
    assert client.get(f"/plans/{plan.pk}/years/1999/checks/").status_code == 404
