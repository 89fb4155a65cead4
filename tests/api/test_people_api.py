"""GET and POST /api/people: administrators list and invite people with the action and mail the
staff pages use; everyone else is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shishin.plans import actions
from shishin.plans.models import Department, Mail

from ..conftest import Inbox, People
from ..helpers import signed_in

pytestmark = pytest.mark.django_db


def _bearer(user: Any) -> Client:
    _, key = actions.do_make_token(name="利用者の登録", by=user)
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_an_administrators_script_invites_someone_and_the_mail_arrives(
    people: People, inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    gakumu = Department.objects.get(name="学務課")
    script = _bearer(people.alice)
    body = {"name": "小金井 花子", "email": "Hanako@City.Example.jp", "role": "編集者", "departments": [gakumu.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = script.post("/api/people", body, "application/json")
    assert response.status_code == 200
    hanako = {
        "id": response.json()["id"],
        "name": "小金井 花子",
        "email": "Hanako@city.example.jp",
        "username": "hanako@city.example.jp",
        "role": "editor",
        "departments": [{"id": gakumu.pk, "name": "学務課"}],
        "status": "invited",
    }
    assert response.json() == hanako
    assert [recipients for recipients, _ in inbox.messages] == [["Hanako@city.example.jp"]]
    listed = script.get("/api/people").json()
    assert [p["username"] for p in listed] == ["alice", "bob", "carol", "dave", "erin", "hanako@city.example.jp"]
    assert listed[0]["role"] == "administrator" and listed[4]["role"] is None and listed[5] == hanako


def test_an_invitation_the_api_refuses_says_every_problem_and_writes_nothing(people: People) -> None:
    script = _bearer(people.alice)
    users, mails = User.objects.count(), Mail.objects.count()
    body: dict[str, Any] = {"name": "", "email": "carol@example.jp", "role": "閲覧者", "departments": []}
    response = script.post("/api/people", body, "application/json")
    assert response.status_code == 400
    assert response.json()["problems"] == [
        "氏名を書いてください",
        "メールアドレス「carol@example.jp」の利用者はすでに登録されています（無効にした利用者は一覧から有効に戻せます）",
    ]
    body = {"name": "花子", "email": "hanako@city.example.jp", "role": "editor", "departments": [99999]}
    response = script.post("/api/people", body, "application/json")
    assert (response.status_code, response.json()["detail"]) == (400, "担当課（id 99999）が見つかりません")
    assert (User.objects.count(), Mail.objects.count()) == (users, mails)


def test_only_administrators_list_or_invite_people(people: People) -> None:
    body = {"name": "花子", "email": "hanako@city.example.jp", "role": "reviewer"}
    for client, status in [(Client(), 401), (signed_in(people.bob), 403), (_bearer(people.dave), 403)]:
        assert client.get("/api/people").status_code == status
        assert client.post("/api/people", body, "application/json").status_code == status
    assert not User.objects.filter(email="hanako@city.example.jp").exists()
