from __future__ import annotations

import pytest

from shishin.lib import municipalities


@pytest.mark.parametrize("code", ["132101", "131016", "011002", "012131", "130001"])
def test_it_accepts_codes_with_a_correct_check_digit(code: str) -> None:
    assert municipalities.is_valid_code(code)


@pytest.mark.parametrize(
    ("code", "problem"),
    [("132102", "検査数字"), ("13210", "6桁"), ("13210X", "6桁"), ("1321011", "6桁")],
)
def test_it_says_what_is_wrong_with_a_code(code: str, problem: str) -> None:
    error = municipalities.code_error(code)
    assert error is not None and problem in error


def test_every_code_of_the_national_list_is_valid() -> None:
    entries = municipalities.entries()
    assert len(entries) == 1788
    assert all(municipalities.is_valid_code(e.code) for e in entries)


def test_it_finds_the_city_a_report_title_starts_with() -> None:
    name, found = municipalities.named_in("小金井市防犯指針に基づく平成30年度の取組み等について")
    assert name == "小金井市"
    assert [(e.code, e.prefecture) for e in found] == [("132101", "東京都")]


def test_a_name_shared_by_two_prefectures_gives_both() -> None:
    name, found = municipalities.named_in("府中市防犯指針")
    assert name == "府中市"
    assert sorted(e.prefecture for e in found) == ["広島県", "東京都"]


def test_a_leading_prefecture_settles_a_shared_name() -> None:
    name, found = municipalities.named_in("東京都府中市防犯指針")
    assert name == "府中市"
    assert [e.code for e in found] == ["132063"]


def test_a_name_not_in_the_list_is_returned_without_entries() -> None:
    assert municipalities.named_in("架空市防犯指針") == ("架空市", [])


def test_the_name_may_come_after_other_words() -> None:
    name, found = municipalities.named_in("■ 令和元年度 小金井市防犯指針の取組み")
    assert (name, [e.code for e in found]) == ("小金井市", ["132101"])


def test_a_prefecture_alone_is_found_too() -> None:
    name, found = municipalities.named_in("東京都安全安心まちづくり指針")
    assert (name, [e.code for e in found]) == ("東京都", ["130001"])
