"""The council's assessment on the staff pages and through the API (issue 15, part 3, the council's half):
a reviewer writes and submits it, an administrator returns it with a reason or approves it; editors may
not write it and reviewers may not approve it; only an approved one is published with the year."""

from __future__ import annotations

import hashlib
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from shishin.plans import actions
from shishin.plans.models import CouncilAssessment, FiscalYear, Mail, Measure, Plan, Record

from ..conftest import People
from ..helpers import SEED_ERRORS_REASON, approve_all, signed_in

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


@pytest.fixture
def year(seeded_2019_open: Plan, people: People) -> FiscalYear:
    fiscal_year = FiscalYear.objects.get(plan=seeded_2019_open, year=2019)
    measure = Measure.objects.get(title=PATROL)
    wanted = actions.TargetIn(
        indicator="パトロール回数",
        unit="回",
        kind="output",
        direction="increase",
        baseline_year=2018,
        baseline_value=Decimal(472),
        target_year=2022,
        target_value=Decimal(600),
        reason="",
    )
    actions.do_set_target(measure, wanted, by=people.alice)
    record = Record.objects.get(fiscal_year=fiscal_year, measure=measure, department__name="地域安全課")
    actions.do_save_assessment(
        record, actions.Assessment("B", "車両の老朽化", "continue"), version=record.version, by=people.bob
    )
    return fiscal_year


