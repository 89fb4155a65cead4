"""People: their accounts (invited by e-mail one by one or from a CSV, deactivated, reactivated), their
roles in the yearly collection (who administers, who writes for which departments, who reviews), and
the API keys they make for their scripts.

An invited account has no usable password until its owner sets one through the link in the
invitation mail (Django's password-reset token: it lapses after settings.PASSWORD_RESET_TIMEOUT,
and once the password is set, since the token is made from the password's hash).
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from shishin.lib import wareki
from shishin.lib.people_csv import Row

from ..mail import absolute_url, queue_mail
from ..models import ApiToken, Department, Membership
from .base import ActionError, Person, action

Role = Membership.Role
MAX_NAME = 150  # User.first_name's length
MAX_EMAIL = 150  # the address is the username, which holds 150 characters
INVALID_INVITATION = (
    "この招待リンクは使えません。有効期限が過ぎたか、すでにパスワードの設定に使われています。"
    "パスワードを設定済みならサインインしてください。まだなら管理者に招待の再送を依頼してください"
)
# What a CSV or the API may write for each role: the short names, the labels and the codes.
_ROLE_WORDS = {
    "管理者": Role.ADMINISTRATOR,
    "編集者": Role.EDITOR,
    "閲覧者": Role.REVIEWER,
    **{role.label: role for role in Role},
    **{role.value: role for role in Role},
}
_ROLES = {unicodedata.normalize("NFKC", word).casefold(): role for word, role in _ROLE_WORDS.items()}


class PeopleRefused(ActionError):
    """Accounts that cannot be made as asked: every problem found (for a CSV, each with its line);
    nobody was registered."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)}件の問題があるため、登録していません。直してからもう一度お試しください")
        self.problems = problems


@dataclass(frozen=True)
class Invitee:
    """One person to invite, their values cleaned."""

    name: str
    email: str
    role: str
    departments: tuple[Department, ...]


def role_of(text: str) -> str | None:
    """The role a CSV or the API names (管理者, 編集者, 閲覧者, a label or a code), or None."""
    return _ROLES.get(unicodedata.normalize("NFKC", text).strip().casefold())


# An account's state, and what the pages call it.
ACCOUNT_STATES = {"invited": "招待中", "active": "有効", "inactive": "無効"}


def account_state(user: User) -> str:
    """``invited`` (no password of their own yet), ``active`` or ``inactive`` (deactivated)."""
    if not user.is_active:
        return "inactive"
    return "active" if user.has_usable_password() else "invited"


@action
def do_invite(*, name: str, email: str, role: str, departments: Sequence[Department], by: Person) -> User:
    """Make an account for ``email`` with a role (and an editor's departments), and mail it a link
    to set its password; `PeopleRefused` says everything wrong with what was asked."""
    email = _clean_email(email)
    problems = _problems(name, email, role, departments)
    if email and _taken([email]):
        problems.append(_already_registered(email))
    if problems:
        raise PeopleRefused(problems)
    return _invite(Invitee(name.strip(), email, role, tuple(departments)), by=by)


@action
def do_import_people(rows: Sequence[Row], *, by: Person) -> list[User]:
    """Invite everyone the rows of a CSV name, or nobody: `PeopleRefused` lists the problems of
    every line (a bad address, an unknown role or department, an address twice in the file or
    already registered)."""
    named = _departments_named({name for row in rows for name in row.departments})
    taken = _taken(_clean_email(row.email) for row in rows)
    first_line: dict[str, int] = {}
    problems: list[str] = []
    invitees: list[Invitee] = []
    for row in rows:
        found: list[Department] = []
        said: list[str] = []
        role = role_of(row.role)
        if not row.role:
            said.append("役割を書いてください（管理者・編集者・閲覧者のいずれか）")
        elif role is None:
            said.append(f"役割「{row.role}」は使えません（管理者・編集者・閲覧者のいずれか）")
        for department_name in row.departments:
            match named.get(department_name, []):
                case [department]:
                    found.append(department)
                case []:
                    said.append(f"担当課「{department_name}」が見つかりません")
                case many:
                    places = "・".join(str(d.municipality) for d in many)
                    said.append(f"担当課「{department_name}」は複数の自治体（{places}）にあり、どれか決められません")
        email = _clean_email(row.email)
        said += _problems(row.name, email, role, found)
        key = email.lower()
        if key and key in first_line:
            said.append(f"メールアドレス「{email}」は{first_line[key]}行目と重複しています")
        elif key in taken:
            said.append(_already_registered(email))
        first_line.setdefault(key, row.line)
        problems += [f"{row.line}行目: {problem}" for problem in said]
        if not said and role is not None:
            invitees.append(Invitee(row.name.strip(), email, role, tuple(found)))
    if problems:
        raise PeopleRefused(problems)
    return [_invite(invitee, by=by) for invitee in invitees]


@action
def do_resend_invitation(user: User, *, by: Person) -> None:
    """Mail the invitation again with a new link; the links sent before stop working."""
    if not user.is_active:
        raise ActionError("無効にした利用者には招待を送れません。先に有効に戻してください")
    if user.has_usable_password():
        raise ActionError(f"{_display_name(user)}さんはパスワードを設定済みです")
    user.set_unusable_password()  # a new unusable password: the tokens made from the old one lapse
    user.save(update_fields=["password"])
    membership = Membership.objects.filter(user=user).first()
    role = membership.role if membership else ""
    departments = list(membership.departments.all()) if membership else []
    _queue_invitation(user, role, departments, by=by)


