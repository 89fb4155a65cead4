"""The council's assessment of each measure (協議会の評価): written by a reviewer, submitted, returned with
a reason or approved by an administrator — the records' steps, with the same optimistic locking (every
step names the version it was taken on; version 0 is "none written yet"). A submission is mailed to the
administrators, a return to whoever submitted. Only an approved assessment goes into the published
evaluation (`shishin.plans.evaluation_report`)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from .. import notifications
from ..models import CouncilAssessment, FiscalYear, Measure, Record
from . import evaluation
from .base import ActionError, Person, action

State = Record.State
MAX_OPINION = 2000  # characters of the council's opinion: a long paragraph


class AssessmentConflict(ActionError):
    """Someone saved the assessment after the version being edited: nothing was overwritten."""

    def __init__(self) -> None:
        super().__init__("ほかの人が先にこの評価を保存しました。最新の内容を確認して、もう一度保存してください。")


def _require_open(fiscal_year: FiscalYear) -> None:
    """The council assesses a year being collected or locked; a published year is reopened first."""
    if fiscal_year.status not in (FiscalYear.Status.COLLECTING, FiscalYear.Status.LOCKED):
        raise ActionError(
            f"{fiscal_year.label}は{fiscal_year.get_status_display()}のため協議会の評価を変更できません"
            "（公表済みの年度は、管理者が再開すると変更できます）"
        )


def _claim(assessment: CouncilAssessment, version: int) -> None:
    """Take the next version if nobody changed the assessment since ``version`` (one UPDATE), else refuse."""
    if not CouncilAssessment.objects.filter(pk=assessment.pk, version=version).update(version=F("version") + 1):
        raise AssessmentConflict()
    assessment.refresh_from_db()


@action
def do_save_council_assessment(
    fiscal_year: FiscalYear, measure: Measure, *, grade: str, opinion: str, version: int, by: Person
) -> CouncilAssessment:
    """Write the council's grade and opinion of ``measure``; a returned assessment becomes a draft again."""
    _require_open(fiscal_year)
    grade, opinion = grade.strip(), opinion.strip()
    grades = [band.grade for band in evaluation.scale_of(fiscal_year.plan).bands]
    if grade and grade not in grades:
        raise ActionError(f"協議会の評価「{grade}」は、この指針の評価の段階（{'・'.join(grades)}）のいずれかです")
    if len(opinion) > MAX_OPINION:
        raise ActionError(f"協議会の意見は {MAX_OPINION:,} 文字までです（{len(opinion):,} 文字あります）")
    if measure.plan_id != fiscal_year.plan_id or not measure.records.filter(fiscal_year=fiscal_year).exists():
        raise ActionError(f"施策「{measure}」は{fiscal_year.label}の施策ではありません")
    found = CouncilAssessment.objects.filter(fiscal_year=fiscal_year, measure=measure).first()
    if found is None:
        if version != 0:
            raise AssessmentConflict()
        try:
            with transaction.atomic():
                return CouncilAssessment.objects.create(
                    fiscal_year=fiscal_year, measure=measure, grade=grade, opinion=opinion, updated_by=by
                )
        except IntegrityError:  # another reviewer wrote the first one at the same moment
            raise AssessmentConflict() from None
    if found.state in (State.SUBMITTED, State.APPROVED):
        raise ActionError(f"この評価は{found.get_state_display()}のため変更できません（差し戻されると変更できます）")
    _claim(found, version)
    found.grade, found.opinion, found.state, found.updated_by = grade, opinion, State.DRAFT, by
    found.save()
    return found


def _step(assessment: CouncilAssessment, version: int, by: Person, state: str, reason: str = "") -> None:
    _require_open(assessment.fiscal_year)
    _claim(assessment, version)
    assessment.state, assessment.returned_because, assessment.updated_by = state, reason, by
    assessment.save()


@action
def do_submit_council_assessment(assessment: CouncilAssessment, *, version: int, by: Person) -> CouncilAssessment:
    """Hand the assessment to the administrator."""
    if assessment.state not in (State.DRAFT, State.RETURNED):
        raise ActionError(f"この評価は{assessment.get_state_display()}のため提出できません")
    if not assessment.grade and not assessment.opinion:
        raise ActionError("評価か意見を書いてから提出してください")
    _step(assessment, version, by, State.SUBMITTED)
    notifications.council_submitted(assessment, by)
    return assessment


@action
def do_return_council_assessment(
    assessment: CouncilAssessment, *, reason: str, version: int, by: Person
) -> CouncilAssessment:
    """Send a submitted (or approved) assessment back to be written again, saying why."""
    if assessment.state not in (State.SUBMITTED, State.APPROVED):
        raise ActionError("提出されていない評価は差し戻せません")
    if not reason.strip():
        raise ActionError("差戻しの理由を書いてください")
    _step(assessment, version, by, State.RETURNED, reason.strip())
    notifications.council_returned(assessment, reason.strip(), by)
    return assessment


@action
def do_approve_council_assessment(assessment: CouncilAssessment, *, version: int, by: Person) -> CouncilAssessment:
    """Approve a submitted assessment: it is published with the year's evaluation."""
    if assessment.state != State.SUBMITTED:
        raise ActionError("提出された評価だけが承認できます")
    _step(assessment, version, by, State.APPROVED)
    return assessment
