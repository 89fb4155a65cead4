"""The Django admin: accounts, roles and the unit list. The plans' data is shown read-only here:
it changes only through the actions (the staff pages, the API, the command line), which keep
indicators, versions, locks, history and the public pages' cache right."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin  # type: ignore[import-untyped]

from . import models
from .actions import do_delete_unit, do_save_unit
from .permissions import access

admin.site.site_header = admin.site.site_title = "Shishin 管理画面"
# The administrators of the collection run the admin, whether or not Django calls them staff.
admin.site.has_permission = lambda request: request.user.is_active and access(request).is_administrator  # type: ignore[method-assign]


class ReadOnly:
    """Show rows without a way to add, change or delete them."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ItemInline(ReadOnly, admin.TabularInline[models.Item, models.Record]):
    model = models.Item
    extra = 0


@admin.register(models.Record)
class RecordAdmin(ReadOnly, SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["fiscal_year", "measure", "department", "state", "updated_at"]
    list_filter = ["fiscal_year__year", "state", "department"]
    list_select_related = ["fiscal_year", "measure", "department"]
    inlines = [ItemInline]


class MeasureWordingInline(ReadOnly, admin.TabularInline[models.MeasureWording, models.Measure]):
    """How the measure read in the years whose wording differs from its wording now."""

    model = models.MeasureWording
    extra = 0


@admin.register(models.Measure)
class MeasureAdmin(ReadOnly, admin.ModelAdmin[models.Measure]):
    list_display = ["title", "pillar", "area", "whole_government", "first_year", "last_year"]
    list_select_related = ["pillar", "area"]
    search_fields = ["title", "description"]
    inlines = [MeasureWordingInline]


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin[Any]):
    pass


for model in [
    models.Municipality,
    models.Department,
    models.Plan,
    models.FiscalYear,
    models.Pillar,
    models.Area,
    models.Assignment,
    models.Report,
    models.Comment,
]:
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin[models.Membership]):
    list_display = ["user", "role"]
    list_filter = ["role"]
    filter_horizontal = ["departments"]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin[models.Unit]):
    list_display = ["name", "label"]

    def save_model(self, request: HttpRequest, obj: models.Unit, form: Any, change: bool) -> None:
        do_save_unit(obj)

    def delete_model(self, request: HttpRequest, obj: models.Unit) -> None:
        do_delete_unit(obj)
