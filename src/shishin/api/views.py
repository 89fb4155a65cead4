"""The JSON API (django-ninja): public reads of published data, and department editors' own records.

The OpenAPI schema is served at /api/openapi.json.
Signed-in calls use the session (sign in on the site; writes send its CSRF token) or an API key
(``Authorization: Bearer …``, made on /staff/tokens/ or with POST /api/tokens), with the same
actions, permissions, errors and optimistic locking as the pages.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from pydantic import model_serializer

from shishin.lib import quantities
from shishin.lib.tables import json_number
from shishin.plans import actions, editions, search, wording
from shishin.plans.actions import ActionError
from shishin.plans.models import (
    MAX_ITEM_CHARACTERS,
    MAX_ITEMS_PER_RECORD,
    ApiToken,
    Edition,
    FiscalYear,
    Indicator,
    Measure,
    Plan,
    Record,
    Unit,
)
from shishin.plans.permissions import Right, access
from shishin.report import evaluation as evaluation_formats
from shishin.report.formats import FORMATS
from shishin.report.records import Item as PlainItem
from shishin.review import numbers

T = TypeVar("T")

api = NinjaAPI(
    title="Shishin API",
    version="1",
    description="指針・年度・施策・取組み・指標の公開データと、担当課による取組みの入力。",
    urls_namespace="api",
    # The interactive docs load their scripts from a CDN, which the CSP (and an offline network) forbids.
    docs_url=None,
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """A 404 in Japanese, as every other error: what was asked for is not there (or not public)."""
    said = (
        str(exc)
        if exc.args and not str(exc).startswith("No ")
        else "見つかりません（番号が違うか、公開されていません）"
    )
    return api.create_response(request, {"detail": said}, status=404)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``: a script acting as the owner of an API key (`do_make_token`)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token)).first()
        if found is None or not found.user.is_active:
            return None
        request.user = found.user
        return found.user


# Scripts with a key, or a browser signed in on the site (with its CSRF token for writes).
session = [TokenAuth(), SessionAuth()]
# Bounds keep what a database can hold: a 33-digit id is not found, not an overflow; and text
# has no NUL, which PostgreSQL cannot store (a NUL is a 422 like any other invalid input).
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
Year = Annotated[int, Path(ge=1868, le=9999)]


class PlanOut(Schema):
    id: int
    name: str
    municipality: str
    municipality_code: str | None


class YearOut(Schema):
    year: int
    label: str
    status: str


class MeasureOut(Schema):
    id: int
    title: str
    description: str
    pillar: int
    area: int | None
    whole_government: bool


class ItemOut(Schema):
    text: str
    bullet: bool


class RecordOut(Schema):
    id: int
    fiscal_year: int
    measure_id: int
    measure: str
    department: str
    state: str
    version: int
    items: list[ItemOut]
    no_activity: bool
    self_grade: str  # 自己評価: a grade of the plan's scale, or "" before it is written
    issues: str  # 課題
    outlook: (
        str  # 今後の方向性: expand 拡充, continue 継続, improve 改善, reduce 縮小, abolish 廃止, complete 完了; or ""
    )


class _RangeOut(Schema):
    """A quantity's fields; ``value_max``, a range's upper bound (「20～30名」), only for a range."""

    value_max: int | float | None = Field(None, description="範囲（20～30名）の上限。範囲でなければ省略")

    @model_serializer(mode="wrap")
    def _without_empty_range(self, write: Any) -> dict[str, Any]:
        written: dict[str, Any] = write(self)
        if written.get("value_max") is None:
            written.pop("value_max", None)
        return written


class IndicatorOut(_RangeOut):
    fiscal_year: int
    measure: str
    department: str
    item: str
    label: str
    value: int | float  # whole values as integers (15, not 15.0), as every JSON output writes them
    unit: str
    qualifier: str
    approximate: bool


class NumberOut(_RangeOut):
    """A number read from a record's text, as the staff corrected it."""

    id: int
    item: int  # the item's place in the record, from 1
    label: str
    read_label: str
    value: int | float  # as IndicatorOut.value
    unit: str
    qualifier: str
    approximate: bool
    hidden: bool
    same_as: str


class YearNumberOut(NumberOut):
    """A number of a year's record, beside last year's number of the same indicator."""

    record: int
    measure: str
    department: str
    last_year_value: int | float | None  # last year's number it pairs with; null when none
    unpaired: bool  # last year's record had numbers, and none is this one (its label may differ)


