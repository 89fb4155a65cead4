"""The guideline (plan) and what every department reported in each fiscal year.

Writes go through `shishin.plans.actions`; these classes only hold data and
answer questions about it.

Text read from a report (names, titles, labels) has no length limit: a published report may
hold a long department name, and PostgreSQL would refuse what SQLite keeps. Those CharFields
have no max_length (varchar without a limit); only codes and choices are bounded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from simple_history.models import HistoricalRecords  # type: ignore[import-untyped]

from shishin.lib import grading, municipalities, quantities, wareki
from shishin.report import reading
from shishin.report import records as plain

from .history import history_user


def validate_municipality_code(code: str) -> None:
    error = municipalities.code_error(code)
    if error:
        raise ValidationError(error)


class Municipality(models.Model):
    # Null for a municipality not in the national list: accepted, with a warning on import.
    code = models.CharField(
        "全国地方公共団体コード",
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_municipality_code],
    )
    name = models.CharField("名称")
    prefecture = models.CharField("都道府県", max_length=10, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "地方公共団体"
        ordering = ["code", "name"]
        constraints = [models.UniqueConstraint(fields=["prefecture", "name"], name="unique_municipality_name")]

    def __str__(self) -> str:
        return f"{self.prefecture}{self.name}" if self.prefecture != self.name else self.name


def _in_published_years(model: str, field: str) -> models.Exists:
    """Rows of ``model`` (Record, Assignment) of a published year that point at the outer row by ``field``."""
    rows = apps.get_model("plans", model).objects.filter(fiscal_year__status=FiscalYear.Status.PUBLISHED)
    return models.Exists(rows.filter(**{field: models.OuterRef("pk")}))


class DepartmentQuerySet(models.QuerySet["Department"]):
    def public(self) -> DepartmentQuerySet:
        """Keep the departments named in published years: one named only in a draft is not public."""
        return self.filter(
            _in_published_years("Record", "department") | _in_published_years("Assignment", "department")
        )


def organisation_order(prefix: str = "") -> list[Any]:
    """Departments in the organisation's order, then 五十音 by reading, then by name; ``prefix`` orders
    other rows by their department ("department__")."""
    return [models.F(prefix + "position").asc(nulls_last=True), prefix + "reading", prefix + "name"]


def organisation_key(position: int | None, reading: str, name: str) -> tuple[bool, int, str, str]:
    """`organisation_order` in Python, for departments read as values."""
    return (position is None, position or 0, reading, name)


class Department(models.Model):
    """A unit of the city government (担当課); its sub-units are named on the assignment."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField("名称")
    # The organisation's order (組織順), then the reading (五十音順): how every list of departments is sorted.
    position = models.PositiveSmallIntegerField("組織順", null=True, blank=True)
    reading = models.CharField("よみがな", blank=True, default="", help_text="五十音順に並べるための読み（ひらがな）")
    # Requests and reminders go here too, so a department without accounts is still reached.
    email = models.EmailField("連絡先メールアドレス", blank=True, default="")
    # After a reorganisation (機構改革) the department lives on in another; its records stay its own.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged", verbose_name="統合先"
    )
    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords(get_user=history_user, verbose_name="担当課の履歴")

    class Meta:
        verbose_name = verbose_name_plural = "担当課"
        ordering = organisation_order()
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="unique_department_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> Department:
        """The department that reports for it now: itself, or the one it was merged into (merges followed)."""
        department, seen = self, set()
        while department.merged_into_id is not None and department.pk not in seen:
            seen.add(department.pk)
            assert department.merged_into is not None
            department = department.merged_into
        return department


class PlanQuerySet(models.QuerySet["Plan"]):
    def public(self) -> PlanQuerySet:
        """Keep the plans with a published edition (a year reopened for correction keeps its edition
        public): a plan being prepared is not public, not even its name."""
        editions = apps.get_model("plans", "Edition").objects.filter(fiscal_year__plan=models.OuterRef("pk"))
        return self.filter(models.Exists(editions))


