"""shishin restore PATH — load a `shishin dump` file into an empty database, in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from shishin.plans.actions import ActionError, do_restore
from shishin.plans.management.base import ShishinCommand


class Command(ShishinCommand):
    help = "shishin dump で書き出したファイルを、空のデータベースに読み込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="shishin dump で書き出したファイル")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            do_restore(options["path"])
        except ActionError as err:
            self.fail(str(err))
        except Exception as err:  # loaddata wraps every problem in its own exception types
            self.fail(f"{options['path']}: 読み込めません（{err}）。データベースは変更していません")
        self.stdout.write(f"{options['path']} を読み込みました。")
