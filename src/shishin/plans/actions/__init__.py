"""Every write to plans and records is a ``do_*`` action here: one transaction, and the person who
acted named in every history row it writes (`base.action`).

- `importing`: a published report into a plan (municipality, plan, structure, records, layout)
- `loading`: many reports of a new plan at once, a table at a time (same outcome as importing)
- `collection`: the yearly collection — open a year, save, submit, withdraw, return, approve, comment,
  publish, reopen, remind
- `editions`: a published report frozen as files; corrections as the next edition
- `structure`: add, rename and retire measures; rename and merge departments
- `facts`: the quantities and dates read from the text, and the unit list
- `people`: roles and the departments editors write for; API keys
- `backup`: restoring a dump into an empty database
"""

from __future__ import annotations

from .backup import do_restore
from .base import ActionError
from .collection import (
    EDITABLE_BY_EDITORS,
    EditConflict,
    PublishRefused,
    Reminder,
    do_approve_record,
    do_comment,
    do_open_fiscal_year,
    do_publish_year,
    do_reopen_year,
    do_return_record,
    do_save_record,
    do_send_reminders,
    do_submit_record,
    do_withdraw_record,
)
from .editions import do_make_edition, do_write_edition_file
from .facts import do_correct_indicator, do_delete_unit, do_recompute_indicators, do_save_unit
from .importing import ImportConflict, ImportResult, PlanKey, do_import_document, municipality_for, plan_key, plan_of
from .loading import agree, do_load_new_plan
from .people import do_grant_role, do_make_token, do_revoke_token
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
    "EditConflict",
    "ImportConflict",
    "ImportResult",
    "PlanKey",
    "PublishRefused",
    "Reminder",
    "agree",
    "do_add_measure",
    "do_approve_record",
    "do_comment",
    "do_correct_indicator",
    "do_delete_unit",
    "do_grant_role",
    "do_import_document",
    "do_load_new_plan",
    "do_make_edition",
    "do_make_token",
    "do_merge_departments",
    "do_open_fiscal_year",
    "do_publish_year",
    "do_recompute_indicators",
    "do_rename_department",
    "do_rename_measure",
    "do_reopen_year",
    "do_restore",
    "do_retire_measure",
    "do_return_record",
    "do_revoke_token",
    "do_save_record",
    "do_save_unit",
    "do_send_reminders",
    "do_submit_record",
    "do_withdraw_record",
    "do_write_edition_file",
    "municipality_for",
    "plan_key",
    "plan_of",
]