class Plan(models.Model):
    """A guideline of one municipality (小金井市防犯指針); several may coexist."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField("名称")

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "指針"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="unique_plan_name")]

    def __str__(self) -> str:
        return self.name


class FiscalYear(models.Model):
    """A fiscal year of a plan, named by the 西暦 year it starts in (2018 = 平成30年度)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="fiscal_years")

    class Status(models.TextChoices):
        # A new plan's first year while its structure is built: no records, nothing asked of anyone yet.
        PREPARING = "preparing", "準備中"
        COLLECTING = "collecting", "照会中"
        LOCKED = "locked", "確定（全件承認済み）"
        PUBLISHED = "published", "公表済み"

    year = models.PositiveSmallIntegerField("年度（西暦）")
    # Public pages show only published years; a year shown in an imported published report is published.
    status = models.CharField("状態", max_length=12, choices=Status.choices, default=Status.COLLECTING)
    deadline = models.DateField("提出期限", null=True, blank=True)
    history = HistoricalRecords(get_user=history_user, verbose_name="年度の履歴")

    class Meta:
        verbose_name = verbose_name_plural = "年度"
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="unique_fiscal_year")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """令和元年度（2019年度）: how every page, mail and printed export writes a year."""
        return wareki.fiscal_year_name(self.year)

    @property
    def published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def editable(self) -> bool:
        """Records may change only while the year is being collected; a locked or published year is fixed."""
        return self.status == self.Status.COLLECTING

    @property
    def start(self) -> dt.date:
        return wareki.fiscal_year_bounds(self.year)[0]

    @property
    def end(self) -> dt.date:
        return wareki.fiscal_year_bounds(self.year)[1]


# Marks a pillar, area or measure holding one fiscal year's wording (`shishin.plans.wording`).
WORDED_FOR = "worded_for"


class WordedModel(models.Model):
    """A part of the plan that each fiscal year may word differently."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, WORDED_FOR, None) is not None:
            raise RuntimeError(f"{self!r} holds one fiscal year's wording; change it with wording.reword")
        super().save(*args, **kwargs)


class Pillar(WordedModel):
    """基本方針."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pillars")
    number = models.PositiveSmallIntegerField("番号")
    title = models.CharField("名称")
    purpose = models.CharField("目的", blank=True)
    numbering = models.CharField("番号の書き方", blank=True, help_text="「1 」以外の書き方のとき（例: 「１　」）")

    class Meta:
        verbose_name = verbose_name_plural = "基本方針"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_pillar_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Area(WordedModel):
    """施策の方向; a pillar may have none."""

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField("番号")
    title = models.CharField("名称")
    numbering = models.CharField("番号の書き方", blank=True, help_text="「(1) 」以外の書き方のとき（例: 「（１）」）")

    class Meta:
        verbose_name = verbose_name_plural = "施策の方向"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["pillar", "number"], name="unique_area_number")]

    def __str__(self) -> str:
        return f"({self.number}) {self.title}"


class MeasureQuerySet(models.QuerySet["Measure"]):
    def in_year(self, year: int) -> MeasureQuerySet:
        """Keep the measures the plan carried in fiscal year ``year``."""
        return self.filter(first_year__lte=year).filter(
            models.Q(last_year__isnull=True) | models.Q(last_year__gte=year)
        )

    def public(self) -> MeasureQuerySet:
        """Keep the measures of published years: one added only to a year being collected is not public."""
        return self.filter(_in_published_years("Record", "measure") | _in_published_years("Assignment", "measure"))


