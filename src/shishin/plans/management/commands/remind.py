"""shishin remind [--year 2019] [--municipality CODE] [--plan NAME] — for cron: e-mail departments that have not submitted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shishin.plans.actions import do_send_reminders
from shishin.plans.management.base import ShishinCommand
from shishin.plans.models import FiscalYear


class Command(ShishinCommand):
    help = "照会中の年度で未提出の取組みがある担当課の編集者に督促メールを送ります。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（省略すると照会中のすべての年度）")
        self.add_plan_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        years = FiscalYear.objects.filter(status=FiscalYear.Status.COLLECTING).select_related("plan")
        if options["year"]:
            years = years.filter(pk=self.plan_for(options["year"], options).fiscal_years.get(year=options["year"]).pk)
        for fiscal_year in years:
            for reminder in do_send_reminders(fiscal_year):
                self.stdout.write(
                    f"{fiscal_year.plan} {fiscal_year.label} {reminder.department}: "
                    f"未提出 {reminder.pending} 件 → {', '.join(reminder.recipients)}"
                )
