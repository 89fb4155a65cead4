from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from shishin.plans.models import Indicator, ItemDate, Plan, Unit

from ..helpers import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(seeded: Plan) -> Plan:
    return seeded


def _patrol(year: int) -> list[tuple[str, int, str]]:
    found = Indicator.objects.filter(
        item__record__measure__title="CoCoパトロール隊による地域パトロール", item__record__fiscal_year__year=year
    ).order_by("item__position")
    return [(i.label, int(i.value), i.unit) for i in found]


def test_import_stores_the_quantities_of_every_item(imported: Plan) -> None:
    assert _patrol(2017) == [("車両数", 15, "台"), ("パトロール回数", 589, "回"), ("距離", 9588, "km")]
    assert _patrol(2018) == [("車両数", 15, "台"), ("パトロール回数", 472, "回"), ("距離", 7714, "km")]


def test_import_stores_dates_with_the_text_as_written(imported: Plan) -> None:
    newsletter = ItemDate.objects.get(text="H29.10.15")
    assert (newsletter.precision, newsletter.first.isoformat() if newsletter.first else None) == ("day", "2017-10-15")
    assert not Indicator.objects.filter(item=newsletter.item).exists()


def test_indicators_follow_a_change_of_text(imported: Plan, tmp_path: Path, seed_bytes: bytes) -> None:
    changed = tmp_path / "changed.txt"
    changed.write_bytes(seed_bytes.replace("パトロール回数 472回".encode(), "パトロール回数 480回".encode()))
    assert run("import", str(changed), "--replace")[0] == 0
    assert _patrol(2018)[1] == ("パトロール回数", 480, "回")
    assert _patrol(2017)[1] == ("パトロール回数", 589, "回")


def test_a_unit_added_as_data_is_found_after_recompute(imported: Plan) -> None:
    Unit.objects.filter(name="セット").delete()
    status, _, err = run("indicators", "--year", "2018", "--recompute", "--format", "json")
    assert status == 0 and "読み直しました" in err
    assert not Indicator.objects.filter(unit="セット").exists()
    Unit.objects.create(name="セット", label="セット数")
    run("indicators", "--year", "2018", "--recompute")
    assert Indicator.objects.filter(unit="セット", label="啓発グッズ", approximate=True).count() == 2


def test_the_list_as_json_has_one_object_per_indicator(imported: Plan) -> None:
    status, out, _ = run("indicators", "--year", "2018", "--format", "json")
    assert status == 0
    rows = json.loads(out)
    assert rows[1] == {
        "fiscal_year": 2018,
        "measure": "CoCoパトロール隊による地域パトロール",
        "department": "地域安全課",
        "item": "パトロール回数 472回",
        "label": "パトロール回数",
        "value": 472,
        "unit": "回",
        "qualifier": "",
        "approximate": False,
    }
    assert len(rows) == Indicator.objects.filter(item__record__fiscal_year__year=2018).count()


def test_the_list_as_csv_opens_in_excel(imported: Plan) -> None:
    status, out, _ = run("indicators", "--year", "2018", "--format", "csv")
    assert status == 0 and out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    # 上限値: a range's upper bound (「20～30名」), empty for any other number.
    assert rows[0] == ["年度", "施策", "担当課", "取組み", "指標", "値", "上限値", "単位", "修飾", "概数"]
    assert [
        "2018",
        "CoCoパトロール隊による地域パトロール",
        "地域安全課",
        "距離 7,714km",
        "距離",
        "7714",
        "",
        "km",
        "",
        "",
    ] in rows


def test_the_text_list_is_for_people(imported: Plan) -> None:
    status, out, _ = run("indicators", "--year", "2018")
    assert status == 0
    assert out.splitlines()[0].split() == [
        "年度",
        "施策",
        "担当課",
        "取組み",
        "指標",
        "値",
        "上限値",
        "単位",
        "修飾",
        "概数",
    ]
    assert "カンガルーポケット登録件数" in out


def test_a_range_has_its_upper_bound_in_every_listing(tmp_path: Path) -> None:
    from ..helpers import imported as import_rows
    from ..helpers import row

    import_rows(
        tmp_path,
        row(
            "説明会の開催",
            "地域安全課",
            "",
            "【地域安全課】 ・参加者 10人",
            "【地域安全課】 ・参加者 20～30名、会場 3会場",
        ),
    )
    status, out, err = run("indicators", "--year", "2018", "--format", "json")
    assert status == 0, err
    ranged, places = json.loads(out)
    assert (ranged["value"], ranged["value_max"], ranged["unit"]) == (20, 30, "名")
    assert "value_max" not in places and (places["value"], places["unit"]) == (3, "会場")
    status, out, _ = run("indicators", "--year", "2018", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert [(r["値"], r["上限値"], r["単位"]) for r in rows] == [("20", "30", "名"), ("3", "", "会場")]
