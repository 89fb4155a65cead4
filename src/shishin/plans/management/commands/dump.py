"""shishin dump PATH — everything (plans, records, history, people) in one file; .gz/.xz/.bz2 compress it."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from shishin.plans.management.base import ShishinCommand

# Rebuilt by migrate or by the server as needed; not data.
NOT_DATA = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class Command(ShishinCommand):
    help = "データベースの内容（取組み・履歴・利用者を含む）を1つのファイルに書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="書き出すファイル（.json、.json.gz など）")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("dumpdata", exclude=NOT_DATA, output=options["path"], verbosity=0)
        self.stdout.write(f"{options['path']} に書き出しました。")
