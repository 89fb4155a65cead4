"""The council's assessment of a measure through the API, and a published year's evaluation: the same
actions, permissions and errors as the staff pages (`shishin.web.staff.council`, `shishin.web.views`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.errors import HttpError

from shishin.plans import editions
from shishin.plans.actions import ActionError, council
from shishin.plans.models import CouncilAssessment, Measure
from shishin.plans.permissions import Right, access

from .views import NOT_FOUND, SIGNED_IN, Id, Text, VersionIn, Year, _account, api, session
from .years import _administer, _year


class CouncilIn(Schema):
    grade: Text = ""  # a grade of the plan's scale, or empty
    opinion: Text = ""
    version: int  # the assessment's version it was written on; 0 when none is written yet
    submit: bool = False  # hand it to the administrator as well


class CouncilReturnIn(Schema):
    version: int
    reason: Text


class CouncilOut(Schema):
    measure: int
    grade: str
    opinion: str
    state: str  # draft, submitted, returned, approved; not_started when none is written
    returned_because: str
    version: int  # 0 when none is written


def _out(measure_id: int, assessment: CouncilAssessment | None) -> dict[str, Any]:
    if assessment is None:
        return {
            "measure": measure_id,
            "grade": "",
            "opinion": "",
            "state": "not_started",
            "returned_because": "",
            "version": 0,
        }
    return {
        "measure": measure_id,
        "grade": assessment.grade,
        "opinion": assessment.opinion,
        "state": assessment.state,
        "returned_because": assessment.returned_because,
        "version": assessment.version,
    }


def _assess(request: HttpRequest) -> None:
    if not access(request).may(Right.ASSESS):
        raise HttpError(403, "協議会の評価は、閲覧者（協議会委員）と管理者が書けます")


def _taken(fiscal_year_id: int, measure_id: int, run: Callable[[], CouncilAssessment]) -> Status[dict[str, Any]]:
    """A step: 200 with the assessment; 409 with the current one if its version was stale; 400 with why."""
    try:
        return Status(200, _out(measure_id, run()))
    except council.AssessmentConflict as conflict:
        current = CouncilAssessment.objects.filter(fiscal_year_id=fiscal_year_id, measure_id=measure_id).first()
        return Status(409, {"detail": str(conflict), "current": _out(measure_id, current)})
    except ActionError as err:
        return Status(400, {"detail": str(err)})


PATH = "/plans/{plan_id}/years/{year}/measures/{measure_id}/council"


@api.get(PATH, response={200: CouncilOut, **SIGNED_IN}, auth=session, tags=["協議会"], summary="施策の協議会の評価")
def get_council(request: HttpRequest, plan_id: Id, year: Year, measure_id: Id) -> dict[str, Any]:
    _assess(request)
    fiscal_year = _year(plan_id, year)
    get_object_or_404(Measure, pk=measure_id, plan_id=plan_id)
    return _out(measure_id, CouncilAssessment.objects.filter(fiscal_year=fiscal_year, measure_id=measure_id).first())


@api.put(
    PATH,
    response={200: CouncilOut, 409: dict[str, Any], **SIGNED_IN},
    auth=session,
    tags=["協議会"],
    summary="協議会の評価を書く（submit で提出も）",
)
def put_council(
    request: HttpRequest, plan_id: Id, year: Year, measure_id: Id, payload: CouncilIn
) -> Status[dict[str, Any]]:
    _assess(request)
    fiscal_year = _year(plan_id, year)
    measure = get_object_or_404(Measure, pk=measure_id, plan_id=plan_id)

    def run() -> CouncilAssessment:
        saved = council.do_save_council_assessment(
            fiscal_year,
            measure,
            grade=payload.grade,
            opinion=payload.opinion,
            version=payload.version,
            by=_account(request),
        )
        if payload.submit:
            council.do_submit_council_assessment(saved, version=saved.version, by=_account(request))
        return saved

    return _taken(fiscal_year.pk, measure_id, run)


def _found(plan_id: int, year: int, measure_id: int) -> CouncilAssessment:
    return get_object_or_404(
        CouncilAssessment, fiscal_year__plan_id=plan_id, fiscal_year__year=year, measure_id=measure_id
    )


@api.post(
    PATH + "/approve",
    response={200: CouncilOut, 409: dict[str, Any], **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="提出された協議会の評価を承認する",
)
def approve_council(
    request: HttpRequest, plan_id: Id, year: Year, measure_id: Id, payload: VersionIn
) -> Status[dict[str, Any]]:
    _administer(request)
    found = _found(plan_id, year, measure_id)
    return _taken(
        found.fiscal_year_id,
        measure_id,
        lambda: council.do_approve_council_assessment(found, version=payload.version, by=_account(request)),
    )


@api.post(
    PATH + "/return",
    response={200: CouncilOut, 409: dict[str, Any], **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="協議会の評価を理由をつけて差し戻す",
)
def return_council(
    request: HttpRequest, plan_id: Id, year: Year, measure_id: Id, payload: CouncilReturnIn
) -> Status[dict[str, Any]]:
    _administer(request)
    found = _found(plan_id, year, measure_id)
    return _taken(
        found.fiscal_year_id,
        measure_id,
        lambda: council.do_return_council_assessment(
            found, reason=payload.reason, version=payload.version, by=_account(request)
        ),
    )


@api.get(
    "/plans/{plan_id}/years/{year}/evaluation",
    response={200: dict[str, Any], **NOT_FOUND},
    tags=["公開"],
    summary="公表された年度の評価表（docs/json-output.md の JSON Schema）",
)
def published_evaluation(request: HttpRequest, plan_id: Id, year: Year) -> dict[str, Any]:
    edition = editions.current(plan_id, year)
    frozen = editions.evaluation_of(edition) if edition else None
    if frozen is None:
        raise Http404("この年度の評価は公表されていません")
    return frozen
