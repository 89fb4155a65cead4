"""schemathesis generates requests from the OpenAPI schema and checks every answer against it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from shishin.wsgi import application

from ..plans.helpers import run

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def seeded(db: None, seed_path: Path) -> None:
    run("import", str(seed_path))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_schema_says(case: Any, seeded: None) -> None:
    case.call_and_validate()
