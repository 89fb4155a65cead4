"""shishin indicators --year 2018 [--format text|json|csv] [--recompute]"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import CommandParser

from shishin.lib import tables
from shishin.plans import wording
from shishin.plans.actions import do_recompute_indicators
from shishin.plans.management.base import ShishinCommand
from shishin.plans.models import Indicator

COLUMNS = {
    "fiscal_year": "年度",
    "measure": "施策",
    "department": "担当課",
    "item": "取組み",
    "label": "指標",
    "value": "値",
    "value_max": "上限値",
    "unit": "単位",
    "qualifier": "修飾",
    "approximate": "概数",
}


class Command(ShishinCommand):
    help = "取組みの本文から読み取った数値（指標）を一覧にします。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度（西暦）")
        parser.add_argument("--format", choices=["text", "json", "csv"], default="text", help="書式")
        parser.add_argument("--recompute", action="store_true", help="単位の一覧を変えたあと、すべての指標を読み直す")
        self.add_plan_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["recompute"]:
            self.stderr.write(f"{do_recompute_indicators()} 件の取組みから指標を読み直しました。")
        plan = self.plan_for(options["year"], options)
        indicators = (
            Indicator.objects.filter(
                item__record__fiscal_year__plan=plan, item__record__fiscal_year__year=options["year"], hidden=False
            )
            .select_related("item__record__measure", "item__record__department")
            .order_by("item__record__measure__position", "item__record__position", "item__position", "position")
        )
        wording.of_records(i.item.record for i in indicators)  # the queryset keeps what it read
        found = [(_place(i, options["year"]), i.quantity) for i in indicators]
        if options["format"] == "json":
            data = [{**place, **quantity.as_json()} for place, quantity in found]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        # The tables write the value as stored (a Decimal), not as a JSON number.
        rows = [{**place, **dataclasses.asdict(quantity)} for place, quantity in found]
        if options["format"] == "csv":
            self.stdout.write(tables.to_csv(rows, COLUMNS), ending="")
        else:
            self.stdout.write(tables.to_text(rows, COLUMNS, max_width=30), ending="")


def _place(indicator: Indicator, year: int) -> dict[str, object]:
    """Where an indicator was read: the fiscal year, measure, department and item."""
    record = indicator.item.record
    return {
        "fiscal_year": year,
        "measure": record.measure.title,
        "department": record.department_name,
        "item": indicator.item.text,
    }
