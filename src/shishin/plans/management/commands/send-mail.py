"""shishin send-mail [--all] — for cron (every 10 minutes, say): send again the mail that could not be sent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shishin.plans.mail import MAX_ATTEMPTS, problems, send_pending
from shishin.plans.management.base import EXIT_FAILED, ShishinCommand


class Command(ShishinCommand):
    help = (
        "送信できなかったメール（送信失敗、送信待ちのまま残ったもの）をもう一度送ります。"
        f"1通につき {MAX_ATTEMPTS} 回まで試します（--all でそれ以上も）。cron で定期的に実行してください。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help=f"{MAX_ATTEMPTS} 回試して送れなかったメールも送り直す（再送ボタンと同じ）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent, failed = send_pending(exhausted=options["all"])
        if sent:
            self.stdout.write(f"{sent} 通を送信しました")
        if failed:
            self.fail(f"{failed} 通を送信できませんでした: {problems().error}", EXIT_FAILED)
