"""An editor's day: what was returned comes first with its reason, the review's findings on their own
records before they submit, and nothing typed is lost when the session ends."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from shishin.lib import wareki
from shishin.plans import actions
from shishin.plans.models import Plan, Record
from shishin.report.records import Item

from ..conftest import People
from ..helpers import signed_in

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"
SCHOOL = "学校等における安全対策"


@pytest.fixture
def plan(seeded: Plan, people: People) -> Plan:
    actions.do_open_fiscal_year(seeded, 2019, deadline=None, by=people.alice)
    return seeded


def _record(title: str, department: str) -> Record:
    return Record.objects.get(measure__title=title, department__name=department, fiscal_year__year=2019)


def _return(record: Record, people: People, reason: str) -> None:
    actions.do_save_record(record, [Item("パトロール 501回")], version=record.version, by=people.bob)
    actions.do_submit_record(record, version=record.version, by=people.bob)
    actions.do_return_record(record, reason=reason, version=record.version, by=people.alice)


def test_a_returned_record_comes_first_in_the_task_list_with_its_reason(plan: Plan, people: People) -> None:
    patrol = _record(PATROL, "地域安全課")
    _return(patrol, people, "回数を今年度の数に直してください")
    page = signed_in(people.bob).get("/staff/").content.decode()
    rows = page.split("<tbody>")[1].split("</tr>")
    assert PATROL in rows[0] and 'class="returned"' in rows[0]
    assert "差戻しの理由: 回数を今年度の数に直してください" in rows[0]
    assert "差戻しの理由" not in "".join(rows[1:])


def test_the_record_page_says_why_it_was_returned_above_everything(plan: Plan, people: People) -> None:
    patrol = _record(PATROL, "地域安全課")
    _return(patrol, people, "回数を今年度の数に直してください")
    page = signed_in(people.bob).get(f"/staff/records/{patrol.pk}/").content.decode()
    box = page.index('<div class="returned-box" role="alert"')
    assert box < page.index('id="this-year"')
    returned = page[box : page.index("</div>", box)]
    assert "回数を今年度の数に直してください" in returned
    assert wareki.format_date(timezone.localdate()) in returned  # 令和8年11月30日, as every date is written


def test_an_editor_sees_the_reviews_findings_on_their_own_record_before_submitting(plan: Plan, people: People) -> None:
    patrol = _record(PATROL, "地域安全課")
    bob = signed_in(people.bob)

    def findings() -> str:
        page = bob.get(f"/staff/records/{patrol.pk}/").content.decode()
        return page[page.index('id="findings-title"') : page.index('id="this-year"')] if "提出前の点検" in page else ""

    # Last year's items, carried over and not yet rewritten, are flagged on this record alone.
    carried = findings()
    assert carried.count("前年度と同じ記載です") == len(patrol.plain_items()) > 0
    assert "学務課" not in carried
    actions.do_save_record(patrol, [Item("パトロール回数 501回")], version=patrol.version, by=people.bob)
    assert "保存した内容に点検の指摘はありません" in findings()
    actions.do_submit_record(patrol, version=patrol.version, by=people.bob)
    assert findings() == ""  # submitted: nothing left to check before submitting


def test_text_sent_after_the_session_ended_is_kept_and_offered_back_after_signing_in(
    plan: Plan, people: People
) -> None:
    patrol = _record(PATROL, "地域安全課")
    bob = Client()
    bob.force_login(people.bob)
    assert bob.get(f"/staff/records/{patrol.pk}/").status_code == 200
    Session.objects.all().delete()  # the session ends while Bob types
    typed = "・車両数 15台\n・パトロール回数 502回"
    sent = bob.post(f"/staff/records/{patrol.pk}/save/", {"items": typed, "version": patrol.version})
    assert sent.status_code == 302
    assert sent["Location"] == f"/accounts/login/?next=/staff/records/{patrol.pk}/"
    assert _record(PATROL, "地域安全課").version == patrol.version  # nothing saved
    bob.force_login(people.bob)
    page = bob.get(f"/staff/records/{patrol.pk}/").content.decode()
    assert "サインインが切れていたため、入力した内容はまだ保存されていません" in page
    assert typed in page and 'data-unsaved="dirty"' in page
    # Offered once: the next visit shows what is stored.
    assert typed not in bob.get(f"/staff/records/{patrol.pk}/").content.decode()


def test_text_kept_for_one_record_is_not_offered_on_another_or_to_someone_who_cannot_edit_it(
    plan: Plan, people: People
) -> None:
    patrol = _record(PATROL, "地域安全課")
    client = Client()
    typed = "・パトロール回数 503回"
    client.post(f"/staff/records/{patrol.pk}/save/", {"items": typed, "version": patrol.version})
    client.force_login(people.dave)  # a reviewer may read the record but not edit it
    assert typed not in client.get(f"/staff/records/{patrol.pk}/").content.decode()