class Measure(WordedModel):
    """主要な施策: lives across fiscal years, from ``first_year`` until retired after ``last_year``."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    # RESTRICT: a pillar or area cannot be deleted from under its measures, but a whole plan can.
    pillar = models.ForeignKey(Pillar, on_delete=models.RESTRICT, related_name="measures")
    area = models.ForeignKey(Area, on_delete=models.RESTRICT, related_name="measures", null=True, blank=True)
    position = models.PositiveIntegerField("表示順")
    title = models.CharField("施策名")
    description = models.TextField("施策の内容", blank=True)
    whole_government = models.BooleanField("全庁", default=False)
    first_year = models.PositiveSmallIntegerField("開始年度")
    last_year = models.PositiveSmallIntegerField("終了年度", null=True, blank=True)

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords(get_user=history_user, verbose_name="施策の履歴")

    class Meta:
        verbose_name = verbose_name_plural = "主要な施策"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["plan", "title"], name="unique_measure_title")]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """A department carrying a measure in one fiscal year, in the order the report lists them."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="assignments")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, related_name="assignments")
    sub_unit = models.CharField("担当（課内の係・室）", blank=True)
    position = models.PositiveSmallIntegerField("表示順")

    class Meta:
        verbose_name = verbose_name_plural = "担当課の割当て"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "measure", "department"], name="unique_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.measure} / {self.department}"


class Wording(models.Model):
    """How a part of the plan read in one fiscal year, where that differs from how it reads now.

    A pillar, area or measure holds its wording now; a year whose wording differs keeps its own row,
    written before the wording changes (`shishin.plans.wording`), so editing one year's structure
    never rewrites another's.
    """

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {getattr(self, 'title', '')}"


class PillarWording(Wording):
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="wordings")
    title = models.CharField("名称")
    purpose = models.CharField("目的", blank=True)
    numbering = models.CharField("番号の書き方", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "基本方針の年度ごとの表記"
        constraints = [models.UniqueConstraint(fields=["pillar", "fiscal_year"], name="unique_pillar_wording")]


class AreaWording(Wording):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="wordings")
    title = models.CharField("名称")
    numbering = models.CharField("番号の書き方", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "施策の方向の年度ごとの表記"
        constraints = [models.UniqueConstraint(fields=["area", "fiscal_year"], name="unique_area_wording")]


class MeasureWording(Wording):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="wordings")
    title = models.CharField("施策名")
    description = models.TextField("施策の内容", blank=True)
    whole_government = models.BooleanField("全庁", default=False)
    history = HistoricalRecords(get_user=history_user, verbose_name="施策の年度ごとの表記の履歴")

    class Meta:
        verbose_name = verbose_name_plural = "施策の年度ごとの表記"
        constraints = [models.UniqueConstraint(fields=["measure", "fiscal_year"], name="unique_measure_wording")]


# How a record declared empty is printed in the report.
NO_ACTIVITY = "今年度は実績なし"


class Record(models.Model):
    """One department's entry for one measure in one fiscal year.

    No department: text the report does not attribute to one (「－」); at most one per measure and year.
    """

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "未着手"
        DRAFT = "draft", "作成中"
        SUBMITTED = "submitted", "提出済み"
        RETURNED = "returned", "差戻し"
        APPROVED = "approved", "承認済み"

    class Outlook(models.TextChoices):
        """今後の方向性: what the department means to do with the measure next year."""

        EXPAND = "expand", "拡充"
        CONTINUE = "continue", "継続"
        IMPROVE = "improve", "改善"
        REDUCE = "reduce", "縮小"
        ABOLISH = "abolish", "廃止"
        COMPLETE = "complete", "完了"

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="records")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="records")
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, related_name="records", null=True, blank=True)
    position = models.PositiveSmallIntegerField("表示順")
    # Records of an imported, published report are approved; those of an opened year start not started.
    state = models.CharField("状態", max_length=12, choices=State.choices, default=State.APPROVED)
    # The department declares it did nothing this year (a record is never submitted empty).
    no_activity = models.BooleanField("今年度は実績なし", default=False)
    # The department's own assessment of the year (進行管理): a grade of the plan's scale, the issues it
    # sees, and where the measure goes next year; saved, submitted, returned and approved with the items.
    self_grade = models.CharField("自己評価", max_length=10, blank=True, default="")
    issues = models.TextField("課題", blank=True, default="")
    outlook = models.CharField("今後の方向性", max_length=10, choices=Outlook.choices, blank=True, default="")
    # Optimistic locking: every save names the version it edited and bumps it; a stale save is refused.
    version = models.PositiveIntegerField("版", default=1)
    updated_at = models.DateTimeField("最終更新", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最終更新者",
    )
    history = HistoricalRecords(get_user=history_user, verbose_name="取組みの履歴")

    class Meta:
        verbose_name = verbose_name_plural = "取組み"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "measure", "department"], name="unique_record")]

    def __str__(self) -> str:
        return f"{self.fiscal_year.year} {self.measure} 【{self.department or '担当課なし'}】"

    @property
    def department_name(self) -> str:
        """The department's name as the report writes it; empty when the text is not attributed."""
        return self.department.name if self.department else ""

    def plain_items(self) -> tuple[plain.Item, ...]:
        """The items as plain records, in order (prefetch ``items`` to read them in one query)."""
        return tuple(item.plain() for item in self.items.all())

    def plain(self) -> plain.Record:
        items = self.plain_items()
        if self.no_activity and not items:
            items = (plain.Item(NO_ACTIVITY, bullet=False),)
        return plain.Record(self.department_name, items)


