"""People's roles in the yearly collection (who administers, who writes for which departments, who
reviews), and the API keys they make for their scripts."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.contrib.auth.models import User

from ..models import ApiToken, Department, Membership
from .base import ActionError, action


@action
def do_grant_role(user: User, role: str, *, departments: Sequence[Department] = (), by: User | None) -> Membership:
    """Give ``user`` ``role`` (replacing any other), and for an editor the departments they write for."""
    membership, _ = Membership.objects.update_or_create(user=user, defaults={"role": role})
    membership.departments.set(departments)
    return membership


@action
def do_make_token(*, name: str, by: User) -> tuple[ApiToken, str]:
    """Make an API key for ``by``'s scripts; returns it with the key, which is not kept and not shown again."""
    if not name.strip():
        raise ActionError("トークンの用途を書いてください（例: 集計スクリプト）")
    key = "shishin_" + secrets.token_urlsafe(32)
    return ApiToken.objects.create(user=by, name=name.strip()[:100], digest=ApiToken.digest_of(key)), key


@action
def do_revoke_token(token: ApiToken, *, by: User) -> None:
    """Revoke one of ``by``'s own API keys: scripts using it are refused from now on."""
    if token.user_id != by.pk:
        raise ActionError("自分のトークンだけを取り消せます")
    token.delete()
