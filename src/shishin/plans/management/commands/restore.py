"""shishin restore PATH — load a `shishin dump` file into an empty database, in one transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import transaction

from shishin.plans.management.base import ShishinCommand
from shishin.plans.models import Municipality, Unit


class Command(ShishinCommand):
    help = "shishin dump で書き出したファイルを、空のデータベースに読み込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="shishin dump で書き出したファイル")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if Municipality.objects.exists() or User.objects.exists():
            self.fail("データベースが空ではありません。空のデータベース（DATABASE_URL）を指定してください")
        try:
            with transaction.atomic():
                # The migrations' default units give way to the dump's own list.
                Unit.objects.all().delete()
                call_command("loaddata", options["path"], verbosity=0)
        except Exception as err:  # loaddata wraps every problem in its own exception types
            self.fail(f"{options['path']}: 読み込めません（{err}）。データベースは変更していません")
        self.stdout.write(f"{options['path']} を読み込みました。")