@action
def do_accept_invitation(user: User, *, token: str, password: str) -> User:
    """Set the password of an invited account whose link (``token``) is still good; the link is
    then used up."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active or not default_token_generator.check_token(locked, token):
        raise ActionError(INVALID_INVITATION)
    locked.set_password(password)
    locked.save(update_fields=["password"])
    return locked


@action
def do_grant_role(user: User, role: str, *, departments: Sequence[Department] = (), by: Person) -> Membership:
    """Give ``user`` ``role`` (replacing any other), and for an editor the departments they write for."""
    if role not in Role.values:
        raise ActionError("役割を一覧から選んでください")
    if by is not None and by.pk == user.pk and role != Role.ADMINISTRATOR:
        raise ActionError("自分を管理者から外すことはできません。ほかの管理者に依頼してください")
    if problems := _role_problems(role, departments):
        raise ActionError(problems[0])
    membership, _ = Membership.objects.update_or_create(user=user, defaults={"role": role})
    membership.departments.set(departments)
    return membership


@action
def do_deactivate(user: User, *, by: Person) -> None:
    """Stop ``user`` signing in (they are signed out at once), their API keys and any invitation
    link working; their name stays on what they wrote."""
    if by is not None and by.pk == user.pk:
        raise ActionError("自分のアカウントは無効にできません")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


@action
def do_reactivate(user: User, *, by: Person) -> None:
    """Let ``user`` sign in again (with the password they had; an invitation not yet used works again
    until it lapses)."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])


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


def _invite(invitee: Invitee, *, by: Person) -> User:
    # The address is the username, in lower case: people type it at sign-in as they please.
    user = User(username=invitee.email.lower(), email=invitee.email, first_name=invitee.name)
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, role=invitee.role)
    membership.departments.set(invitee.departments)
    _queue_invitation(user, invitee.role, invitee.departments, by=by)
    return user


def _queue_invitation(user: User, role: str, departments: Sequence[Department], *, by: Person) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = absolute_url(reverse("staff:invitation", args=[uid, default_token_generator.make_token(user)]))
    until = timezone.localtime(timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT))
    what = Role(role).label if role else "役割なし"
    if departments:
        what += f"（{'・'.join(d.name for d in departments)}）"
    inviter = _display_name(by) if by is not None else "管理者"
    body = (
        f"{_display_name(user)} 様\n\n"
        "指針の取組み状況を照会・公表する Shishin に、あなたのアカウントを用意しました。\n\n"
        f"ユーザー名: {user.username}\n"
        f"役割: {what}\n\n"
        "次のリンクを開いて、パスワードを設定してください。"
        f"リンクは一度だけ、{wareki.format_date(until.date())} {until:%H:%M} まで使えます。\n"
        f"{link}\n\n"
        f"期限が過ぎたときは、{inviter}に招待の再送を依頼してください。\n"
        "このメールに心当たりがない場合は、破棄してください。\n"
    )
    queue_mail("invitation", [user.email], "【Shishin】アカウントのご案内（パスワードの設定）", body)


def _display_name(user: User) -> str:
    return user.get_full_name() or user.username


def _clean_email(email: str) -> str:
    # Full-width letters typed with a Japanese input method are the same address (ｔａｒｏ＠… = taro@…).
    return BaseUserManager.normalize_email(unicodedata.normalize("NFKC", email).strip())


def _problems(name: str, email: str, role: str | None, departments: Sequence[Department]) -> list[str]:
    """What is wrong with a person's name, address, role and departments (role None: already said)."""
    problems = []
    name = name.strip()
    if not name:
        problems.append("氏名を書いてください")
    elif len(name) > MAX_NAME:
        problems.append(f"氏名が長すぎます（{len(name)}文字）。{MAX_NAME}文字までです")
    elif any(unicodedata.category(c) == "Cc" for c in name):
        problems.append("氏名に制御文字が含まれています")
    if not email:
        problems.append("メールアドレスを書いてください")
    elif len(email) > MAX_EMAIL:
        problems.append(f"メールアドレスが長すぎます（{len(email)}文字）。{MAX_EMAIL}文字までです")
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"メールアドレス「{email}」の形式が正しくありません（例: taro@city.example.jp）")
    if role is not None:
        if role not in Role.values:
            problems.append("役割を一覧から選んでください")
        else:
            problems += _role_problems(role, departments)
    return problems


def _role_problems(role: str, departments: Sequence[Department]) -> list[str]:
    if role == Role.EDITOR and not departments:
        return ["担当課の編集者には、書く担当課を1つ以上指定してください"]
    if role != Role.EDITOR and departments:
        return [f"担当課を指定できるのは担当課の編集者だけです（{Role(role).label}には不要です）"]
    merged = [d for d in departments if d.merged_into_id is not None]
    return [f"担当課「{d.name}」は統合されてなくなりました（統合先: {d.merged_into}）" for d in merged]


def _departments_named(names: set[str]) -> dict[str, list[Department]]:
    """The departments of each name (one per municipality holding it)."""
    named: dict[str, list[Department]] = {}
    for department in Department.objects.filter(name__in=names).select_related("municipality", "merged_into"):
        named.setdefault(department.name, []).append(department)
    return named


def _taken(emails: Iterable[str]) -> set[str]:
    """Which of ``emails`` (lower case) an account already has, as its address or its username."""
    wanted = {email.lower() for email in emails if email}
    if not wanted:
        return set()
    found = User.objects.annotate(lower_username=Lower("username"), lower_email=Lower("email"))
    pairs = found.filter(Q(lower_username__in=wanted) | Q(lower_email__in=wanted))
    return wanted & {value for pair in pairs.values_list("lower_username", "lower_email") for value in pair}


def _already_registered(email: str) -> str:
    return f"メールアドレス「{email}」の利用者はすでに登録されています（無効にした利用者は一覧から有効に戻せます）"
