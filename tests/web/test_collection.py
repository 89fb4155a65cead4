"""The yearly collection through the staff pages: open, edit, submit, return, approve, publish."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.test import Client

from shishin.plans.models import Assignment, FiscalYear, Indicator, Item, Plan, Record

from ..conftest import PASSWORD, People
from ..helpers import SEED_ERRORS_REASON, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(seeded: Plan, people: People) -> Plan:
    found = seeded
    client = Client()
    client.force_login(people.alice)
    response = client.post(f"/staff/plans/{found.pk}/open/", {"year": "2019", "deadline": "2020-04-30"})
    assert response.status_code == 302 and response["Location"] == f"/staff/plans/{found.pk}/years/2019/"
    return found


def _as(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _record(title: str, department: str, year: int = 2019) -> Record:
    return Record.objects.get(measure__title=title, department__name=department, fiscal_year__year=year)


PATROL = "CoCoパトロール隊による地域パトロール"


def test_opening_a_year_carries_measures_departments_and_items_over(plan: Plan) -> None:
    year = FiscalYear.objects.get(plan=plan, year=2019)
    assert (year.status, year.deadline.isoformat() if year.deadline else None) == ("collecting", "2020-04-30")
    assert (
        Assignment.objects.filter(fiscal_year=year).count() == Assignment.objects.filter(fiscal_year__year=2018).count()
    )
    record = _record(PATROL, "地域安全課")
    assert record.state == "not_started"
    assert [(i.text, i.carried_over) for i in record.items.all()] == [
        ("車両数 15台", True),
        ("パトロール回数 472回", True),
        ("距離 7,714km", True),
    ]
    # 庶務課 is listed but reported nothing in 2018: it gets an empty record to fill in.
    assert not _record("学校等における安全対策", "庶務課").items.exists()
    listed = set(Assignment.objects.filter(fiscal_year__year=2018).values_list("measure", "department"))
    reported = set(
        Record.objects.filter(fiscal_year__year=2018, department__isnull=False).values_list("measure", "department")
    )
    opened = set(Record.objects.filter(fiscal_year=year).values_list("measure", "department"))
    assert opened == listed | reported


def test_a_year_cannot_be_opened_twice(plan: Plan, people: People) -> None:
    response = _as(people.alice).post(f"/staff/plans/{plan.pk}/open/", {"year": "2019"}, follow=True)
    assert "令和元年度（2019年度）はすでにあります" in response.content.decode()


def test_an_editor_sees_the_tasks_of_their_own_departments(plan: Plan, people: People) -> None:
    page = _as(people.carol).get("/staff/").content.decode()
    assert "自分の担当" in page and "学校等における安全対策" in page
    assert PATROL not in page
    assert "前年度から引き継いだ内容を確認してください" in page
    assert "令和2年4月30日" in page


def test_an_editor_edits_with_last_years_text_beside_and_submits(plan: Plan, people: People) -> None:
    record = _record(PATROL, "地域安全課")
    bob = _as(people.bob)
    page = bob.get(f"/staff/records/{record.pk}/").content.decode()
    assert "前年度の取組み" in page and "・パトロール回数 472回" in page
    assert "前年度から引き継いだ内容です" in page
    text = "・車両数 15台\n・パトロール回数 500回\n・距離 8,000km\n・夜間パトロールを開始"
    response = bob.post(f"/staff/records/{record.pk}/save/", {"version": "1", "items": text})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.state, record.version) == ("draft", 2)
    assert [(i.text, i.carried_over) for i in record.items.all()][1:] == [
        ("パトロール回数 500回", False),
        ("距離 8,000km", False),
        ("夜間パトロールを開始", False),
    ]
    assert Indicator.objects.get(item__record=record, label="パトロール回数").value == 500
    bob.post(f"/staff/records/{record.pk}/submit/", {"confirm": "1", "version": "2"})
    record.refresh_from_db()
    assert record.state == "submitted"
    assert bob.post(f"/staff/records/{record.pk}/save/", {"version": "3", "items": "x"}).status_code == 403


def test_an_editor_cannot_touch_another_departments_record(plan: Plan, people: People) -> None:
    record = _record(PATROL, "地域安全課")
    carol = _as(people.carol)
    assert carol.get(f"/staff/records/{record.pk}/").status_code == 403
    response = carol.post(f"/staff/records/{record.pk}/save/", {"version": "1", "items": "・改ざん"})
    assert response.status_code == 403
    assert not Item.objects.filter(text="改ざん").exists()


def test_the_administrator_returns_with_a_comment_and_approves_the_fix(plan: Plan, people: People) -> None:
    record = _record(PATROL, "地域安全課")
    bob, alice = _as(people.bob), _as(people.alice)
    bob.post(f"/staff/records/{record.pk}/submit/", {"confirm": "1", "version": "1"})
    alice.post(f"/staff/records/{record.pk}/return/", {"version": "2", "reason": "距離の単位を確認してください"})
    record.refresh_from_db()
    assert record.state == "returned"
    page = bob.get(f"/staff/records/{record.pk}/").content.decode()
    assert "差戻し" in page and "距離の単位を確認してください" in page
    bob.post(f"/staff/records/{record.pk}/submit/", {"confirm": "1", "version": "3", "items": "・距離 7,714km"})
    alice.post(f"/staff/records/{record.pk}/approve/", {"version": "5"})
    record.refresh_from_db()
    assert record.state == "approved"


def test_a_reviewer_reads_drafts_and_comments_but_cannot_edit(plan: Plan, people: People) -> None:
    record = _record(PATROL, "地域安全課")
    dave = _as(people.dave)
    assert dave.get(f"/staff/plans/{plan.pk}/years/2019/").status_code == 200
    dave.post(f"/staff/records/{record.pk}/comment/", {"version": "1", "text": "昨年度より減った理由は？"})
    assert record.comments.get().text == "昨年度より減った理由は？"
    assert dave.post(f"/staff/records/{record.pk}/approve/", {"version": "1"}).status_code == 403
    assert dave.post(f"/staff/records/{record.pk}/save/", {"version": "1", "items": "x"}).status_code == 403


def test_the_board_shows_every_record_state_and_last_change(plan: Plan, people: People) -> None:
    record = _record(PATROL, "地域安全課")
    _as(people.bob).post(f"/staff/records/{record.pk}/submit/", {"confirm": "1", "version": "1"})
    page = _as(people.alice).get(f"/staff/plans/{plan.pk}/years/2019/").content.decode()
    others = Record.objects.filter(fiscal_year__year=2019).count() - 1
    assert "提出済み 1件" in page and f"未着手 {others}件" in page
    assert f'<a href="/staff/records/{record.pk}/">{PATROL}</a></th><td class="state-submitted">提出済み</td>' in page
    assert "（bob）" in page


def test_all_approved_locks_the_year_which_is_then_published_and_fixed(plan: Plan, people: People) -> None:
    alice = _as(people.alice)
    year = FiscalYear.objects.get(plan=plan, year=2019)
    for record in year.records.all():
        submit(record, by=people.bob)
    alice.post(f"/staff/plans/{plan.pk}/years/2019/approve-submitted/", {"confirm": "1"})
    year.refresh_from_db()
    assert year.status == "locked"
    record = _record(PATROL, "地域安全課")
    response = _as(people.bob).post(f"/staff/records/{record.pk}/save/", {"version": "3", "items": "x"})
    assert response.status_code == 403
    assert Client().get(f"/plans/{plan.pk}/years/2019/").status_code == 404
    publishing = f"/staff/plans/{plan.pk}/years/2019/publish/"
    # Publishing asks for the preview to be confirmed, and for a reason to publish with error findings.
    assert alice.post(publishing, {"override_reason": SEED_ERRORS_REASON})["Location"].endswith("/publishing/")
    assert alice.post(publishing, {"confirm": "1"})["Location"].endswith("/publishing/")
    year.refresh_from_db()
    assert year.status == "locked" and not year.editions.exists()
    alice.post(publishing, {"confirm": "1", "override_reason": SEED_ERRORS_REASON})
    year.refresh_from_db()
    assert year.status == "published"
    assert year.editions.get().override_reason == SEED_ERRORS_REASON
    public = Client().get(f"/plans/{plan.pk}/years/2019/").content.decode()
    assert "<h1>小金井市防犯指針に基づく令和元年度の取組み等について</h1>" in public
    for format in ("text", "html", "xlsx", "csv", "json", "pdf"):
        assert Client().get(f"/plans/{plan.pk}/years/2019/report.{format}").status_code == 200
    alice.post(f"/staff/plans/{plan.pk}/years/2019/reopen/", {"reason": "数値の訂正"})
    year.refresh_from_db()
    assert year.status == "collecting"
    reopened = year.history.order_by("-history_date").first()
    assert (reopened.history_user, reopened.history_change_reason) == (people.alice, "数値の訂正")


def test_the_history_shows_who_changed_what(plan: Plan, people: People) -> None:
    record = _record(PATROL, "地域安全課")
    bob = _as(people.bob)
    bob.post(f"/staff/records/{record.pk}/save/", {"version": "1", "items": "・車両数 16台\n・距離 7,714km"})
    bob.post(f"/staff/records/{record.pk}/submit/", {"confirm": "1", "version": "2"})
    page = _as(people.alice).get(f"/staff/records/{record.pk}/").content.decode()
    history = page[page.index("変更の履歴") :]
    # Lines are matched as a diff matches them: the line dropped is the one deleted, the one kept is no change.
    assert '<td>bob</td><th scope="row">項目の削除</th><td>パトロール回数 472回</td><td></td>' in history
    assert "<td>距離 7,714km</td><td>" not in history  # neither changed from nor deleted
    assert '<td>bob</td><th scope="row">状態</th><td>作成中</td><td>提出済み</td>' in history
    assert '<td>bob</td><th scope="row">項目の変更</th><td>車両数 15台</td><td>車両数 16台</td>' in history


def test_a_second_save_of_the_same_version_is_refused_with_both_versions_shown(plan: Plan, people: People) -> None:
    record = _record(PATROL, "地域安全課")
    bob, alice = _as(people.bob), _as(people.alice)
    # Both open the record at version 1.
    assert 'name="version" value="1"' in bob.get(f"/staff/records/{record.pk}/").content.decode()
    assert 'name="version" value="1"' in alice.get(f"/staff/records/{record.pk}/").content.decode()
    bob.post(f"/staff/records/{record.pk}/save/", {"version": "1", "items": "・bobの版"})
    response = alice.post(f"/staff/records/{record.pk}/save/", {"version": "1", "items": "・aliceの版"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "保存できませんでした" in page
    assert "<li>・bobの版</li>" in page  # theirs
    assert ">・aliceの版</textarea>" in page  # hers, kept for her to merge
    assert 'name="version" value="2"' in page
    assert [i.text for i in record.items.all()] == ["bobの版"]


def test_forms_need_the_csrf_token(plan: Plan, people: People) -> None:
    record = _record(PATROL, "地域安全課")
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.bob)
    response = client.post(f"/staff/records/{record.pk}/save/", {"version": "1", "items": "・x"})
    assert response.status_code == 403
    assert not Item.objects.filter(text="x").exists()


def test_passwords_are_hashed_with_argon2(people: People) -> None:
    assert people.bob.password.startswith("argon2")


def test_repeated_failed_sign_ins_are_locked_out(people: People) -> None:
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "bob", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "サインインを制限しています" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_in_with_the_right_password_works(people: People) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_a_nul_character_in_a_form_is_refused_and_nothing_changes(plan: Plan, people: People) -> None:
    """PostgreSQL cannot store U+0000: the staff pages answered 500 to it; now 400, on both databases."""
    record = _record(PATROL, "地域安全課")
    before = list(record.items.values_list("text", flat=True))
    editor, admin = _as(people.bob), _as(people.alice)
    posts = [
        (editor, f"/staff/records/{record.pk}/save/", {"items": "・a\x00b", "version": record.version}),
        (editor, f"/staff/records/{record.pk}/comment/", {"text": "a\x00b"}),
        (admin, f"/staff/plans/{plan.pk}/years/2019/structure/measures/", {"title": "x\x00y"}),
        (admin, f"/staff/plans/{plan.pk}/years/2019/reopen/", {"reason\x00": "x"}),
    ]
    for client, path, data in posts:
        response = client.post(path, data)
        assert response.status_code == 400
        assert "NUL" in response.content.decode()
    assert list(record.items.values_list("text", flat=True)) == before
    assert not record.comments.exists()


def test_failures_from_many_addresses_pause_the_account_for_minutes_that_grow(people: People) -> None:
    """Guessing from many addresses (one try each) stops the account too, for 5 minutes, doubling with
    each further failure; once that time has passed since the last failure, the real user signs in."""
    import datetime as dt

    from axes.models import AccessAttempt

    for n in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post("/accounts/login/", {"username": "bob", "password": "wrong"})
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    paused = elsewhere.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert paused.status_code in (403, 429) and "_auth_user_id" not in elsewhere.session
    said = paused.content.decode()
    assert "サインインを制限しています" in said and "10分" in said  # the sixth failure: 5 minutes doubled
    # Carol, on the same addresses, is not stopped.
    assert (
        Client(REMOTE_ADDR="198.51.100.0")
        .post("/accounts/login/", {"username": "carol", "password": PASSWORD})
        .status_code
        == 302
    )

    # Eleven minutes later, the failures are forgotten.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=11))
    signed = elsewhere.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert signed.status_code == 302 and "_auth_user_id" in elsewhere.session
