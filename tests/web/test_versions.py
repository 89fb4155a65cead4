"""Every step on a record names the version it was taken on; a stale one is refused, whoever calls."""

from __future__ import annotations

import pytest
from django.test import Client

from shishin.plans import actions
from shishin.plans.models import Comment, Plan, Record

from ..conftest import People

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


@pytest.fixture
def record(seeded_2019_open: Plan) -> Record:
    return Record.objects.get(measure__title=PATROL, department__name="地域安全課", fiscal_year__year=2019)


def _as(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_submitting_a_page_older_than_the_record_is_refused(record: Record, people: People) -> None:
    actions.do_save_record(record, record.plain_items(), version=1, by=people.bob)  # now version 2
    response = _as(people.bob).post(f"/staff/records/{record.pk}/submit/", {"confirm": "1", "version": "1"})
    assert response.status_code == 409
    assert "ほかの人が先にこの取組みを保存しました" in response.content.decode()
    record.refresh_from_db()
    assert (record.state, record.version) == ("draft", 2)


@pytest.mark.parametrize("verb", ["approve", "return"])
def test_reviewing_a_page_older_than_the_record_is_refused(record: Record, people: People, verb: str) -> None:
    actions.do_submit_record(record, version=1, by=people.bob)  # now version 2
    response = _as(people.alice).post(f"/staff/records/{record.pk}/{verb}/", {"version": "1", "reason": "確認"})
    assert response.status_code == 409
    record.refresh_from_db()
    assert (record.state, record.version) == ("submitted", 2)
    assert not Comment.objects.filter(record=record).exists()


def test_the_apis_submit_refuses_a_stale_version(record: Record, people: People) -> None:
    actions.do_save_record(record, record.plain_items(), version=1, by=people.bob)
    client = _as(people.bob)
    stale = client.post(f"/api/records/{record.pk}/submit", {"version": 1}, "application/json")
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    record.refresh_from_db()
    assert record.state == "draft"
    fresh = client.post(f"/api/records/{record.pk}/submit", {"version": 2}, "application/json")
    assert (fresh.status_code, fresh.json()["state"], fresh.json()["version"]) == (200, "submitted", 3)


@pytest.mark.parametrize(
    ("step", "state"),
    [
        (lambda r, by: actions.do_submit_record(r, version=r.version - 1, by=by), "not_started"),
        (lambda r, by: actions.do_save_record(r, (), version=r.version - 1, by=by), "not_started"),
    ],
    ids=["submit", "save"],
)
def test_the_actions_themselves_check_the_version(record: Record, people: People, step: object, state: str) -> None:
    Record.objects.filter(pk=record.pk).update(version=2)
    record.refresh_from_db()
    with pytest.raises(actions.EditConflict):
        step(record, people.bob)  # type: ignore[operator]
    record.refresh_from_db()
    assert (record.state, record.version) == (state, 2)


def test_an_editors_record_page_reads_their_access_once(record: Record, people: People) -> None:
    """Pinned: 43 queries (34 when every permission question read the membership again; one is the
    measure's wording in the record's year, three the numbers read with their corrections and history;
    16, whatever the year holds, the review's checks over the year for 「提出前の点検」; one the plan's
    grade scale, whose grades the self-assessment offers)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _as(people.bob)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/staff/records/{record.pk}/").status_code == 200
    memberships = [q["sql"] for q in queries.captured_queries if "plans_membership" in q["sql"]]
    assert (len(memberships), len(queries.captured_queries)) == (1, 43)