class NumberFix(Schema):
    """What to say of a number (any field left out keeps what is said of it now)."""

    label: Text | None = Field(None, max_length=200, description="項目名（読み取ったままに戻すときは read_label）")
    hidden: bool | None = Field(None, description="指標ではない（公開のグラフ・比較・オープンデータから外す）")
    same_as: Text | None = Field(
        None, max_length=200, description="他の年度でのこの指標の項目名（比較で対応づける）。空で取消し"
    )


class ItemIn(Schema):
    text: Annotated[Text, Field(max_length=MAX_ITEM_CHARACTERS)]
    bullet: bool = True


class RecordIn(Schema):
    version: int
    items: Annotated[list[ItemIn], Field(max_length=MAX_ITEMS_PER_RECORD)]
    # 今年度は実績なし: the department did nothing this year (items must then be empty).
    no_activity: bool = False

    # The schema says it too, so that a client (and a schema-driven test) knows before asking.
    model_config = {
        "json_schema_extra": {
            "if": {"properties": {"no_activity": {"const": True}}, "required": ["no_activity"]},
            "then": {"properties": {"items": {"maxItems": 0}}},
        }
    }


class VersionIn(Schema):
    version: int


# What one call of the number reader may send (a record's text is rarely a tenth of it), and how often
# one address may call it without signing in (staff editing a record call it as they type, often from
# one office address, and are not counted): the reader is linear (benchmarks/run.py extract), about
# 80 ms for the longest text; documented in the README.
MAX_EXTRACT_CHARACTERS = 10_000
EXTRACT_CALLS_PER_MINUTE = 60


class ExtractIn(Schema):
    text: Annotated[Text, Field(max_length=MAX_EXTRACT_CHARACTERS)]
    fiscal_year: Annotated[int, Field(ge=1868, le=9998)] | None = None


class QuantityOut(_RangeOut):
    label: str
    value: int | float  # as IndicatorOut.value
    unit: str
    qualifier: str
    approximate: bool


class DateOut(Schema):
    text: str
    precision: str
    start: str | None
    end: str | None


class ExtractOut(Schema):
    indicators: list[QuantityOut]
    dates: list[DateOut]


class SearchItemOut(Schema):
    department: str
    text: str
    highlighted: str


class SearchGroupOut(Schema):
    plan_id: int
    measure_id: int
    measure: str
    fiscal_year: int
    items: list[SearchItemOut]


class SearchOut(Schema):
    query: str
    groups: list[SearchGroupOut]
    measures: list[MeasureOut]


class Error(Schema):
    detail: str


class Invalid(Schema):
    detail: list[dict[str, Any]]


# What any endpoint may answer besides success: no such object, or a malformed request.
NOT_FOUND = {404: Error, 422: Invalid}
SIGNED_IN = {400: Error, 401: Error, 403: Error, 404: Error, 422: Invalid}


class ConflictOut(Schema):
    detail: str
    current: RecordOut


def _measure_out(measure: Measure) -> dict[str, Any]:
    return {
        "id": measure.pk,
        "title": measure.title,
        "description": measure.description,
        "pillar": measure.pillar.number,
        "area": measure.area.number if measure.area else None,
        "whole_government": measure.whole_government,
    }


def _record_out(record: Record) -> dict[str, Any]:
    return {
        "id": record.pk,
        "fiscal_year": record.fiscal_year.year,
        "measure_id": record.measure_id,
        "measure": record.measure.title,
        "department": record.department_name,
        "state": record.state,
        "version": record.version,
        "items": [{"text": i.text, "bullet": i.bullet} for i in record.items.all()],
        "no_activity": record.no_activity,
        "self_grade": record.self_grade,
        "issues": record.issues,
        "outlook": record.outlook,
    }


def _number_out(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "item": indicator.item.position + 1,
        "label": indicator.label,
        "read_label": indicator.read_label,
        **indicator.quantity.as_json(),
        "hidden": indicator.hidden,
        "same_as": indicator.same_as,
    }


def _published_year(plan_id: Id, year: Year) -> FiscalYear:
    return get_object_or_404(FiscalYear, plan_id=plan_id, year=year, status=FiscalYear.Status.PUBLISHED)


@api.get("/plans", response={200: list[PlanOut]}, tags=["公開"], summary="指針の一覧")
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": p.pk, "name": p.name, "municipality": str(p.municipality), "municipality_code": p.municipality.code}
        for p in Plan.objects.public().select_related("municipality").order_by("pk")
    ]


