from __future__ import annotations

from django.contrib import admin

from . import models


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
