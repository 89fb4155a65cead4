"""Accounts on the staff pages: an administrator invites people one by one or from a CSV; the
invitation arrives through a real SMTP server (aiosmtpd) and its link sets a password once, until it
lapses; roles, departments and deactivation; nothing is written when anything is wrong."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Browser

from shishin.plans import actions
from shishin.plans.models import Department, Mail, Membership

from ..conftest import PASSWORD, Inbox, People
from ..helpers import signed_in
from . import test_accessibility

pytestmark = pytest.mark.django_db
browser = test_accessibility.browser  # Chromium, launched for the one test that needs it

Committing = Callable[..., AbstractContextManager[Any]]
NEW_PASSWORD = "kogane-sakura-2026"


class CommittingClient(Client):
    """A client whose each request ends as on a server: its transaction's on-commit steps run (the
    mail it queued is sent) and are done with, though the test's transaction wraps it."""

    def __init__(self, committing: Committing) -> None:
        super().__init__()
        self.committing = committing

    def request(self, **request: Any) -> Any:
        start = len(connection.run_on_commit)
        with self.committing(execute=True):
            response = super().request(**request)
        del connection.run_on_commit[start:]  # as a commit empties the list: the next request starts afresh
        return response


@pytest.fixture
def alice(people: People, django_capture_on_commit_callbacks: Committing) -> Client:
    """Alice (administrator) on the people pages."""
    client = CommittingClient(django_capture_on_commit_callbacks)
    client.force_login(people.alice)
    return client


def _invite(client: Client, **fields: Any) -> Any:
    data = {"name": "小金井 花子", "email": "hanako@city.example.jp", "role": "editor", **fields}
    if "departments" not in fields:
        data["departments"] = [Department.objects.get(name="学務課").pk]
    return client.post("/staff/people/invite/", data)


def _link(inbox: Inbox, to: str) -> str:
    """The path of the invitation link in the last mail to ``to``."""
    _, message = [m for m in inbox.messages if m[0] == [to]][-1]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = re.search(r"\s(http\S+/staff/invitation/\S+/)\s", body.get_content())
    assert found, body.get_content()
    assert found[1].startswith(settings.SITE_URL)
    return urlsplit(found[1]).path


def _set_password(path: str, password: str = NEW_PASSWORD) -> tuple[Client, Any]:
    """Open the link as someone not signed in and choose a password; the client and the last answer."""
    client = Client()
    opened = client.get(path)
    if opened.status_code != 302:
        return client, opened
    form = client.get(opened["Location"])
    assert form.status_code == 200
    return client, client.post(opened["Location"], {"new_password1": password, "new_password2": password})


def _refused(response: Any) -> bool:
    return response.status_code == 400 and "この招待リンクは使えません" in response.content.decode()


def _signs_in(username: str, password: str) -> bool:
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def _written() -> tuple[list[Any], list[Any], int]:
    """The accounts, their roles and the mail queued: what a refused step must leave as it was."""
    users = list(User.objects.order_by("pk").values("username", "email", "first_name", "password", "is_active"))
    roles = list(Membership.objects.order_by("pk").values("user", "role", "departments"))
    return users, roles, Mail.objects.count()


def test_an_invitation_arrives_and_its_link_sets_the_password_once(alice: Client, inbox: Inbox) -> None:
    response = _invite(alice)
    assert response.status_code == 302
    page = alice.get(response["Location"]).content.decode()
    assert "小金井 花子さん（hanako@city.example.jp）を招待し" in page
    assert re.search(
        r"小金井 花子</a></th><td>hanako@city\.example\.jp</td><td>担当課の編集者</td><td>学務課</td><td>招待中", page
    )

    (recipients, message), *_ = inbox.messages
    assert recipients == ["hanako@city.example.jp"]
    assert message["Subject"].strip() == "【Shishin】アカウントのご案内（パスワードの設定）"
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "ユーザー名: hanako@city.example.jp" in text and "役割: 担当課の編集者（学務課）" in text
    assert not User.objects.get(username="hanako@city.example.jp").has_usable_password()

    client, answer = _set_password(_link(inbox, "hanako@city.example.jp"))
    assert (answer.status_code, answer["Location"]) == (302, "/staff/")
    home = client.get("/staff/").content.decode()
    assert "小金井 花子さん（担当課の編集者）" in home and "パスワードを設定しました" in home
    assert _signs_in("hanako@city.example.jp", NEW_PASSWORD)
    assert _signs_in(" Hanako@City.Example.JP", NEW_PASSWORD)  # the address as one may type it

    password = User.objects.get(username="hanako@city.example.jp").password
    _, again = _set_password(_link(inbox, "hanako@city.example.jp"), "another-password-2026")
    assert _refused(again)
    assert User.objects.get(username="hanako@city.example.jp").password == password


