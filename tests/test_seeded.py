"""The `seeded` fixture puts back what importing the seed stores, so the tests that start from it
start where `shishin import` of the seed would have left them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps

from shishin.plans.models import Plan

from .conftest import ImportedRows
from .helpers import export, run, snapshot

pytestmark = pytest.mark.django_db


def test_the_seeded_database_is_one_the_import_finds_nothing_to_change_in(
    seeded: Plan, seed_path: Path, seed_bytes: bytes
) -> None:
    assert export() == seed_bytes
    before = snapshot()
    status, out, err = run("import", str(seed_path))
    assert (status, err) == (0, "") and "変更はありません" in out
    assert snapshot() == before


def test_importing_the_seed_writes_as_many_rows_to_each_table_as_are_put_back(
    seed_path: Path, _seed_rows: ImportedRows
) -> None:
    models = apps.get_models(include_auto_created=True)
    before = {model: model._base_manager.count() for model in models}
    assert run("import", str(seed_path))[0] == 0
    written = {model: model._base_manager.count() - before[model] for model in models}
    put_back = {model: len(rows) for model, _, rows in _seed_rows.tables}
    assert {model: n for model, n in written.items() if n} == put_back
