"""shishin remind [--year 2019] [--municipality CODE] [--plan NAME] [--days-before N] [--now] — run daily
from cron: on the days the schedule names (`shishin.plans.notifications`) it mails every department with
records not submitted; other days it does nothing and prints nothing."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import timezone

from shishin.plans.actions import do_send_reminders
from shishin.plans.mail import wait_for_mail
from shishin.plans.management.base import ShishinCommand
from shishin.plans.models import FiscalYear
from shishin.plans.notifications import REMINDER_OVERDUE, REMINDER_SOON

HEADINGS = {REMINDER_SOON: "提出期限が近づいています", REMINDER_OVERDUE: "提出期限を過ぎています"}


def days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: 0 以上の日数を書いてください")
    return int(text)


class Command(ShishinCommand):
    help = (
        "照会中の年度で未提出の取組みがある担当課に督促メールを送ります（毎日 cron で実行）。"
        "提出期限の N 日前に「期限が近づいています」、期限の翌日とその後 7 日ごとに「期限を過ぎています」を送ります。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度（省略すると照会中のすべての年度）")
        self.add_plan_arguments(parser)
        parser.add_argument(
            "--days-before",
            type=days,
            default=None,
            metavar="N",
            help="提出期限の何日前に督促するか（既定: SHISHIN_REMIND_DAYS_BEFORE、7）",
        )
        parser.add_argument(
            "--now", action="store_true", help="日程によらず、いま督促する（職員用ページの督促ボタンと同じ）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = FiscalYear.objects.filter(status=FiscalYear.Status.COLLECTING).select_related("plan")
        if options["year"]:
            years = years.filter(pk=self.plan_for(options["year"], options).fiscal_years.get(year=options["year"]).pk)
        days_before = options["days_before"]
        if days_before is None:
            days_before = settings.SHISHIN_REMIND_DAYS_BEFORE
        today = timezone.localdate()
        for fiscal_year in years.order_by("plan__name", "year"):
            sent = do_send_reminders(fiscal_year, today=today, days_before=None if options["now"] else days_before)
            if not sent.kind:
                continue
            heading = HEADINGS.get(sent.kind, "督促")
            self.stdout.write(f"{fiscal_year.plan} {fiscal_year}: {heading}")
            for mailed in sent.mail:
                self.stdout.write(f"  {mailed.address}: {'、'.join(mailed.departments)}（未提出 {mailed.tasks} 件）")
            if sent.unreachable:
                self.stdout.write(f"  連絡先がないため督促できなかった担当課: {'、'.join(sent.unreachable)}")
            elif not sent.mail:
                self.stdout.write("  未提出の取組みはありません")
        wait_for_mail(None)  # the sending thread would end with the process
