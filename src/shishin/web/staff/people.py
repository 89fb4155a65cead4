"""People's accounts, for administrators: the list, an invitation by e-mail, many from a CSV, a
person's role and departments, deactivating and reactivating; and the page an invitation's link
opens, where the invited person chooses a password."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shishin.lib import people_csv
from shishin.plans import actions
from shishin.plans.actions.people import ACCOUNT_STATES, INVALID_INVITATION, account_state
from shishin.plans.models import Department, Membership
from shishin.plans.permissions import Right

from ..forms import first_error
from . import account, refuse, staff_view, step

Role = Membership.Role
_ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}
_CHOOSE = "担当課を一覧から選んでください"


def _departments() -> QuerySet[Department]:
    """The departments an editor may write for: those still in use, in the organisation's order."""
    return Department.objects.filter(merged_into=None).select_related("municipality")


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={"required": "役割を選んでください", "invalid_choice": "役割を一覧から選んでください"},
    )
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.none(),
        required=False,
        error_messages={"invalid_choice": _CHOOSE, "invalid_pk_value": _CHOOSE, "invalid_list": _CHOOSE},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = _departments()  # type: ignore[attr-defined]

    def chosen_departments(self) -> list[Department]:
        """An editor's departments; other roles write for none, whatever boxes were left ticked."""
        if self.cleaned_data["role"] != Role.EDITOR:
            return []
        return list(self.cleaned_data["departments"])


class InviteForm(RoleForm):
    # Checked by the action, which the API calls too: one place says what a good name and address are.
    name = forms.CharField(required=False)
    email = forms.CharField(required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        error_messages={"required": "CSV ファイルを選んでください", "empty": "ファイルが空です"},
    )


@dataclass(frozen=True)
class Account:
    """A row of the list of accounts."""

    user: User
    role: str
    departments: list[Department]
    status: str


def _role_label(user: User, membership: Membership | None) -> str:
    if user.is_superuser:
        return "管理者（スーパーユーザー）"
    return membership.get_role_display() if membership else "なし"


def _membership(user: User) -> Membership | None:
    membership: Membership | None = getattr(user, "membership", None)  # None: no role
    return membership


def _accounts() -> list[Account]:
    """Everyone, administrators first, then editors, reviewers and those without a role; by address."""
    users = User.objects.select_related("membership").prefetch_related("membership__departments")
    found = []
    for user in users:
        membership = _membership(user)
        role = Role.ADMINISTRATOR if user.is_superuser else membership.role if membership else ""
        departments = list(membership.departments.all()) if membership else []
        row = Account(user, _role_label(user, membership), departments, ACCOUNT_STATES[account_state(user)])
        found.append((_ROLE_ORDER.get(role, len(_ROLE_ORDER)), user.username, row))
    return [row for _, _, row in sorted(found, key=lambda f: f[:2])]


def _choices() -> list[Department]:
    departments = list(_departments())
    if len({d.municipality_id for d in departments}) > 1:
        for department in departments:
            department.label = f"{department.name}（{department.municipality}）"  # type: ignore[attr-defined]
    return departments


def _page(
    request: HttpRequest,
    *,
    invite: InviteForm | None = None,
    invite_problems: Sequence[str] = (),
    import_problems: Sequence[str] = (),
    status: int = 200,
) -> HttpResponse:
    form = invite or InviteForm()
    context = {
        "accounts": _accounts(),
        "departments": _choices(),
        "roles": Role.choices,
        "invite": {
            "name": form["name"].value() or "",
            "email": form["email"].value() or "",
            "role": form["role"].value() or "",
            "departments": {int(pk) for pk in form["departments"].value() or [] if str(pk).isdigit()},
        },
        "invite_problems": invite_problems,
        "import_problems": import_problems,
        "columns": people_csv.COLUMNS.values(),
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        "max_rows": people_csv.MAX_ROWS,
    }
    return render(request, "staff/people.html", context, status=status)


@staff_view(Right.ADMINISTER)
def people(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_view(Right.ADMINISTER, post=True)
def invite(request: HttpRequest) -> HttpResponse:
    """Invite one person; a refusal shows the page again with what was typed and every problem."""
    form = InviteForm(request.POST)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        return _page(request, invite=form, invite_problems=problems, status=400)
    try:
        user = actions.do_invite(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            departments=form.chosen_departments(),
            by=account(request),
        )
    except actions.PeopleRefused as err:
        return _page(request, invite=form, invite_problems=err.problems, status=400)
    messages.success(
        request, f"{user.get_full_name()}さん（{user.email}）を招待し、パスワードを設定するリンクをメールで送りました"
    )
    return redirect("staff:people")


@staff_view(Right.ADMINISTER, post=True)
def import_people(request: HttpRequest) -> HttpResponse:
    """Invite everyone a CSV names, or nobody: a refusal lists every line's problems."""
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, import_problems=[first_error(form)], status=400)
    try:
        # One byte past the limit is enough for the parser to refuse a larger file.
        rows = people_csv.parse(form.cleaned_data["file"].read(people_csv.MAX_BYTES + 1))
        invited = actions.do_import_people(rows, by=account(request))
    except people_csv.CsvError as err:
        return _page(request, import_problems=[str(err)], status=400)
    except actions.PeopleRefused as err:
        return _page(request, import_problems=[str(err), *err.problems], status=400)
    messages.success(request, f"{len(invited)}人を招待し、それぞれにパスワードを設定するリンクをメールで送りました")
    return redirect("staff:people")


