"""The extractor on text it was not written for: 220 items we wrote in the forms real municipal documents
use (事務事業評価, 施策評価, 成果報告書, 工程表, council answers…), labelled by the written rules in
tests/data/extraction_corpus.json (see extraction_corpus.md). The figures are printed (`pytest -s`).

The label rules were written against that corpus, so it is no longer text nobody here has seen: a
second one, tests/data/extraction_holdout.json (153 items, written afterwards in the forms of other
documents — fire yearbooks, library reports, environment and childcare plans, settlement answers — and
never tuned on), says what the rules do on new text. Its figures are printed and held as they are.

Seventeen more corpora followed (extraction_holdout3…19.json), each written blind to the extractor and to
the others, each measured once the day it arrived, before any rule looked at it, and tuned on only
after: the next one says what the rules do on text nobody here had seen. From the second on, a second
labeller, who saw neither the extractor nor its output, added to each quantity the other forms a clerk
accepts (`also_accepted`: 相談 / 相談件数, 増減 / 減少数, 「X（A）」 / 「AのX」…): one labeller's one to three
labels missed forms a clerk uses as readily. Both figures are printed.

A label is accepted when it is one the corpus lists; or holds one of them whole (「不審者対応の実技講習会の
開催回数」 holds 「実技講習会の開催回数」: more specific, still right); or is the end of one, four characters or
more (「貸与台数」 ends 「自動通話録音機の貸与台数」: a Japanese noun phrase ends in its head, so this drops only
what qualifies it; a head of three or fewer — 件数, 施設, 自転車 — says too little, as the judges below found);
「の」, 「・」, quotation marks and width aside. Both figures are printed, the accepted ones and those exactly as listed.

The lists are a proxy for a clerk. For the fourteenth to the nineteenth corpora two judges, blind to which
candidate came from where, read the extractor's labels beside the first labeller's and decoys
(tests/data/extraction_judged.json): they accepted far fewer of the extractor's labels than the lists did.
Where both judges said the same of the label the extractor gives, their word counts, not the lists'."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shishin.lib.quantities import DEFAULT_UNITS, Quantity, extract

DATA = Path(__file__).parents[1] / "data"
CORPUS = json.loads((DATA / "extraction_corpus.json").read_text(encoding="utf-8"))
HOLDOUT = json.loads((DATA / "extraction_holdout.json").read_text(encoding="utf-8"))
SECOND_HOLDOUT = json.loads((DATA / "extraction_holdout2.json").read_text(encoding="utf-8"))
LATER = {n: json.loads((DATA / f"extraction_holdout{n}.json").read_text(encoding="utf-8")) for n in range(3, 21)}
# What two judges said of a label for a figure, where they agreed: (item, span, label) → accepted.
JUDGED = {
    (row["id"], row["span"], row["candidate"]): row["verdicts"][0] == "Y"
    for corpus in json.loads((DATA / "extraction_judged.json").read_text(encoding="utf-8"))["corpora"].values()
    for row in corpus["rows"]
    if row["verdicts"][0] == row["verdicts"][1]
}
Key = tuple[Decimal, Decimal | None, str]


def _key(value: str, value_max: str | None, unit: str) -> Key:
    return (Decimal(value), Decimal(value_max) if value_max is not None else None, unit)


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    matched: int = 0
    labelled: int = 0
    labelled_by_first: int = 0
    exact: int = 0
    judged: int = 0  # labels a judge's word decided
    dates: int = 0
    dates_found: int = 0
    misses: list[str] = field(default_factory=list)
    by_category: Counter[str] = field(default_factory=Counter)
    wrong_in_category: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.matched / self.expected

    @property
    def precision(self) -> float:
        return self.matched / self.found

    @property
    def labels(self) -> float:
        return self.labelled / self.matched

    @property
    def labels_by_first(self) -> float:
        """Accepted by the first labeller's lists alone, where a second labeller added forms."""
        return self.labelled_by_first / self.matched


def _plain(label: str) -> str:
    # Width aside too: the extractor reads text folded by width, so ＤＶ相談 is labelled DV相談. Quotation
    # marks are typography a table keeps or drops: 「急病」の割合 is 急病の割合.
    return re.sub("[の・「」『』]", "", unicodedata.normalize("NFKC", label))