def test_a_link_works_until_it_lapses(alice: Client, inbox: Inbox, monkeypatch: pytest.MonkeyPatch) -> None:
    _invite(alice)
    path = _link(inbox, "hanako@city.example.jp")
    now = default_token_generator._now()  # naive local time, as the token's clock
    lapse = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    assert lapse == dt.timedelta(days=7)
    monkeypatch.setattr(default_token_generator, "_now", lambda: now + lapse + dt.timedelta(seconds=2))
    assert _refused(_set_password(path)[1])
    monkeypatch.setattr(default_token_generator, "_now", lambda: now + lapse - dt.timedelta(minutes=1))
    assert _set_password(path)[1].status_code == 302


def test_an_invitation_sent_again_replaces_the_first_link(alice: Client, inbox: Inbox) -> None:
    _invite(alice)
    first = _link(inbox, "hanako@city.example.jp")
    user = User.objects.get(username="hanako@city.example.jp")
    page = alice.post(f"/staff/people/{user.pk}/invite-again/", follow=True).content.decode()
    assert "招待メールを送り直しました" in page
    assert len(inbox.messages) == 2
    assert _refused(_set_password(first)[1])
    assert _set_password(_link(inbox, "hanako@city.example.jp"))[1].status_code == 302
    page = alice.post(f"/staff/people/{user.pk}/invite-again/", follow=True).content.decode()
    assert "小金井 花子さんはパスワードを設定済みです" in page and len(inbox.messages) == 2


def test_a_deactivated_person_is_signed_out_and_their_link_refused(alice: Client, inbox: Inbox, people: People) -> None:
    _invite(alice)
    hanako = User.objects.get(username="hanako@city.example.jp")
    bob = signed_in(people.bob)
    _, key = actions.do_make_token(name="集計", by=people.bob)
    script = Client(headers={"Authorization": f"Bearer {key}"})
    assert script.get("/api/my/records").status_code == 200
    for user in (hanako, people.bob):
        page = alice.post(f"/staff/people/{user.pk}/deactivate/", follow=True).content.decode()
        assert "のアカウントを無効にしました" in page and "<dd>無効</dd>" in page
    assert bob.get("/staff/")["Location"].startswith("/accounts/login/")
    assert not _signs_in("bob", PASSWORD)
    assert script.get("/api/my/records").status_code == 401
    assert _refused(_set_password(_link(inbox, "hanako@city.example.jp"))[1])

    alice.post(f"/staff/people/{people.bob.pk}/reactivate/")
    assert bob.get("/staff/").status_code == 200
    page = alice.post(f"/staff/people/{people.alice.pk}/deactivate/", follow=True).content.decode()
    assert "自分のアカウントは無効にできません" in page and User.objects.get(pk=people.alice.pk).is_active


def test_an_invitation_to_a_registered_or_bad_address_is_refused_with_what_was_typed(
    alice: Client, inbox: Inbox
) -> None:
    before = _written()
    response = _invite(alice, email="BOB@example.jp")
    page = response.content.decode()
    assert response.status_code == 400
    assert "メールアドレス「BOB@example.jp」の利用者はすでに登録されています" in page
    assert 'value="小金井 花子"' in page and 'value="BOB@example.jp"' in page
    response = _invite(alice, name="", email="hanako@", role="reviewer")
    page = response.content.decode()
    assert "氏名を書いてください" in page and "メールアドレス「hanako@」の形式が正しくありません" in page
    assert "担当課を指定できるのは担当課の編集者だけです" not in page  # a reviewer's ticked boxes are ignored
    response = _invite(alice, departments=[])
    assert "担当課の編集者には、書く担当課を1つ以上指定してください" in response.content.decode()
    assert (_written(), inbox.messages) == (before, [])


def test_an_address_typed_in_full_width_is_the_same_address(alice: Client, inbox: Inbox) -> None:
    _invite(alice, email="ｈａｎａｋｏ＠City.Example.JP", role="reviewer", departments=[])
    user = User.objects.get(email="hanako@city.example.jp")
    assert user.username == "hanako@city.example.jp" and inbox.messages[0][0] == ["hanako@city.example.jp"]