@staff_view(Right.ADMINISTER)
def people_template(request: HttpRequest) -> HttpResponse:
    """The CSV to fill in: its header only, UTF-8 with a BOM so that Excel reads it as such."""
    response = HttpResponse(people_csv.render([]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename="利用者.csv") or ""
    return response


def _person_or_404(user_id: int) -> User:
    return get_object_or_404(User.objects.select_related("membership"), pk=user_id)


def _back(user: User) -> HttpResponse:
    return redirect("staff:person", user.pk)


@staff_view(Right.ADMINISTER)
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    """One person: their role and departments to change, their invitation to send again, deactivating."""
    user = _person_or_404(user_id)
    membership = _membership(user)
    context = {
        "person": user,
        "role": membership.role if membership else "",
        "role_label": _role_label(user, membership),
        "chosen": {d.pk for d in membership.departments.all()} if membership else set(),
        "status": ACCOUNT_STATES[account_state(user)],
        "departments": _choices(),
        "roles": Role.choices,
        "myself": user.pk == account(request).pk,
    }
    return render(request, "staff/people_person.html", context)


@staff_view(Right.ADMINISTER, post=True)
def change_role(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _person_or_404(user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return refuse(request, _back(user), first_error(form))

    def run() -> str:
        actions.do_grant_role(
            user, form.cleaned_data["role"], departments=form.chosen_departments(), by=account(request)
        )
        return "役割と担当課を変更しました"

    return step(request, _back(user), run)


@staff_view(Right.ADMINISTER, post=True)
def deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _person_or_404(user_id)

    def run() -> str:
        actions.do_deactivate(user, by=account(request))
        return f"{user.get_full_name() or user.username}さんのアカウントを無効にしました。サインインできません"

    return step(request, _back(user), run)


@staff_view(Right.ADMINISTER, post=True)
def reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _person_or_404(user_id)

    def run() -> str:
        actions.do_reactivate(user, by=account(request))
        return f"{user.get_full_name() or user.username}さんのアカウントを有効に戻しました"

    return step(request, _back(user), run)


@staff_view(Right.ADMINISTER, post=True)
def resend_invitation(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _person_or_404(user_id)

    def run() -> str:
        actions.do_resend_invitation(user, by=account(request))
        return f"{user.email} に招待メールを送り直しました。前に送ったリンクは使えなくなります"

    return step(request, _back(user), run)


# The invitation's link, opened by someone not signed in.

MIN_PASSWORD_LENGTH = 10
_PASSWORD_VALIDATORS = password_validation.get_password_validators(
    [
        {
            "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
            "OPTIONS": {"user_attributes": ("username", "first_name", "email")},
        },
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": MIN_PASSWORD_LENGTH},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]
)
# Django has no Japanese for these; each validator's refusal by its code.
_PASSWORD_PROBLEMS = {
    "password_too_similar": "ユーザー名・氏名・メールアドレスに似たパスワードは使えません",
    "password_too_short": f"パスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください",
    "password_too_common": "よく使われているパスワードのため使えません",
    "password_entirely_numeric": "数字だけのパスワードは使えません",
}


class PasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Django's form to set a password without the old one, in Japanese, with the validators above."""

    error_messages = {"password_mismatch": "確認のために入力したパスワードが一致しません"}

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        labels = {"new_password1": "新しいパスワード", "new_password2": "新しいパスワード（確認のためもう一度）"}
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].help_text = ""
            self.fields[name].error_messages["required"] = f"{label}を入力してください"

    def validate_password_for_user(self, user: Any, password_field_name: str = "password2") -> None:
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        try:
            password_validation.validate_password(password, user, password_validators=_PASSWORD_VALIDATORS)
        except ValidationError as error:
            problems = [_PASSWORD_PROBLEMS.get(e.code or "", "このパスワードは使えません") for e in error.error_list]
            self.add_error(password_field_name, problems)


# The token moves from the address to the session before the page shows (as Django's own password
# reset does): the address bar, the history and a Referer then hold no working link.
_TOKEN = "_shishin_invitation_token"
_SET_PASSWORD = "set-password"


def _invited(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, OverflowError):
        return None
    if not 0 < pk <= 2_147_483_647:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/invitation.html", {"refusal": INVALID_INVITATION}, status=400)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Choose a password with the invitation's link; signed in, then on to the staff pages."""
    user = _invited(uidb64)
    if token != _SET_PASSWORD:
        if user is None or not default_token_generator.check_token(user, token):
            return _refused(request)
        request.session[_TOKEN] = token
        return redirect("staff:invitation", uidb64, _SET_PASSWORD)
    token = request.session.get(_TOKEN, "")
    if user is None or not default_token_generator.check_token(user, token):
        return _refused(request)
    form = PasswordForm(user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user = actions.do_accept_invitation(user, token=token, password=form.cleaned_data["new_password1"])
        except actions.ActionError:
            return _refused(request)
        del request.session[_TOKEN]
        login(request, user, backend="shishin.web.signin.AddressBackend")
        messages.success(
            request, f"パスワードを設定しました。次からはユーザー名 {user.username} とこのパスワードでサインインします"
        )
        return redirect("staff:home")
    status = 400 if form.is_bound else 200
    context = {"form": form, "person": user, "min_length": MIN_PASSWORD_LENGTH}
    return render(request, "registration/invitation.html", context, status=status)