def _accepted(label: str, listed: list[str]) -> bool:
    found = _plain(label)
    return any(_plain(wanted) in found or (len(found) >= 4 and _plain(wanted).endswith(found)) for wanted in listed)


def _score(corpus: dict[str, Any]) -> Score:
    score = Score()
    for item in corpus["items"]:
        extraction = extract(item["text"], DEFAULT_UNITS, fiscal_year=item["fiscal_year"])
        found: list[Quantity] = list(extraction.quantities)
        wanted: list[dict[str, Any]] = list(item["quantities"])
        score.expected += len(wanted)
        score.found += len(found)
        wrong = False
        for want in wanted:
            key = _key(want["value"], want["value_max"], want["unit"])
            hit = next((q for q in found if (q.value, q.value_max, q.unit) == key), None)
            if hit is None:
                score.misses.append(f"{item['id']} missed {want['span']} {key} in {item['text']}")
                wrong = True
                continue
            found.remove(hit)
            score.matched += 1
            score.exact += hit.label in want["labels"]
            score.labelled_by_first += _accepted(hit.label, want["labels"])
            judged = JUDGED.get((item["id"], want["span"], hit.label))
            score.judged += judged is not None
            if judged if judged is not None else _accepted(hit.label, want["labels"] + want.get("also_accepted", [])):
                score.labelled += 1
            else:
                score.misses.append(f"{item['id']} label {hit.label!r} not in {want['labels']} ({want['span']})")
        for extra in found:
            score.misses.append(
                f"{item['id']} extra {item['text'][extra.start : extra.end]} ({extra.value} {extra.unit}) in {item['text']}"
            )
            wrong = True
        score.dates += len(item["dates"])
        spans = [(d.start, d.end) for d in extraction.dates]
        for date in item["dates"]:
            start = item["text"].find(date)
            if any(s <= start and start + len(date) <= e for s, e in spans):
                score.dates_found += 1
            else:
                score.misses.append(f"{item['id']} date {date} not found in {item['text']}")
        for category in item.get("categories", []):
            score.by_category[category] += 1
            score.wrong_in_category[category] += wrong
    return score


def _scored(name: str, corpus: dict[str, Any]) -> Score:
    found = _score(corpus)
    print(
        f"\n{name}: {len(corpus['items'])} items, {found.expected} quantities: "
        f"recall {found.recall:.3f}, precision {found.precision:.3f}, labels {found.labels:.3f} "
        f"(by the first labeller's lists alone {found.labels_by_first:.3f}, "
        f"exactly as listed {found.exact / found.matched:.3f}), "
        f"dates {found.dates_found}/{found.dates}"
        + (f", {found.judged} labels as the judges read them" if found.judged else "")
    )
    for category, count in sorted(found.by_category.items()):
        print(f"  {category}: {count - found.wrong_in_category[category]}/{count} items right")
    print("\n".join(found.misses))
    return found


@pytest.fixture(scope="module")
def score() -> Score:
    return _scored("extraction corpus", CORPUS)


@pytest.fixture(scope="module")
def holdout() -> Score:
    return _scored("held-out corpus", HOLDOUT)


@pytest.fixture(scope="module")
def second_holdout() -> Score:
    return _scored("second held-out corpus", SECOND_HOLDOUT)


@pytest.mark.parametrize(
    ("corpus", "size"), [(CORPUS, 150), (HOLDOUT, 110), (SECOND_HOLDOUT, 150), *((c, 150) for c in LATER.values())]
)
def test_the_corpus_is_large_and_checked(corpus: dict[str, Any], size: int) -> None:
    items = corpus["items"]
    assert len(items) >= size and len({i["id"] for i in items}) == len(items)
    for item in items:
        assert all(q["span"] in item["text"] for q in item["quantities"]), item["id"]
        assert all(d in item["text"] for d in item["dates"]), item["id"]


def test_numbers_and_units_are_found_with_recall_and_precision_of_095(score: Score) -> None:
    assert score.recall >= 0.95 and score.precision >= 0.95


def test_labels_a_clerk_would_accept(score: Score) -> None:
    # Measured 0.850 (0.573 exactly as listed; 0.37 before the label rules of issue 12): the goal; 0.857 once
    # a head alone needs four characters to be accepted.
    assert score.labels >= 0.85


