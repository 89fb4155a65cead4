"""shishin import PATH [--municipality CODE] [--replace]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from shishin.plans.actions import ActionError, ImportConflict, do_import_document
from shishin.plans.management.base import EXIT_FAILED, ShishinCommand
from shishin.report import table_text, xlsx
from shishin.report.records import FormatError


class Command(ShishinCommand):
    help = "公表された取組み状況の表（タブ区切りテキスト、または Excel の .xlsx）を取り込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="取り込むファイル")
        parser.add_argument("--municipality", metavar="CODE", help="全国地方公共団体コード（表題から判別できないとき）")
        parser.add_argument("--replace", action="store_true", help="登録済みの同じ年度の内容を置き換える")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as err:
            self.fail(f"{path}:1:1: ファイルを読めません: {err.strerror}")
        try:
            reader = xlsx if path.suffix.lower() == ".xlsx" or data.startswith(b"PK\x03\x04") else table_text
            document = reader.parse(data, source=str(path))
            result = do_import_document(document, municipality_code=options["municipality"], replace=options["replace"])
        except FormatError as err:
            self.fail(str(err))
        except ImportConflict as err:
            lines = [f"{path}: {err}", *(f"  - {d}" for d in err.differences)]
            self.fail("\n".join(lines), EXIT_FAILED)
        except ActionError as err:
            self.fail(f"{path}: {err}")
        for warning in result.warnings:
            self.stderr.write(f"警告: {warning}")
        what = f"{result.plan.municipality} {result.plan}（{result.fiscal_year}年度）"
        if result.unchanged:
            self.stdout.write(f"{what}: 登録済みの内容と同じため、変更はありません。")
        else:
            self.stdout.write(f"{what}: 施策 {result.measures} 件、取組み {result.records} 件を取り込みました。")
