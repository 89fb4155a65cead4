"""shishin serve [--demo] [ADDRPORT]"""

from __future__ import annotations

from importlib import resources
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from shishin.plans.actions import do_import_document
from shishin.report import table_text

DEMO_REPORT = "koganei-bohan-h30-torikumi.txt"
DEMO_USER = "admin"
DEMO_PASSWORD = "shishin-demo"


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
        users = get_user_model()._default_manager
        if not users.filter(username=DEMO_USER).exists():
            users.create_superuser(DEMO_USER, "", DEMO_PASSWORD)
        self.stdout.write(f"管理画面 /admin/ のログイン: ユーザー名 {DEMO_USER} / パスワード {DEMO_PASSWORD}")
