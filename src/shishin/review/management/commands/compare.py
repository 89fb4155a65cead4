"""shishin compare 2017 2018 [--format text|json] [--summary]"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandParser

from shishin.lib import wareki
from shishin.lib.tables import json_number, number_text
from shishin.plans.management.base import ShishinCommand
from shishin.review.compare import Comparison, Group, compare, summary


class Command(ShishinCommand):
    help = "2つの年度の取組みと数値を比べます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("before", type=int, help="比べる元の年度（西暦）")
        parser.add_argument("after", type=int, help="比べる先の年度（西暦）")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="書式")
        parser.add_argument("--summary", action="store_true", help="主な変化を文章で書く（協議会資料向け）")
        parser.add_argument("--limit", type=int, help="--summary で書く変化の数（大きい順。省略するとすべて）")
        self.add_plan_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.plan_for(options["after"], options)
        comparison = compare(plan, options["before"], options["after"])
        if options["summary"]:
            sentences = summary(comparison, options["limit"])
            if options["format"] == "json":
                self.stdout.write(json.dumps({"summary": sentences}, ensure_ascii=False, indent=2))
            else:
                self.stdout.write("\n".join(sentences))
        elif options["format"] == "json":
            self.stdout.write(json.dumps(as_json(comparison), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(comparison), ending="")


def _number(value: Decimal | None) -> int | float | None:
    return None if value is None else json_number(value)


def as_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "before": comparison.before,
        "after": comparison.after,
        "groups": [
            {
                "measure": group.measure,
                "department": group.department,
                "indicators": [
                    {
                        "label": c.label,
                        "unit": c.unit,
                        "before": _number(c.before),
                        "after": _number(c.after),
                        "change": _number(c.change),
                        "percent": _number(c.percent),
                        "approximate": c.approximate,
                    }
                    for c in group.indicators
                ],
                "items": {
                    "unchanged": group.unchanged,
                    "changed": [{"before": b, "after": a} for b, a in group.changed],
                    "new": group.new,
                    "dropped": group.dropped,
                },
            }
            for group in comparison.groups
        ],
    }


def _value(value: Decimal | None, unit: str) -> str:
    return "―" if value is None else number_text(value) + unit


def _group_text(group: Group, before: str, after: str) -> list[str]:
    lines = [f"■ {group.measure}【{group.department or '担当課なし'}】"]
    for c in group.indicators:
        change = "" if c.change is None else f"{'+' if c.change > 0 else ''}{number_text(c.change)}"
        percent = "" if c.percent is None else f"（{'+' if c.percent > 0 else ''}{c.percent}%）"
        lines.append(
            f"  {c.label}: {before} {_value(c.before, c.unit)} → {after} {_value(c.after, c.unit)} {change}{percent}"
        )
    lines += [f"  前年度と同じ: {text}" for text in group.unchanged]
    lines += [f"  変更: {old} → {new}" for old, new in group.changed]
    lines += [f"  新規: {text}" for text in group.new]
    lines += [f"  記載なし: {text}" for text in group.dropped]
    return lines


def as_text(comparison: Comparison) -> str:
    before = wareki.fiscal_year_name(comparison.before)
    after = wareki.fiscal_year_name(comparison.after)
    lines = [f"{before}と{after}の比較"]
    for group in comparison.groups:
        lines += ["", *_group_text(group, before, after)]
    return "\n".join(lines) + "\n"
