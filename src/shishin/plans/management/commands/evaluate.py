"""shishin evaluate --year 2019 [--format text|json|xlsx|pdf] [-o PATH] [--draft] [--municipality CODE] [--plan NAME]

A published year's evaluation is the one its current edition froze; any other year's (or with --draft)
is computed from the data as it stands, and says so (``"status": "draft"``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from shishin.plans import editions, evaluation_report
from shishin.plans.management.base import ShishinCommand
from shishin.plans.models import FiscalYear
from shishin.report import evaluation


class Command(ShishinCommand):
    help = "年度の評価表（指標の目標・実績・達成率・評価、自己評価、協議会の評価、成果指標）を書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度（西暦。2019 = 令和元年度）")
        parser.add_argument("--format", choices=list(evaluation.FORMATS), default="text", help="書式")
        parser.add_argument("-o", "--output", metavar="PATH", help="書き出すファイル（省略すると標準出力）")
        parser.add_argument("--draft", action="store_true", help="公表済みの年度でも、いまのデータで評価する（案）")
        self.add_plan_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.plan_for(options["year"], options)
        fiscal_year = FiscalYear.objects.get(plan=plan, year=options["year"])
        edition = editions.current(plan.pk, fiscal_year.year)
        frozen = editions.evaluation_of(edition) if edition and not options["draft"] else None
        if frozen is None and not options["draft"]:
            why = f"公表版（第{edition.number}版）には評価がありません" if edition else "評価は公表されていません"
            self.stderr.write(f"{fiscal_year.label}の{why}。いまのデータで計算した案です。")
        document = frozen or evaluation_report.build(fiscal_year)
        content = evaluation.FORMATS[options["format"]].write(document)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
        elif options["format"] in ("text", "json"):
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
