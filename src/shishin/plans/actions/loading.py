"""Loading the reports of a plan not yet stored, one statement a table (COPY on PostgreSQL).

`importing.do_import_document` writes one report through the ORM, comparing it with what is
stored. For a plan that is not stored yet, whose reports agree with one another (the same
pillars, areas and measures; the same records wherever two reports show the same year),
nothing needs comparing: the outcome of importing them one by one is known, and this
module writes it a table at a time, history included. Reports that do not qualify are left
to `do_import_document`; tests hold both ways to the same outcome.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from shishin.report import reading
from shishin.report import records as plain

from ..models import (
    Area,
    Assignment,
    Department,
    FiscalYear,
    Indicator,
    Item,
    ItemDate,
    Measure,
    Pillar,
    Plan,
    Record,
    Report,
    ReportPage,
    Unit,
)
from .base import action
from .editions import do_make_first_editions
from .importing import ImportResult, plan_of


def agree(documents: Sequence[plain.Document]) -> bool:
    """Tell whether reports of one plan can be loaded at once: one report a year, the same
    structure in all, measure titles unique, and equal records wherever two show the same year."""
    if len({d.fiscal_year for d in documents}) != len(documents):
        return False
    shape = _shape(documents[0])
    if any(_shape(d) != shape for d in documents[1:]):
        return False
    titles = [m.title for m in documents[0].all_measures()]
    if len(set(titles)) != len(titles):
        return False
    seen: dict[tuple[str, int], tuple[plain.Record, ...]] = {}
    for document in documents:
        for measure in document.all_measures():
            for year in document.years:
                records = measure.records.get(year, ())
                if seen.setdefault((measure.title, year), records) != records:
                    return False
    return True


def _shape(document: plain.Document) -> tuple[plain.Pillar, ...]:
    """The plan's structure as a report shows it: pillars, areas, measures without the year's data."""

    def bare(measures: tuple[plain.Measure, ...]) -> tuple[plain.Measure, ...]:
        return tuple(dataclasses.replace(m, departments=(), records={}) for m in measures)

    return tuple(dataclasses.replace(p.with_measures(bare), first_area_inline=False) for p in document.pillars)


class _Table:
    """Rows of one table, kept as tuples until written in one statement.

    The columns are the model's own fields, so a field added to a model is never skipped here:
    `add` takes them by name and fills the ones not given with the field's default (refusing a
    field that has none). A row's id is provisional until the table is written: `add` returns
    ``-n``, and fields named in ``refs`` may hold such ids of the referenced table (or real ids of
    stored rows).
    """

    def __init__(self, model: type[models.Model], refs: dict[str, _Table] | None = None) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = tuple(f.attname for f in self.fields)
        self.defaults = {f.attname: _default(f) for f in self.fields}
        self.refs = [(self.columns.index(name), table) for name, table in (refs or {}).items()]
        self.rows: list[tuple[Any, ...]] = []
        self.ids: list[int] = []

    def add(self, **values: Any) -> int:
        unknown = values.keys() - self.defaults.keys()
        if unknown:
            raise TypeError(f"{self.model.__name__} has no field {sorted(unknown)}")
        row = tuple(values[name] if name in values else self.defaults[name] for name in self.columns)
        if any(value is _REQUIRED for value in row):
            missing = [name for name, value in zip(self.columns, row, strict=True) if value is _REQUIRED]
            raise TypeError(f"{self.model.__name__}: no value for {missing}")
        self.rows.append(row)
        return -len(self.rows)

    def id_of(self, value: int | None) -> int | None:
        return self.ids[-value - 1] if value is not None and value < 0 else value

    def write(self, now: dt.datetime) -> int:
        """Write the rows (their ids allocated), and the history's "created" rows when the model keeps
        history; return the count."""
        if not self.rows:
            return 0
        prepared = [(index, f) for index, f in enumerate(self.fields) if not isinstance(f, _STORED_AS_GIVEN)]
        rows = []
        for pk, values in zip(self.ids, self.rows, strict=True):
            row = list(values)
            for index, table in self.refs:
                row[index] = table.id_of(row[index])
            for index, f in prepared:
                row[index] = _prepared(f, row[index], now)
            rows.append((pk, *row))
        columns = ("id", *self.columns)
        _insert(self.model, columns, rows)
        history = getattr(self.model, "history", None)
        if history is None:
            return len(rows)
        stamp = (_prepared(history.model._meta.get_field("history_date"), now, now), "+", None, None)
        history_columns = (*columns, "history_date", "history_type", "history_change_reason", "history_user_id")
        _insert(history.model, history_columns, [(*row, *stamp) for row in rows])
        return 2 * len(rows)


# Fields whose Python values the database driver takes as they are; the others are prepared by the field.
_STORED_AS_GIVEN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)
_REQUIRED = object()


def _default(field: Any) -> Any:
    if field.has_default():
        return field.get_default()
    if field.null or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None
    return _REQUIRED


def _prepared(field: Any, value: Any, now: dt.datetime) -> Any:
    if value is None and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):
        value = now
    return field.get_db_prep_save(value, connection)


def _allocate_ids(tables: Sequence[_Table]) -> None:
    """Give every row its id from the table's sequence, as inserts without ids would."""
    wanted = [t for t in tables if t.rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip for all tables.
            arrays = ", ".join(
                "ARRAY(SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s))" for _ in wanted
            )
            cursor.execute(f"SELECT {arrays}", [v for t in wanted for v in (t.model._meta.db_table, len(t.rows))])
            for table, ids in zip(wanted, cursor.fetchone(), strict=True):
                table.ids = ids
            return
        # SQLite: the transaction already holds the write lock (the plan row was written first),
        # and AUTOINCREMENT never reuses an id, so continue after the highest ever given.
        for table in wanted:
            name = table.model._meta.db_table
            cursor.execute(
                f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f'coalesce((SELECT max(id) FROM "{name}"), 0))',
                [name],
            )
            (last,) = cursor.fetchone()
            table.ids = list(range(last + 1, last + 1 + len(table.rows)))


def _insert(model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


class _PlanLoader:
    """Turns the agreeing reports of one new plan into rows."""

    def __init__(self, plan: Plan, documents: Sequence[plain.Document], units: dict[str, str]) -> None:
        self.plan = plan
        self.documents = sorted(documents, key=lambda d: d.fiscal_year)
        self.units = units
        self.departments = {d.name: d.pk for d in Department.objects.filter(municipality=plan.municipality)}
        self.new_departments = _Table(Department)
        self.fiscal_years = _Table(FiscalYear)
        self.pillars = _Table(Pillar)
        self.areas = _Table(Area, {"pillar_id": self.pillars})
        self.measures = _Table(Measure, {"pillar_id": self.pillars, "area_id": self.areas})
        in_year = {
            "fiscal_year_id": self.fiscal_years,
            "measure_id": self.measures,
            "department_id": self.new_departments,
        }
        self.assignments = _Table(Assignment, in_year)
        self.records = _Table(Record, in_year)
        self.items = _Table(Item, {"record_id": self.records})
        self.indicators = _Table(Indicator, {"item_id": self.items})
        self.dates = _Table(ItemDate, {"item_id": self.items})
        self.reports = _Table(Report, {"fiscal_year_id": self.fiscal_years})
        self.pages = _Table(ReportPage, {"report_id": self.reports})

    def department(self, name: str) -> int:
        if name not in self.departments:
            self.departments[name] = self.new_departments.add(municipality_id=self.plan.municipality_id, name=name)
        return self.departments[name]

    def load(self) -> int:
        """Write the plan's rows; return how many were written."""
        now = timezone.now()
        latest = self.documents[-1]
        shown = {year: d for d in self.documents for year in d.years}
        fiscal_years = {
            year: self.fiscal_years.add(plan_id=self.plan.pk, year=year, status=FiscalYear.Status.PUBLISHED)
            for year in sorted(shown)
        }
        first_year = self.documents[0].fiscal_year
        records_of = {(year, m.title): m.records.get(year, ()) for year, d in shown.items() for m in d.all_measures()}
        departments_of = {(d.fiscal_year, m.title): m.departments for d in self.documents for m in d.all_measures()}
        position = 0
        for pillar_record in latest.pillars:
            pillar = self.pillars.add(
                plan_id=self.plan.pk,
                number=pillar_record.number,
                title=pillar_record.title,
                purpose=pillar_record.purpose,
                numbering=pillar_record.numbering,
            )
            placed: list[tuple[int | None, plain.Measure]] = [(None, m) for m in pillar_record.measures]
            for area_record in pillar_record.areas:
                area = self.areas.add(
                    pillar_id=pillar,
                    number=area_record.number,
                    title=area_record.title,
                    numbering=area_record.numbering,
                )
                placed += [(area, m) for m in area_record.measures]
            for placed_area, measure_record in placed:
                position += 1
                measure = self.measures.add(
                    plan_id=self.plan.pk,
                    pillar_id=pillar,
                    area_id=placed_area,
                    position=position,
                    title=measure_record.title,
                    description=measure_record.description,
                    whole_government=measure_record.whole_government,
                    first_year=first_year,
                    last_year=None,
                )
                for document in self.documents:
                    for number, ref in enumerate(departments_of[(document.fiscal_year, measure_record.title)]):
                        self.assignments.add(
                            fiscal_year_id=fiscal_years[document.fiscal_year],
                            measure_id=measure,
                            department_id=self.department(ref.name),
                            sub_unit=ref.sub_unit,
                            position=number,
                        )
                for year in sorted(shown):
                    self.add_records(fiscal_years[year], year, measure, records_of[(year, measure_record.title)])
        for document in self.documents:
            self.add_report(fiscal_years[document.fiscal_year], document)
        tables = (
            self.new_departments,
            self.fiscal_years,
            self.pillars,
            self.areas,
            self.measures,
            self.assignments,
            self.records,
            self.items,
            self.indicators,
            self.dates,
            self.reports,
            self.pages,
        )
        _allocate_ids(tables)
        return sum(table.write(now) for table in tables)

    def add_records(self, fiscal_year: int, year: int, measure: int, records: Iterable[plain.Record]) -> None:
        for position, record_data in enumerate(records):
            department = self.department(record_data.department) if record_data.department else None
            record = self.records.add(
                fiscal_year_id=fiscal_year,
                measure_id=measure,
                department_id=department,
                position=position,
                state=Record.State.APPROVED,
            )
            # A new plan: nothing corrected yet.
            found = reading.read_record((i.text for i in record_data.items), year, self.units, {})
            for number, (item_data, (extraction, read)) in enumerate(zip(record_data.items, found, strict=True)):
                item = self.items.add(record_id=record, position=number, text=item_data.text, bullet=item_data.bullet)
                for n, one in enumerate(read):
                    self.indicators.add(item_id=item, position=n, **Indicator.fields_of(one))
                for n, d in enumerate(extraction.dates):
                    self.dates.add(item_id=item, position=n, **ItemDate.fields_of(d))

    def add_report(self, fiscal_year: int, document: plain.Document) -> None:
        report = self.reports.add(fiscal_year_id=fiscal_year, **Report.fields_of(document))
        for number, page in enumerate(document.pages, start=1):
            self.pages.add(report_id=report, number=number, first_row=page.first_row, label=page.label)


@action
def do_load_new_plan(
    documents: Sequence[plain.Document], *, municipality_code: str | None = None
) -> list[ImportResult] | None:
    """Store the reports of one plan that is not stored yet, if they agree (`agree`).

    Return one result per report, or None, having written nothing, when the plan already
    exists or the reports do not agree: then import them one by one with `do_import_document`.
    """
    if not documents or not agree(documents):
        return None
    plan, created, warnings = plan_of(documents[0], municipality_code)
    if not created:
        transaction.set_rollback(True)
        return None
    _PlanLoader(plan, documents, Unit.mapping()).load()
    do_make_first_editions(plan, documents)
    return [ImportResult.of(plan, document, warnings) for document in documents]
