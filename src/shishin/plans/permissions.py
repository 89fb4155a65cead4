"""Who may do what in the yearly collection. Views and the API ask here; nothing else decides.

- administrator (the compiling division; also Django superusers): everything
- department editor: reads and edits the records of their own departments while the year is open
- reviewer (council members, managers): reads everything, drafts included, and comments
- everyone else: published years only
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account

from .models import Membership, Record

User = Account | AnonymousUser


def role_of(user: User) -> str | None:
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Membership.Role.ADMINISTRATOR
    membership = Membership.objects.filter(user=user).only("role").first()
    return membership.role if membership else None


def is_administrator(user: User) -> bool:
    return role_of(user) == Membership.Role.ADMINISTRATOR


def is_staff_member(user: User) -> bool:
    """Anyone with a role: they may sign in to the staff pages."""
    return role_of(user) is not None


def can_read_all_drafts(user: User) -> bool:
    return role_of(user) in (Membership.Role.ADMINISTRATOR, Membership.Role.REVIEWER)


def department_ids(user: User) -> set[int]:
    """The departments an editor writes for (none for other roles)."""
    if role_of(user) != Membership.Role.EDITOR:
        return set()
    assert isinstance(user, Account)
    found = Membership.objects.filter(user=user).values_list("departments", flat=True)
    return {pk for pk in found if pk is not None}


def can_read_record(user: User, record: Record) -> bool:
    if record.fiscal_year.published:
        return True
    if can_read_all_drafts(user):
        return True
    return record.department_id in department_ids(user)


def can_edit_record(user: User, record: Record) -> bool:
    if not record.fiscal_year.editable:
        return False
    if is_administrator(user):
        return True
    return record.department_id in department_ids(user) and record.state not in (
        Record.State.SUBMITTED,
        Record.State.APPROVED,
    )


def can_comment(user: User, record: Record) -> bool:
    return can_read_all_drafts(user) or record.department_id in department_ids(user)


class AdministratorBackend(BaseBackend):
    """Give administrators every model permission, so the Django admin is theirs without per-model grants."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active) and is_administrator(user_obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active) and is_administrator(user_obj)