# What one department's record may hold (the demo's largest: 8 items, 229 characters): far above any
# real report, far below what makes a save slow or overflows `Item.position`. Documented in the README.
MAX_ITEMS_PER_RECORD = 200
MAX_ITEM_CHARACTERS = 2_000


def items_too_large(items: Sequence[plain.Item]) -> str:
    """Why ``items`` cannot be one record's (too many, or one too long), or "" when they can."""
    if len(items) > MAX_ITEMS_PER_RECORD:
        return f"項目が多すぎます（{len(items):,}項目）。1つの記録は{MAX_ITEMS_PER_RECORD}項目までです"
    for number, item in enumerate(items, 1):
        if len(item.text) > MAX_ITEM_CHARACTERS:
            return f"{number}項目目が長すぎます（{len(item.text):,}文字）。1項目は{MAX_ITEM_CHARACTERS:,}文字までです"
    return ""


class Item(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("表示順")
    text = models.TextField("内容")
    bullet = models.BooleanField("箇条書き（・）", default=True)
    carried_over = models.BooleanField("前年度から引継ぎ（要確認）", default=False)
    history = HistoricalRecords(get_user=history_user, verbose_name="項目の履歴")

    class Meta:
        verbose_name = verbose_name_plural = "取組みの項目"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["record", "position"], name="unique_item_position")]

    def __str__(self) -> str:
        return self.text

    def plain(self) -> plain.Item:
        return plain.Item(self.text, self.bullet)


class Report(models.Model):
    """What was published for a fiscal year, with the layout needed to write it back unchanged."""

    fiscal_year = models.OneToOneField(FiscalYear, on_delete=models.CASCADE, related_name="report")
    title = models.CharField("表題")
    years = models.JSONField("掲載年度（西暦）")
    year_labels = models.JSONField("年度の表記")
    headings = models.JSONField("見出し")
    title_mark = models.CharField("表題の記号", blank=True)
    blank_lines_before_title = models.PositiveSmallIntegerField(default=0)
    blank_lines_after_title = models.PositiveSmallIntegerField(default=0)
    trailing_newlines = models.PositiveSmallIntegerField(default=0)
    # Numbers of the pillars whose first area is printed on the pillar's row.
    inline_area_pillars = models.JSONField(default=list)

    class Meta:
        verbose_name = verbose_name_plural = "報告書"

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def fields_of(document: plain.Document, inline: set[int] | None = None) -> dict[str, Any]:
        """The row of a report's layout (``inline``: the pillars whose first area is on their row,
        when the document has no pillars to say it)."""
        if inline is None:
            inline = {p.number for p in document.pillars if p.first_area_inline}
        return {
            "title": document.title,
            "years": list(document.years),
            "year_labels": list(document.year_labels),
            "headings": list(document.headings),
            "title_mark": document.title_mark,
            "blank_lines_before_title": document.blank_lines_before_title,
            "blank_lines_after_title": document.blank_lines_after_title,
            "trailing_newlines": document.trailing_newlines,
            "inline_area_pillars": sorted(inline),
        }


