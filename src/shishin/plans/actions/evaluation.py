"""The 進行管理 layer on top of the records: a measure's indicators' targets (set, revised, in bulk from a
workbook), each year's achievement and grade by the plan's scale, and the plan's outcomes per calendar
year (by hand, or counted from the police's open data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from shishin.lib import grading, police_csv, quantities, wareki
from shishin.report import targets_workbook

from ..models import CrimeCount, GradeScale, Indicator, Measure, Outcome, Plan, Target
from .base import ActionError, Person, action

MAX_NAME, MAX_UNIT = 100, 10  # an outcome's name and unit (Outcome.unit is varchar(10))
# Years a plan's target can name: a Japanese plan runs from the Meiji era to a few decades ahead.
FIRST_YEAR, LAST_YEAR = 1868, 2200


@dataclass(frozen=True)
class TargetIn:
    """What a person sets for one indicator (the staff page, the API and a workbook row give the same)."""

    indicator: str
    unit: str
    kind: str
    direction: str
    baseline_year: int
    baseline_value: Decimal
    target_year: int
    target_value: Decimal
    reason: str = ""


def indicators_of(measure: Measure) -> dict[str, str]:
    """The indicators a measure's records count, by the label that pairs them across years, with their unit
    (the first unit read when one label was read with several)."""
    found: dict[str, str] = {}
    rows = (
        Indicator.objects.filter(item__record__measure=measure, hidden=False)
        .order_by("item__record__fiscal_year__year", "item__record__position", "item__position", "position")
        .values_list("label", "same_as", "unit")
    )
    for label, same_as, unit in rows:
        found.setdefault(same_as or label, unit)
    return found


LARGEST = Decimal(10) ** quantities.MAX_INTEGER_DIGITS  # what numeric(18, 4) keeps: 14 digits and 4 decimals


def check_amount(name: str, value: Decimal) -> None:
    """Refuse a value the database cannot keep exactly: negative, not a number, too large, too fine."""
    if not value.is_finite() or value < 0:
        raise ActionError(f"{name}「{value}」は 0 以上の数で書いてください")
    if value >= LARGEST or value != value.quantize(Decimal("0.0001")):
        raise ActionError(f"{name}「{value}」は整数{quantities.MAX_INTEGER_DIGITS}桁・小数4桁までで書いてください")


def check_target(measure: Measure, wanted: TargetIn, known: dict[str, str] | None = None) -> None:
    """Refuse a target the plan cannot hold, naming what is wrong (Japanese)."""
    known = indicators_of(measure) if known is None else known
    if wanted.indicator not in known:
        raise ActionError(
            f"施策「{measure}」に指標「{wanted.indicator}」はありません（取組みから読み取った指標に目標を設定できます）"
        )
    if wanted.unit != known[wanted.indicator]:
        raise ActionError(
            f"目標の単位「{wanted.unit}」は指標「{wanted.indicator}」の単位「{known[wanted.indicator]}」と違います"
        )
    if wanted.kind not in Target.Kind.values:
        raise ActionError(f"指標の種類「{wanted.kind}」は、{'・'.join(Target.Kind.labels)} のいずれかです")
    if wanted.direction not in Target.Direction.values:
        raise ActionError(f"方向「{wanted.direction}」は、{'・'.join(Target.Direction.labels)} のいずれかです")
    for name, year in (("基準年度", wanted.baseline_year), ("目標年度", wanted.target_year)):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ActionError(f"{name}「{year}」は {FIRST_YEAR} から {LAST_YEAR} までの年度（西暦）で書いてください")
    if wanted.target_year < wanted.baseline_year:
        raise ActionError(
            f"目標年度（{wareki.fiscal_year_name(wanted.target_year)}）が"
            f"基準年度（{wareki.fiscal_year_name(wanted.baseline_year)}）より前です"
        )
    for name, value in (("基準値", wanted.baseline_value), ("目標値", wanted.target_value)):
        check_amount(name, value)


@action
def do_set_target(measure: Measure, wanted: TargetIn, *, by: Person) -> Target:
    """Set an indicator's target, or revise it: the earlier target stays, shown as the original. A
    revision says why; setting the same target again changes nothing."""
    check_target(measure, wanted)
    current = Target.objects.filter(measure=measure, indicator=wanted.indicator).order_by("set_at", "pk").last()
    fields = {
        "unit": wanted.unit,
        "kind": wanted.kind,
        "direction": wanted.direction,
        "baseline_year": wanted.baseline_year,
        "baseline_value": wanted.baseline_value,
        "target_year": wanted.target_year,
        "target_value": wanted.target_value,
    }
    if current is not None:
        if all(getattr(current, name) == value for name, value in fields.items()):
            return current
        if not wanted.reason.strip():
            raise ActionError(f"指標「{wanted.indicator}」の目標を見直すときは、見直しの理由を書いてください")
    return Target.objects.create(
        measure=measure,
        indicator=wanted.indicator,
        reason=wanted.reason.strip(),
        set_by=by if by is not None and by.is_authenticated else None,
        **fields,
    )


def targets_of(measure: Measure) -> dict[str, list[Target]]:
    """Each indicator's targets, the original first and the one in force last."""
    found: dict[str, list[Target]] = {}
    for target in Target.objects.filter(measure=measure).order_by("set_at", "pk"):
        found.setdefault(target.indicator, []).append(target)
    return found


