"""Submitting deliberately: never empty (今年度は実績なし is said, not implied), and taken back until approved."""

from __future__ import annotations

import pytest
from django.test import Client

from shishin.plans import actions
from shishin.plans.documents import document_for
from shishin.plans.models import Plan, Record

from ..conftest import People

pytestmark = pytest.mark.django_db

EMPTY = ("学校等における安全対策", "庶務課")  # listed in 2018 but reported nothing: an empty record in 2019
PATROL = ("CoCoパトロール隊による地域パトロール", "地域安全課")


@pytest.fixture
def plan(seeded_2019_open: Plan) -> Plan:
    return seeded_2019_open


def _record(found: tuple[str, str]) -> Record:
    return Record.objects.get(measure__title=found[0], department__name=found[1], fiscal_year__year=2019)


def _as(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_an_empty_record_is_not_submitted_without_saying_there_was_nothing(plan: Plan, people: People) -> None:
    record = _record(EMPTY)
    with pytest.raises(actions.ActionError, match="今年度は実績なし"):
        actions.do_submit_record(record, version=record.version, by=people.alice)
    admin = _as(people.alice)
    admin.post(f"/staff/records/{record.pk}/submit/", {"confirm": "1", "version": str(record.version), "items": ""})
    assert _record(EMPTY).state == "draft"  # saved as typed, not submitted
    page = admin.get(f"/staff/records/{record.pk}/").content.decode()
    assert "項目を書くか、「今年度は実績なし」を選んでから提出してください" in page

    record.refresh_from_db()
    admin.post(
        f"/staff/records/{record.pk}/submit/",
        {"confirm": "1", "version": str(record.version), "items": "", "no_activity": "1"},
    )
    record = _record(EMPTY)
    assert (record.state, record.no_activity) == ("submitted", True)
    # The report says so, as a line of the department's entry.
    (measure,) = [m for m in document_for(plan, 2019).all_measures() if m.title == EMPTY[0]]
    entry = [r for r in measure.records[2019] if r.department == EMPTY[1]]
    assert [(i.text, i.bullet) for r in entry for i in r.items] == [("今年度は実績なし", False)]


def test_nothing_done_and_items_together_are_refused(plan: Plan, people: People) -> None:
    record = _record(EMPTY)
    response = _as(people.alice).post(
        f"/staff/records/{record.pk}/save/",
        {"version": str(record.version), "items": "・講習会 1回", "no_activity": "1"},
    )
    assert response.status_code == 302
    assert (_record(EMPTY).version, _record(EMPTY).no_activity) == (record.version, False)
    answer = _as(people.alice).put(
        f"/api/records/{record.pk}",
        {"version": record.version, "items": [], "no_activity": True},
        "application/json",
    )
    assert answer.status_code == 200 and answer.json()["no_activity"] is True


def test_an_editor_withdraws_a_submission_until_it_is_approved(plan: Plan, people: People) -> None:
    record = _record(PATROL)
    bob = _as(people.bob)
    bob.post(f"/staff/records/{record.pk}/submit/", {"confirm": "1", "version": str(record.version)})
    record.refresh_from_db()
    assert record.state == "submitted"
    assert "提出を取り下げる" in bob.get(f"/staff/records/{record.pk}/").content.decode()
    # Carol writes for another department: not hers to withdraw.
    assert (
        _as(people.carol).post(f"/staff/records/{record.pk}/withdraw/", {"version": str(record.version)}).status_code
        == 403
    )
    bob.post(f"/staff/records/{record.pk}/withdraw/", {"version": str(record.version)})
    record.refresh_from_db()
    assert record.state == "draft"
    history = record.history.order_by("-history_date").first()
    assert history is not None and history.history_user == people.bob

    # Through the API: a stale version is refused, the current one withdraws.
    actions.do_submit_record(record, version=record.version, by=people.bob)
    record.refresh_from_db()
    stale = bob.post(f"/api/records/{record.pk}/withdraw", {"version": record.version - 1}, "application/json")
    assert stale.status_code == 409 and stale.json()["current"]["state"] == "submitted"
    done = bob.post(f"/api/records/{record.pk}/withdraw", {"version": record.version}, "application/json")
    assert done.status_code == 200 and done.json()["state"] == "draft"

    record.refresh_from_db()
    actions.do_submit_record(record, version=record.version, by=people.bob)
    record.refresh_from_db()
    actions.do_approve_record(record, version=record.version, by=people.alice)
    record.refresh_from_db()
    late = bob.post(f"/staff/records/{record.pk}/withdraw/", {"version": str(record.version)})
    assert late.status_code == 302 and _record(PATROL).state == "approved"
    assert "提出を取り下げる" not in bob.get(f"/staff/records/{record.pk}/").content.decode()


def test_submitting_and_approving_everything_ask_for_confirmation(plan: Plan, people: People) -> None:
    record = _record(PATROL)
    bob = _as(people.bob)
    bob.post(f"/staff/records/{record.pk}/submit/", {"version": str(record.version)})
    assert _record(PATROL).state == "not_started"
    assert "「内容を確認しました」にチェックしてください" in bob.get(f"/staff/records/{record.pk}/").content.decode()
    bob.post(f"/staff/records/{record.pk}/submit/", {"version": str(record.version), "confirm": "1"})
    assert _record(PATROL).state == "submitted"
    admin = _as(people.alice)
    admin.post(f"/staff/plans/{plan.pk}/years/2019/approve-submitted/", {})
    assert _record(PATROL).state == "submitted"
    board = admin.get(f"/staff/plans/{plan.pk}/years/2019/").content.decode()
    assert "確認欄にチェックしてから実行してください" in board and "提出済みの取組み（1件）" in board
    admin.post(f"/staff/plans/{plan.pk}/years/2019/approve-submitted/", {"confirm": "1"})
    assert _record(PATROL).state == "approved"
