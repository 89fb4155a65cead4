"""People's accounts through the API, for administrators: the list, and an invitation by e-mail
(the same action, checks and mail as /staff/people/)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Schema, Status

from shishin.plans import actions
from shishin.plans.actions.people import account_state, role_of
from shishin.plans.models import Department, Membership

from .views import SIGNED_IN, Text, _account, api, session
from .years import _administer


class PersonIn(Schema):
    name: Text
    email: Text
    role: Text = Field(description="administrator・editor・reviewer（管理者・編集者・閲覧者とも書ける）")
    departments: list[int] = Field([], description="編集者が書く担当課の id（GET /api/plans/{plan_id}/departments）")


class DepartmentRef(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    name: str
    email: str
    username: str
    role: str | None = Field(description="administrator・editor・reviewer、役割がなければ null")
    departments: list[DepartmentRef]
    status: str = Field(description="invited（招待中：パスワード未設定）・active・inactive（無効）")


class PeopleRefusedOut(Schema):
    detail: str
    problems: list[str] = Field([], description="招待できない理由のすべて")


def _person_out(user: User) -> dict[str, Any]:
    membership: Membership | None = getattr(user, "membership", None)
    role = Membership.Role.ADMINISTRATOR if user.is_superuser else membership.role if membership else None
    departments = membership.departments.all() if membership else []
    return {
        "id": user.pk,
        "name": user.get_full_name(),
        "email": user.email,
        "username": user.username,
        "role": role,
        "departments": [{"id": d.pk, "name": d.name} for d in departments],
        "status": account_state(user),
    }


@api.get(
    "/people",
    response={200: list[PersonOut], **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="利用者（役割・担当課・招待中かどうか）",
)
def list_people(request: HttpRequest) -> list[dict[str, Any]]:
    _administer(request)
    users = User.objects.select_related("membership").prefetch_related("membership__departments").order_by("pk")
    return [_person_out(user) for user in users]


@api.post(
    "/people",
    response={**SIGNED_IN, 200: PersonOut, 400: PeopleRefusedOut},
    auth=session,
    tags=["管理者"],
    summary="利用者を招待する（パスワードを設定するリンクをメールで送る）",
)
def invite(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    _administer(request)
    departments = list(Department.objects.filter(pk__in=[pk for pk in payload.departments if 0 < pk < 2**31]))
    unknown = sorted(set(payload.departments) - {d.pk for d in departments})
    if unknown:
        problem = f"担当課（id {', '.join(map(str, unknown))}）が見つかりません"
        return Status(400, {"detail": problem, "problems": [problem]})
    try:
        user = actions.do_invite(
            name=payload.name,
            email=payload.email,
            role=role_of(payload.role) or payload.role,
            departments=departments,
            by=_account(request),
        )
    except actions.PeopleRefused as refused:
        return Status(400, {"detail": str(refused), "problems": refused.problems})
    return Status(200, _person_out(user))