class ReportPage(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveSmallIntegerField("ページ")
    first_row = models.PositiveIntegerField("最初の行")
    label = models.CharField("列の表記")

    class Meta:
        verbose_name = verbose_name_plural = "報告書のページ"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_page")]

    def __str__(self) -> str:
        return f"{self.report} p.{self.number}"


class _EditionStorage(LazyObject):
    """settings.STORAGES["editions"] (a folder, or an object store), looked up when first used and
    again whenever the setting changes (the tests point it at a folder of their own)."""

    def _setup(self) -> None:
        self._wrapped = storages["editions"]


_EDITION_STORAGE = _EditionStorage()


@receiver(setting_changed)
def _forget_edition_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _EDITION_STORAGE._wrapped = empty  # type: ignore[assignment]  # as Django resets its own


def edition_storage() -> Any:
    """Where editions' files are kept (FileField takes a callable; migrations name it, not a folder)."""
    return _EDITION_STORAGE


def edition_file_name(instance: EditionFile, filename: str) -> str:
    edition = instance.edition
    return f"{edition.fiscal_year.plan_id}/{edition.fiscal_year.year}/{edition.number}/{filename}"


class Edition(models.Model):
    """A fiscal year's report as it was published: its files never change. A correction is the next
    edition, with the list of what changed (正誤表); every edition stays downloadable."""

    class Source(models.TextChoices):
        IMPORTED = "imported", "公表済みの報告書の取込み"
        PUBLISHED = "published", "Shishin での公表"

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveSmallIntegerField("版")
    published_at = models.DateTimeField("公表日時")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField("公表の方法", max_length=10, choices=Source.choices)
    override_reason = models.TextField("エラーの指摘を残したまま公表した理由", blank=True)
    # [{"measure", "department", "year", "before", "after"}]: what changed since the previous edition.
    corrections = models.JSONField("正誤表", default=list)
    # Who published and how quantities were read, as they were then: the files not yet written
    # are written from the edition's text with these, never from today's data.
    issuer = models.JSONField("発行者")
    units = models.JSONField("単位")
    # The ids of the report's measures in its order, as they were: links from the edition's page
    # find a measure renamed since.
    measures = models.JSONField("施策（報告書の順）", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "公表版"
        ordering = ["fiscal_year", "number"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "number"], name="unique_edition_number")]

    def __str__(self) -> str:
        return f"{self.fiscal_year} 第{self.number}版"

    @property
    def label(self) -> str:
        """第1版 令和2年6月1日公表 (or 取込み: the date a published report was imported, not its own)."""
        day = timezone.localtime(self.published_at).date()
        done = "取込み" if self.source == self.Source.IMPORTED else "公表"
        return f"第{self.number}版 {wareki.format_date(day)}{done}"


