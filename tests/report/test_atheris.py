"""Runs the atheris harness (atheris_importers.py) for a bounded number of inputs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .test_fuzz import SEED, WORKBOOK

pytest.importorskip("atheris", reason="atheris publishes wheels for CPython 3.11–3.13 only")

HARNESS = Path(__file__).with_name("atheris_importers.py")
RUNS = 3_000


def test_coverage_guided_fuzzing_finds_no_unexpected_exception(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seed.txt").write_bytes(SEED)
    (corpus / "seed-crlf.txt").write_bytes(SEED.replace(b"\n", b"\r\n"))
    (corpus / "seed-cp932.txt").write_bytes(SEED.decode().encode("cp932"))
    (corpus / "seed.xlsx").write_bytes(WORKBOOK)
    finished = subprocess.run(
        [sys.executable, str(HARNESS), str(corpus), f"-runs={RUNS}", "-seed=1", f"-artifact_prefix={tmp_path}/"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert finished.returncode == 0, finished.stderr[-4000:]
    done = re.search(r"Done (\d+) runs", finished.stderr)
    assert done is not None, finished.stderr[-2000:]
    assert int(done.group(1)) >= RUNS
