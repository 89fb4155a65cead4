"""shishin export --year 2018 [--format NAME] [-o PATH] [--municipality CODE] [--plan NAME]

NAME is one of `shishin.report.formats.FORMATS`; table text by default.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from shishin.plans.documents import export
from shishin.plans.management.base import ShishinCommand
from shishin.report.formats import FORMATS


class Command(ShishinCommand):
    help = "年度の取組み状況の報告書を書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度（西暦。2018 = 平成30年度）")
        parser.add_argument("--format", choices=list(FORMATS), default="text", help="書式")
        parser.add_argument("-o", "--output", metavar="PATH", help="書き出すファイル（省略すると標準出力）")
        self.add_plan_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.plan_for(options["year"], options)
        result = export(plan, options["year"], options["format"])
        if options["output"]:
            Path(options["output"]).write_bytes(result.content)
        elif result.content_type.startswith(("text/", "application/json")):
            self.stdout.write(result.content.decode("utf-8"), ending="")
        else:
            sys.stdout.buffer.write(result.content)
            sys.stdout.flush()
