"""An editor's day: what was returned comes first with its reason, the review's findings on their own
records before they submit, and nothing typed is lost when the session ends."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
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
def plan(seeded_2019_open: Plan) -> Plan:
    return seeded_2019_open


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


def _writer(page: str) -> str:
    found = re.search(r'name="writer" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _session_ends_while_typing(record: Record, person: User) -> tuple[Client, str]:
    """``person`` opens the record's page, then every session ends: their browser, and the page's writer."""
    client = Client()
    client.force_login(person)
    writer = _writer(client.get(f"/staff/records/{record.pk}/").content.decode())
    Session.objects.all().delete()
    return client, writer


def test_text_sent_after_the_session_ended_is_kept_and_offered_back_after_signing_in(
    plan: Plan, people: People
) -> None:
    patrol = _record(PATROL, "地域安全課")
    bob, writer = _session_ends_while_typing(patrol, people.bob)  # the session ends while Bob types
    typed = "・車両数 15台\n・パトロール回数 502回"
    assessment = {"assessed": "1", "self_grade": "B", "issues": "隊員の確保", "outlook": "improve"}
    sent = bob.post(
        f"/staff/records/{patrol.pk}/save/",
        {"items": typed, "version": patrol.version, "writer": writer, **assessment},
    )
    assert sent.status_code == 302
    assert sent["Location"] == f"/accounts/login/?next=/staff/records/{patrol.pk}/"
    assert _record(PATROL, "地域安全課").version == patrol.version  # nothing saved
    bob.force_login(people.bob)
    page = bob.get(f"/staff/records/{patrol.pk}/").content.decode()
    assert "サインインが切れていたため、入力した内容はまだ保存されていません" in page
    assert typed in page and 'data-unsaved="dirty"' in page
    # The self-assessment typed with the items comes back too.
    assert '<option value="B" selected>B</option>' in page and ">隊員の確保</textarea>" in page
    assert '<option value="improve" selected>改善</option>' in page
    assert _record(PATROL, "地域安全課").issues == ""  # nothing saved
    # Offered once: the next visit shows what is stored.
    assert typed not in bob.get(f"/staff/records/{patrol.pk}/").content.decode()


def test_text_kept_after_the_session_ended_saves_on_the_version_it_was_written_on(plan: Plan, people: People) -> None:
    patrol = _record(PATROL, "地域安全課")
    bob, writer = _session_ends_while_typing(patrol, people.bob)
    bob.post(f"/staff/records/{patrol.pk}/save/", {"items": "・ボブの文", "version": patrol.version, "writer": writer})
    # Meanwhile an administrator saves the record: Bob's kept text must not silently replace it.
    actions.do_save_record(patrol, [Item("管理者の文")], version=patrol.version, by=people.alice)
    bob.force_login(people.bob)
    page = bob.get(f"/staff/records/{patrol.pk}/").content.decode()
    assert f'name="version" value="{patrol.version - 1}"' in page  # as it was when Bob wrote
    answer = bob.post(f"/staff/records/{patrol.pk}/save/", {"items": "・ボブの文", "version": patrol.version - 1})
    assert answer.status_code == 409 and "管理者の文" in answer.content.decode()
    assert _record(PATROL, "地域安全課").plain_items() == (Item("管理者の文"),)


def test_text_kept_is_offered_to_its_writer_only_and_only_from_a_form_shown_to_them(plan: Plan, people: People) -> None:
    patrol = _record(PATROL, "地域安全課")
    bob, writer = _session_ends_while_typing(patrol, people.bob)
    typed = "・パトロール回数 503回"
    bob.post(f"/staff/records/{patrol.pk}/save/", {"items": typed, "version": patrol.version, "writer": writer})
    bob.force_login(people.alice)  # someone else signs in on the same browser: not theirs
    assert typed not in bob.get(f"/staff/records/{patrol.pk}/").content.decode()
    # Without a form a signed-in person was shown, nothing is kept for anyone: the step just asks to sign in.
    stranger = Client()
    for writer_given in ["", "forged"]:
        answer = stranger.post(f"/staff/records/{patrol.pk}/save/", {"items": typed, "writer": writer_given})
        assert answer.status_code == 302 and "shishin_typed" not in stranger.session
    answer = stranger.post("/staff/records/999999/save/", {"items": typed, "writer": writer})
    assert answer.status_code == 302 and "shishin_typed" not in stranger.session