@api.get("/plans/{plan_id}/years", response={200: list[YearOut], **NOT_FOUND}, tags=["公開"], summary="公表済みの年度")
def list_years(request: HttpRequest, plan_id: Id) -> list[dict[str, Any]]:
    get_object_or_404(Plan.objects.public(), pk=plan_id)  # a plan being prepared is not public
    years = FiscalYear.objects.filter(plan_id=plan_id, status=FiscalYear.Status.PUBLISHED).order_by("year")
    return [{"year": y.year, "label": y.label, "status": y.status} for y in years]


class EditionFileOut(Schema):
    format: str
    url: str
    # None until the file is written: an imported report's formats other than text are written
    # from its text when first downloaded.
    sha256: str | None
    size: int | None


class CorrectionOut(Schema):
    measure: str
    field: str
    department: str
    year: int | None
    before: str
    after: str


class EditionOut(Schema):
    number: int
    label: str
    published_at: datetime.datetime
    source: str
    override_reason: str
    page: str
    files: list[EditionFileOut]
    # The evaluation the edition froze, in each of its formats; empty for an edition without one.
    evaluation: list[EditionFileOut]
    corrections: list[CorrectionOut]


def _edition_file(plan_id: int, year: int, number: int, format: str, files: Any) -> dict[str, Any]:
    evaluated = format.startswith(editions.EVALUATION_PREFIX)
    written = next((f for f in files if f.format == format), None)
    name = editions.evaluation_format_name(format)
    return {
        "format": name,
        "url": reverse(
            "web:edition-evaluation-download" if evaluated else "web:edition-download",
            args=[plan_id, year, number, name],
        ),
        "sha256": written.sha256 if written else None,
        "size": written.size if written else None,
    }


@api.get(
    "/plans/{plan_id}/years/{year}/editions",
    response={200: list[EditionOut], **NOT_FOUND},
    tags=["公開"],
    summary="年度の公表版（新しい順）と、そのファイルの SHA-256・正誤表",
)
def list_editions(request: HttpRequest, plan_id: Id, year: Year) -> list[dict[str, Any]]:
    found = Edition.objects.filter(fiscal_year__plan_id=plan_id, fiscal_year__year=year)
    found = found.order_by("-number").select_related("fiscal_year").prefetch_related("files")
    if not found:
        raise HttpError(404, "この年度の報告書は公表されていません")
    # An imported edition's formats other than its text are written when first asked for: now, so that
    # every file is listed with its SHA-256 (each is written once, whoever asks first).
    missing = [(e, format) for e in found for format in _formats(e) - {file.format for file in e.files.all()}]
    for edition, format in missing:
        actions.do_write_edition_file(edition, format)
    if missing:
        found = found.all()  # read again, with the files just written
    return [edition_out(edition) for edition in found]


_EVALUATION_FORMATS = [editions.EVALUATION_PREFIX + name for name in evaluation_formats.FORMATS]


def _evaluated(edition: Edition) -> bool:
    return any(file.format == editions.EVALUATION for file in edition.files.all())


def _formats(edition: Edition) -> set[str]:
    """The formats an edition has: the report's, and its evaluation's when it froze one."""
    return set(FORMATS) | (set(_EVALUATION_FORMATS) if _evaluated(edition) else set())


def edition_out(edition: Edition) -> dict[str, Any]:
    plan_id, year = edition.fiscal_year.plan_id, edition.fiscal_year.year
    return {
        "number": edition.number,
        "label": edition.label,
        "published_at": edition.published_at,
        "source": edition.source,
        "override_reason": edition.override_reason,
        "page": reverse("web:edition", args=[plan_id, year, edition.number]),
        "files": [_edition_file(plan_id, year, edition.number, format, edition.files.all()) for format in FORMATS],
        "evaluation": [
            _edition_file(plan_id, year, edition.number, format, edition.files.all())
            for format in (_EVALUATION_FORMATS if _evaluated(edition) else [])
        ],
        "corrections": edition.corrections,
    }


@api.get(
    "/plans/{plan_id}/measures", response={200: list[MeasureOut], **NOT_FOUND}, tags=["公開"], summary="施策の一覧"
)
def list_measures(request: HttpRequest, plan_id: Id) -> list[dict[str, Any]]:
    get_object_or_404(Plan.objects.public(), pk=plan_id)  # a plan being prepared is not public
    measures = Measure.objects.public().filter(plan_id=plan_id).select_related("pillar", "area").order_by("position")
    return [_measure_out(m) for m in wording.as_published(measures)]


