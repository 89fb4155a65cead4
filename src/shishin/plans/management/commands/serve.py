"""shishin serve [--demo] [ADDRPORT]"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from importlib import resources
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from shishin.lib import wareki
from shishin.plans.actions import (
    TargetIn,
    do_grant_role,
    do_import_document,
    do_open_fiscal_year,
    do_save_departments,
    do_set_target,
)
from shishin.plans.actions.evaluation import indicators_of
from shishin.plans.models import Department, FiscalYear, Measure, Membership, Plan, Target
from shishin.report import table_text
from shishin.report.structure_workbook import DepartmentRow

DEMO_REPORT = "koganei-bohan-h30-torikumi.txt"
# The demo city's departments in its organisation's order, with readings (組織順, よみがな, 連絡先).
DEMO_DEPARTMENTS = "departments.csv"
# username, role, departments; every demo account has the password DEMO_PASSWORD.
DEMO_ACCOUNTS = [
    ("admin", Membership.Role.ADMINISTRATOR, []),
    ("anzen", Membership.Role.EDITOR, ["地域安全課"]),
    ("gakumu", Membership.Role.EDITOR, ["学務課", "交通対策課"]),
    ("kyogikai", Membership.Role.REVIEWER, []),
]
DEMO_PASSWORD = "shishin-demo"
# Targets of five of the demo's indicators (made up for the demo, not Koganei's): measure, indicator, kind,
# direction, baseline (FY2018, as its report says), target for FY2022.
DEMO_TARGETS = [
    ("CoCoパトロール隊による地域パトロール", "パトロール回数", "output", "increase", 472, 600),
    ("CoCoパトロール隊による地域パトロール", "距離", "output", "increase", 7714, 9000),
    ("子どもを見守る家(カンガルーのポケット)", "カンガルーポケット登録件数", "output", "maintain", 1157, 1150),
    ("街路灯の整備", "街路灯新規設置件数", "output", "increase", 34, 40),
    ("こがねい安全・安心メール、ツイッター", "こがねい安全・安心メール加入登録数", "outcome", "increase", 10207, 12000),
]


class Command(BaseCommand):
    help = "Webアプリを起動します（--demo: 同梱の報告書を取り込んでから起動）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="待ち受けるアドレスとポート")
        parser.add_argument(
            "--demo", action="store_true", help="データベースを準備し、同梱の報告書とデモ用の管理者を登録する"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"]:
            self._prepare_demo()
        self.stdout.write(f"Shishin を http://{options['addrport']}/ で公開します（終了は Ctrl+C）。")
        call_command("runserver", options["addrport"], use_reloader=False)

    def _prepare_demo(self) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        data = resources.files("shishin.demo").joinpath(DEMO_REPORT).read_bytes()
        result = do_import_document(table_text.parse(data, source=DEMO_REPORT))
        self.stdout.write(f"デモデータ: {result.plan.municipality} {result.plan}（施策 {result.measures} 件）")
        plan = result.plan
        listed = resources.files("shishin.demo").joinpath(DEMO_DEPARTMENTS).read_text(encoding="utf-8")
        rows = [
            DepartmentRow(row["担当課"], int(row["組織順"]), row["よみがな"], row["連絡先メールアドレス"])
            for row in csv.DictReader(listed.splitlines())
        ]
        do_save_departments(plan, rows, by=None)
        if not FiscalYear.objects.filter(plan=plan, year=result.fiscal_year + 1).exists():
            deadline = timezone.localdate() + dt.timedelta(days=30)
            do_open_fiscal_year(plan, result.fiscal_year + 1, deadline=deadline, by=None)
        set_demo_targets(plan)
        for username, role, departments in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first() or User.objects.create_user(
                username,
                f"{username}@example.jp",
                DEMO_PASSWORD,
                is_staff=role == Membership.Role.ADMINISTRATOR,
                is_superuser=role == Membership.Role.ADMINISTRATOR,
            )
            named = Department.objects.filter(municipality=plan.municipality, name__in=departments)
            do_grant_role(user, role, departments=list(named), by=None)
        self.stdout.write(
            f"{plan}の{wareki.fiscal_year_name(result.fiscal_year + 1)}の照会を開始済みです（指標の目標 {len(DEMO_TARGETS)} 件を設定済み）。"
        )
        self.stdout.write(f"職員用ページ /staff/ のサインイン（パスワードはすべて {DEMO_PASSWORD}）:")
        self.stdout.write(
            "  admin（管理者・管理画面 /admin/ も可）、anzen（地域安全課）、gakumu（学務課・交通対策課）、kyogikai（閲覧者）"
        )


def set_demo_targets(plan: Plan) -> None:
    """The demo's five targets, each unless its indicator has one (a demo started again keeps revisions)."""
    for title, indicator, kind, direction, baseline, target in DEMO_TARGETS:
        measure = Measure.objects.get(plan=plan, title=title)
        if Target.objects.filter(measure=measure, indicator=indicator).exists():
            continue
        wanted = TargetIn(
            indicator=indicator,
            unit=indicators_of(measure)[indicator],
            kind=kind,
            direction=direction,
            baseline_year=2018,
            baseline_value=Decimal(baseline),
            target_year=2022,
            target_value=Decimal(target),
            reason="",
        )
        do_set_target(measure, wanted, by=None)
