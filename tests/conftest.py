from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

# A copy of ../shared/fixtures/koganei-bohan-h30-torikumi.expected.json: one correct reading of the seed.
FIXTURE = Path(__file__).parent / "data" / "koganei-bohan-h30-torikumi.expected.json"


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    """The FY2018 report as shipped in the package."""
    return resources.files("shishin.demo").joinpath("koganei-bohan-h30-torikumi.txt").read_bytes()


@pytest.fixture
def seed_path(tmp_path: Path, seed_bytes: bytes) -> Path:
    path = tmp_path / "koganei-bohan-h30-torikumi.txt"
    path.write_bytes(seed_bytes)
    return path


@pytest.fixture(scope="session")
def expected_reading() -> dict[str, Any]:
    """One correct reading of the seed, kept in ../shared/fixtures."""
    result: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return result
