"""schemathesis generates requests from the OpenAPI schema and checks every answer against it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from shishin.wsgi import application

from ..helpers import run

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def seeded(db: None, seed_path: Path) -> Iterator[None]:
    run("import", str(seed_path))
    # The WSGI app closes database connections after each request, which would end the test's
    # transaction; Django's test client stops that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_schema_says(case: Any, seeded: None) -> None:
    case.call_and_validate()
