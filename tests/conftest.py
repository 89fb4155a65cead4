from __future__ import annotations

import json
from dataclasses import dataclass
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


@dataclass
class People:
    """Alice compiles the report (administrator); Bob writes for 地域安全課 and Carol for 学務課
    (editors); Dave sits on the council (reviewer); Erin has an account but no role."""

    alice: Any
    bob: Any
    carol: Any
    dave: Any
    erin: Any

    def all(self) -> dict[str, Any]:
        return {"alice": self.alice, "bob": self.bob, "carol": self.carol, "dave": self.dave, "erin": self.erin}


PASSWORD = "correct-horse-battery"


@pytest.fixture
def people(db: Any) -> People:
    from django.contrib.auth.models import User

    from shishin.plans.models import Department, Membership, Municipality

    # The seed's city and departments; importing the seed later finds and reuses them.
    municipality, _ = Municipality.objects.get_or_create(
        code="132101", defaults={"name": "小金井市", "prefecture": "東京都"}
    )

    def person(name: str, role: str | None, departments: list[str]) -> Any:
        user = User.objects.create_user(name, f"{name}@example.jp", PASSWORD)
        if role:
            membership = Membership.objects.create(user=user, role=role)
            membership.departments.set(
                Department.objects.get_or_create(municipality=municipality, name=name)[0] for name in departments
            )
        return user

    return People(
        alice=person("alice", "administrator", []),
        bob=person("bob", "editor", ["地域安全課"]),
        carol=person("carol", "editor", ["学務課"]),
        dave=person("dave", "reviewer", []),
        erin=person("erin", None, []),
    )


@pytest.fixture
def default_units(transactional_db: Any) -> None:
    """Put back the units the migrations add: a transactional test before this one may have flushed them."""
    from shishin.lib.quantities import DEFAULT_UNITS
    from shishin.plans.models import Unit

    Unit.objects.bulk_create([Unit(name=n, label=label) for n, label in DEFAULT_UNITS.items()], ignore_conflicts=True)


@pytest.fixture(autouse=True)
def _empty_cache(settings: Any) -> None:
    """Each test starts with no cached pages: another test's database may have used the same ids."""
    from django.core.cache import cache

    cache.clear()
    settings.REPORT_PAGE_MEMORY_SECONDS = 0
