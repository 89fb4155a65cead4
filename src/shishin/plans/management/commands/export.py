"""shishin export --year 2018 --format text [-o PATH] [--municipality CODE]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from shishin.plans.documents import document_for
from shishin.plans.management.base import ShishinCommand
from shishin.plans.models import Plan
from shishin.report import table_text

FORMATS = {"text": table_text.render}


class Command(ShishinCommand):
    help = "年度の取組み状況の表を書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度（西暦。2018 = 平成30年度）")
        parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="書式")
        parser.add_argument("-o", "--output", metavar="PATH", help="書き出すファイル（省略すると標準出力）")
        parser.add_argument("--municipality", metavar="CODE", help="全国地方公共団体コード")
        parser.add_argument("--plan", help="指針の名称（複数あるとき）")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.filter(fiscal_years__year=options["year"]).select_related("municipality").distinct()
        if options["municipality"]:
            plans = plans.filter(municipality__code=options["municipality"])
        if options["plan"]:
            plans = plans.filter(name=options["plan"])
        found = list(plans[:2])
        if not found:
            self.fail(f"{options['year']}年度の指針が登録されていません")
        if len(found) > 1:
            names = "、".join(f"{p.municipality}（{p.municipality.code or 'コードなし'}） {p}" for p in plans)
            self.fail(f"{options['year']}年度の指針が複数あります: {names}。--municipality か --plan で選んでください")
        text = FORMATS[options["format"]](document_for(found[0], options["year"]))
        if options["output"]:
            Path(options["output"]).write_bytes(text.encode("utf-8"))
        else:
            self.stdout.write(text, ending="")