class EditionFile(models.Model):
    """One format of an edition: its bytes in the editions' storage and their SHA-256."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="files")
    format = models.CharField("形式", max_length=10)
    content = models.FileField("ファイル", storage=edition_storage, upload_to=edition_file_name, max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大きさ（バイト）")

    class Meta:
        verbose_name = verbose_name_plural = "公表版のファイル"
        constraints = [models.UniqueConstraint(fields=["edition", "format"], name="unique_edition_format")]

    def __str__(self) -> str:
        return f"{self.edition} {self.format}"


class Unit(models.Model):
    """A unit counted in report text (台, 回, 団体…); the list is data, extended in the admin."""

    name = models.CharField("単位", max_length=10, unique=True)
    label = models.CharField("既定の項目名", max_length=30, help_text="本文に項目名がないときの名前（例: 件 → 件数）")

    class Meta:
        verbose_name = verbose_name_plural = "単位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def mapping(cls) -> dict[str, str]:
        """Return unit → fallback label, as `shishin.lib.quantities.extract` takes it."""
        return dict(cls.objects.values_list("name", "label"))


class Indicator(models.Model):
    """A quantity read from an item's text, with what the staff corrected of it (`IndicatorCorrection`);
    recomputed whenever the text changes."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField("表示順")
    label = models.CharField("項目")  # as corrected, else as read
    read_label = models.CharField("読み取った項目", default="")
    # Which of the record's numbers of this read label and unit it is, from 0: what a correction names.
    occurrence = models.PositiveSmallIntegerField("同じ項目・単位の何番目か", default=0)
    hidden = models.BooleanField("指標ではない", default=False)
    same_as = models.CharField("他の年度の同じ指標", blank=True, default="")
    value = models.DecimalField(
        "値",
        max_digits=quantities.MAX_INTEGER_DIGITS + quantities.MAX_DECIMAL_PLACES,
        decimal_places=quantities.MAX_DECIMAL_PLACES,
    )
    value_max = models.DecimalField(
        "上限値（範囲のとき）",
        max_digits=quantities.MAX_INTEGER_DIGITS + quantities.MAX_DECIMAL_PLACES,
        decimal_places=quantities.MAX_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    unit = models.CharField("単位", max_length=10)
    qualifier = models.CharField("修飾", max_length=20, blank=True)
    approximate = models.BooleanField("概数", default=False)
    start = models.PositiveIntegerField("開始位置")
    end = models.PositiveIntegerField("終了位置")

    class Meta:
        verbose_name = verbose_name_plural = "指標"
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.label} {self.value.normalize():f}{self.unit}"

    @classmethod
    def of(cls, item: Item, position: int, read: reading.Read) -> Indicator:
        """The row of a quantity read from ``item``."""
        return cls(item=item, position=position, **cls.fields_of(read))

    @staticmethod
    def fields_of(read: reading.Read) -> dict[str, Any]:
        """The row's fields that hold the quantity and its correction (the bulk loader writes them too)."""
        return vars(read.quantity) | {
            "read_label": read.read_label,
            "occurrence": read.occurrence,
            "hidden": read.hidden,
            "same_as": read.fix.same_as if read.fix else "",
        }

    @property
    def series(self) -> str:
        """The label that pairs it with other years' numbers."""
        return self.same_as or self.label

    @property
    def quantity(self) -> quantities.Quantity:
        return quantities.Quantity(
            self.label, self.value, self.unit, self.qualifier, self.approximate, self.start, self.end, self.value_max
        )