def test_dates_are_dates(score: Score) -> None:
    assert score.dates_found / score.dates >= 0.95


def test_on_text_the_rules_were_not_written_for(holdout: Score) -> None:
    # Measured first, before any rule looked at it: recall 0.986, precision 0.973, labels 0.739. Its
    # failures then named categories the rules lacked (comparisons and times as labels, targets, clauses
    # that say which, attributes, kana nouns, denominators, units): now 1.000, 0.995 and 0.851. It has been
    # looked at since; the second held-out corpus below says what the rules do on new text.
    assert holdout.recall >= 0.95 and holdout.precision >= 0.95
    assert holdout.labels >= 0.83  # 0.887 before a head alone needed four characters


def test_the_seed_keeps_its_figures(seed_bytes: bytes) -> None:
    """The shipped report reads as it did before the units and rules for other cities' text: 49 and 48
    quantities in its two years, every one outside the dates, the patrols and refuge houses among them."""
    from shishin.report import table_text

    document = table_text.parse(seed_bytes)
    found: dict[int, list[tuple[Decimal, str]]] = {2017: [], 2018: []}
    for measure in document.all_measures():
        for year, records in measure.records.items():
            for item in (item for record in records for item in record.items):
                extraction = extract(item.text, DEFAULT_UNITS, fiscal_year=year)
                for q in extraction.quantities:
                    assert not any(d.start < q.end and q.start < d.end for d in extraction.dates), item.text
                found[year] += [(q.value, q.unit) for q in extraction.quantities]
    assert (len(found[2017]), len(found[2018])) == (49, 48)
    assert (Decimal(589), "回") in found[2017] and (Decimal(472), "回") in found[2018]
    assert (Decimal(1166), "件") in found[2017] and (Decimal(1157), "件") in found[2018]


def test_on_text_written_by_someone_else_after_the_rules(second_holdout: Score) -> None:
    # 221 items in the forms of 16 other kinds of documents, labelled by someone who read neither the
    # extractor nor the other corpora. Measured first, before any rule looked at it: recall 0.955,
    # precision 0.964, labels 0.571 (0.35 exactly as listed). The numbers held; the labels do not
    # generalise: its labeller's conventions differ (「…の増減」 where the rules say 「…の減少数」) and,
    # more, the thing a number counts is often named far from it. Its misses then named units
    # (m³, dB, ppm, 機関, 人日…), the span 「…までの48日間」, sizes (口径150mm), 5点満点, 75%値, 1人1台
    # and 基準 in a condition: then 0.992, 0.990 and 0.575. With a second labeller's accepted forms its
    # labels were 0.686 (the rules of that day), 0.838 once the categories its misses named were ruled,
    # 0.868 with the rules the eighth and ninth corpora's misses named; 0.831 once a head alone needed four
    # characters.
    assert second_holdout.recall >= 0.95 and second_holdout.precision >= 0.95
    assert second_holdout.labels >= 0.83


