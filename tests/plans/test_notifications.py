"""The mail that moves the year, read back from a real SMTP server (aiosmtpd on loopback): who gets it,
what it says, and that each link opens the record for the person it was sent to."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from shishin.plans import actions
from shishin.plans.models import Department, Mail, Membership, Plan, Record

from ..conftest import Inbox, People
from ..helpers import signed_in, submit

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


@pytest.fixture
def plan(seeded: Plan, people: People) -> Plan:
    """FY2019 open (nobody mailed: the request is another test's), due 2020-04-30; 地域安全課 has a
    contact address, Bob writes for 学務課 too."""
    Department.objects.filter(name="地域安全課").update(email="anzen@city.example.jp")
    Membership.objects.get(user=people.bob).departments.add(Department.objects.get(name="学務課"))
    actions.do_open_fiscal_year(seeded, 2019, deadline=dt.date(2020, 4, 30), by=people.alice)
    Mail.objects.all().delete()
    return seeded


def _mail(inbox: Inbox) -> dict[str, tuple[str, str]]:
    """Each address's one mail (subject, body); a second mail to an address fails the test."""
    found: dict[str, tuple[str, str]] = {}
    for recipients, message in inbox.messages:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        for address in recipients:
            assert address not in found, f"{address} got two mails"
            found[address] = (str(message["Subject"]).strip(), body.get_content().replace("\r\n", "\n"))
    return found


def _links(body: str) -> list[str]:
    """The paths of the record links in a mail, each checked to be on this site."""
    links = re.findall(r"https?://\S+/staff/records/\d+/", body)
    assert links and all(link.startswith(settings.SITE_URL) for link in links)
    return [urlsplit(link).path for link in links]


def _opens(user: Any, paths: list[str]) -> None:
    """The first link opens for ``user`` (a record's page takes half a second: one stands for all,
    whose paths the tests compare with the records')."""
    assert signed_in(user).get(paths[0]).status_code == 200, paths[0]


def test_opening_a_year_asks_every_address_once_for_all_its_departments_tasks(
    inbox: Inbox, seeded: Plan, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    Department.objects.filter(name="地域安全課").update(email="anzen@city.example.jp")
    # 交通対策課 has nobody with an account: its contact address is asked.
    Department.objects.filter(name="交通対策課").update(email="kotsu@city.example.jp")
    Membership.objects.get(user=people.bob).departments.add(Department.objects.get(name="学務課"))
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(people.alice).post(
            f"/staff/plans/{seeded.pk}/open/", {"year": "2019", "deadline": "2020-04-30"}
        )
    assert response.status_code == 302
    mail = _mail(inbox)
    # Alice opened it: she is not told. Dave and Erin write for no department.
    assert sorted(mail) == ["anzen@city.example.jp", "bob@example.jp", "carol@example.jp", "kotsu@city.example.jp"]
    subject, body = mail["bob@example.jp"]
    assert subject == "【小金井市防犯指針】令和元年度（2019年度）の取組み状況の照会"
    assert body.startswith("地域安全課・学務課 ご担当者様\n")
    assert "提出期限の令和2年4月30日までに" in body
    records = Record.objects.filter(fiscal_year__year=2019, department__name__in=["地域安全課", "学務課"])
    assert f"■ 地域安全課（{records.filter(department__name='地域安全課').count()}件）" in body
    assert f"・{PATROL}（未着手）" in body
    links = _links(body)
    assert sorted(links) == sorted(f"/staff/records/{r.pk}/" for r in records)
    _opens(people.bob, links)
    # Carol is asked for 学務課 only; the contact addresses for their own department.
    assert _mail(inbox)["carol@example.jp"][1].startswith("学務課 ご担当者様\n")
    assert (
        len(_links(mail["kotsu@city.example.jp"][1]))
        == Record.objects.filter(fiscal_year__year=2019, department__name="交通対策課").count()
    )
    assert Mail.objects.filter(state=Mail.State.SENT).count() == 4


def test_a_returned_record_tells_its_department_why(
    inbox: Inbox, plan: Plan, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    record = Record.objects.get(fiscal_year__year=2019, measure__title=PATROL, department__name="地域安全課")
    submit(record, by=people.bob)
    record.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(people.alice).post(
            f"/staff/records/{record.pk}/return/",
            {"version": record.version, "reason": "パトロール回数が昨年と同じです。\n確認してください。"},
        )
    record.refresh_from_db()
    assert record.state == Record.State.RETURNED
    mail = _mail(inbox)
    assert sorted(mail) == ["anzen@city.example.jp", "bob@example.jp"]
    subject, body = mail["bob@example.jp"]
    assert subject == f"【小金井市防犯指針】取組みが差し戻されました（地域安全課：{PATROL}）"
    assert "alice さんから差し戻されました" in body.replace("aliceさん", "alice さん")
    assert "差戻しの理由:\n> パトロール回数が昨年と同じです。\n> 確認してください。" in body
    assert "提出期限: 令和2年4月30日" in body
    assert _links(body) == [f"/staff/records/{record.pk}/"]
    _opens(people.bob, _links(body))


def test_a_comment_reaches_the_department_the_administrators_and_who_asked_but_not_its_author(
    inbox: Inbox, plan: Plan, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    record = Record.objects.get(fiscal_year__year=2019, measure__title=PATROL, department__name="地域安全課")
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(people.dave).post(f"/staff/records/{record.pk}/comment/", {"text": "車両の台数は？"})
    mail = _mail(inbox)
    assert sorted(mail) == ["alice@example.jp", "anzen@city.example.jp", "bob@example.jp"]
    subject, body = mail["alice@example.jp"]
    assert subject == f"【小金井市防犯指針】コメントがありました（地域安全課：{PATROL}）"
    assert body.startswith("alice 様\n") and "daveさんがコメントしました" in body and "> 車両の台数は？" in body
    assert mail["bob@example.jp"][1].startswith("地域安全課 ご担当者様\n")
    _opens(people.alice, _links(body))
    _opens(people.bob, _links(mail["bob@example.jp"][1]))

    # Bob answers: Dave, who asked, and the administrators are told; Bob is not.
    inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(people.bob).post(f"/staff/records/{record.pk}/comment/", {"text": "15台です"})
    mail = _mail(inbox)
    assert sorted(mail) == ["alice@example.jp", "anzen@city.example.jp", "dave@example.jp"]
    _opens(people.dave, _links(mail["dave@example.jp"][1]))

    # Alice's comment: the department and Dave; administrators are not told of their own.
    inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(people.alice).post(f"/staff/records/{record.pk}/comment/", {"text": "了解しました"})
    assert sorted(_mail(inbox)) == ["anzen@city.example.jp", "bob@example.jp", "dave@example.jp"]

    # Bob moves to another department: he may no longer read the draft, so its comments stop reaching
    # him; a superuser without a role (the first administrator, made by createsuperuser) is told.
    people.bob.membership.departments.set([Department.objects.get(name="学務課")])
    root = User.objects.create(username="root", email="root@example.jp", is_superuser=True)
    inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(people.dave).post(f"/staff/records/{record.pk}/comment/", {"text": "台数の内訳は？"})
    assert sorted(_mail(inbox)) == ["alice@example.jp", "anzen@city.example.jp", root.email]


def test_an_approval_names_its_record_and_approving_all_submitted_lists_them_in_one_mail(
    inbox: Inbox, plan: Plan, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    mine = Record.objects.filter(fiscal_year__year=2019, department__name="地域安全課").order_by("measure__position")
    first, second = mine[0], mine[1]
    carols = Record.objects.filter(fiscal_year__year=2019, department__name="学務課").first()
    assert carols is not None
    for record in (first, second, carols):
        submit(record, by=people.bob)
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        answer = signed_in(people.alice).post(
            f"/api/records/{first.pk}/approve", {"version": first.version}, "application/json"
        )
    assert answer.status_code == 200
    mail = _mail(inbox)
    assert sorted(mail) == ["anzen@city.example.jp", "bob@example.jp"]
    subject, body = mail["bob@example.jp"]
    assert subject == f"【小金井市防犯指針】取組みが承認されました（地域安全課：{first.measure.title}）"
    assert _links(body) == [f"/staff/records/{first.pk}/"]

    inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(people.alice).post(
            f"/staff/plans/{plan.pk}/years/2019/approve-submitted/", {"confirm": "on"}
        )
    assert response.status_code == 302
    assert {r.state for r in Record.objects.filter(pk__in=[second.pk, carols.pk])} == {Record.State.APPROVED}
    mail = _mail(inbox)
    assert sorted(mail) == ["anzen@city.example.jp", "bob@example.jp", "carol@example.jp"]
    subject, body = mail["bob@example.jp"]
    assert subject == "【小金井市防犯指針】令和元年度（2019年度）の取組みが承認されました"
    assert "■ 地域安全課（1件）" in body and "■ 学務課（1件）" in body and "（承認済み）" in body
    assert sorted(_links(body)) == sorted([f"/staff/records/{second.pk}/", f"/staff/records/{carols.pk}/"])
    _opens(people.bob, _links(body))
    assert _links(mail["carol@example.jp"][1]) == [f"/staff/records/{carols.pk}/"]
