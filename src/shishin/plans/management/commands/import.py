"""shishin import PATH... [--municipality CODE] [--replace]

Each file is imported in its own transaction, except that the reports of a plan not stored
yet are written together (see `shishin.plans.actions.loading`); a folder stands for the reports in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from rich.progress import Progress

from shishin.plans import actions
from shishin.plans.actions import ActionError, ImportConflict, ImportResult, do_import_document
from shishin.plans.management.base import EXIT_BAD_INPUT, EXIT_FAILED, ShishinCommand
from shishin.report import records as plain
from shishin.report import table_text, xlsx
from shishin.report.formats import READ_SUFFIXES, reader_for
from shishin.report.records import FormatError

# No report file is larger: each reader refuses what is too large for its format (README), this says
# so before a larger file is read into memory.
LARGEST_FILE = max(table_text.MAX_BYTES, xlsx.MAX_WORKBOOK_BYTES)


class _Refused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Command(ShishinCommand):
    help = "公表された取組み状況の表（タブ区切りテキスト、または Excel の .xlsx）を取り込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="取り込むファイル、またはファイルのあるフォルダ")
        parser.add_argument("--municipality", metavar="CODE", help="全国地方公共団体コード（表題から判別できないとき）")
        parser.add_argument("--replace", action="store_true", help="登録済みの同じ年度の内容を置き換える")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = _expand([Path(p) for p in options["paths"]])
        if len(paths) == 1 and Path(options["paths"][0]) == paths[0]:
            self._import_one(paths[0], options)
            return
        self._import_many(paths, options)

    def _read(self, path: Path) -> plain.Document:
        try:
            size = path.stat().st_size
            if size > LARGEST_FILE:  # said before the file is read into memory
                raise _Refused(
                    f"{path}:1:1: ファイルが大きすぎます（{size:,} バイト）。取り込めるファイルは"
                    f" {LARGEST_FILE:,} バイトまでです",
                    EXIT_BAD_INPUT,
                )
            data = path.read_bytes()
        except OSError as err:
            raise _Refused(f"{path}:1:1: ファイルを読めません: {err.strerror}", EXIT_BAD_INPUT) from None
        try:
            return reader_for(path.name, data)(data, str(path))
        except FormatError as err:
            raise _Refused(str(err), EXIT_BAD_INPUT) from None

    def _plan_key(self, path: Path, document: plain.Document, options: dict[str, Any]) -> actions.PlanKey:
        """Name the plan of a report, refusing it as `_store` would if its municipality cannot be told."""
        try:
            return actions.plan_key(document, options["municipality"])
        except ActionError as err:
            raise _Refused(f"{path}: {err}", EXIT_BAD_INPUT) from None

    def _store(self, path: Path, document: plain.Document, options: dict[str, Any]) -> ImportResult:
        try:
            return do_import_document(document, municipality_code=options["municipality"], replace=options["replace"])
        except ImportConflict as err:
            lines = [f"{path}: {err}", *(f"  - {d}" for d in err.differences)]
            raise _Refused("\n".join(lines), EXIT_FAILED) from None
        except ActionError as err:
            raise _Refused(f"{path}: {err}", EXIT_BAD_INPUT) from None

    def _describe(self, result: ImportResult) -> str:
        what = f"{result.plan.municipality} {result.plan}（{result.fiscal_year}年度）"
        if result.unchanged:
            return f"{what}: 登録済みの内容と同じため、変更はありません。"
        return f"{what}: 施策 {result.measures} 件、取組み {result.records} 件を取り込みました。"

    def _import_one(self, path: Path, options: dict[str, Any]) -> None:
        try:
            # No plan key: one file is stored on its own, and storing it finds the municipality.
            result = self._store(path, self._read(path), options)
        except _Refused as refused:
            self.fail(str(refused), refused.status)
        for warning in result.warnings:
            self.stderr.write(f"警告: {warning}")
        self.stdout.write(self._describe(result))

    def _import_many(self, paths: list[Path], options: dict[str, Any]) -> None:
        """Import each file in its own transaction, except that consecutive reports of a plan
        not stored yet are written together when they agree (`shishin.plans.actions.loading`)."""
        self.counts: Counter[str] = Counter()
        self.worst = 0
        with Progress(disable=not self.stdout.isatty(), transient=True) as progress:
            task = progress.add_task("取込み中", total=len(paths))
            group: list[tuple[Path, plain.Document]] = []
            group_key: actions.PlanKey | None = None
            for path in paths:
                try:
                    document = self._read(path)
                    key = self._plan_key(path, document, options)
                except _Refused as refused:
                    self._tell(path, refused)
                    progress.advance(task)
                    continue
                if group and key != group_key:
                    self._store_group(group, options, lambda: progress.advance(task))
                    group = []
                group.append((path, document))
                group_key = key
            self._store_group(group, options, lambda: progress.advance(task))
        self.stdout.write(
            f"{len(paths)} ファイル: 取込み {self.counts['imported']} 件、変更なし {self.counts['unchanged']} 件、"
            f"取り込めなかったもの {self.counts['refused']} 件"
        )
        if self.worst:
            raise SystemExit(self.worst)

    def _store_group(
        self, group: list[tuple[Path, plain.Document]], options: dict[str, Any], advance: Callable[[], None]
    ) -> None:
        documents = [document for _, document in group]
        results = actions.do_load_new_plan(documents, municipality_code=options["municipality"]) if group else None
        for number, (path, document) in enumerate(group):
            try:
                outcome: ImportResult | _Refused = results[number] if results else self._store(path, document, options)
            except _Refused as refused:
                outcome = refused
            self._tell(path, outcome)
            advance()

    def _tell(self, path: Path, outcome: ImportResult | _Refused) -> None:
        if isinstance(outcome, _Refused):
            self.counts["refused"] += 1
            self.worst = max(self.worst, outcome.status)
            self.stderr.write(str(outcome))
            return
        self.counts["unchanged" if outcome.unchanged else "imported"] += 1
        for warning in outcome.warnings:
            self.stderr.write(f"警告: {warning}" if warning.startswith(f"{path}:") else f"警告: {path}: {warning}")
        if not self.stdout.isatty():
            self.stdout.write(f"{path}: {self._describe(outcome)}")


def _expand(paths: list[Path]) -> list[Path]:
    """Replace each folder by the report files in it, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in READ_SUFFIXES and p.is_file())
        else:
            found.append(path)
    return found
