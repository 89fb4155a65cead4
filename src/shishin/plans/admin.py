from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin  # type: ignore[import-untyped]

from . import models
from .actions import do_recompute_indicators
from .permissions import is_administrator


class ItemInline(admin.TabularInline[models.Item, models.Record]):
    model = models.Item
    extra = 0


admin.site.site_header = admin.site.site_title = "Shishin 管理画面"
# The administrators of the collection run the admin, whether or not Django calls them staff.
admin.site.has_permission = lambda request: request.user.is_active and is_administrator(request.user)  # type: ignore[method-assign]


@admin.register(models.Record)
class RecordAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["fiscal_year", "measure", "department", "state", "updated_at"]
    list_filter = ["fiscal_year__year", "state", "department"]
    list_select_related = ["fiscal_year", "measure", "department"]
    inlines = [ItemInline]


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin[models.Measure]):
    list_display = ["title", "pillar", "area", "whole_government", "first_year", "last_year"]
    list_select_related = ["pillar", "area"]
    search_fields = ["title", "description"]


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
    admin.site.register(model)


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin[models.Membership]):
    list_display = ["user", "role"]
    list_filter = ["role"]
    filter_horizontal = ["departments"]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin[models.Unit]):
    list_display = ["name", "label"]

    def save_model(self, request: HttpRequest, obj: models.Unit, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        do_recompute_indicators()

    def delete_model(self, request: HttpRequest, obj: models.Unit) -> None:
        super().delete_model(request, obj)
        do_recompute_indicators()