def _page(client: Client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, path
    return str(answer.content.decode())


def test_a_reviewer_writes_it_and_an_administrator_returns_then_approves_it(year: FiscalYear, people: People) -> None:
    measure = Measure.objects.get(title=PATROL)
    base = f"/staff/plans/{year.plan_id}/years/2019/council/"
    page = base + f"{measure.pk}/"
    dave, alice = signed_in(people.dave), signed_in(people.alice)
    assert f'href="{page}"' in _page(dave, base)
    shown = _page(dave, page)
    # What the council reads: the indicator against its target (472回 in FY2018 is the FY2019 value carried
    # over until the department rewrites it), and the department's own assessment.
    assert "パトロール回数（活動指標・増やす）" in shown and "600回（令和4年度）" in shown
    assert "<td>B</td><td>車両の老朽化</td><td>継続</td>" in shown.replace("\n", "")

    answer = dave.post(
        page + "save/", {"version": "0", "grade": "A", "opinion": "着実に実施", "submit": "1"}, follow=True
    )
    assert "協議会の評価を保存して提出しました" in answer.content.decode()
    assessment = CouncilAssessment.objects.get(measure=measure)
    assert (assessment.state, assessment.grade, assessment.opinion) == ("submitted", "A", "着実に実施")
    # The administrators are told by mail, with the page's address.
    [told] = Mail.objects.filter(kind="council_submitted")
    assert (
        told.to == ["alice@example.jp"]
        and told.subject == f"【小金井市防犯指針】協議会の評価が提出されました（{PATROL}）"
    )
    assert page in told.body
    # A reviewer does not approve; an editor does not even read the page.
    assert dave.post(page + "approve/", {"version": assessment.version}).status_code == 403
    assert signed_in(people.bob).get(page).status_code == 403

    refused = alice.post(page + "return/", {"version": assessment.version, "reason": " "}, follow=True)
    assert "差戻しの理由を書いてください" in refused.content.decode()
    alice.post(page + "return/", {"version": assessment.version, "reason": "意見を具体的に"})
    assessment.refresh_from_db()
    assert assessment.state == "returned"
    [returned] = Mail.objects.filter(kind="council_returned")  # to who submitted it, with the reason
    assert returned.to == ["dave@example.jp"] and "> 意見を具体的に" in returned.body
    assert "意見を具体的に" in _page(dave, page)

    stale = dave.post(page + "save/", {"version": "1", "grade": "A", "opinion": "古い版から"}, follow=True)
    assert "ほかの人が先にこの評価を保存しました" in stale.content.decode()
    dave.post(page + "save/", {"version": assessment.version, "grade": "A", "opinion": "回数が増えた", "submit": "1"})
    assessment.refresh_from_db()
    alice.post(page + "approve/", {"version": assessment.version})
    assessment.refresh_from_db()
    assert (assessment.state, assessment.opinion) == ("approved", "回数が増えた")
    history = _page(alice, page)
    assert history.count("<td>承認済み</td>") == 1 and history.count("<td>差戻し</td>") == 1


def _put(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.put(path, json.dumps(body), content_type="application/json")


def test_through_the_api_and_published_with_the_year(year: FiscalYear, people: People) -> None:
    measure = Measure.objects.get(title=PATROL)
    path = f"/api/plans/{year.plan_id}/years/2019/measures/{measure.pk}/council"
    dave, alice = signed_in(people.dave), signed_in(people.alice)
    assert dave.get(path).json()["state"] == "not_started"
    assert _put(signed_in(people.bob), path, {"version": 0, "grade": "A"}).status_code == 403

    written = _put(dave, path, {"version": 0, "grade": "A", "opinion": "着実に実施"})
    assert written.status_code == 200 and written.json()["version"] == 1
    stale = _put(dave, path, {"version": 0, "grade": "C"})
    assert stale.status_code == 409 and stale.json()["current"]["grade"] == "A"
    bad = _put(dave, path, {"version": 1, "grade": "Z"})
    assert bad.status_code == 400 and "協議会の評価「Z」" in bad.json()["detail"]
    submitted = _put(dave, path, {"version": 1, "grade": "A", "opinion": "着実に実施", "submit": True}).json()
    assert submitted["state"] == "submitted"
    assert (
        dave.post(path + "/approve", {"version": submitted["version"]}, content_type="application/json").status_code
        == 403
    )
    approved = alice.post(path + "/approve", {"version": submitted["version"]}, content_type="application/json")
    assert approved.json()["state"] == "approved"

    public = f"/api/plans/{year.plan_id}/years/2019/evaluation"
    assert Client().get(public).status_code == 404  # nothing unpublished is public
    approve_all(year, admin=people.alice, editor=people.alice)
    actions.do_publish_year(year, override_reason=SEED_ERRORS_REASON, by=people.alice)
    document = Client().get(public).json()
    [patrol] = [m for m in document["measures"] if m["title"] == PATROL]
    assert patrol["council"] == {"grade": "A", "opinion": "着実に実施"}
    # The editions' API lists the evaluation's files, each with the SHA-256 of what it serves.
    [edition] = Client().get(f"/api/plans/{year.plan_id}/years/2019/editions").json()
    assert [f["format"] for f in edition["evaluation"]] == ["json", "xlsx", "pdf", "text"]
    for listed in edition["evaluation"]:
        served = Client().get(listed["url"])
        assert hashlib.sha256(served.content).hexdigest() == listed["sha256"], listed["format"]
    assert json.loads(Client().get(edition["evaluation"][0]["url"]).content) == document
    [imported] = Client().get(f"/api/plans/{year.plan_id}/years/2018/editions").json()
    assert imported["evaluation"] == []  # an imported report has none
    page = Client().get(f"/plans/{year.plan_id}/years/2019/evaluation/").content.decode()
    assert "着実に実施" in page and "令和元年度（2019年度） 評価表" in page
    # A row heads each pillar; a measure's name spans its indicators' rows.
    assert '<tr class="pillar"><th scope="colgroup" colspan="11">1 日常生活における安全安心の確保</th></tr>' in page
    assert f'<th scope="row">{PATROL}</th>' in page
    assert (
        _put(dave, path, {"version": 3, "grade": "B"}).json()["detail"].startswith("令和元年度（2019年度）は公表済み")
    )


def test_the_evaluation_is_previewed_before_publishing_by_those_who_read_drafts(
    year: FiscalYear, people: People
) -> None:
    from openpyxl import load_workbook

    base = f"/staff/plans/{year.plan_id}/years/2019/"
    publishing = _page(signed_in(people.alice), base + "publishing/")
    assert f'href="{base}evaluation-preview/"' in publishing
    page = _page(signed_in(people.dave), base + "evaluation-preview/")
    assert "プレビュー（未公表）" in page and "パトロール回数（活動指標・増やす）" in page
    workbook = signed_in(people.dave).get(base + "evaluation-preview.xlsx")
    assert workbook["Content-Disposition"].endswith('evaluation-preview-2019.xlsx"')
    rows = list(load_workbook(io.BytesIO(workbook.content))["指標の評価"].iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[-1]) for row in rows] == [("パトロール回数", "C")]  # 472 carried over: no better
    assert signed_in(people.bob).get(base + "evaluation-preview/").status_code == 403
    assert Client().get(base + "evaluation-preview/").status_code == 302  # to sign in
    assert Client().get(f"/plans/{year.plan_id}/years/2019/evaluation/").status_code == 404  # not public


def test_a_changed_evaluation_alone_is_published_again_on_the_pages(year: FiscalYear, people: People) -> None:
    """Reopened with every record still approved, the year is published again from its pages at once; the
    council's assessment written since is the next edition's, named in its 正誤表."""
    approve_all(year, admin=people.alice, editor=people.alice)
    actions.do_publish_year(year, override_reason=SEED_ERRORS_REASON, by=people.alice)
    alice, dave = signed_in(people.alice), signed_in(people.dave)
    base = f"/staff/plans/{year.plan_id}/years/2019/"
    alice.post(base + "reopen/", {"reason": "協議会の評価を載せる"})
    measure = Measure.objects.get(title=PATROL)
    dave.post(base + f"council/{measure.pk}/save/", {"version": "0", "grade": "B", "opinion": "継続", "submit": "1"})
    publishing = _page(alice, base + "publishing/")
    assert "承認していない評価が1件あります（公表されません）" in publishing
    alice.post(base + f"council/{measure.pk}/approve/", {"version": CouncilAssessment.objects.get().version})
    assert f'href="{base}publishing/"' in _page(alice, base)  # all records approved: publishable again
    publishing = _page(alice, base + "publishing/")
    assert "協議会の評価: 承認済み 1件</p>" in publishing and "第2版として公表する" in publishing
    answer = alice.post(
        base + "publish/", {"confirm": "1", "override_reason": SEED_ERRORS_REASON}, follow=True
    ).content.decode()
    assert "第2版" in answer
    second = year.editions.get(number=2)
    assert [(c["measure"], c["field"]) for c in second.corrections] == [(PATROL, "評価")]
    assert "協議会の評価 B: 継続" in second.corrections[0]["after"]
