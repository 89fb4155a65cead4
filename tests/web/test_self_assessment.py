"""A department's own assessment of its year (issue 15, part 3, the departments' half): 自己評価 from the
plan's grade scale, 課題 and 今後の方向性, saved and submitted with the record's items, kept in its history,
on the record page and through the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shishin.plans import actions
from shishin.plans.models import FiscalYear, Plan, Record

from ..conftest import People
from ..helpers import signed_in

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


@pytest.fixture
def record(seeded_2019_open: Plan) -> Record:
    return Record.objects.get(fiscal_year__year=2019, measure__title=PATROL, department__name="地域安全課")


def _form(record: Record, **assessment: str) -> dict[str, str]:
    items = "\n".join(("・" if i.bullet else "") + i.text for i in record.items.order_by("position"))
    return {"version": str(record.version), "items": items, "assessed": "1", **assessment}


def test_an_editor_assesses_the_year_and_it_is_kept_in_the_history(record: Record, people: People) -> None:
    bob = signed_in(people.bob)
    page = bob.get(f"/staff/records/{record.pk}/").content.decode()
    assert "自己評価（今年度の振り返り）" in page
    assert all(f'<option value="{grade}">{grade}</option>' in page for grade in "SABC")  # the plan's scale

    saved = bob.post(
        f"/staff/records/{record.pk}/save/",
        _form(record, self_grade="A", outlook="continue", issues="担い手の高齢化"),
        follow=True,
    )
    assert "保存しました" in saved.content.decode()
    record.refresh_from_db()
    assert (record.self_grade, record.outlook, record.issues) == ("A", "continue", "担い手の高齢化")
    assert record.history.first().self_grade == "A"

    # A grade the plan's scale does not have is refused; nothing is saved.
    refused = bob.post(f"/staff/records/{record.pk}/save/", _form(record, self_grade="Z"), follow=True)
    assert "自己評価「Z」は、この指針の評価の段階（S・A・B・C）のいずれかです" in refused.content.decode()
    record.refresh_from_db()
    assert record.self_grade == "A"

    # Submitted with it; the administrator reads it on the record page.
    bob.post(
        f"/staff/records/{record.pk}/submit/",
        _form(record, self_grade="B", outlook="improve", issues="担い手の高齢化", confirm="1"),
    )
    record.refresh_from_db()
    assert (record.state, record.self_grade, record.get_outlook_display()) == (Record.State.SUBMITTED, "B", "改善")
    shown = signed_in(people.dave).get(f"/staff/records/{record.pk}/").content.decode()
    assert "<dt>自己評価</dt><dd>B</dd>" in shown and "<dd>改善</dd>" in shown


def test_a_plans_own_scale_is_offered_and_a_form_without_the_assessment_leaves_it(
    record: Record, people: People
) -> None:
    actions.do_set_grade_scale(record.fiscal_year.plan, "◎ 100\n○ 80\n△", "－", "未把握", by=people.alice)
    bob = signed_in(people.bob)
    assert '<option value="◎">◎</option>' in bob.get(f"/staff/records/{record.pk}/").content.decode()
    bob.post(f"/staff/records/{record.pk}/save/", _form(record, self_grade="○", outlook="expand"))
    record.refresh_from_db()
    form = _form(record)
    del form["assessed"]  # as a client that knows nothing of the assessment sends it
    bob.post(f"/staff/records/{record.pk}/save/", form)
    record.refresh_from_db()
    assert (record.self_grade, record.outlook) == ("○", "expand")


def test_the_assessment_through_the_api(record: Record, people: People) -> None:
    _, key = actions.do_make_token(name="自己評価", by=people.bob)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    path = f"/api/records/{record.pk}/assessment"
    items_before = [(i.text, i.carried_over) for i in record.items.order_by("position")]
    body = {"version": record.version, "self_grade": "S", "outlook": "expand", "issues": "夜間の人手"}
    answer = client.put(path, json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert {k: answer.json()[k] for k in ("self_grade", "issues", "outlook", "state")} == {
        "self_grade": "S",
        "issues": "夜間の人手",
        "outlook": "expand",
        "state": "draft",
    }
    # The items stay as they were (carried-over ones still to be confirmed by the editor).
    assert [(i.text, i.carried_over) for i in record.items.order_by("position")] == items_before
    # Read back with the record; a grade the plan's scale lacks is a 400 naming the scale; a stale version 409.
    assert client.get(f"/api/records/{record.pk}").json()["self_grade"] == "S"
    body = {"version": answer.json()["version"], "self_grade": "Z"}
    refused = client.put(path, json.dumps(body), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "自己評価「Z」は、この指針の評価の段階（S・A・B・C）のいずれかです"
    stale = client.put(path, json.dumps({"version": 1, "self_grade": "A"}), content_type="application/json")
    assert stale.status_code == 409
    assert Record.objects.get(pk=record.pk).self_grade == "S"
    assert FiscalYear.objects.get(plan=record.fiscal_year.plan, year=2019).status == FiscalYear.Status.COLLECTING