CSV = (
    "氏名,メールアドレス,役割,担当課\r\n"
    "小金井 太郎,taro@city.example.jp,編集者,地域安全課、学務課\r\n"
    "\r\n"
    "貫井 次郎,jiro@city.example.jp,閲覧者,\r\n"
    "前原 三郎,saburo@city.example.jp,管理者,\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_a_csv_as_excel_saves_it_invites_everyone_in_it(alice: Client, inbox: Inbox, encoding: str) -> None:
    upload = _file(CSV.encode(encoding))
    response = alice.post("/staff/people/import/", {"file": upload}, follow=True)
    assert "3人を招待し" in response.content.decode()
    roles = {
        m.user.email: (m.user.get_full_name(), m.role, [d.name for d in m.departments.all()])
        for m in Membership.objects.filter(user__email__endswith="city.example.jp")
    }
    assert roles == {
        "taro@city.example.jp": ("小金井 太郎", "editor", ["地域安全課", "学務課"]),
        "jiro@city.example.jp": ("貫井 次郎", "reviewer", []),
        "saburo@city.example.jp": ("前原 三郎", "administrator", []),
    }
    assert sorted(to for recipients, _ in inbox.messages for to in recipients) == sorted(roles)
    assert all(_link(inbox, email) for email in roles)


def test_a_csv_with_bad_lines_registers_nobody_and_names_every_line(alice: Client, inbox: Inbox) -> None:
    before = _written()
    data = (
        "氏名,メールアドレス,役割,担当課\n"
        "小金井 太郎,taro@city.example.jp,編集者,地域安全課\n"
        "貫井 次郎,jiro@city,閲覧者,\n"
        "前原 三郎,saburo@city.example.jp,編集者,交通課 学務課\n"
        "小金井 太郎,Taro@City.Example.jp,閲覧者,\n"
        "ボブ,bob@example.jp,編集者,地域安全課\n"
        "緑 四郎,shiro@city.example.jp,係長,\n"
        "桜 五郎,goro@city.example.jp,閲覧者,学務課\n"
    )
    response = alice.post("/staff/people/import/", {"file": _file(data.encode())})
    assert response.status_code == 400
    problems = re.findall(r"<li>(\d+行目: [^<]*)</li>", response.content.decode())
    assert problems == [
        "3行目: メールアドレス「jiro@city」の形式が正しくありません（例: taro@city.example.jp）",
        "4行目: 担当課「交通課」が見つかりません",
        "5行目: メールアドレス「Taro@city.example.jp」は2行目と重複しています",
        "6行目: メールアドレス「bob@example.jp」の利用者はすでに登録されています（無効にした利用者は一覧から有効に戻せます）",
        "7行目: 役割「係長」は使えません（管理者・編集者・閲覧者のいずれか）",
        "8行目: 担当課を指定できるのは担当課の編集者だけです（閲覧者（協議会委員・管理職）には不要です）",
    ]
    assert "6件の問題があるため、登録していません" in response.content.decode()
    assert (_written(), inbox.messages) == (before, [])


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("名前,メール\n太郎,taro@city.example.jp\n".encode(), "1行目: 見出し「名前」は使えません"),
        ("氏名,メールアドレス,役割\n".encode(), "1行目: 見出し「担当課」がありません"),
        ("氏名,メールアドレス,役割,担当課\n".encode(), "登録する利用者の行がありません"),
        (b"\x81\x20\xef\xbf", "文字コードを読み取れません"),
        ("氏名,メールアドレス,役割,担当課\n\x00".encode(), "NUL 文字"),
        (b"x" * 1_000_001, "ファイルが大きすぎます"),
    ],
    ids=["unknown column", "missing column", "no rows", "not text", "NUL", "too large"],
)
def test_a_file_that_is_not_the_csv_is_refused(alice: Client, data: bytes, problem: str) -> None:
    before = _written()
    response = alice.post("/staff/people/import/", {"file": _file(data)})
    assert response.status_code == 400 and problem in response.content.decode()
    assert _written() == before