class IndicatorCorrection(models.Model):
    """What the staff said of a number read from a record: its label, that it is not an indicator, or that
    it is the indicator another year calls ``same_as``. It names the number as the machine read it, so it
    holds while the text changes around it and lapses when that number is gone (`shishin.report.reading`).
    Opening the next year carries it to the record that follows (its history says so: ``CARRIED``)."""

    CARRIED = "前年度の訂正を引き継ぎ"

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="indicator_corrections")
    read_label = models.CharField("読み取った項目")
    unit = models.CharField("単位", max_length=10)
    occurrence = models.PositiveSmallIntegerField("同じ項目・単位の何番目か", default=0)
    label = models.CharField("項目（訂正）", blank=True)
    hidden = models.BooleanField("指標ではない", default=False)
    same_as = models.CharField("他の年度の同じ指標", blank=True)
    history = HistoricalRecords(get_user=history_user, verbose_name="指標の訂正の履歴")

    class Meta:
        verbose_name = verbose_name_plural = "指標の訂正"
        constraints = [
            models.UniqueConstraint(
                fields=["record", "read_label", "unit", "occurrence"], name="unique_indicator_correction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record}: {self.read_label}（{self.unit}）"

    @property
    def key(self) -> reading.Key:
        return (self.read_label, self.unit, self.occurrence)

    @property
    def fix(self) -> reading.Fix:
        return reading.Fix(self.label, self.hidden, self.same_as)


def _amount(name: str) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(
        name, max_digits=quantities.MAX_INTEGER_DIGITS + quantities.MAX_DECIMAL_PLACES, decimal_places=4
    )


class Target(models.Model):
    """The target of one of a measure's indicators (the label that pairs its numbers across years): a
    baseline and a target value, which way it should go, and whether it counts the measure's activity or
    its outcome. A revision is a new row and the earlier stay, so a revised target is shown with the
    original; the last set is the one in force."""

    class Kind(models.TextChoices):
        OUTPUT = "output", "活動指標"
        OUTCOME = "outcome", "成果指標"

    class Direction(models.TextChoices):
        INCREASE = "increase", "増やす"
        DECREASE = "decrease", "減らす"
        MAINTAIN = "maintain", "維持"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField("指標")
    unit = models.CharField("単位", max_length=10)
    kind = models.CharField("指標の種類", max_length=10, choices=Kind.choices)
    direction = models.CharField("方向", max_length=10, choices=Direction.choices)
    baseline_year = models.PositiveSmallIntegerField("基準年度")
    baseline_value = _amount("基準値")
    target_year = models.PositiveSmallIntegerField("目標年度")
    target_value = _amount("目標値")
    reason = models.CharField("見直しの理由", blank=True)
    set_at = models.DateTimeField("設定日時", default=timezone.now)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "目標"
        ordering = ["measure", "indicator", "set_at", "pk"]

    def __str__(self) -> str:
        return f"{self.measure}: {self.indicator} {self.target}（{self.target_year}年度）"

    @property
    def baseline(self) -> str:
        """The baseline as people read it: 1,166件."""
        return f"{self.baseline_value.normalize():,f}{self.unit}"

    @property
    def target(self) -> str:
        return f"{self.target_value.normalize():,f}{self.unit}"


class GradeScale(models.Model):
    """How a plan grades its indicators against their targets (`shishin.lib.grading`); a plan without one
    grades by the default. The bands are written one a line, as the staff page shows them."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="grade_scale")
    bands = models.TextField("評価の段階")
    no_target = models.CharField("目標がないときの評価", max_length=10, default="－")
    no_value = models.CharField("実績値がないときの評価", max_length=10, default="未把握")
    history = HistoricalRecords(get_user=history_user, verbose_name="評価の段階の履歴")

    class Meta:
        verbose_name = verbose_name_plural = "評価の段階"

    def __str__(self) -> str:
        return f"{self.plan}の評価の段階"

    @property
    def scale(self) -> grading.Scale:
        return grading.parse(self.bands, self.no_target, self.no_value)


class CouncilAssessment(models.Model):
    """The council's assessment of one measure in one fiscal year (協議会の評価): a grade of the plan's
    scale and its opinion, written by a reviewer and going through the records' steps — saved, submitted,
    returned with a reason or approved by an administrator. Only an approved one is published."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="council_assessments")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="council_assessments")
    grade = models.CharField("協議会の評価", max_length=10, blank=True, default="")
    opinion = models.TextField("協議会の意見", blank=True, default="")
    state = models.CharField("状態", max_length=12, choices=Record.State.choices, default=Record.State.DRAFT)
    returned_because = models.TextField("差戻しの理由", blank=True, default="")
    version = models.PositiveIntegerField("版", default=1)
    updated_at = models.DateTimeField("最終更新", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user, verbose_name="協議会の評価の履歴")

    class Meta:
        verbose_name = verbose_name_plural = "協議会の評価"
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "measure"], name="unique_council_assessment")]

    def __str__(self) -> str:
        return f"{self.fiscal_year.year} {self.measure}の協議会の評価"


class Outcome(models.Model):
    """A plan-level figure no department writes, per calendar year (as police statistics are, never a
    fiscal year): the city's crime figures, entered by hand or counted from the police's open data."""

    class Source(models.TextChoices):
        MANUAL = "manual", "手入力"
        POLICE = "police", "警察のオープンデータ"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    name = models.CharField("項目")
    unit = models.CharField("単位", max_length=10)
    year = models.PositiveSmallIntegerField("年（暦年）")
    value = _amount("値")
    source = models.CharField("出典", max_length=10, choices=Source.choices, default=Source.MANUAL)
    history = HistoricalRecords(get_user=history_user, verbose_name="成果指標の履歴")

    class Meta:
        verbose_name = verbose_name_plural = "成果指標（暦年）"
        ordering = ["name", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "name", "year"], name="unique_outcome")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}年 {self.shown}"

    @property
    def shown(self) -> str:
        return f"{self.value.normalize():,f}{self.unit}"


