"""The CSV of accounts read as Excel writes it: lines counted as people see them, departments in one
cell however they are separated, and the template read back."""

from __future__ import annotations

import pytest

from shishin.lib import people_csv
from shishin.lib.people_csv import CsvError, Row


def test_each_row_names_the_line_it_starts_on() -> None:
    data = (
        "\ufeff担当課,氏　名,ﾒｰﾙｱﾄﾞﾚｽ,役割,,\r\n"
        "\r\n"
        '"地域安全課\n学務課",小金井 太郎,taro@city.example.jp,編集者,,\r\n'
        ",,,,,\r\n"
        "学務課,貫井 次郎,jiro@city.example.jp,編集者\r\n"
    ).encode()
    assert people_csv.parse(data) == [
        Row(3, "小金井 太郎", "taro@city.example.jp", "編集者", ("地域安全課", "学務課")),
        Row(6, "貫井 次郎", "jiro@city.example.jp", "編集者", ("学務課",)),
    ]


@pytest.mark.parametrize(
    "cell", ["地域安全課、学務課", "地域安全課 学務課", "地域安全課　学務課", '"地域安全課, 学務課"']
)
def test_departments_in_one_cell_are_separated_as_people_type_them(cell: str) -> None:
    data = f"氏名,メールアドレス,役割,担当課\n太郎,taro@city.example.jp,編集者,{cell}\n".encode("cp932")
    assert people_csv.parse(data)[0].departments == ("地域安全課", "学務課")


def test_a_value_in_a_column_without_a_heading_is_refused_with_its_line() -> None:
    data = "氏名,メールアドレス,役割,担当課\n太郎,taro@city.example.jp,編集者,学務課,係長\n".encode()
    with pytest.raises(CsvError, match=r"^2行目: 見出しのない列に「係長」があります$"):
        people_csv.parse(data)


def test_what_render_writes_parse_reads_back() -> None:
    rows = [
        Row(2, "小金井 太郎", "taro@city.example.jp", "編集者", ("地域安全課", "学務課")),
        Row(3, "貫井, 次郎", "jiro@city.example.jp", "閲覧者", ()),
    ]
    written = people_csv.render(rows)
    assert written.startswith("\ufeff氏名,メールアドレス,役割,担当課\r\n".encode())
    assert people_csv.parse(written) == rows
