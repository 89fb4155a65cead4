"""The plan's structure through the staff pages: each step its own address, each refusal leaves nothing behind."""

from __future__ import annotations

import pytest
from django.test import Client

from shishin.plans.models import Assignment, Department, Measure, Pillar, Plan, Record

from ..conftest import People
from ..helpers import snapshot

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


@pytest.fixture
def plan(seeded_2019_open: Plan) -> Plan:
    return seeded_2019_open


def _admin(people: People) -> Client:
    client = Client()
    client.force_login(people.alice)
    return client


def _structure(plan: Plan, tail: str = "") -> str:
    return f"/staff/plans/{plan.pk}/years/2019/structure/{tail}"


def test_adding_a_measure_creates_its_new_department_and_records(plan: Plan, people: People) -> None:
    pillar = Pillar.objects.get(plan=plan, number=1)
    response = _admin(people).post(
        _structure(plan, "measures/"),
        {
            "title": "防犯カメラの増設",
            "description": "通学路に設置する",
            "place": f"{pillar.pk}:",
            "departments": "地域安全課 防犯推進課",
        },
        follow=True,
    )
    assert "施策を追加しました" in response.content.decode()
    measure = Measure.objects.get(plan=plan, title="防犯カメラの増設")
    assert [a.department.name for a in Assignment.objects.filter(measure=measure).order_by("position")] == [
        "地域安全課",
        "防犯推進課",
    ]
    assert Record.objects.filter(measure=measure, fiscal_year__year=2019).count() == 2
    assert {h.history_user for h in measure.history.all()} == {people.alice}


def test_a_refused_measure_leaves_no_department_behind(plan: Plan, people: People) -> None:
    """A typo in a new department's name must not become a (public) department when the step is refused."""
    pillar = Pillar.objects.get(plan=plan, number=1)
    before = snapshot()
    response = _admin(people).post(
        _structure(plan, "measures/"),
        {"title": PATROL, "place": f"{pillar.pk}:", "departments": "地域安全か"},
        follow=True,
    )
    assert f"施策「{PATROL}」はすでにあります" in response.content.decode()
    assert not Department.objects.filter(name="地域安全か").exists()
    assert snapshot() == before


def test_a_place_that_is_not_the_plans_is_refused(plan: Plan, people: People) -> None:
    before = snapshot()
    response = _admin(people).post(
        _structure(plan, "measures/"), {"title": "新しい施策", "place": "999999:"}, follow=True
    )
    assert "基本方針・施策の方向を一覧から選んでください" in response.content.decode()
    assert snapshot() == before


def test_renaming_and_retiring_a_measure(plan: Plan, people: People) -> None:
    measure = Measure.objects.get(plan=plan, title=PATROL)
    client = _admin(people)
    client.post(_structure(plan, f"measures/{measure.pk}/rename/"), {"title": "地域パトロール"})
    measure.refresh_from_db()
    assert measure.title == "地域パトロール"
    client.post(_structure(plan, f"measures/{measure.pk}/retire/"))
    measure.refresh_from_db()
    assert measure.last_year == 2018
    assert not Record.objects.filter(measure=measure, fiscal_year__year=2019).exists()


def test_merging_departments_names_who_did_it_in_every_history_row(plan: Plan, people: People) -> None:
    source = Department.objects.get(municipality=plan.municipality, name="学務課")
    target = Department.objects.get(municipality=plan.municipality, name="地域安全課")
    moved = list(Record.objects.filter(fiscal_year__year=2019, department=source).values_list("pk", flat=True))
    assert moved
    response = _admin(people).post(
        _structure(plan, f"departments/{source.pk}/merge/"), {"target": target.pk}, follow=True
    )
    assert "「学務課」を「地域安全課」に統合しました" in response.content.decode()
    source.refresh_from_db()
    assert source.merged_into == target
    assert source.history.latest().history_user == people.alice
    written = Record.history.filter(id__in=moved, history_type__in=["~", "-"])
    assert written.exists() and {h.history_user for h in written} == {people.alice}


def test_renaming_a_department_to_a_taken_name_is_refused(plan: Plan, people: People) -> None:
    department = Department.objects.get(municipality=plan.municipality, name="学務課")
    response = _admin(people).post(
        _structure(plan, f"departments/{department.pk}/rename/"), {"name": "地域安全課"}, follow=True
    )
    assert "担当課「地域安全課」はすでにあります" in response.content.decode()
    department.refresh_from_db()
    assert department.name == "学務課"


def test_a_step_is_taken_only_by_post(plan: Plan, people: People) -> None:
    measure = Measure.objects.get(plan=plan, title=PATROL)
    assert _admin(people).get(_structure(plan, f"measures/{measure.pk}/retire/")).status_code == 405
    measure.refresh_from_db()
    assert measure.last_year is None


def test_a_measure_is_renamed_only_in_a_year_being_collected(plan: Plan, people: People) -> None:
    """The structure page of a published year says it cannot be changed; its rename step agrees."""
    measure = Measure.objects.get(plan=plan, title=PATROL)
    before, admin = snapshot(), _admin(people)
    response = admin.post(
        f"/staff/plans/{plan.pk}/years/2018/structure/measures/{measure.pk}/rename/", {"title": "地域パトロール"}
    )
    assert response.status_code == 302 and snapshot() == before
    page = admin.get(response["Location"]).content.decode()
    assert "照会中の年度でだけ施策を変更できます" in page
