"""Every write to plans and records is a ``do_*`` action here: one transaction, and the person who
acted named in every history row it writes (`base.action`).

- `importing`: a published report into a plan (municipality, plan, structure, records, layout)
- `loading`: many reports of a new plan at once, a table at a time (same outcome as importing)
- `collection`: the yearly collection — open a year, save, submit, withdraw, return, approve, comment,
  publish, reopen, remind
- `editions`: a published report frozen as files; corrections as the next edition
- `founding`: a plan from nothing — create it and its first year, its departments (order, reading,
  contact address), its structure by hand or from a workbook, and start the first collection
- `structure`: add, rename and retire measures; rename and merge departments
- `facts`: the quantities and dates read from the text, and the unit list
- `people`: accounts (invitations by e-mail, a CSV of many, deactivation), roles and the departments
  editors write for; API keys
- `backup`: restoring a dump into an empty database
- `evaluation`: the 進行管理 layer — a measure's indicators' targets (revised without losing the original),
  achievement and grades by the plan's scale, outcomes per calendar year (by hand or from police data)
"""

from __future__ import annotations

from .backup import do_restore
from .base import ActionError
from .collection import (
    EDITABLE_BY_EDITORS,
    Assessment,
    EditConflict,
    PublishRefused,
    do_approve_record,
    do_approve_submitted,
    do_comment,
    do_open_fiscal_year,
    do_publish_year,
    do_reopen_year,
    do_return_record,
    do_save_assessment,
    do_save_record,
    do_send_reminders,
    do_submit_record,
    do_withdraw_record,
)
from .editions import do_make_edition, do_write_edition_file
from .evaluation import (
    TargetIn,
    do_import_police_csv,
    do_set_grade_scale,
    do_set_outcome,
    do_set_target,
    do_set_targets,
)
from .facts import do_correct_indicator, do_delete_unit, do_recompute_indicators, do_save_unit
from .founding import (
    do_add_area,
    do_add_pillar,
    do_create_plan,
    do_load_structure,
    do_save_departments,
    do_start_collection,
)
from .importing import ImportConflict, ImportResult, PlanKey, do_import_document, municipality_for, plan_key, plan_of
from .loading import agree, do_load_new_plan
from .people import (
    PeopleRefused,
    do_accept_invitation,
    do_deactivate,
    do_grant_role,
    do_import_people,
    do_invite,
    do_make_token,
    do_reactivate,
    do_resend_invitation,
    do_revoke_token,
)
from .structure import (
    do_add_measure,
    do_merge_departments,
    do_rename_department,
    do_rename_measure,
    do_retire_measure,
)

__all__ = [
    "EDITABLE_BY_EDITORS",
    "ActionError",
    "Assessment",
    "EditConflict",
    "ImportConflict",
    "ImportResult",
    "PeopleRefused",
    "PlanKey",
    "PublishRefused",
    "TargetIn",
    "agree",
    "do_accept_invitation",
    "do_add_area",
    "do_add_measure",
    "do_add_pillar",
    "do_approve_record",
    "do_approve_submitted",
    "do_comment",
    "do_correct_indicator",
    "do_create_plan",
    "do_deactivate",
    "do_delete_unit",
    "do_grant_role",
    "do_import_document",
    "do_import_people",
    "do_import_police_csv",
    "do_invite",
    "do_load_new_plan",
    "do_load_structure",
    "do_make_edition",
    "do_make_token",
    "do_merge_departments",
    "do_open_fiscal_year",
    "do_publish_year",
    "do_reactivate",
    "do_recompute_indicators",
    "do_rename_department",
    "do_rename_measure",
    "do_reopen_year",
    "do_resend_invitation",
    "do_restore",
    "do_retire_measure",
    "do_return_record",
    "do_revoke_token",
    "do_save_assessment",
    "do_save_departments",
    "do_save_record",
    "do_save_unit",
    "do_send_reminders",
    "do_set_grade_scale",
    "do_set_outcome",
    "do_set_target",
    "do_set_targets",
    "do_start_collection",
    "do_submit_record",
    "do_withdraw_record",
    "do_write_edition_file",
    "municipality_for",
    "plan_key",
    "plan_of",
]
