from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import models
from .actions import do_recompute_indicators


class ItemInline(admin.TabularInline[models.Item, models.Record]):
    model = models.Item
    extra = 0


@admin.register(models.Record)
class RecordAdmin(admin.ModelAdmin[models.Record]):
    list_display = ["fiscal_year", "measure", "department"]
    list_filter = ["fiscal_year__year", "department"]
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
]:
    admin.site.register(model)


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin[models.Unit]):
    list_display = ["name", "label"]

    def save_model(self, request: HttpRequest, obj: models.Unit, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        do_recompute_indicators()

    def delete_model(self, request: HttpRequest, obj: models.Unit) -> None:
        super().delete_model(request, obj)
        do_recompute_indicators()
