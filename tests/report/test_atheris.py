"""Runs the atheris harness (atheris_importers.py) for a bounded number of inputs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..helpers import SEED
from .test_fuzz import WORKBOOK

pytest.importorskip("atheris", reason="atheris publishes wheels for CPython 3.11–3.13 only")

HARNESS = Path(__file__).with_name("atheris_importers.py")
RUNS = 3_000
# The fuzzer started when the run collected this test (see start_early), and its folder.
_early: list[tuple[subprocess.Popen[bytes], Path]] = []


def _start(folder: Path) -> subprocess.Popen[bytes]:
    """Start the harness on the seed corpus; its output goes to folder/stdout.txt and stderr.txt."""
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "seed.txt").write_bytes(SEED)
    (corpus / "seed-crlf.txt").write_bytes(SEED.replace(b"\n", b"\r\n"))
    (corpus / "seed-cp932.txt").write_bytes(SEED.decode().encode("cp932"))
    (corpus / "seed.xlsx").write_bytes(WORKBOOK)
    with (folder / "stdout.txt").open("wb") as stdout, (folder / "stderr.txt").open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, str(HARNESS), str(corpus), f"-runs={RUNS}", "-seed=1", f"-artifact_prefix={folder}/"],
            stdout=stdout,
            stderr=stderr,
        )


def start_early(folder: Path) -> None:
    """Called by tests/conftest.py once the run has collected this test: the fuzzer, a process of
    its own, then runs on the other core while the tests before this one run."""
    _early.append((_start(folder), folder))


def stop_early() -> None:
    """Called when the run ends: a fuzzer whose test did not run (-x, Ctrl-C) is stopped."""
    while _early:
        fuzzer, _ = _early.pop()
        fuzzer.kill()
        fuzzer.wait()


def test_coverage_guided_fuzzing_finds_no_unexpected_exception(tmp_path: Path) -> None:
    fuzzer, folder = _early.pop() if _early else (_start(tmp_path), tmp_path)
    try:
        returncode = fuzzer.wait(timeout=900)
    finally:
        fuzzer.kill()
        fuzzer.wait()
    stderr = (folder / "stderr.txt").read_text()
    assert returncode == 0, stderr[-4000:]
    done = re.search(r"Done (\d+) runs", stderr)
    assert done is not None, stderr[-2000:]
    assert int(done.group(1)) >= RUNS
