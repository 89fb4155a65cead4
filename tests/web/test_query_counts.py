"""Every list page costs the same number of queries for a plan of 25 measures and one of 50."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shishin.plans.models import Department, Measure, Plan
from shishin.report import table_text
from shishin.report.records import Measure as PlainMeasure

from ..conftest import ImportedRows

pytestmark = pytest.mark.django_db

PAGES = [
    "/plans/{plan}/years/2018/",
    "/plans/{plan}/departments/{department}/",
    "/plans/{plan}/years/2018/checks/",
    "/staff/plans/{plan}/years/2018/",
    "/staff/plans/{plan}/years/2018/structure/",
    "/api/plans/{plan}/measures",
    "/api/plans/{plan}/years/2018/records",
    "/api/plans/{plan}/years/2018/indicators",
]


def _doubled(seed: bytes) -> bytes:
    """The seed of another city with every measure there twice (the copy titled （その2）)."""
    document = table_text.parse(seed.replace("小金井市".encode(), "国分寺市".encode()))

    def twice(measures: tuple[PlainMeasure, ...]) -> tuple[PlainMeasure, ...]:
        return measures + tuple(dataclasses.replace(m, title=m.title + "（その2）") for m in measures)

    return table_text.render(document.with_measures(twice)).encode()


@pytest.fixture(scope="module")
def _two_plans_rows(
    django_db_setup: None, django_db_blocker: Any, seed_bytes: bytes, tmp_path_factory: pytest.TempPathFactory
) -> ImportedRows:
    """The seed and its doubled copy, imported together once for the module."""
    folder = tmp_path_factory.mktemp("two-plans")
    (folder / "koganei.txt").write_bytes(seed_bytes)
    (folder / "kokubunji.txt").write_bytes(_doubled(seed_bytes))
    return ImportedRows.capture(django_db_blocker, folder)


@pytest.fixture
def seeded_two_plans(db: None, _two_plans_rows: ImportedRows) -> None:
    _two_plans_rows.put_back()


@pytest.mark.parametrize("page", PAGES)
def test_a_list_page_costs_the_same_queries_however_many_measures(
    client: Client, seeded_two_plans: None, people: Any, page: str
) -> None:
    small, large = Plan.objects.get(name="小金井市防犯指針"), Plan.objects.get(name="国分寺市防犯指針")
    assert (Measure.objects.filter(plan=small).count(), Measure.objects.filter(plan=large).count()) == (25, 50)
    client.force_login(people.alice)
    counts = []
    for plan in (small, large):
        department = Department.objects.get(municipality=plan.municipality, name="地域安全課")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.format(plan=plan.pk, department=department.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
