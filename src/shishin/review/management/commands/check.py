"""shishin check --year 2018 [--format text|json] [--threshold 30]

Without --year it is Django's system check (`shishin check --deploy`), which this command's name hides.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandParser
from django.core.management.commands.check import Command as SystemCheck

from shishin.lib import wareki
from shishin.plans.management.base import EXIT_FAILED, ShishinCommand
from shishin.review.checks import (
    DEFAULT_THRESHOLD,
    ERROR,
    NOTICE,
    SEVERITY_LABELS,
    WARNING,
    Finding,
    run_checks,
)


class Command(ShishinCommand):
    help = "年度の取組みを点検します（エラーがあれば終了コード 1）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（西暦）。省略すると Django のシステムチェック")
        parser.add_argument(
            "--deploy", action="store_true", help="本番運用の設定を確認する（Django のシステムチェック）"
        )
        parser.add_argument("--fail-level", default="ERROR", choices=["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"])
        parser.add_argument("--format", choices=["text", "json"], default="text", help="書式")
        parser.add_argument(
            "--threshold", type=Decimal, default=DEFAULT_THRESHOLD, help="前年度からの増減を知らせる割合（%%、既定 30）"
        )
        self.add_plan_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["year"] is None:
            system = SystemCheck()
            system.stdout, system.stderr = self.stdout, self.stderr
            system.handle(
                deploy=options["deploy"], fail_level=options["fail_level"], tags=None, list_tags=False, databases=None
            )
            return
        plan = self.plan_for(options["year"], options)
        findings = run_checks(plan, options["year"], options["threshold"])
        counts = Counter(f.severity for f in findings)
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(options["year"], findings), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(options["year"], findings), ending="")
        if counts[ERROR]:
            self.stdout.flush()
            sys.exit(EXIT_FAILED)


def as_json(year: int, findings: list[Finding]) -> dict[str, Any]:
    counts = Counter(f.severity for f in findings)
    return {
        "fiscal_year": year,
        "counts": {severity: counts[severity] for severity in (ERROR, WARNING, NOTICE)},
        "findings": [f.fields() for f in findings],
    }


def as_text(year: int, findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    summary = "、".join(f"{SEVERITY_LABELS[s]} {counts[s]} 件" for s in (ERROR, WARNING, NOTICE))
    lines = [f"{wareki.fiscal_year_name(year)}の点検: {summary}"]
    for f in findings:
        place = f.place.measure + (f"【{f.place.department}】" if f.place.department else "")
        lines.append(f"[{SEVERITY_LABELS[f.severity]}] {f.code} {wareki.fiscal_year_name(f.place.fiscal_year)} {place}")
        if f.place.item:
            lines.append(f"    「{f.place.item[:60]}{'…' if len(f.place.item) > 60 else ''}」")
        lines.append(f"    {f.message}")
    return "\n".join(lines) + "\n"
