"""Who may do what in the yearly collection. Views and the API ask here; nothing else decides.

What each role may do is written once, in `RIGHTS`; adding a role is adding a line there (and
its choice in `Membership.Role`):

- administrator (the compiling division; also Django superusers): everything
- department editor: reads and edits the records of their own departments while the year is open
- reviewer (council members, managers): reads everything, drafts included, and comments
- everyone else: published years only

A person's access is read once per request (`access`): one query, however many questions follow.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.http import HttpRequest

from .models import Membership, Record

User = Account | AnonymousUser


class Right(enum.Enum):
    ADMINISTER = "administer"  # open, review, publish and reopen years; change the structure; the admin site
    READ_DRAFTS = "read_drafts"  # read every record of an open year
    COMMENT = "comment"  # comment on any record it may read
    EDIT_ANY = "edit_any"  # edit any record of an open year, whatever its state
    EDIT_OWN = "edit_own"  # edit the records of one's own departments until they are submitted
    ASSESS = "assess"  # write the council's assessment of each measure (協議会の評価) until it is approved


RIGHTS: dict[str, frozenset[Right]] = {
    Membership.Role.ADMINISTRATOR: frozenset(Right),
    Membership.Role.EDITOR: frozenset({Right.EDIT_OWN}),
    Membership.Role.REVIEWER: frozenset({Right.READ_DRAFTS, Right.COMMENT, Right.ASSESS}),
}
_LOCKED_FOR_EDITORS = (Record.State.SUBMITTED, Record.State.APPROVED)


@dataclass(frozen=True)
class Access:
    """What one person may do: their role, and for editors the departments they write for."""

    role: str | None
    department_ids: frozenset[int]

    @classmethod
    def of(cls, user: User) -> Access:
        if not user.is_authenticated:
            return cls(None, frozenset())
        rows = list(Membership.objects.filter(user=user).values_list("role", "departments"))
        role = rows[0][0] if rows else None
        if getattr(user, "is_superuser", False):
            role = Membership.Role.ADMINISTRATOR
        departments = (
            frozenset(pk for _, pk in rows if pk is not None) if role == Membership.Role.EDITOR else frozenset()
        )
        return cls(role, departments)

    def may(self, right: Right) -> bool:
        return self.role is not None and right in RIGHTS.get(self.role, frozenset())

    @property
    def is_staff_member(self) -> bool:
        """Anyone with a role: they may sign in to the staff pages."""
        return self.role is not None

    @property
    def is_administrator(self) -> bool:
        return self.may(Right.ADMINISTER)

    @property
    def can_read_all_drafts(self) -> bool:
        return self.may(Right.READ_DRAFTS)

    def writes_for(self, record: Record) -> bool:
        return record.department_id in self.department_ids

    def can_read_record(self, record: Record) -> bool:
        return record.fiscal_year.published or self.can_read_all_drafts or self.writes_for(record)

    def can_edit_record(self, record: Record) -> bool:
        if not record.fiscal_year.editable:
            return False
        if self.may(Right.EDIT_ANY):
            return True
        return self.may(Right.EDIT_OWN) and self.writes_for(record) and record.state not in _LOCKED_FOR_EDITORS

    def can_withdraw(self, record: Record) -> bool:
        """Who may take a submission back (the action allows it until the record is approved): its
        department's editors, and administrators."""
        return self.may(Right.EDIT_ANY) or (self.may(Right.EDIT_OWN) and self.writes_for(record))

    def can_comment(self, record: Record) -> bool:
        return self.may(Right.COMMENT) or self.writes_for(record)


def access(request: HttpRequest) -> Access:
    """The signed-in person's access, read on the first question of a request and kept for the rest."""
    found: Access | None = getattr(request, "_shishin_access", None)
    if found is None:
        found = Access.of(request.user)
        request._shishin_access = found  # type: ignore[attr-defined]
    return found


class AdministratorBackend(BaseBackend):
    """Give administrators every model permission, so the Django admin is theirs without per-model grants."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return self._administers(user_obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return self._administers(user_obj)

    def _administers(self, user_obj: Any) -> bool:
        # The admin asks for every model on every page: read the role once per user object.
        found: Access | None = getattr(user_obj, "_shishin_access", None)
        if found is None:
            found = user_obj._shishin_access = Access.of(user_obj)
        return bool(user_obj.is_active) and found.is_administrator
