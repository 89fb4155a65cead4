"""schemathesis generates requests from the OpenAPI schema and checks every answer against it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import ignored_auth

from shishin.plans.models import Plan, Record
from shishin.wsgi import application

from ..conftest import People

# Submitting a record twice is refused with 400 (the record's state forbids it, the request is well
# formed), and so is a self-assessment grade the plan's own scale does not have (the scale is the
# plan's data, not the schema's): the positive-data check takes 400 as an answer to valid data there.
CONFIG = schemathesis.Config.from_str(
    """
[[operations]]
include-path-regex = "/(submit|assessment)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
"""
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)


@pytest.fixture
def served() -> Iterator[None]:
    """The test's database served by the WSGI application itself."""
    # The WSGI app closes database connections after each request, which would end the test's
    # transaction; Django's test client stops that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded_app(seeded: Plan, served: None) -> None:
    """The seed, served by the WSGI application itself."""


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_schema_says(case: Any, seeded_app: None) -> None:
    case.call_and_validate()


@pytest.fixture
def world(seeded_2019_open: Plan, served: None, people: People) -> dict[str, Any]:
    """The seed with 2019 opened for collection, so that draft records exist; the ids to ask for."""
    plan = seeded_2019_open
    drafts = Record.objects.filter(fiscal_year__year=2019)
    bobs = drafts.get(measure__title="CoCoパトロール隊による地域パトロール", department__name="地域安全課")
    carols = drafts.filter(department__name="学務課").first()
    published = Record.objects.filter(fiscal_year__year=2018).first()
    assert carols is not None and published is not None
    return {
        "people": people,
        # The first of each is the one the simplest example asks for: a record bob may write.
        "plan_id": [plan.pk],
        "year": [2018, 2017, 2019],
        "record_id": [bobs.pk, carols.pk, published.pk],
    }


# The endpoints that answer 200 only with ids that exist, or only to someone signed in.
SIGNED_IN_OPERATIONS = [
    ("GET", "/api/plans/{plan_id}/years/{year}/records"),
    ("GET", "/api/plans/{plan_id}/years/{year}/indicators"),
    ("GET", "/api/plans/{plan_id}/years/{year}/numbers"),
    ("GET", "/api/my/records"),
    ("GET", "/api/records/{record_id}"),
    ("PUT", "/api/records/{record_id}"),
    ("POST", "/api/records/{record_id}/submit"),
    ("PUT", "/api/records/{record_id}/assessment"),
]
WRITES = {"PUT", "POST"}
# alice administers, bob edits for 地域安全課, dave reviews (reads everything, writes nothing).
WRITERS = {"alice", "bob"}
# What only those who read every record may read: not an editor.
EVERY_RECORD = {"/api/plans/{plan_id}/years/{year}/numbers"}


@pytest.mark.parametrize("role", ["alice", "bob", "dave"])
@pytest.mark.parametrize(("method", "path"), SIGNED_IN_OPERATIONS, ids=[f"{m} {p}" for m, p in SIGNED_IN_OPERATIONS])
def test_signed_in_answers_are_as_the_schema_says_and_reach_success(
    world: dict[str, Any], role: str, method: str, path: str
) -> None:
    """Signed in, with the session and its CSRF token, asking mostly for ids that exist."""
    user = world["people"].all()[role]
    client = Client()
    client.force_login(user)
    csrf = get_random_string(32)
    cookies = {
        django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        "csrftoken": csrf,
    }
    operation = schema[path][method]
    names = [p for p in ("plan_id", "year", "record_id") if "{" + p + "}" in path]
    statuses: Counter[int] = Counter()

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def call(data: st.DataObject) -> None:
        made_up = data.draw(st.integers(0, 3), label="made-up ids") == 3  # one time in four
        known = None if made_up or not names else {n: data.draw(st.sampled_from(world[n]), label=n) for n in names}
        case = data.draw(operation.as_strategy(path_parameters=known), label="case")
        if method in WRITES and known is not None and data.draw(st.integers(0, 3), label="stale version") != 3:
            assert isinstance(case.body, dict)
            case.body["version"] = Record.objects.get(pk=known["record_id"]).version
        # Signed in by the session: a missing or made-up API key beside it is no reason to refuse
        # (the key and the session are alternatives), which `ignored_auth` would expect.
        response = case.call_and_validate(
            cookies=cookies, headers={"X-CSRFToken": csrf}, excluded_checks=[ignored_auth]
        )
        statuses[response.status_code] += 1

    call()
    if (method in WRITES and role not in WRITERS) or (path in EVERY_RECORD and role == "bob"):
        assert 403 in statuses and 200 not in statuses, statuses
    else:
        assert 200 in statuses, statuses