@api.get(
    "/plans/{plan_id}/years/{year}/records",
    response={200: list[RecordOut], **NOT_FOUND},
    tags=["公開"],
    summary="年度の取組み（公表済みの年度は誰にでも。照会中の年度は管理者・閲覧者にすべて、担当課にはその課の分）",
)
def list_records(request: HttpRequest, plan_id: Id, year: Year) -> list[dict[str, Any]]:
    # Public, so no key is required; one that is sent says who asks (the session says it otherwise).
    TokenAuth()(request)
    fiscal_year = get_object_or_404(FiscalYear, plan_id=plan_id, year=year)
    records = fiscal_year.records.select_related("fiscal_year", "measure", "department")
    if not fiscal_year.published:
        person = access(request)
        if not person.can_read_all_drafts:
            if not person.department_ids:
                raise HttpError(404, "この年度は公表されていません")
            records = records.filter(department_id__in=person.department_ids)
    records = records.order_by("measure__position", "position").prefetch_related("items")
    return [_record_out(r) for r in wording.of_records(records)]


@api.get(
    "/plans/{plan_id}/years/{year}/indicators",
    response={200: list[IndicatorOut], **NOT_FOUND},
    tags=["公開"],
    summary="公表済みの指標",
)
def list_indicators(request: HttpRequest, plan_id: Id, year: Year) -> list[dict[str, Any]]:
    fiscal_year = _published_year(plan_id, year)
    indicators = (
        Indicator.objects.filter(item__record__fiscal_year=fiscal_year, hidden=False)
        .select_related("item__record__measure", "item__record__department")
        .order_by("item__record__measure__position", "item__record__position", "item__position", "position")
    )
    wording.of_records(i.item.record for i in indicators)
    return [
        {
            "fiscal_year": year,
            "measure": i.item.record.measure.title,
            "department": i.item.record.department_name,
            "item": i.item.text,
            **i.quantity.as_json(),
        }
        for i in indicators
    ]


@api.post(
    "/extract",
    response={200: ExtractOut, 400: Error, 422: Invalid, 429: Error},  # 400: a body that is not JSON
    tags=["公開"],
    summary="本文から数値と日付を読み取る",
    description=(
        f"本文は{MAX_EXTRACT_CHARACTERS:,}文字まで。サインインしていない利用者は、同じ送信元から1分間に"
        f"{EXTRACT_CALLS_PER_MINUTE}回まで（超えると429）。"
    ),
)
def extract(request: HttpRequest, payload: ExtractIn) -> dict[str, Any] | HttpResponse:
    anonymous = not request.user.is_authenticated
    if anonymous and not _within_rate(request, "extract", EXTRACT_CALLS_PER_MINUTE):
        refused = JsonResponse({"detail": "読み取りの回数が多すぎます。1分ほど待ってから送ってください"}, status=429)
        refused["Retry-After"] = "60"
        return refused
    found = quantities.extract(payload.text, Unit.mapping(), fiscal_year=payload.fiscal_year)
    return {"indicators": [q.as_json() for q in found.quantities], "dates": [d.as_json() for d in found.dates]}


@api.get(
    "/my/records",
    response={200: list[RecordOut], **SIGNED_IN},
    auth=session,
    tags=["担当課"],
    summary="自分の担当の取組み",
)
def my_records(request: HttpRequest) -> list[dict[str, Any]]:
    records = (
        Record.objects.filter(
            department__in=access(request).department_ids, fiscal_year__status=FiscalYear.Status.COLLECTING
        )
        .select_related("fiscal_year", "measure", "department")
        .prefetch_related("items")
        .order_by("fiscal_year__year", "measure__position")
    )
    return [_record_out(r) for r in wording.of_records(records)]


def _record(request: HttpRequest, record_id: Id) -> Record:
    found = get_object_or_404(Record.objects.select_related("fiscal_year", "measure", "department"), pk=record_id)
    if not access(request).can_read_record(found):
        raise HttpError(403, "この取組みを見る権限がありません")
    return wording.of_records([found])[0]


