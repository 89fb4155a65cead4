"""The staff pages' forms: what each step takes, validated before an action is called."""

from __future__ import annotations

from typing import Any

from django import forms

from shishin.plans.actions import Assessment
from shishin.plans.models import Area, Department, Pillar, Plan, Target, items_too_large
from shishin.report.records import Item


def items_from_text(text: str) -> list[Item]:
    """One item a line; a line starting with ・ is a bullet. Blank lines are dropped."""
    items = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            items.append(Item(line[1:].strip(), True) if line.startswith("・") else Item(line, False))
    return items


def items_text(items: tuple[Item, ...] | list[Item]) -> str:
    """The items as the editor's text box shows them: the inverse of `items_from_text`."""
    return "\n".join(("・" if i.bullet else "") + i.text for i in items)


def first_error(form: forms.Form) -> str:
    """The form's first error, for a message at the top of the page."""
    for errors in form.errors.values():
        return str(errors[0])
    return "入力内容を確認してください"


class VersionForm(forms.Form):
    """A step taken on a record as the page showed it: ``version`` names that state."""

    version = forms.IntegerField(min_value=0, error_messages={"invalid": "版の指定が正しくありません"})


class ItemsForm(VersionForm):
    items = forms.CharField(required=False, strip=False)
    no_activity = forms.BooleanField(required=False)
    # The department's own assessment; ``assessed`` says the form held its fields (a form without them
    # leaves it as it is).
    assessed = forms.BooleanField(required=False)
    self_grade = forms.CharField(required=False, max_length=10)
    issues = forms.CharField(required=False)
    outlook = forms.CharField(required=False, max_length=10)

    def assessment(self) -> Assessment | None:
        data = self.cleaned_data
        if not data.get("assessed"):
            return None
        return Assessment(data["self_grade"], data["issues"], data["outlook"])

    def clean_items(self) -> str:
        text: str = self.cleaned_data["items"]
        if problem := items_too_large(items_from_text(text)):
            raise forms.ValidationError(problem)
        return text

    def items_list(self) -> list[Item]:
        return items_from_text(self.cleaned_data["items"])


class SubmitForm(ItemsForm):
    confirm = forms.BooleanField(
        error_messages={"required": "提出する前に内容を確認し、「内容を確認しました」にチェックしてください"}
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(error_messages={"required": "確認欄にチェックしてから実行してください"})


class ReasonForm(VersionForm):
    reason = forms.CharField(required=False)


class CommentForm(forms.Form):
    text = forms.CharField(required=False)


class IndicatorForm(forms.Form):
    """What a number read from the text is: its label, not an indicator, another year's same indicator."""

    label = forms.CharField(required=False, max_length=200)
    hidden = forms.BooleanField(required=False)
    same_as = forms.CharField(required=False, max_length=200)


class OpenYearForm(forms.Form):
    year = forms.IntegerField(min_value=1868, max_value=9999)
    deadline = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


class PublishForm(forms.Form):
    override_reason = forms.CharField(required=False, widget=forms.Textarea, label="エラーを残したまま公表する理由")
    confirm = forms.BooleanField(
        label="プレビューで内容を確認しました",
        error_messages={
            "required": "プレビューで内容を確認し、「プレビューで内容を確認しました」にチェックしてください"
        },
    )


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, error_messages={"required": "トークンの用途を書いてください"})


class ReopenForm(forms.Form):
    reason = forms.CharField(required=False)


class AddMeasureForm(forms.Form):
    title = forms.CharField()
    description = forms.CharField(required=False)
    place = forms.CharField()  # "PILLAR:" or "PILLAR:AREA", as the page's choices write it
    departments = forms.CharField(required=False)  # names separated by blanks

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_place(self) -> tuple[Pillar, Area | None]:
        pillar_id, _, area_id = self.cleaned_data["place"].partition(":")
        pillar = Pillar.objects.filter(plan=self.plan, pk=pillar_id).first() if pillar_id.isdigit() else None
        area = Area.objects.filter(pillar=pillar, pk=area_id).first() if pillar and area_id.isdigit() else None
        if pillar is None or (area_id and area is None):
            raise forms.ValidationError("基本方針・施策の方向を一覧から選んでください")
        return pillar, area

    def department_names(self) -> list[str]:
        names: str = self.cleaned_data["departments"]
        return names.split()


class RenameMeasureForm(forms.Form):
    title = forms.CharField()


class RenameDepartmentForm(forms.Form):
    name = forms.CharField()


class MergeDepartmentsForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Department.objects.none())

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Department.objects.filter(municipality=plan.municipality)  # type: ignore[attr-defined]


class NewPlanForm(forms.Form):
    municipality = forms.CharField(
        max_length=40,
        error_messages={"required": "地方公共団体を全国地方公共団体コード（6桁）か名前で指定してください"},
    )
    name = forms.CharField(max_length=100, error_messages={"required": "指針の名前を書いてください（例: 防犯指針）"})
    first_year = forms.IntegerField(
        min_value=1989, max_value=9999, error_messages={"required": "最初の年度を西暦で書いてください（例: 2025）"}
    )


class PillarForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "基本方針の名前を書いてください"})
    purpose = forms.CharField(max_length=500, required=False)


class AreaForm(forms.Form):
    pillar = forms.ModelChoiceField(
        queryset=Pillar.objects.none(), error_messages={"required": "基本方針を選んでください"}
    )
    title = forms.CharField(max_length=200, error_messages={"required": "施策の方向の名前を書いてください"})

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = Pillar.objects.filter(plan=plan)  # type: ignore[attr-defined]


class StartCollectionForm(forms.Form):
    deadline = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": "提出期限は YYYY-MM-DD で書いてください"}
    )


class WorkbookForm(forms.Form):
    workbook = forms.FileField(error_messages={"required": "Excel ブック（.xlsx）を選んでください"})


class DepartmentForm(forms.Form):
    """One department's row on the departments page: its order, reading and contact address."""

    name = forms.CharField(max_length=100, required=False)
    position = forms.IntegerField(min_value=1, max_value=9999, required=False)
    reading = forms.CharField(max_length=100, required=False)
    email = forms.EmailField(required=False, error_messages={"invalid": "メールアドレスを正しく書いてください"})


DepartmentFormSet = forms.formset_factory(DepartmentForm, extra=3, max_num=500, absolute_max=500)


class TargetForm(forms.Form):
    """A target for one of a measure's indicators, set or revised (the unit is the indicator's)."""

    indicator = forms.CharField(error_messages={"required": "指標を選んでください"})
    kind = forms.ChoiceField(
        choices=Target.Kind.choices, error_messages={"invalid_choice": "指標の種類を選んでください"}
    )
    direction = forms.ChoiceField(
        choices=Target.Direction.choices, error_messages={"invalid_choice": "方向を選んでください"}
    )
    baseline_year = forms.IntegerField(
        error_messages={"required": "基準年度を書いてください", "invalid": "基準年度は西暦の数字で書いてください"}
    )
    baseline_value = forms.DecimalField(
        error_messages={"required": "基準値を書いてください", "invalid": "基準値は数で書いてください"}
    )
    target_year = forms.IntegerField(
        error_messages={"required": "目標年度を書いてください", "invalid": "目標年度は西暦の数字で書いてください"}
    )
    target_value = forms.DecimalField(
        error_messages={"required": "目標値を書いてください", "invalid": "目標値は数で書いてください"}
    )
    reason = forms.CharField(required=False, max_length=500)
