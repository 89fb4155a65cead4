"""shishin dump PATH — everything (plans, records, history, people, editions' files) in one file; .gz/.xz/.bz2 compress it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shishin.plans import dumps
from shishin.plans.management.base import ShishinCommand


class Command(ShishinCommand):
    help = "データベースの内容（取組み・履歴・利用者・公表版のファイルを含む）を1つのファイルに書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="書き出すファイル（.json、.json.gz など）")

    def handle(self, *args: Any, **options: Any) -> None:
        dumps.write(options["path"])
        self.stdout.write(f"{options['path']} に書き出しました。")