@api.get(
    "/records/{record_id}", response={200: RecordOut, **SIGNED_IN}, auth=session, tags=["担当課"], summary="取組み"
)
def get_record(request: HttpRequest, record_id: Id) -> dict[str, Any]:
    return _record_out(_record(request, record_id))


@api.put(
    "/records/{record_id}",
    response={200: RecordOut, 409: ConflictOut, **SIGNED_IN},
    auth=session,
    tags=["担当課"],
    summary="取組みの項目を保存（version が最新でなければ 409）",
)
def put_record(request: HttpRequest, record_id: Id, payload: RecordIn) -> Status[dict[str, Any]]:
    found = _editable(request, record_id, "この取組みを変更する権限がありません")
    items = [PlainItem(i.text, i.bullet) for i in payload.items]
    return _step(
        lambda: actions.do_save_record(
            found, items, version=payload.version, by=_account(request), no_activity=payload.no_activity
        )
    )


class AssessmentIn(Schema):
    version: int
    self_grade: Annotated[Text, Field(max_length=10)] = ""  # a grade of the plan's scale (GET /plans/P/grades)
    issues: Text = ""  # 課題
    outlook: Literal["", "expand", "continue", "improve", "reduce", "abolish", "complete"] = ""


@api.put(
    "/records/{record_id}/assessment",
    response={200: RecordOut, 409: ConflictOut, **SIGNED_IN},
    auth=session,
    tags=["担当課"],
    summary="取組みの自己評価・課題・今後の方向性を保存（version が最新でなければ 409）",
)
def put_assessment(request: HttpRequest, record_id: Id, payload: AssessmentIn) -> Status[dict[str, Any]]:
    found = _editable(request, record_id, "この取組みを変更する権限がありません")
    assessed = actions.Assessment(payload.self_grade, payload.issues, payload.outlook)
    return _step(lambda: actions.do_save_assessment(found, assessed, version=payload.version, by=_account(request)))


@api.get(
    "/records/{record_id}/indicators",
    response={200: list[NumberOut], **SIGNED_IN},
    auth=session,
    tags=["担当課"],
    summary="取組みの本文から読み取った数値（訂正したものを含む）",
)
def record_numbers(request: HttpRequest, record_id: Id) -> list[dict[str, Any]]:
    found = _record(request, record_id)
    numbers = Indicator.objects.filter(item__record=found).select_related("item").order_by("item__position", "position")
    return [_number_out(indicator) for indicator in numbers]


