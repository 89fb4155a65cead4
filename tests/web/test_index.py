from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from shishin.plans.models import Measure, Plan
from shishin.report import table_text

from ..helpers import run

pytestmark = pytest.mark.django_db


def test_the_index_lists_every_measure_of_the_seed(client: Client, seeded: Plan, seed_bytes: bytes) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ja">' in page
    titles = [m.title for m in table_text.parse(seed_bytes).all_measures()]
    assert len(titles) == 25
    for measure in Measure.objects.all():
        assert f'<a href="/plans/{measure.plan_id}/measures/{measure.pk}/">{measure.title}</a>' in page
    assert {m.title for m in Measure.objects.all()} == set(titles)


def test_the_index_says_how_to_import_when_empty(client: Client) -> None:
    assert "shishin import" in client.get("/").content.decode()


def test_the_index_costs_eight_queries_however_many_plans(
    client: Client, tmp_path: Path, seed_bytes: bytes, django_assert_num_queries: Any
) -> None:
    path = tmp_path / "a.txt"
    for name in ("小金井市防犯指針", "国分寺市防犯指針", "小金井市防災指針"):
        path.write_bytes(seed_bytes.replace("小金井市防犯指針".encode(), name.encode()))
        run("import", str(path))
        # 4, and 4 for the measures' wording in their published years: the years, the measures', pillars', areas'.
        with django_assert_num_queries(8):
            assert client.get("/").status_code == 200
