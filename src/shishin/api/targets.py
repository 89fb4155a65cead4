"""Targets of a measure's indicators through the API: the same action, permission and errors as the staff
pages (`shishin.web.staff.targets`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from shishin.lib import grading
from shishin.lib.tables import json_number
from shishin.plans import actions
from shishin.plans.actions import evaluation
from shishin.plans.actions.evaluation import indicators_of, targets_of
from shishin.plans.models import Measure, Plan, Target

from .views import SIGNED_IN, Id, Text, _account, _step, api, session
from .years import _administer

Kind = Annotated[str, Field(description="output（活動指標）または outcome（成果指標）")]
Direction = Annotated[str, Field(description="increase（増やす）・decrease（減らす）・maintain（維持）")]


class TargetIn(Schema):
    indicator: Text  # the indicator's label (as corrected, or the label another year's number is paired by)
    unit: Text  # must be the indicator's unit
    kind: Kind
    direction: Direction
    baseline_year: int
    baseline_value: Decimal
    target_year: int
    target_value: Decimal
    reason: Text = ""  # why a target is revised (required for a revision)


class TargetOut(Schema):
    indicator: str
    unit: str
    kind: str
    direction: str
    baseline_year: int
    baseline_value: int | float
    target_year: int
    target_value: int | float
    reason: str
    set_at: str


class AchievementOut(Schema):
    year: int  # the fiscal year
    actual: int | float | None  # the indicator's numbers in the measure's records that year, added up
    rate: float | None  # the achievement rate, percent (computed, never typed)
    grade: str  # by the plan's grade scale


class IndicatorTargetsOut(Schema):
    indicator: str
    unit: str
    current: TargetOut | None  # the target in force
    history: list[TargetOut]  # every target set, the original first
    achievements: list[AchievementOut]  # each year from the baseline to the target, against the target in force


class ScaleIn(Schema):
    bands: list[Text]  # one a band, in order: "S 100", "B 改善", and the last a name alone ("C")
    no_target: Text = "－"
    no_value: Text = "未把握"


class ScaleOut(Schema):
    bands: list[str]
    no_target: str
    no_value: str


def _target_out(target: Target) -> dict[str, Any]:
    return {
        "indicator": target.indicator,
        "unit": target.unit,
        "kind": target.kind,
        "direction": target.direction,
        "baseline_year": target.baseline_year,
        "baseline_value": json_number(target.baseline_value),
        "target_year": target.target_year,
        "target_value": json_number(target.target_value),
        "reason": target.reason,
        "set_at": target.set_at.isoformat(),
    }


def _measure(plan_id: int, measure_id: int) -> Measure:
    return get_object_or_404(Measure, pk=measure_id, plan_id=plan_id)


@api.get(
    "/plans/{plan_id}/measures/{measure_id}/targets",
    response={200: list[IndicatorTargetsOut], **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="施策の指標と目標（見直しの履歴つき）",
)
def list_targets(request: HttpRequest, plan_id: Id, measure_id: Id) -> list[dict[str, Any]]:
    _administer(request)
    measure = _measure(plan_id, measure_id)
    set_for = targets_of(measure)
    scale = evaluation.scale_of(measure.plan)
    return [
        {
            "indicator": indicator,
            "unit": unit,
            "current": _target_out(set_for[indicator][-1]) if indicator in set_for else None,
            "history": [_target_out(t) for t in set_for.get(indicator, [])],
            "achievements": [
                {
                    "year": a.year,
                    "actual": json_number(a.actual) if a.actual is not None else None,
                    "rate": float(a.rate) if a.rate is not None else None,
                    "grade": a.grade,
                }
                for a in (
                    evaluation.achievements(measure, set_for[indicator][-1], scale) if indicator in set_for else []
                )
            ],
        }
        for indicator, unit in indicators_of(measure).items()
    ]


@api.post(
    "/plans/{plan_id}/measures/{measure_id}/targets",
    response={200: TargetOut, **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="指標の目標を設定する・見直す（元の目標は残る）",
)
def set_target(request: HttpRequest, plan_id: Id, measure_id: Id, payload: TargetIn) -> Status[dict[str, Any]]:
    _administer(request)
    measure = _measure(plan_id, measure_id)
    wanted = actions.TargetIn(**payload.dict())
    return _step(lambda: actions.do_set_target(measure, wanted, by=_account(request)), _target_out)


def _scale_out(scale: grading.Scale) -> dict[str, Any]:
    return {"bands": grading.lines(scale).splitlines(), "no_target": scale.no_target, "no_value": scale.no_value}


@api.get(
    "/plans/{plan_id}/grades",
    response={200: ScaleOut, **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="評価の段階（達成率から評価を決める規則）",
)
def grade_scale(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    _administer(request)
    return _scale_out(evaluation.scale_of(get_object_or_404(Plan, pk=plan_id)))


@api.put(
    "/plans/{plan_id}/grades",
    response={200: ScaleOut, **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="評価の段階を保存する（評価はすべて計算し直される）",
)
def set_grade_scale(request: HttpRequest, plan_id: Id, payload: ScaleIn) -> Status[dict[str, Any]]:
    _administer(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    return _step(
        lambda: actions.do_set_grade_scale(
            plan, "\n".join(payload.bands), payload.no_target, payload.no_value, by=_account(request)
        ),
        lambda saved: _scale_out(saved.scale),
    )
