"""The administrator's year through the API: open it, change its structure, publish, reopen; and
the API keys people make for their scripts. The same actions, permissions and errors as the pages."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.errors import HttpError

from shishin.plans import actions, wording
from shishin.plans.models import ApiToken, Area, FiscalYear, Measure, Pillar, Plan
from shishin.plans.permissions import Right, access

from .views import (
    SIGNED_IN,
    EditionOut,
    Error,
    Id,
    MeasureOut,
    Text,
    Year,
    YearOut,
    _account,
    _measure_out,
    _step,
    api,
    edition_out,
    session,
)

# On `api` itself, not a router of its own: a path such as /plans/{plan_id}/years answers GET there too.
post = functools.partial(api.post, auth=session, tags=["管理者"])
patch = functools.partial(api.patch, auth=session, tags=["管理者"])


class OpenYearIn(Schema):
    year: int
    deadline: datetime.date | None = None


class PublishIn(Schema):
    # Why the year is published although the review found errors (kept with the edition).
    override_reason: Text | None = None


class FindingOut(Schema):
    """A review finding, as `shishin check --format json` writes it."""

    code: str
    severity: str
    title: str
    message: str
    fiscal_year: int
    measure: str
    measure_id: int | None
    department: str
    item: str
    item_id: int | None


class RefusedOut(Schema):
    detail: str
    findings: list[FindingOut]


class ReasonIn(Schema):
    reason: Text


class MeasureIn(Schema):
    title: Text
    description: Text = ""
    pillar: int  # its number (1, 2…)
    area: int | None = None  # its number within the pillar, or none for a measure directly under it
    departments: list[Text] = []


class MeasurePatch(Schema):
    title: Text | None = None
    description: Text | None = None
    retire: bool = False  # end the measure before this year


class TokenIn(Schema):
    name: Text


class TokenOut(Schema):
    id: int
    name: str
    created_at: datetime.datetime


class NewTokenOut(TokenOut):
    key: str  # shown this once: only its SHA-256 is kept


def _administer(request: HttpRequest) -> None:
    if not access(request).may(Right.ADMINISTER):
        raise HttpError(403, "この操作は管理者だけができます")


def _year(plan_id: int, year: int) -> FiscalYear:
    return get_object_or_404(FiscalYear.objects.select_related("plan"), plan_id=plan_id, year=year)


def _year_out(fiscal_year: FiscalYear) -> dict[str, Any]:
    return {"year": fiscal_year.year, "label": fiscal_year.label, "status": fiscal_year.status}


@post("/plans/{plan_id}/years", response={200: YearOut, **SIGNED_IN}, summary="次の年度を開始（施策・担当課を引継ぎ）")
def open_year(request: HttpRequest, plan_id: Id, payload: OpenYearIn) -> Status[dict[str, Any]]:
    _administer(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    return _step(
        lambda: actions.do_open_fiscal_year(plan, payload.year, deadline=payload.deadline, by=_account(request)),
        _year_out,
    )


@post(
    "/plans/{plan_id}/years/{year}/publish",
    response={200: EditionOut, 409: RefusedOut, **SIGNED_IN},
    summary="年度を公表して次の版を作る（点検のエラーがあれば override_reason が必要、なければ 409）",
)
def publish(request: HttpRequest, plan_id: Id, year: Year, payload: PublishIn) -> Status[dict[str, Any]]:
    _administer(request)
    fiscal_year = _year(plan_id, year)
    try:
        actions.do_publish_year(fiscal_year, override_reason=payload.override_reason or "", by=_account(request))
    except actions.PublishRefused as refused:
        return Status(409, {"detail": str(refused), "findings": [f.fields() for f in refused.findings]})
    except actions.ActionError as err:
        return Status(400, {"detail": str(err)})
    edition = fiscal_year.editions.select_related("fiscal_year").order_by("-number").first()
    assert edition is not None
    return Status(200, edition_out(edition))


@post(
    "/plans/{plan_id}/years/{year}/reopen",
    response={200: YearOut, **SIGNED_IN},
    summary="確定・公表した年度の照会を再開（理由が必要。公表中の版はそのまま）",
)
def reopen(request: HttpRequest, plan_id: Id, year: Year, payload: ReasonIn) -> Status[dict[str, Any]]:
    _administer(request)
    fiscal_year = _year(plan_id, year)
    return _step(lambda: actions.do_reopen_year(fiscal_year, reason=payload.reason, by=_account(request)), _year_out)


@post(
    "/plans/{plan_id}/years/{year}/measures",
    response={200: MeasureOut, **SIGNED_IN},
    summary="照会中の年度に施策を追加（担当課は名前で。ない名前は担当課になります）",
)
def add_measure(request: HttpRequest, plan_id: Id, year: Year, payload: MeasureIn) -> Status[dict[str, Any]]:
    _administer(request)
    fiscal_year = _year(plan_id, year)
    pillar = Pillar.objects.filter(plan_id=plan_id, number=payload.pillar).first()
    area = Area.objects.filter(pillar=pillar, number=payload.area).first() if payload.area is not None else None
    if pillar is None or (payload.area is not None and area is None):
        return Status(400, {"detail": "基本方針・施策の方向の番号が見つかりません"})
    return _step(
        lambda: actions.do_add_measure(
            fiscal_year,
            pillar=pillar,
            area=area,
            title=payload.title.strip(),
            description=payload.description.strip(),
            departments=payload.departments,
            by=_account(request),
        ),
        _measure_out,
    )


@patch(
    "/plans/{plan_id}/years/{year}/measures/{measure_id}",
    response={200: MeasureOut, **SIGNED_IN},
    summary="施策の名前・内容を変える、またはこの年度から終了する",
)
def change_measure(
    request: HttpRequest, plan_id: Id, year: Year, measure_id: Id, payload: MeasurePatch
) -> Status[dict[str, Any]]:
    _administer(request)
    fiscal_year = _year(plan_id, year)
    found = get_object_or_404(Measure.objects.select_related("pillar", "area"), plan_id=plan_id, pk=measure_id)
    measure = wording.in_year([found], fiscal_year)[0]

    def change() -> Measure:
        changed = measure
        if payload.title is not None or payload.description is not None:
            title = payload.title.strip() if payload.title is not None else measure.title
            description = payload.description.strip() if payload.description is not None else measure.description
            changed = actions.do_rename_measure(
                measure, fiscal_year, title=title, description=description, by=_account(request)
            )
        if payload.retire:
            actions.do_retire_measure(measure, fiscal_year, by=_account(request))
        return changed

    return _step(change, _measure_out)


@api.get(
    "/tokens",
    response={200: list[TokenOut], **SIGNED_IN},
    auth=session,
    tags=["API トークン"],
    summary="自分の API トークン",
)
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=_account(request)).order_by("created_at"))


@api.post(
    "/tokens",
    auth=session,
    tags=["API トークン"],
    response={200: NewTokenOut, **SIGNED_IN},
    summary="API トークンを作る（key はこのときだけ表示）",
)
def make_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    def made(token_and_key: tuple[ApiToken, str]) -> dict[str, Any]:
        token, key = token_and_key
        return {"id": token.pk, "name": token.name, "created_at": token.created_at, "key": key}

    return _step(lambda: actions.do_make_token(name=payload.name, by=_account(request)), made)


@api.delete(
    "/tokens/{token_id}",
    response={204: None, 404: Error, **SIGNED_IN},
    auth=session,
    tags=["API トークン"],
    summary="API トークンを取り消す",
)
def revoke_token(request: HttpRequest, token_id: Id) -> Status[None]:
    token = get_object_or_404(ApiToken, pk=token_id, user=_account(request))
    actions.do_revoke_token(token, by=_account(request))
    return Status(204, None)
