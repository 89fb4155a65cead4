"""Year over year on the web: the report page and each measure page show what changed since the previous
year, and a page per year says it in sentences for the council paper, largest changes first."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from shishin.plans.models import Measure, Plan

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_report_page_lists_the_numbers_of_both_years_with_their_change(seeded: Plan) -> None:
    page = Client().get(f"/plans/{seeded.pk}/years/2018/").content.decode()
    section = page[page.index('<h2 id="changes">') :]
    patrol = Measure.objects.get(title=PATROL)
    row = next(r for r in section.split("<tr>") if "パトロール回数" in r)
    assert f'href="/plans/{seeded.pk}/measures/{patrol.pk}/"' in row
    assert " ".join(_text(row).split()) == f"{PATROL} 地域安全課 パトロール回数 589回 472回 ↓ −117回（−19.9%）"
    shelters = next(r for r in section.split("<tr>") if "1,166件" in r)
    assert "↓ −9件（−0.8%）" in shelters


def test_a_measure_page_shows_the_change_since_the_previous_year(seeded: Plan) -> None:
    patrol = Measure.objects.get(title=PATROL)
    page = Client().get(f"/plans/{seeded.pk}/measures/{patrol.pk}/").content.decode()
    assert '<th scope="col">前年度比</th>' in page
    rows = page.split("<tr>")[1:]
    assert "↓ −117回（−19.9%）" in next(r for r in rows if "パトロール回数" in r)
    assert "↓ −1,874km（−19.5%）" in next(r for r in rows if "距離" in r)


def test_the_changes_page_says_them_largest_first_linked_to_their_measures(seeded: Plan) -> None:
    page = Client().get(f"/plans/{seeded.pk}/years/2018/changes/").content.decode()
    sentences = re.findall(r"<li>(.*?)</li>", page[page.index('<ol class="sentences">') :], re.S)
    percents = [float(re.search(r"へ([0-9.]+)%", s).group(1)) for s in sentences]  # type: ignore[union-attr]
    assert len(sentences) > 10 and percents == sorted(percents, reverse=True)
    patrol = Measure.objects.get(title=PATROL)
    (said,) = [s for s in sentences if "589回から472回へ" in s]
    assert "CoCoパトロール隊のパトロール回数は589回から472回へ19.9%減少しました。" in said
    assert f'href="/plans/{seeded.pk}/measures/{patrol.pk}/"' in said
    assert "前年度と同じ記載の取組みは" in page
    assert Client().get(f"/plans/{seeded.pk}/years/2017/changes/").status_code == 404  # no report of its own
