"""Outcomes (issue 15, part 4): the city's crime figures per calendar year, entered by hand or counted from
the police's open data (a CSV per crime type and year, a row per incident), through the staff page and
`shishin police-csv`. The CSV here is written in the documented shape with rows of another city mixed in,
and counted again independently by the test."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shishin.plans.models import CrimeCount, Outcome, Plan

from ..conftest import People
from ..helpers import run, signed_in

pytestmark = pytest.mark.django_db

HEADER = [
    "罪名", "手口", "管轄警察署（発生地）", "管轄交番・駐在所（発生地）", "市区町村コード（発生地）",
    "都道府県（発生地）", "市区町村（発生地）", "町丁目（発生地）", "発生年月日（始期）", "発生時（始期）",
    "発生場所", "発生場所の詳細", "被害者の性別", "被害者の年齢", "職業", "施錠関係",
]  # fmt: skip
TOWNS = ["本町一丁目", "本町二丁目", "緑町三丁目", "貫井北町四丁目", "梶野町五丁目"]


def _incidents(seed: int = 7) -> list[dict[str, str]]:
    """Rows of two crime types in Koganei (132101) and in Kokubunji (132144), dates across 2023."""
    rng = random.Random(seed)
    rows = []
    for crime, count in (("自転車盗", 140), ("ひったくり", 23)):
        for _ in range(count):
            city, code = rng.choice([("小金井市", "132101")] * 3 + [("国分寺市", "132144")])
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            hour = rng.choice([str(rng.randint(0, 23)), "不明"])
            rows.append(
                {
                    "罪名": "窃盗", "手口": crime, "管轄警察署（発生地）": "小金井警察署", "管轄交番・駐在所（発生地）": "駅前交番",
                    "市区町村コード（発生地）": code, "都道府県（発生地）": "東京都", "市区町村（発生地）": city,
                    "町丁目（発生地）": rng.choice(TOWNS) if city == "小金井市" else "本多一丁目",
                    "発生年月日（始期）": f"2023/{month:02d}/{day:02d}", "発生時（始期）": hour,
                    "発生場所": "駐輪場", "発生場所の詳細": "その他", "被害者の性別": "男性",
                    "被害者の年齢": "20代", "職業": "学生", "施錠関係": "施錠せず",
                }
            )  # fmt: skip
    return rows


def _csv(rows: list[dict[str, str]], encoding: str = "cp932") -> bytes:
    lines = [",".join(HEADER)] + [",".join(row[column] for column in HEADER) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def test_the_police_csv_is_counted_exactly_for_the_plans_city(seeded: Plan, people: People) -> None:
    rows = _incidents()
    ours = [row for row in rows if row["市区町村コード（発生地）"] == "132101"]
    # Counted independently: by type, by month, by hour (None: 不明) and by 町丁目.
    by_type = Counter(row["手口"] for row in ours)
    by_month = Counter((row["手口"], int(row["発生年月日（始期）"][5:7])) for row in ours)
    by_hour = Counter(
        (row["手口"], None if row["発生時（始期）"] == "不明" else int(row["発生時（始期）"])) for row in ours
    )
    by_town = Counter((row["手口"], row["町丁目（発生地）"]) for row in ours)

    alice = signed_in(people.alice)
    upload = SimpleUploadedFile("自転車盗_2023.csv", _csv(rows))
    answer = alice.post(f"/staff/plans/{seeded.pk}/outcomes/police/", {"year": "2023", "csv": upload}, follow=True)
    page = answer.content.decode()
    assert f"2023年の ひったくり・自転車盗 を {len(ours):,} 件数えました" in page
    assert f"ほかの市区町村の {len(rows) - len(ours):,} 行は除きました" in page

    counts = CrimeCount.objects.filter(plan=seeded, year=2023)
    stored_type, stored_month, stored_hour, stored_town = Counter(), Counter(), Counter(), Counter()  # type: ignore[var-annotated]
    for c in counts:
        stored_type[c.crime] += c.count
        stored_month[(c.crime, c.month)] += c.count
        stored_hour[(c.crime, c.hour)] += c.count
        stored_town[(c.crime, c.town)] += c.count
    assert (stored_type, stored_month, stored_hour, stored_town) == (by_type, by_month, by_hour, by_town)
    outcomes = {(o.name, o.year, o.unit): o.value for o in Outcome.objects.filter(plan=seeded)}
    assert outcomes == {(crime, 2023, "件"): Decimal(n) for crime, n in by_type.items()}

    # The page shows the counts by 町丁目, most first, and the year as a calendar year.
    page = alice.get(f"/staff/plans/{seeded.pk}/outcomes/").content.decode()
    (town, most), *_ = sorted(((t, n) for (c, t), n in by_town.items() if c == "自転車盗"), key=lambda x: (-x[1], x[0]))
    assert "自転車盗（2023年）" in page and f'<th scope="row">{town}</th><td>{most}</td>' in page

    # Imported again (UTF-8 this time): the year's counts of those types are replaced, not added to.
    again = SimpleUploadedFile("再取込.csv", _csv(rows, "utf-8-sig"))
    alice.post(f"/staff/plans/{seeded.pk}/outcomes/police/", {"year": "2023", "csv": again})
    assert sum(c.count for c in CrimeCount.objects.filter(plan=seeded)) == len(ours)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("no_town", "1行目の見出しに「町丁目（発生地）」がありません"),
        ("other_city", "市区町村コード 132101 の行がありません（ほかの市区町村の行が"),
        ("last_year", "3行目の「発生年月日（始期）」「2022/12/31」は2023年ではありません"),
        ("not_a_date", "3行目の「発生年月日（始期）」「令和5年ごろ」は日付ではありません"),
        ("bad_hour", "3行目の「発生時（始期）」「25」は 0 から 23 の時刻か「不明」です"),
        ("bad_byte", "3行目の 1 バイト目（0x81）を Shift_JIS としても UTF-8 としても読めません"),
        ("open_quote", "行目を CSV として読めません（閉じていない"),
        ("long_cell", "行目を CSV として読めません（セルが長すぎます）"),
    ],
)
def test_a_police_csv_that_cannot_be_counted_names_the_line_and_writes_nothing(
    seeded: Plan, people: People, damage: str, message: str
) -> None:
    rows = [row for row in _incidents() if row["市区町村コード（発生地）"] == "132101"][:5]
    data = _csv(rows)
    if damage == "no_town":
        data = data.replace("町丁目（発生地）".encode("cp932"), "町名".encode("cp932"), 1)
    elif damage == "other_city":
        data = _csv([row | {"市区町村コード（発生地）": "132144"} for row in rows])
    elif damage == "last_year":
        data = _csv([rows[0], rows[1] | {"発生年月日（始期）": "2022/12/31"}, *rows[2:]])
    elif damage == "not_a_date":
        data = _csv([rows[0], rows[1] | {"発生年月日（始期）": "令和5年ごろ"}, *rows[2:]])
    elif damage == "bad_hour":
        data = _csv([rows[0], rows[1] | {"発生時（始期）": "25"}, *rows[2:]])
    elif damage == "open_quote":  # one stray quote would swallow the rows after it
        data = _csv([rows[0], rows[1] | {"発生場所の詳細": '"駐輪場'}, *rows[2:]])
    elif damage == "long_cell":
        data = _csv([rows[0], rows[1] | {"発生場所の詳細": '"' + "あ" * 140_000 + '"'}, *rows[2:]])
    else:
        lines = data.split(b"\r\n")
        lines[2] = b"\x81\x20" + lines[2]  # a lead byte of Shift_JIS with no trail byte
        data = b"\r\n".join(lines)
    answer = signed_in(people.alice).post(
        f"/staff/plans/{seeded.pk}/outcomes/police/",
        {"year": "2023", "csv": SimpleUploadedFile("犯罪.csv", data)},
        follow=True,
    )
    assert message in answer.content.decode()
    assert not CrimeCount.objects.exists() and not Outcome.objects.exists()


def test_outcomes_by_hand_and_from_the_command_line(seeded: Plan, people: People, tmp_path: Path) -> None:
    alice = signed_in(people.alice)
    saved = alice.post(
        f"/staff/plans/{seeded.pk}/outcomes/set/",
        {"name": "刑法犯認知件数", "unit": "件", "year": "2023", "value": "1,038"},
        follow=True,
    )
    assert "刑法犯認知件数（2023年）を 1,038件 としました" in saved.content.decode()
    refused = alice.post(
        f"/staff/plans/{seeded.pk}/outcomes/set/",
        {"name": "刑法犯認知件数", "unit": "件", "year": "2023", "value": "-1"},
        follow=True,
    )
    assert "値「-1」は 0 以上の数で書いてください" in refused.content.decode()
    assert Outcome.objects.get(name="刑法犯認知件数").value == Decimal(1038)

    rows = _incidents(seed=11)
    path = tmp_path / "ひったくり_2023.csv"
    path.write_bytes(_csv(rows))
    ours = Counter(row["手口"] for row in rows if row["市区町村コード（発生地）"] == "132101")
    status, out, err = run("police-csv", str(path), "--year", "2023")
    assert status == 0, err
    assert f"2023年 自転車盗: {ours['自転車盗']:,}件" in out
    status, out, err = run("police-csv", str(path), "--year", "2022")
    assert status != 0 and "は2022年ではありません" in err


def test_line_endings_of_any_kind_are_read(seeded: Plan, people: People) -> None:
    rows = [row for row in _incidents() if row["市区町村コード（発生地）"] == "132101"][:6]
    alice = signed_in(people.alice)
    upload = SimpleUploadedFile("犯罪.csv", _csv(rows).replace(b"\r\n", b"\r"))  # an old Mac's
    alice.post(f"/staff/plans/{seeded.pk}/outcomes/police/", {"year": "2023", "csv": upload})
    assert sum(c.count for c in CrimeCount.objects.all()) == 6


def test_a_blank_date_is_counted_as_month_unknown(seeded: Plan, people: People) -> None:
    """The police leave 発生年月日（始期） blank when it is not known: counted, in the 不明 column."""
    rows = [row for row in _incidents() if row["市区町村コード（発生地）"] == "132101"][:5]
    rows[2] = rows[2] | {"発生年月日（始期）": ""}
    alice = signed_in(people.alice)
    upload = SimpleUploadedFile("犯罪.csv", _csv(rows))
    alice.post(f"/staff/plans/{seeded.pk}/outcomes/police/", {"year": "2023", "csv": upload})
    assert CrimeCount.objects.filter(month=None).count() == 1
    assert sum(c.count for c in CrimeCount.objects.all()) == 5


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "1e30"}, "値「1E+30」は整数14桁・小数4桁までで書いてください"),
        ({"unit": "件（警視庁の統計から）"}, "項目は100文字まで、単位は10文字までです"),
    ],
)
def test_an_outcome_the_database_cannot_keep_is_refused(
    seeded: Plan, people: People, fields: dict[str, str], message: str
) -> None:
    answer = signed_in(people.alice).post(
        f"/staff/plans/{seeded.pk}/outcomes/set/",
        {"name": "刑法犯認知件数", "unit": "件", "year": "2023", "value": "1038"} | fields,
        follow=True,
    )
    assert message in answer.content.decode() and not Outcome.objects.exists()