class CrimeCount(models.Model):
    """Incidents of the police's open data in the plan's municipality, counted by type (手口 or 罪名),
    calendar year, month, hour (None: not known) and 町丁目."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="crime_counts")
    crime = models.CharField("手口・罪名")
    year = models.PositiveSmallIntegerField("年（暦年）")
    month = models.PositiveSmallIntegerField("月", null=True, blank=True)  # None: the police left the date blank
    hour = models.PositiveSmallIntegerField("時", null=True, blank=True)
    town = models.CharField("町丁目", blank=True)
    count = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = verbose_name_plural = "犯罪の発生件数（警察のオープンデータ）"
        ordering = ["crime", "year", "month", "hour", "town"]

    def __str__(self) -> str:
        return f"{self.crime} {self.year}年{self.month}月 {self.town} {self.count}件"


class ItemDate(models.Model):
    """A date or period named in an item's text, kept with the text as written (H29.10.15)."""

    PRECISIONS = [("day", "日"), ("month", "月"), ("year", "年"), ("fiscal_year", "年度")]

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="dates")
    position = models.PositiveSmallIntegerField("表示順")
    text = models.CharField("表記", max_length=50)
    precision = models.CharField("精度", max_length=12, choices=PRECISIONS)
    first = models.DateField("開始日", null=True, blank=True)
    last = models.DateField("終了日", null=True, blank=True)
    start = models.PositiveIntegerField("開始位置")
    end = models.PositiveIntegerField("終了位置")

    class Meta:
        verbose_name = verbose_name_plural = "日付"
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text

    @classmethod
    def of(cls, item: Item, position: int, date: quantities.DateMention) -> ItemDate:
        """The row of a date read from ``item``."""
        return cls(item=item, position=position, **cls.fields_of(date))

    @staticmethod
    def fields_of(date: quantities.DateMention) -> dict[str, Any]:
        """The row's fields that hold the date (the bulk loader writes them too)."""
        return vars(date)


class Membership(models.Model):
    """A person's role in the yearly collection, and for editors the departments they write for."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", "管理者（取りまとめ課）"
        EDITOR = "editor", "担当課の編集者"
        REVIEWER = "reviewer", "閲覧者（協議会委員・管理職）"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField("役割", max_length=16, choices=Role.choices)
    departments = models.ManyToManyField(Department, blank=True, related_name="editors", verbose_name="担当課")

    class Meta:
        verbose_name = verbose_name_plural = "利用者の役割"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Comment(models.Model):
    """A note on a record: a reviewer's comment, or the reason an administrator returned it."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "コメント"
        RETURN = "return", "差戻し"
        APPROVAL = "approval", "承認"

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField("種類", max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField("内容", blank=True)
    created_at = models.DateTimeField("日時", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "コメント"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]


class ApiToken(models.Model):
    """A key a script calls the API with as its owner (``Authorization: Bearer …``). Only its SHA-256
    is kept: the key itself is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    digest = models.CharField("SHA-256", max_length=64, unique=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "API トークン"

    def __str__(self) -> str:
        return f"{self.user} {self.name}"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Mail(models.Model):
    """A message in the outbox. Written in the same transaction as the step that caused it and sent
    after that commits, so sending never blocks or undoes the step; a failure is kept to be retried
    and shown to the administrators."""

    class State(models.TextChoices):
        PENDING = "pending", "送信待ち"
        SENT = "sent", "送信済み"
        FAILED = "failed", "送信失敗"

    kind = models.CharField("種類", max_length=20)
    to = models.JSONField("宛先")
    subject = models.CharField("件名")
    body = models.TextField("本文")
    state = models.CharField("状態", max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("送信を試みた回数", default=0)
    error = models.TextField("最後のエラー", blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "メール"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="mail_state")]

    def __str__(self) -> str:
        return self.subject