# Each later corpus: its figures the day it arrived, before any rule looked at it (labels with the second
# labeller's forms, then by the first labeller's lists alone), and the floor that holds what was reached.
# The ninth arrived first; the eighth was measured after rules for the ninth's misses. Both read 0.778 at
# first sight, below the 0.85 the issue asks of text nobody here has seen (the third to seventh had climbed
# from 0.783 to 0.848); the tenth, after the rules their misses named, 0.838; the eleventh, after the
# tenth's, 0.881: the first corpus nobody here had seen on which the labels reach the 0.85; the
# twelfth, with the same rules, 0.829; the thirteenth, after the twelfth's, 0.791; the fifteenth 0.847 and
# the fourteenth, after rules the fifteenth's misses named, 0.922; the seventeenth and sixteenth, after
# rules from what the judges rejected, 0.842 and 0.843. By the lists the labels stand between 0.78 and
# 0.92 on text nobody here has seen. The judges (`JUDGED`) read the fourteenth to seventeenth the day they arrived: of
# the extractor's labels both accepted 0.78, 0.66, 0.63 and 0.66 (one or the other, 0.87, 0.75, 0.75 and
# 0.72), where they accepted 0.93, 0.97, 0.82 and 1.00 of the first labeller's and no decoy. The
# eighteenth and nineteenth, after every rule from what the judges had rejected: 0.820 and 0.837 by the
# lists, 0.66 and 0.71 by both judges (0.67 and 0.77 by either; 1.00 and 0.95 of the first labeller's).
# The lists were kinder than a clerk: on text nobody here has seen the labels are not at the 0.85.
# The twentieth, after the rules naming a figure by its kind (実績, 目標) or by its line's measure (人数), gave
# each figure one long label (its lists accept 0.338); by both judges 0.647 (0.70 by either).
# (The lists' figures here were read with the rule of their day: a head of two or three characters was
# accepted, and up to the thirteenth quotation marks were not set aside.)
FIRST_SIGHT = {
    3: "recall 0.964, precision 0.971, labels 0.783 (0.651)",
    4: "recall 0.945, precision 0.983, labels 0.811 (0.733)",
    5: "recall 0.970, precision 0.988, labels 0.814 (0.735)",
    6: "recall 0.986, precision 0.976, labels 0.844 (0.775)",
    7: "recall 0.976, precision 0.991, labels 0.848 (0.790)",
    8: "recall 0.991, precision 0.988, labels 0.778 (0.703)",
    9: "recall 0.998, precision 0.985, labels 0.778 (0.721)",
    10: "recall 0.981, precision 0.981, labels 0.838 (0.757)",
    11: "recall 0.998, precision 0.986, labels 0.881 (0.810)",
    12: "recall 0.993, precision 0.978, labels 0.829 (0.706)",
    13: "recall 0.983, precision 0.981, labels 0.791 (0.642)",
    14: "recall 0.987, precision 0.998, labels 0.922 (0.865); as the judges read them 0.778",
    15: "recall 0.991, precision 0.991, labels 0.847 (0.786); as the judges read them 0.655",
    16: "recall 0.980, precision 0.968, labels 0.843 (0.774), 0.796 by heads of four; as the judges read them 0.631",
    17: "recall 0.970, precision 0.983, labels 0.842 (0.745), 0.789 by heads of four; as the judges read them 0.655",
    18: "recall 0.998, precision 0.994, labels 0.820 (0.710), 0.728 by heads of four; as the judges read them 0.656",
    19: "recall 0.971, precision 0.978, labels 0.837 (0.707), 0.769 by heads of four; as the judges read them 0.713",
    20: "recall 0.985, precision 0.979, labels 0.338 by its one label a figure; as the judges read them 0.647",
}


@pytest.mark.parametrize(
    ("number", "floor"),
    [
        (3, 0.82),
        (4, 0.84),
        (5, 0.82),
        (6, 0.84),
        (7, 0.83),
        (8, 0.76),
        (9, 0.78),
        (10, 0.82),
        (11, 0.83),
        (12, 0.81),
        (13, 0.77),  # 0.783 until △ read below zero matched three more figures, two of them with poor labels
        (14, 0.90),
        (15, 0.84),
        (16, 0.80),
        (17, 0.83),
        (18, 0.75),
        (19, 0.78),
        (20, 0.64),
    ],
)
def test_on_corpora_written_blind_after_the_rules(number: int, floor: float) -> None:
    score = _scored(f"held-out corpus {number} (first sight: {FIRST_SIGHT[number]})", LATER[number])
    assert score.recall >= 0.95 and score.precision >= 0.95
    assert score.labels >= floor


def test_the_judges_read_figures_of_the_corpora_and_told_right_from_wrong() -> None:
    """Each judged row is a figure of its corpus, and the judges' word is worth counting: both accepted
    most first labels and no decoy (another figure's label from the same passage). (The sixteenth's
    labeller kept caps and totals out of its labels, by a convention of its own; the judges took 7 of 40.)"""
    judged = json.loads((DATA / "extraction_judged.json").read_text(encoding="utf-8"))["corpora"]
    for name, corpus in judged.items():
        items = {item["id"]: item for item in json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))["items"]}
        for row in corpus["rows"]:
            assert any(q["span"] == row["span"] for q in items[row["id"]]["quantities"]), row
        for judge in (0, 1):
            said = Counter((row["kind"], row["verdicts"][judge]) for row in corpus["rows"])
            assert said["first label", "Y"] >= 0.8 * (said["first label", "Y"] + said["first label", "N"])
            assert said["decoy", "Y"] <= 0.05 * (said["decoy", "Y"] + said["decoy", "N"])