_BLANK_MESSAGES = (
    ("kind", "D", "種類"),
    ("direction", "E", "方向"),
    ("baseline_year", "F", "基準年度"),
    ("baseline_value", "G", "基準値"),
    ("target_year", "H", "目標年度"),
    ("target_value", "I", "目標値"),
)


@action
def do_set_targets(plan: Plan, rows: list[targets_workbook.TargetRow], *, by: Person) -> int:
    """Set or revise the targets a targets workbook's rows give, all or none (a refusal names the row);
    rows left blank are left as they are. Returns how many targets were set or revised."""
    measures = {measure.title: measure for measure in Measure.objects.filter(plan=plan)}
    known: dict[int, dict[str, str]] = {}
    count = 0
    for row in rows:
        if row.blank:
            continue
        where = f"{targets_workbook.SHEET}の{row.row}行目"
        measure = measures.get(row.measure)
        if measure is None:
            raise ActionError(f"{where}: 施策「{row.measure}」はこの指針にありません")
        for name, column, shown in _BLANK_MESSAGES:
            if getattr(row, name) in ("", None):
                raise ActionError(f"{where}: {shown}（{targets_workbook.SHEET}!{column}{row.row}）が空欄です")
        assert row.baseline_year and row.target_year and row.baseline_value is not None and row.target_value is not None
        wanted = TargetIn(
            row.indicator,
            row.unit,
            row.kind,
            row.direction,
            row.baseline_year,
            row.baseline_value,
            row.target_year,
            row.target_value,
            row.reason,
        )
        try:
            check_target(measure, wanted, known.setdefault(measure.pk, indicators_of(measure)))
            before = Target.objects.filter(measure=measure, indicator=wanted.indicator).count()
            do_set_target(measure, wanted, by=by)
        except ActionError as err:
            raise ActionError(f"{where}: {err}") from None
        count += Target.objects.filter(measure=measure, indicator=wanted.indicator).count() - before
    return count


def workbook_rows(plan: Plan) -> list[targets_workbook.TargetRow]:
    """Every measure's indicators with the target in force, as the targets workbook lists them."""
    rows = []
    for measure in Measure.objects.filter(plan=plan).order_by("position"):
        set_for = targets_of(measure)
        for indicator, unit in indicators_of(measure).items():
            current = set_for[indicator][-1] if indicator in set_for else None
            rows.append(
                targets_workbook.TargetRow(
                    row=0,
                    measure=measure.title,
                    indicator=indicator,
                    unit=unit,
                    kind=current.kind if current else "",
                    direction=current.direction if current else "",
                    baseline_year=current.baseline_year if current else None,
                    baseline_value=current.baseline_value if current else None,
                    target_year=current.target_year if current else None,
                    target_value=current.target_value if current else None,
                )
            )
    return rows


def scale_of(plan: Plan) -> grading.Scale:
    """The plan's grade scale, or the default."""
    found = GradeScale.objects.filter(plan=plan).first()
    return found.scale if found else grading.DEFAULT


@action
def do_set_grade_scale(plan: Plan, bands: str, no_target: str, no_value: str, *, by: Person) -> GradeScale:
    """Set how the plan grades its indicators; every grade shown is computed again from it."""
    try:
        scale = grading.parse(bands, no_target, no_value)
    except grading.ScaleError as err:
        raise ActionError(str(err)) from None
    found, _ = GradeScale.objects.update_or_create(
        plan=plan,
        defaults={"bands": grading.lines(scale), "no_target": scale.no_target, "no_value": scale.no_value},
    )
    return found


