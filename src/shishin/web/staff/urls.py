from __future__ import annotations

from django.urls import path

from . import collection, founding, mail, manual, people, records, structure, targets, tokens, workbooks

YEAR = "plans/<id:plan_id>/years/<id:year>/"
RECORD = "records/<id:record_id>/"

app_name = "staff"
urlpatterns = [
    path("", collection.home, name="home"),
    path("plans/<id:plan_id>/open/", collection.open_year, name="open_year"),
    path("plans/new/", founding.new_plan, name="new_plan"),
    path("plans/create/", founding.create_plan, name="create_plan"),
    path("plans/<id:plan_id>/departments/", founding.departments, name="departments"),
    path("plans/<id:plan_id>/departments/save/", founding.save_departments, name="save_departments"),
    path(YEAR + "structure/pillars/", founding.add_pillar, name="add_pillar"),
    path(YEAR + "structure/areas/", founding.add_area, name="add_area"),
    path(YEAR + "structure.xlsx", founding.structure_download, name="structure_download"),
    path(YEAR + "structure/upload/", founding.structure_upload, name="structure_upload"),
    path(YEAR + "start/", founding.start_collection, name="start_collection"),
    path(YEAR, collection.board, name="board"),
    path(YEAR + "remind/", collection.remind, name="remind"),
    path(YEAR + "approve-submitted/", collection.approve_submitted, name="approve_submitted"),
    path(YEAR + "publishing/", collection.publishing, name="publishing"),
    path(YEAR + "publish/", collection.publish, name="publish"),
    path(YEAR + "preview/", collection.preview, name="preview"),
    path(YEAR + "preview.pdf", collection.preview_pdf, name="preview_pdf"),
    path(YEAR + "reopen/", collection.reopen, name="reopen"),
    path(YEAR + "workbooks.zip", workbooks.download_all, name="workbooks_zip"),
    path(YEAR + "workbooks/check/", workbooks.check, name="check_workbooks"),
    path(YEAR + "workbooks/save/", workbooks.save, name="save_workbooks"),
    path(YEAR + "departments/<id:department_id>/workbook.xlsx", workbooks.download, name="workbook"),
    path(YEAR + "departments/<id:department_id>/workbook/check/", workbooks.check, name="check_workbook"),
    path(YEAR + "structure/", structure.structure, name="structure"),
    path(YEAR + "structure/measures/", structure.add_measure, name="add_measure"),
    path(YEAR + "structure/measures/<id:measure_id>/rename/", structure.rename_measure, name="rename_measure"),
    path(YEAR + "structure/measures/<id:measure_id>/retire/", structure.retire_measure, name="retire_measure"),
    path(
        YEAR + "structure/departments/<id:department_id>/rename/",
        structure.rename_department,
        name="rename_department",
    ),
    path(
        YEAR + "structure/departments/<id:department_id>/merge/", structure.merge_departments, name="merge_departments"
    ),
    path("plans/<id:plan_id>/targets/", targets.plan_targets, name="targets"),
    path("plans/<id:plan_id>/targets.xlsx", targets.targets_download, name="targets_download"),
    path("plans/<id:plan_id>/targets/upload/", targets.targets_upload, name="targets_upload"),
    path("plans/<id:plan_id>/measures/<id:measure_id>/targets/", targets.measure_targets, name="measure_targets"),
    path("plans/<id:plan_id>/measures/<id:measure_id>/targets/set/", targets.set_target, name="set_target"),
    path("help/", manual.index, name="help"),
    path("help/images/<str:name>", manual.image, name="help_image"),
    path("help/<slug:name>/", manual.page, name="help_page"),
    path("mail/", mail.outbox, name="outbox"),
    path("mail/resend/", mail.resend, name="resend_mail"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/new/", tokens.make_token, name="make_token"),
    path("tokens/<id:token_id>/revoke/", tokens.revoke_token, name="revoke_token"),
    path("people/", people.people, name="people"),
    path("people/invite/", people.invite, name="invite"),
    path("people/import/", people.import_people, name="import_people"),
    path("people/template.csv", people.people_template, name="people_template"),
    path("people/<id:user_id>/", people.person, name="person"),
    path("people/<id:user_id>/role/", people.change_role, name="change_role"),
    path("people/<id:user_id>/deactivate/", people.deactivate, name="deactivate"),
    path("people/<id:user_id>/reactivate/", people.reactivate, name="reactivate"),
    path("people/<id:user_id>/invite-again/", people.resend_invitation, name="resend_invitation"),
    path("invitation/<str:uidb64>/<str:token>/", people.invitation, name="invitation"),
    path(RECORD, records.record, name="record"),
    path(RECORD + "save/", records.save, name="save"),
    path(RECORD + "indicators/<id:indicator_id>/", records.correct_indicator, name="correct_indicator"),
    path(RECORD + "submit/", records.submit, name="submit"),
    path(RECORD + "withdraw/", records.withdraw, name="withdraw"),
    path(RECORD + "approve/", records.approve, name="approve"),
    path(RECORD + "return/", records.return_, name="return"),
    path(RECORD + "comment/", records.comment, name="comment"),
]
