from __future__ import annotations

import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from shishin.plans.models import Plan

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class ShishinCommand(BaseCommand):
    """A command whose errors are plain lines on standard error with a meaningful exit status."""

    def fail(self, message: str, status: int = EXIT_BAD_INPUT) -> NoReturn:
        # Not CommandError: Django would prefix "CommandError: " to the one-line PATH:LINE:COL format.
        self.stderr.write(message)
        sys.exit(status)

    def add_plan_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", metavar="CODE", help="全国地方公共団体コード（指針が複数あるとき）")
        parser.add_argument("--plan", metavar="NAME", help="指針の名称（指針が複数あるとき）")

    def plan_for(self, year: int, options: dict[str, Any]) -> Plan:
        """Find the one plan with fiscal year ``year`` that --municipality and --plan select."""
        plans = Plan.objects.filter(fiscal_years__year=year).select_related("municipality").distinct()
        if options.get("municipality"):
            plans = plans.filter(municipality__code=options["municipality"])
        if options.get("plan"):
            plans = plans.filter(name=options["plan"])
        found = list(plans[:2])
        if not found:
            self.fail(f"{year}年度の指針が登録されていません")
        if len(found) > 1:
            names = "、".join(f"{p.municipality}（{p.municipality.code or 'コードなし'}） {p}" for p in plans)
            self.fail(f"{year}年度の指針が複数あります: {names}。--municipality か --plan で選んでください")
        return found[0]
