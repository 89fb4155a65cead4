from __future__ import annotations

from pathlib import Path

import pytest

from shishin.plans.models import Plan

from ..helpers import run

pytestmark = pytest.mark.django_db
TITLE = "小金井市防犯指針に基づく平成30年度の取組み等について"


def test_a_folder_imports_file_by_file_and_sums_up(tmp_path: Path, seed_bytes: bytes) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a-koganei.txt").write_bytes(seed_bytes)
    (folder / "b-kokubunji.txt").write_bytes(
        seed_bytes.replace(TITLE.encode(), TITLE.replace("小金井市", "国分寺市").encode())
    )
    (folder / "c-broken.txt").write_bytes(seed_bytes[:2000])
    (folder / "notes.md").write_text("not a report")
    status, out, err = run("import", str(folder))
    assert status == 2
    assert out.splitlines()[-1] == "3 ファイル: 取込み 2 件、変更なし 0 件、取り込めなかったもの 1 件"
    assert err.startswith(f"{folder / 'c-broken.txt'}:")
    assert sorted(p.name for p in Plan.objects.all()) == ["国分寺市防犯指針", "小金井市防犯指針"]
    status, out, _ = run("import", str(folder / "a-koganei.txt"), str(folder / "b-kokubunji.txt"))
    assert status == 0
    assert out.splitlines()[-1] == "2 ファイル: 取込み 0 件、変更なし 2 件、取り込めなかったもの 0 件"
