"""The Django admin shows the plans' data read-only: it changes only through the actions."""

from __future__ import annotations

import pytest
from django.test import Client

from shishin.plans.models import FiscalYear, Indicator, Item, Plan, Record, Unit

from ..conftest import People

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(seeded: Plan, people: People) -> Client:
    client = Client()
    client.force_login(people.alice)
    return client


def test_records_and_years_are_shown_but_cannot_be_changed(admin_client: Client) -> None:
    record = Record.objects.filter(items__text__contains="パトロール回数").first()
    assert record is not None
    item = record.items.get(text__contains="パトロール回数")
    page = admin_client.get(f"/admin/plans/record/{record.pk}/change/")
    assert page.status_code == 200 and "パトロール回数" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    posted = admin_client.post(
        f"/admin/plans/record/{record.pk}/change/",
        {
            "state": "draft",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": item.pk,
            "items-0-text": "改ざん",
        },
    )
    assert posted.status_code == 403
    item.refresh_from_db()
    assert "改ざん" not in item.text
    year = FiscalYear.objects.get(year=2018)
    assert admin_client.post(f"/admin/plans/fiscalyear/{year.pk}/change/", {"status": "collecting"}).status_code == 403
    assert admin_client.post(f"/admin/plans/fiscalyear/{year.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/plans/record/add/").status_code == 403
    year.refresh_from_db()
    assert year.status == "published"


def test_a_unit_added_in_the_admin_reads_every_item_again(admin_client: Client) -> None:
    item = Item.objects.filter(text__contains="7,714km").first()
    assert item is not None
    Unit.objects.filter(name="km").delete()
    Indicator.objects.filter(item=item, unit="km").delete()
    response = admin_client.post("/admin/plans/unit/add/", {"name": "km", "label": "距離"})
    assert response.status_code == 302
    assert Indicator.objects.filter(item=item, unit="km").exists()
