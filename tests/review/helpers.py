from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..plans.helpers import run

HEADER = "主要な施策\t担当課\t施策の内容\t平成29年度の取組み\t平成30年度の取組み"
PILLAR = "1 安全の確保 安全を守るために\t\t\t\t"


def report(*rows: str) -> bytes:
    """A small FY2018 report of 架空市 with the given measure rows under one pillar."""
    lines = ["", "", "■ 架空市防犯指針に基づく平成30年度の取組み等について", "", HEADER, PILLAR, *rows]
    return "\n".join(lines).encode()


def row(title: str, departments: str, description: str, before: str, after: str) -> str:
    return "\t".join([title, departments, description, before, after])


def imported(tmp_path: Path, *rows: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(report(*rows))
    status, _, err = run("import", str(path))
    assert status == 0, err


def findings(*extra: str, year: int = 2018) -> tuple[int, list[dict[str, Any]]]:
    status, out, err = run("check", "--year", str(year), "--format", "json", *extra)
    assert status in (0, 1), err
    data = json.loads(out)
    return status, data["findings"]


def codes(*extra: str) -> list[tuple[str, int, str, str]]:
    """(code, fiscal year, measure, department) of every finding except the copied-item notices."""
    return [
        (f["code"], f["fiscal_year"], f["measure"], f["department"])
        for f in findings(*extra)[1]
        if f["code"] != "copied-item"
    ]