def test_the_template_is_the_header_excel_opens_as_utf8(alice: Client) -> None:
    response = alice.get("/staff/people/template.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content == "\ufeff氏名,メールアドレス,役割,担当課\r\n".encode()


def test_a_role_and_departments_are_changed_and_checked(alice: Client, people: People) -> None:
    gakumu, anzen = Department.objects.get(name="学務課"), Department.objects.get(name="地域安全課")
    carol = people.carol.pk
    page = alice.post(
        f"/staff/people/{carol}/role/", {"role": "editor", "departments": [gakumu.pk, anzen.pk]}, follow=True
    ).content.decode()
    assert "役割と担当課を変更しました" in page
    assert {d.name for d in Membership.objects.get(user=carol).departments.all()} == {"学務課", "地域安全課"}
    # Departments left ticked for a reviewer are dropped: a reviewer reads every department.
    alice.post(f"/staff/people/{carol}/role/", {"role": "reviewer", "departments": [gakumu.pk]})
    membership = Membership.objects.get(user=carol)
    assert (membership.role, list(membership.departments.all())) == ("reviewer", [])
    before = _written()
    for data, problem in [
        ({"role": "editor"}, "担当課の編集者には、書く担当課を1つ以上指定してください"),
        ({"role": "owner"}, "役割を一覧から選んでください"),
        ({"role": "editor", "departments": ["99999"]}, "担当課を一覧から選んでください"),
    ]:
        assert problem in alice.post(f"/staff/people/{carol}/role/", data, follow=True).content.decode()
    page = alice.post(f"/staff/people/{people.alice.pk}/role/", {"role": "reviewer"}, follow=True).content.decode()
    assert "自分を管理者から外すことはできません" in page
    assert _written() == before


def test_the_pickers_list_departments_in_the_organisations_order(alice: Client, people: People) -> None:
    Department.objects.filter(name="地域安全課").update(position=2)
    Department.objects.filter(name="学務課").update(position=1)
    for path in ["/staff/people/", f"/staff/people/{people.bob.pk}/"]:
        page = alice.get(path).content.decode()
        assert page.index("> 学務課</label>") < page.index("> 地域安全課</label>"), path


PAGES = [
    ("GET", "/staff/people/"),
    ("GET", "/staff/people/template.csv"),
    ("GET", "/staff/people/{erin}/"),
    ("POST", "/staff/people/invite/"),
    ("POST", "/staff/people/import/"),
    ("POST", "/staff/people/{erin}/role/"),
    ("POST", "/staff/people/{erin}/deactivate/"),
    ("POST", "/staff/people/{erin}/invite-again/"),
]


def test_only_administrators_reach_the_people_pages(people: People) -> None:
    before = _written()
    data = {"role": "administrator", "name": "x", "email": "x@example.jp", "file": _file(CSV.encode())}
    for person, status in [(None, 302), (people.bob, 403), (people.dave, 403), (people.erin, 403)]:
        client = signed_in(person) if person else Client()
        for method, path in PAGES:
            path = path.format(erin=people.erin.pk)
            response = client.get(path) if method == "GET" else client.post(path, data)
            assert response.status_code == status, (person, path)
    assert _written() == before


def test_only_administrators_see_the_link_to_the_people_page(people: People) -> None:
    link = '<a href="/staff/people/">利用者</a>'
    assert link in signed_in(people.alice).get("/staff/").content.decode()
    assert link not in signed_in(people.dave).get("/staff/").content.decode()


def test_the_list_costs_the_same_queries_for_five_people_and_twenty_five(alice: Client, people: People) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice.get("/staff/people/").status_code == 200
        return len(captured)

    few = queries()
    departments = list(Department.objects.all())
    for n in range(20):
        user = User.objects.create(username=f"u{n}@example.jp", email=f"u{n}@example.jp", first_name=f"職員{n}")
        Membership.objects.create(user=user, role="editor").departments.set(departments)
    assert queries() == few


def _file(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("people.csv", data, content_type="text/csv")


@pytest.mark.markup
@pytest.mark.django_db(transaction=True)
def test_the_people_pages_have_no_wcag_violation(browser: Browser, live_server: Any, people: People) -> None:
    """axe-core on the list, a person's page, the invitation's page and its refusal."""
    hanako = actions.do_invite(
        name="小金井 花子", email="hanako@city.example.jp", role="reviewer", departments=[], by=people.alice
    )
    uid = urlsafe_base64_encode(force_bytes(hanako.pk))
    site = str(live_server.url)
    found = {}
    headings: list[str] = []
    for person, paths in [
        (people.alice, ["/staff/people/", f"/staff/people/{hanako.pk}/"]),
        (
            None,
            [f"/staff/invitation/{uid}/{default_token_generator.make_token(hanako)}/", f"/staff/invitation/{uid}/x/"],
        ),
    ]:
        context = browser.new_context(bypass_csp=True)
        if person is not None:
            client = signed_in(person)
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
        page = context.new_page()
        for path in paths:
            page.goto(site + path)
            headings.append(page.locator("h1").inner_text())
            if violations := test_accessibility._violations(page):
                found[path] = violations
        context.close()
    assert headings == ["利用者", "小金井 花子", "パスワードの設定", "パスワードの設定"]
    assert found == {}
