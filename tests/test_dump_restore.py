"""`shishin dump` then `shishin restore` into an empty database gives back the same data, history included."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .helpers import new_database

pytestmark = pytest.mark.database

SHISHIN = str(Path(sys.executable).parent / "shishin")


# Each database's folder of editions' files, as two servers would have.
EDITIONS: dict[str, Path] = {}


@dataclass(frozen=True)
class Dumped:
    database: str  # a migrated database with the seed and some history (SQLite, or PostgreSQL in its pass)
    path: Path  # its `shishin dump`


@pytest.fixture(scope="module")
def dumped(tmp_path_factory: pytest.TempPathFactory, migrated: str, seed_bytes: bytes) -> Iterator[Dumped]:
    """The seed imported, a year opened and a record changed by a person, dumped: once for the module."""
    folder = tmp_path_factory.mktemp("dumped")
    seed = folder / "seed.txt"
    seed.write_bytes(seed_bytes)
    with new_database(folder, "first", template=migrated) as url:
        EDITIONS[url] = folder / "first-editions"
        assert _run("import", str(seed), database=url).returncode == 0
        script = (
            "from django.contrib.auth.models import User; from shishin.plans import actions; "
            "from shishin.plans.models import Plan, Record; from shishin.report.records import Item; "
            "u = User.objects.create_user('bob', password='x'); plan = Plan.objects.get(); "
            "actions.do_open_fiscal_year(plan, 2019, deadline=None, by=u); r = Record.objects.filter(fiscal_year__year=2019).first(); "
            "actions.do_save_record(r, [Item('更新した項目')], version=1, by=u); "
            "from shishin.plans.models import Mail; "
            "Mail.objects.create(kind='invitation', to=['bob@example.jp'], subject='招待', body='…/staff/invitation/…')"
        )
        assert _run("shell", "-c", script, database=url).returncode == 0
        path = folder / "backup.json.gz"
        result = _run("dump", str(path), database=url)
        assert result.returncode == 0, result.stderr
        yield Dumped(url, path)


@pytest.fixture
def second(tmp_path: Path) -> Iterator[str]:
    with new_database(tmp_path, "second") as url:
        EDITIONS[url] = tmp_path / "second-editions"
        yield url


def _run(*args: str, database: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHISHIN_", "DATABASE_URL", "DJANGO_"))}
    env["DATABASE_URL"] = database
    env["SHISHIN_EDITIONS_DIR"] = str(EDITIONS[database])
    return subprocess.run([SHISHIN, *args], env=env, capture_output=True, text=True, timeout=300, check=False)


def _rows(path: Path) -> list[tuple[str, Any, str]]:
    data = json.loads(gzip.decompress(path.read_bytes()))
    # Django writes times to the millisecond and drops ".000": 12:00:00.000Z is read back as 12:00:00Z.
    fields = [re.sub(r"(T\d\d:\d\d:\d\d)\.000Z", r"\1Z", json.dumps(row["fields"], sort_keys=True)) for row in data]
    return sorted((row["model"], row["pk"], text) for row, text in zip(data, fields, strict=True))


def test_a_dump_restores_to_the_same_data(tmp_path: Path, seed_path: Path, dumped: Dumped, second: str) -> None:
    restored = _run("restore", str(dumped.path), database=second)
    assert restored.returncode == 0, restored.stderr
    again = tmp_path / "again.json.gz"
    _run("dump", str(again), database=second)
    rows = _rows(dumped.path)
    assert rows == _rows(again)
    models = {model for model, _, _ in rows}
    assert {"plans.record", "plans.historicalrecord", "plans.historicalitem", "auth.user", "plans.indicator"} <= models
    assert "plans.mail" not in models  # the outbox is not data (its invitation links stay out of backups)
    assert _run("export", "--year", "2018", database=second).stdout.encode() == seed_path.read_bytes()
    # The edition's files came along, into the second server's own folder.
    script = "from shishin.plans import editions; from shishin.plans.models import Edition; print(editions.text_of(Edition.objects.get()).decode(), end='')"
    assert _run("shell", "-v", "0", "-c", script, database=second).stdout.encode() == seed_path.read_bytes()
    assert list((EDITIONS[second]).rglob("*.txt"))
    # The restored database carries on: new rows get ids of their own (on PostgreSQL, only if the
    # restore moved each table's sequence past the ids it loaded).
    script = (
        "from django.contrib.auth.models import User; from shishin.plans import actions; "
        "from shishin.plans.models import Plan, Record; u = User.objects.create_user('carol', password='x'); "
        "actions.do_open_fiscal_year(Plan.objects.get(), 2020, deadline=None, by=u); "
        "print(Record.objects.filter(fiscal_year__year=2020).count(), Record.objects.filter(fiscal_year__year=2019).count())"
    )
    carried_on = _run("shell", "-c", script, database=second)
    assert carried_on.returncode == 0, carried_on.stderr
    new_records, records = map(int, carried_on.stdout.splitlines()[-1].split())
    assert new_records == records > 0


def test_restore_refuses_a_database_that_is_not_empty(dumped: Dumped) -> None:
    result = _run("restore", str(dumped.path), database=dumped.database)
    assert result.returncode == 2 and "空ではありません" in result.stderr
