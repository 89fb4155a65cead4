"""People's roles in the yearly collection: who administers, who writes for which departments, who reviews."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User

from ..models import Department, Membership
from .base import action


@action
def do_grant_role(user: User, role: str, *, departments: Sequence[Department] = (), by: User | None) -> Membership:
    """Give ``user`` ``role`` (replacing any other), and for an editor the departments they write for."""
    membership, _ = Membership.objects.update_or_create(user=user, defaults={"role": role})
    membership.departments.set(departments)
    return membership
