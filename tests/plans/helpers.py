from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from shishin.lib import wareki
from shishin.report import table_text
from shishin.report.records import Item, Measure, Record


def run(*args: str) -> tuple[int, str, str]:
    """Run a shishin command in-process; return its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def snapshot() -> dict[str, list[Any]]:
    """Every row of every Shishin table, to show that a command wrote nothing."""
    return {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("plans").get_models()
    }


def export(year: int = 2018, *extra: str) -> bytes:
    status, out, err = run("export", "--year", str(year), "--format", "text", *extra)
    if status:
        pytest.fail(err)
    return out.encode("utf-8")


def next_year_report(data: bytes, patrols: int = 500) -> bytes:
    """Make the next year's report from a report: its last year's records move left and are
    reported again, except the patrols, which change to ``patrols``."""
    document = table_text.parse(data)
    last, new = document.fiscal_year, document.fiscal_year + 1

    def shift(measure: Measure) -> Measure:
        records = {last: measure.records[last], new: measure.records[last]} if last in measure.records else {}
        if measure.title == "CoCoパトロール隊による地域パトロール":
            records[new] = (Record("地域安全課", (Item("車両数 15台"), Item(f"パトロール回数 {patrols}回"))),)
        return dataclasses.replace(measure, records=records)

    labels = (wareki.fiscal_year_label(last), wareki.fiscal_year_label(new))
    later = dataclasses.replace(
        document.with_measures(lambda measures: tuple(map(shift, measures))),
        title=document.title.replace(labels[0], labels[1]),
        years=(last, new),
        year_labels=labels,
    )
    return table_text.render(later).encode("utf-8")
