"""The installed ``shishin`` command, run as a user runs it: a new process on a fresh database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import new_database

SHISHIN = shutil.which("shishin", path=str(Path(sys.executable).parent))


def shishin(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    assert SHISHIN, "the shishin command is not installed in this environment"
    return subprocess.run([SHISHIN, *args], env=env, cwd=cwd, capture_output=True, timeout=120, check=False)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SHISHIN_", "DJANGO_"))}
    with new_database(tmp_path, "cli") as url:
        yield {**clean, "DATABASE_URL": url}


@pytest.fixture
def migrated_env(tmp_path: Path, migrated: str) -> Iterator[dict[str, str]]:
    """As ``env``, on a database already migrated."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SHISHIN_", "DJANGO_"))}
    with new_database(tmp_path, "cli", template=migrated) as url:
        yield {**clean, "DATABASE_URL": url}


@pytest.mark.database
def test_import_then_export_writes_the_seed_back_byte_for_byte(
    tmp_path: Path, migrated_env: dict[str, str], seed_path: Path, seed_bytes: bytes
) -> None:
    env = migrated_env  # `shishin migrate` made it (the `migrated` fixture)
    imported = shishin("import", str(seed_path), env=env, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr.decode()
    out = tmp_path / "out.txt"
    exported = shishin("export", "--year", "2018", "--format", "text", "-o", str(out), env=env, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr.decode()
    assert out.read_bytes() == seed_bytes
    to_stdout = shishin("export", "--year", "2018", "--format", "text", env=env, cwd=tmp_path)
    assert to_stdout.stdout == seed_bytes


@pytest.mark.database
def test_bad_input_is_one_line_on_stderr_with_exit_status_2(tmp_path: Path, migrated_env: dict[str, str]) -> None:
    env = migrated_env
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
        ("SHISHIN_HSTS_SECONDS", "a year", "SHISHIN_HSTS_SECONDS='a year': expected a whole number"),
        ("DATABASE_URL", "nosuch://shishin:hunter2@db/shishin", "DATABASE_URL='nosuch://shishin:***@db/shishin'"),
    ],
)
def test_a_bad_setting_fails_at_start_with_a_clear_message(
    tmp_path: Path, env: dict[str, str], name: str, value: str, expected: str
) -> None:
    result = shishin("check", env={**env, "SHISHIN_HTTPS": "1", name: value}, cwd=tmp_path)
    said = result.stderr.decode()
    assert result.returncode == 2
    assert said.startswith("shishin: 設定が正しくありません: ") and expected in said
    assert "Traceback" not in said and "hunter2" not in said  # the message alone, never the password


@pytest.mark.database
def test_two_imports_of_the_same_report_at_once_both_succeed(
    tmp_path: Path, migrated_env: dict[str, str], seed_path: Path
) -> None:
    """Two clerks (or a clerk and cron) import the same file at the same moment: one stores it, the
    other finds it stored; neither fails, and the database holds it once (1 plan, its 79 records)."""
    assert SHISHIN
    both = [
        subprocess.Popen(
            [SHISHIN, "import", str(seed_path)],
            env=migrated_env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in both]
    said = [out.decode() for out, _ in outputs]
    assert [process.returncode for process in both] == [0, 0], [err.decode() for _, err in outputs]
    assert sum("取り込みました" in out for out in said) == 1 and sum("変更はありません" in out for out in said) == 1, (
        said
    )
    counted = shishin(
        "shell",
        "--no-imports",
        "-c",
        "from shishin.plans.models import Plan, Record; print(Plan.objects.count(), Record.objects.count())",
        env=migrated_env,
        cwd=tmp_path,
    )
    assert counted.stdout.decode().split() == ["1", "79"], counted.stderr.decode()
