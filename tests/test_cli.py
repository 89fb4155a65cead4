"""The installed ``shishin`` command, run as a user runs it: a new process on a fresh database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

SHISHIN = shutil.which("shishin", path=str(Path(sys.executable).parent))


@contextmanager
def new_database(tmp_path: Path, name: str) -> Iterator[str]:
    """The DATABASE_URL of a new, empty database for a `shishin` process, on the database server
    the suite runs against: a new database on the PostgreSQL server in the PostgreSQL pass
    (`scripts/with-postgres`), a new SQLite file otherwise."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    database = f"shishin_{name}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    try:
        yield urlsplit(server)._replace(path=f"/{database}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def shishin(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    assert SHISHIN, "the shishin command is not installed in this environment"
    return subprocess.run([SHISHIN, *args], env=env, cwd=cwd, capture_output=True, timeout=120, check=False)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SHISHIN_", "DJANGO_"))}
    with new_database(tmp_path, "cli") as url:
        yield {**clean, "DATABASE_URL": url}


@pytest.mark.database
def test_import_then_export_writes_the_seed_back_byte_for_byte(
    tmp_path: Path, env: dict[str, str], seed_path: Path, seed_bytes: bytes
) -> None:
    assert shishin("migrate", env=env, cwd=tmp_path).returncode == 0
    imported = shishin("import", str(seed_path), env=env, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr.decode()
    out = tmp_path / "out.txt"
    exported = shishin("export", "--year", "2018", "--format", "text", "-o", str(out), env=env, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr.decode()
    assert out.read_bytes() == seed_bytes
    to_stdout = shishin("export", "--year", "2018", "--format", "text", env=env, cwd=tmp_path)
    assert to_stdout.stdout == seed_bytes


@pytest.mark.database
def test_bad_input_is_one_line_on_stderr_with_exit_status_2(tmp_path: Path, env: dict[str, str]) -> None:
    shishin("migrate", env=env, cwd=tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes("\n\n■ 小金井市防犯指針\n\n主要な施策\t担当課\n".encode())
    result = shishin("import", str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"{bad}:5:1: 見出し行（主要な施策、担当課、施策の内容、各年度の取組み をタブで区切ったもの）が必要です"
    ]


def test_without_database_url_it_uses_sqlite_under_var(tmp_path: Path, env: dict[str, str]) -> None:
    del env["DATABASE_URL"]
    assert shishin("migrate", env=env, cwd=tmp_path).returncode == 0
    assert (tmp_path / "var" / "shishin.sqlite3").is_file()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SHISHIN_DEBUG", "maybe", "SHISHIN_DEBUG='maybe'"),
        ("DATABASE_URL", "nosuchdb://x", "DATABASE_URL='nosuchdb://x'"),
    ],
)
def test_a_bad_setting_fails_at_start_with_a_clear_message(
    tmp_path: Path, env: dict[str, str], name: str, value: str, expected: str
) -> None:
    result = shishin("check", env={**env, name: value}, cwd=tmp_path)
    assert result.returncode != 0
    assert expected in result.stderr.decode()
