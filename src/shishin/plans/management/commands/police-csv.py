"""shishin police-csv FILE --year 2023 [--municipality CODE] [--plan NAME] — count the police's open data
of street crimes (犯罪発生情報: one CSV per crime type and year) for the plan's municipality, by type,
month, hour and 町丁目; each type's total becomes the plan's outcome of that calendar year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from shishin.plans.actions import ActionError, do_import_police_csv
from shishin.plans.management.base import ShishinCommand
from shishin.plans.models import Plan


class Command(ShishinCommand):
    help = (
        "警察のオープンデータ（犯罪発生情報の CSV、Shift_JIS または UTF-8）を、指針の市区町村の行について"
        "手口・月・時・町丁目ごとに数え、その年（暦年）の成果指標にします。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV ファイル")
        parser.add_argument("--year", type=int, required=True, help="CSV の年（暦年・西暦）")
        self.add_plan_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as err:
            self.fail(f"{path}: 読めません（{err.strerror}）")
        plans = Plan.objects.select_related("municipality")
        if options.get("municipality"):
            plans = plans.filter(municipality__code=options["municipality"])
        if options.get("plan"):
            plans = plans.filter(name=options["plan"])
        found = list(plans[:2])
        if len(found) != 1:
            self.fail("指針が見つからないか、複数あります。--municipality か --plan で一つ選んでください")
        try:
            counted = do_import_police_csv(found[0], data, str(path), options["year"], by=None)
        except ActionError as err:
            self.fail(str(err))
        for crime in sorted({key.crime for key in counted.counts}):
            total = sum(n for key, n in counted.counts.items() if key.crime == crime)
            self.stdout.write(f"{options['year']}年 {crime}: {total:,}件")
        self.stdout.write(f"（ほかの市区町村の {counted.other_places:,} 行は除きました）")