@api.get(
    "/plans/{plan_id}/years/{year}/numbers",
    response={200: list[YearNumberOut], **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="年度のすべての取組みから読み取った数値と、対になる前年度の数値（管理者・協議会）",
)
def year_numbers(request: HttpRequest, plan_id: Id, year: Year) -> list[dict[str, Any]]:
    fiscal_year = get_object_or_404(FiscalYear.objects.select_related("plan"), plan_id=plan_id, year=year)
    if not access(request).can_read_all_drafts:
        raise HttpError(403, "年度のすべての数値を見る権限がありません")
    return [
        {
            **_number_out(number.indicator),
            "record": found.record.pk,
            "measure": found.record.measure.title,
            "department": found.record.department_name,
            "last_year_value": json_number(number.last_year.value) if number.last_year else None,
            "unpaired": number.unpaired,
        }
        for found in numbers.year_numbers(fiscal_year.plan, year)
        for number in found.numbers
    ]


@api.patch(
    "/indicators/{indicator_id}",
    response={200: NumberOut, **SIGNED_IN},
    auth=session,
    tags=["担当課"],
    summary="読み取った数値を訂正（項目名・指標ではない・他の年度の同じ指標）。照会中の年度で、取組みを編集できる人が",
)
def correct_number(request: HttpRequest, indicator_id: Id, payload: NumberFix) -> Status[dict[str, Any]]:
    indicator = get_object_or_404(Indicator.objects.select_related("item"), pk=indicator_id)
    _editable(request, indicator.item.record_id, "この数値を訂正する権限がありません")
    return _step(
        lambda: actions.do_correct_indicator(
            indicator,
            label=payload.label if payload.label is not None else indicator.label,
            hidden=payload.hidden if payload.hidden is not None else indicator.hidden,
            same_as=payload.same_as if payload.same_as is not None else indicator.same_as,
            by=_account(request),
        ),
        _number_out,
    )


@api.post(
    "/records/{record_id}/submit",
    response={200: RecordOut, 409: ConflictOut, **SIGNED_IN},
    auth=session,
    tags=["担当課"],
    summary="取組みを提出（version が最新でなければ 409）",
)
def submit_record(request: HttpRequest, record_id: Id, payload: VersionIn) -> Status[dict[str, Any]]:
    found = _editable(request, record_id, "この取組みを提出する権限がありません")
    return _step(lambda: actions.do_submit_record(found, version=payload.version, by=_account(request)))


@api.post(
    "/records/{record_id}/withdraw",
    response={200: RecordOut, 409: ConflictOut, **SIGNED_IN},
    auth=session,
    tags=["担当課"],
    summary="提出を取り下げる（承認されるまで。version が最新でなければ 409）",
)
def withdraw_record(request: HttpRequest, record_id: Id, payload: VersionIn) -> Status[dict[str, Any]]:
    found = _record(request, record_id)
    if not access(request).can_withdraw(found):
        raise HttpError(403, "この取組みの提出を取り下げる権限がありません")
    return _step(lambda: actions.do_withdraw_record(found, version=payload.version, by=_account(request)))


class ReturnIn(Schema):
    version: int
    comment: Text


def _administered(request: HttpRequest, record_id: int) -> Record:
    found = _record(request, record_id)
    if not access(request).may(Right.ADMINISTER):
        raise HttpError(403, "取組みを承認・差戻しできるのは管理者です")
    return found


@api.post(
    "/records/{record_id}/approve",
    response={200: RecordOut, 409: ConflictOut, **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="提出された取組みを承認（version が最新でなければ 409）",
)
def approve_record(request: HttpRequest, record_id: Id, payload: VersionIn) -> Status[dict[str, Any]]:
    found = _administered(request, record_id)
    return _step(lambda: actions.do_approve_record(found, version=payload.version, by=_account(request)))


@api.post(
    "/records/{record_id}/return",
    response={200: RecordOut, 409: ConflictOut, **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="取組みを理由を付けて差し戻す（version が最新でなければ 409）",
)
def return_record(request: HttpRequest, record_id: Id, payload: ReturnIn) -> Status[dict[str, Any]]:
    found = _administered(request, record_id)
    return _step(
        lambda: actions.do_return_record(found, reason=payload.comment, version=payload.version, by=_account(request))
    )


def _editable(request: HttpRequest, record_id: int, refusal: str) -> Record:
    found = _record(request, record_id)
    if not access(request).can_edit_record(found):
        raise HttpError(403, refusal)
    return found


def _within_rate(request: HttpRequest, what: str, per_minute: int) -> bool:
    """Count a call of ``what`` by this client (its address) in the current minute, in the cache every
    worker shares; False once it is past ``per_minute``."""
    key = f"rate:{what}:{request.META.get('REMOTE_ADDR', '')}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) <= per_minute
    except ValueError:  # expired between the two calls: a new minute
        return True


def _account(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _step(run: Callable[[], T], out: Callable[[T], dict[str, Any]] = _record_out) -> Status[dict[str, Any]]:  # type: ignore[assignment]
    """Take a step (an action): 200 with what it made or changed, written by ``out`` (a record by
    default); 409 with the current record if a record's version was stale; 400 with why it was refused."""
    try:
        return Status(200, out(run()))
    except actions.EditConflict as conflict:
        return Status(409, {"detail": str(conflict), "current": _record_out(conflict.record)})
    except ActionError as err:
        return Status(400, {"detail": str(err)})


@api.get("/search", response={200: SearchOut, 422: Invalid}, tags=["公開"], summary="公表済みの取組みを検索")
def search_published(
    request: HttpRequest,
    q: Annotated[str, Query(min_length=1, max_length=200, pattern=r"^[^\x00]*$")],
    year: Annotated[int | None, Query(ge=1868, le=9999)] = None,
    department: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> dict[str, Any]:
    groups, measures = search.search(q, year=year, department_id=department)
    return {
        "query": q,
        "groups": [
            {
                "plan_id": g.measure.plan_id,
                "measure_id": g.measure.pk,
                "measure": g.measure.title,
                "fiscal_year": g.year,
                "items": [
                    {
                        "department": hit.department,
                        "text": hit.text,
                        "highlighted": "".join(
                            f"<mark>{escape(piece)}</mark>" if matched else escape(piece)
                            for piece, matched in hit.parts
                        ),
                    }
                    for hit in g.hits
                ],
            }
            for g in groups
        ],
        "measures": [_measure_out(m) for m in measures],
    }
