"""shishin export --year 2018 --format text [-o PATH] [--municipality CODE] [--plan NAME]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from shishin.plans.documents import document_for
from shishin.plans.management.base import ShishinCommand
from shishin.report import table_text

FORMATS = {"text": table_text.render}


class Command(ShishinCommand):
    help = "年度の取組み状況の表を書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度（西暦。2018 = 平成30年度）")
        parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="書式")
        parser.add_argument("-o", "--output", metavar="PATH", help="書き出すファイル（省略すると標準出力）")
        self.add_plan_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.plan_for(options["year"], options)
        text = FORMATS[options["format"]](document_for(plan, options["year"]))
        if options["output"]:
            Path(options["output"]).write_bytes(text.encode("utf-8"))
        else:
            self.stdout.write(text, ending="")