def actuals(measure: Measure, indicator: str) -> dict[int, Decimal]:
    """The indicator's actual value each fiscal year: its numbers in the measure's records, added up across
    departments (each counts its part), the first of a record's, hidden ones left out."""
    found: dict[int, Decimal] = {}
    counted: set[tuple[int, str]] = set()  # (year, item text) of the numbers added
    records: set[int] = set()
    rows = (
        Indicator.objects.filter(item__record__measure=measure, hidden=False)
        .filter(Q(same_as=indicator) | Q(same_as="", label=indicator))
        .order_by("item__record__position", "item__position", "position")
        .values_list("item__record__fiscal_year__year", "item__record_id", "item__text", "value")
    )
    for year, record, text, value in rows:
        # A record counts its first number of the indicator (「市内3社と協定」, then 「上記3社含む…」);
        # the same line written by two departments (one marking it 【交通対策課所管】) counts once.
        same = (year, _TAG_RE.sub("", text).strip())
        if record in records or same in counted:
            continue
        records.add(record)
        counted.add(same)
        found[year] = found.get(year, Decimal(0)) + value
    return found


_TAG_RE = re.compile(r"【[^】]*】")


@dataclass(frozen=True)
class Achievement:
    year: int
    actual: Decimal | None
    rate: Decimal | None
    grade: str

    @property
    def actual_text(self) -> str:
        """The actual value as people read it (1,157), or a dash."""
        return f"{self.actual.normalize():,f}" if self.actual is not None else "—"


def achievements(measure: Measure, target: Target, scale: grading.Scale) -> list[Achievement]:
    """Each fiscal year from the baseline to the target with a value, and each year of the plan in that
    span: the actual value, the achievement rate and the grade against the target in force."""
    values = actuals(measure, target.indicator)
    years = sorted(
        {year for year in values if target.baseline_year <= year <= target.target_year}
        | set(
            measure.plan.fiscal_years.filter(year__gte=target.baseline_year, year__lte=target.target_year).values_list(
                "year", flat=True
            )
        )
    )
    shown = []
    for year in years:
        actual = values.get(year)
        graded = grading.grade(scale, target.direction, target.baseline_value, target.target_value, actual)
        shown.append(Achievement(year, actual, graded.rate, graded.grade))
    return shown


@action
def do_set_outcome(plan: Plan, name: str, unit: str, year: int, value: Decimal, *, by: Person) -> Outcome:
    """Enter a plan-level figure of a calendar year by hand (刑法犯認知件数 2023年 1,038件)."""
    name, unit = name.strip(), unit.strip()
    if not name or not unit:
        raise ActionError("項目と単位を書いてください（例: 刑法犯認知件数、件）")
    if len(name) > MAX_NAME or len(unit) > MAX_UNIT:
        raise ActionError(f"項目は{MAX_NAME}文字まで、単位は{MAX_UNIT}文字までです")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ActionError(f"年「{year}」は {FIRST_YEAR} から {LAST_YEAR} までの暦年（西暦）で書いてください")
    check_amount("値", value)
    found, _ = Outcome.objects.update_or_create(
        plan=plan, name=name, year=year, defaults={"unit": unit, "value": value, "source": Outcome.Source.MANUAL}
    )
    return found


@action
def do_import_police_csv(plan: Plan, data: bytes, source: str, year: int, *, by: Person) -> police_csv.Counted:
    """Count a police open-data CSV of calendar ``year`` for the plan's municipality: its counts replace
    those of the same crime types and year, and each type's total is the year's outcome (件)."""
    code = plan.municipality.code
    if not code:
        raise ActionError(f"{plan.municipality}の全国地方公共団体コードが登録されていないので、行を選べません")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ActionError(f"年「{year}」は {FIRST_YEAR} から {LAST_YEAR} までの暦年（西暦）で書いてください")
    try:
        counted = police_csv.count(data, source, code, year)
    except police_csv.PoliceCsvError as err:
        raise ActionError(str(err)) from None
    crimes = {key.crime for key in counted.counts}
    CrimeCount.objects.filter(plan=plan, year=year, crime__in=crimes).delete()
    CrimeCount.objects.bulk_create(
        CrimeCount(plan=plan, crime=k.crime, year=year, month=k.month, hour=k.hour, town=k.town, count=n)
        for k, n in counted.counts.items()
    )
    for crime in crimes:
        total = sum(n for k, n in counted.counts.items() if k.crime == crime)
        Outcome.objects.update_or_create(
            plan=plan,
            name=crime,
            year=year,
            defaults={"unit": "件", "value": Decimal(total), "source": Outcome.Source.POLICE},
        )
    return counted
