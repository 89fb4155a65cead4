"""The import benchmark: a synthetic national data set loaded into PostgreSQL, against COPY.

Run by `benchmarks/run.py import` inside a throwaway PostgreSQL (scripts/with-postgres):

1. writes BENCH_MUNICIPALITIES × 3 reports (FY2018–2020) made from the seed: each city's name,
   and every count in it changed city by city and year by year; each report repeats the
   previous year's column as a real one does;
2. times `shishin import FOLDER` (reading, parsing, checking, reading the numbers, writing,
   history included) into the migrated, empty database;
3. saves every row the import wrote (COPY TO), empties the tables and times a plain COPY FROM
   of the same rows into the same tables, indexes and constraints included, in one transaction.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
import sys
import tempfile
import time
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shishin.report import records

COUNTED = re.compile(r"(\d[\d,]*)(回|件|人|名|台|団体|か所|箇所|校|部)")


def _recount(text: str, factor: int) -> str:
    """Change every count in ``text`` (dates and years stay as they are)."""

    def changed(match: re.Match[str]) -> str:
        value = int(match.group(1).replace(",", "")) * factor // 100 + 1
        return f"{value:,}{match.group(2)}"

    return COUNTED.sub(changed, text)


def _next_year(document: records.Document, factor: int) -> records.Document:
    """The next year's report of a city: last year's column repeated, its counts changed by ``factor`` %."""
    from shishin.lib import wareki

    last = document.fiscal_year

    def moved(measure: records.Measure) -> records.Measure:
        shown = measure.records.get(last)
        if shown is None:
            return dataclasses.replace(measure, records={})
        new = tuple(
            dataclasses.replace(r, items=tuple(dataclasses.replace(i, text=_recount(i.text, factor)) for i in r.items))
            for r in shown
        )
        return dataclasses.replace(measure, records={last: shown, last + 1: new})

    labels = (wareki.fiscal_year_label(last), wareki.fiscal_year_label(last + 1))
    return dataclasses.replace(
        document.with_measures(lambda measures: tuple(map(moved, measures))),
        title=document.title.replace(labels[0], labels[1]),
        years=(last, last + 1),
        year_labels=labels,
    )


def reports(count: int) -> list[tuple[str, bytes]]:
    """Name and content of ``count`` municipalities' reports for FY2018, FY2019 and FY2020."""
    from shishin.report import table_text

    seed = resources.files("shishin.demo").joinpath("koganei-bohan-h30-torikumi.txt").read_text()
    listed = resources.files("shishin.data").joinpath("municipalities.csv").read_text().splitlines()
    cities = [row for row in csv.DictReader(listed) if row["city"]]
    shared = Counter(city["city"] for city in cities)
    made: list[tuple[str, bytes]] = []
    for number, city in enumerate(cities[:count]):
        # A name two municipalities share (伊達市) is written with its prefecture, as such cities do.
        name = city["prefecture"] + city["city"] if shared[city["city"]] > 1 else city["city"]
        document = table_text.parse(seed.replace("小金井市", name).encode())
        for year in (2018, 2019):
            made.append((f"{city['code']}-{year}.txt", table_text.render(document).encode()))
            document = _next_year(document, factor=80 + (number * 7 + year + 1) % 41)
        made.append((f"{city['code']}-2020.txt", table_text.render(document).encode()))
    return made


def main() -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection, transaction

    count = int(os.environ.get("BENCH_MUNICIPALITIES", "100"))
    tables = [m._meta.db_table for m in apps.get_app_config("plans").get_models()]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "reports").mkdir()
        for name, data in reports(count):
            (work / "reports" / name).write_bytes(data)
        before = _counts(tables)
        out, err = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        try:
            call_command("import", str(work / "reports"), stdout=out, stderr=err)
        except SystemExit:
            sys.exit(f"取込みに失敗しました:\n{err.getvalue()}")
        imported = time.perf_counter() - start
        written = {t: n - before[t] for t, n in _counts(tables).items() if n > before[t]}
        rows = sum(written.values())
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for table in written:
                with (work / table).open("wb") as saved, raw.copy(f'COPY "{table}" TO STDOUT') as copy:
                    for block in copy:
                        saved.write(block)
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in written) + " CASCADE")
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for table in written:
                with (work / table).open("rb") as saved, cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                    while block := saved.read(1 << 20):
                        copy.write(block)
        copied = time.perf_counter() - start
    files = len(out.getvalue().splitlines()) - 1
    print(
        f"import: {count} municipalities, {files} reports, {rows:,} rows in {len(written)} tables: "
        f"import {rows / imported:,.0f} rows/s ({imported:.1f} s), COPY {rows / copied:,.0f} rows/s ({copied:.1f} s); "
        f"ratio {copied / imported:.2f} (goal ≥ 0.3)"
    )
    if err.getvalue():
        sys.exit(err.getvalue())


def _counts(tables: list[str]) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            (counts[table],) = cursor.fetchone()
        return counts


if __name__ == "__main__":
    main()
