from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from shishin.plans.models import Department, Indicator, Measure, Municipality, Plan, Record

from ..helpers import export, mutated_lines, next_year_report, run, snapshot

pytestmark = pytest.mark.django_db

SEED_TITLE = "小金井市防犯指針に基づく平成30年度の取組み等について"


def _write(tmp_path: Path, data: bytes, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_it_imports_the_seed_and_writes_it_back_byte_for_byte(seed_path: Path, seed_bytes: bytes) -> None:
    status, out, err = run("import", str(seed_path))
    assert (status, err) == (0, "")
    assert "施策 25 件" in out
    assert export() == seed_bytes


def test_it_holds_the_seed_as_structured_data(seed_path: Path) -> None:
    run("import", str(seed_path))
    municipality = Municipality.objects.get()
    assert (municipality.code, municipality.prefecture, municipality.name) == ("132101", "東京都", "小金井市")
    plan = Plan.objects.get()
    assert plan.name == "小金井市防犯指針"
    assert Measure.objects.filter(plan=plan).count() == 25
    patrol = Measure.objects.get(title="CoCoパトロール隊による地域パトロール")
    assert patrol.whole_government and patrol.pillar.number == 1 and patrol.area and patrol.area.number == 1
    women = Measure.objects.get(title="女性の犯罪被害防止の推進")
    assert [(a.department.name, a.sub_unit) for a in women.assignments.all()] == [("企画政策課", "男女共同参画室")]
    assert not Department.objects.filter(name__contains="男女共同参画室").exists()
    record = Record.objects.get(measure=patrol, fiscal_year__year=2017)
    assert [(i.bullet, i.text) for i in record.items.all()] == [
        (True, "車両数 15台"),
        (True, "パトロール回数 589回"),
        (True, "距離 9,588km"),
    ]


def test_importing_the_same_file_twice_changes_nothing(seed_path: Path) -> None:
    run("import", str(seed_path))
    before = snapshot()
    status, out, _ = run("import", str(seed_path))
    assert status == 0 and "変更はありません" in out
    assert snapshot() == before


def test_crlf_bom_and_shift_jis_copies_are_the_same_report(tmp_path: Path, seed_path: Path, seed_bytes: bytes) -> None:
    run("import", str(seed_path))
    before = snapshot()
    crlf = _write(tmp_path, b"\xef\xbb\xbf" + seed_bytes.replace(b"\n", b"\r\n"), "crlf.txt")
    sjis = _write(tmp_path, seed_bytes.decode("utf-8").encode("cp932"), "sjis.txt")
    for path in (crlf, sjis):
        status, out, _ = run("import", str(path))
        assert status == 0 and "変更はありません" in out
    assert snapshot() == before


def _changed_seed(seed_bytes: bytes) -> bytes:
    return seed_bytes.replace("パトロール回数 589回".encode(), "パトロール回数 590回".encode())


def test_a_report_that_contradicts_stored_records_fails_with_the_differences(
    tmp_path: Path, seed_path: Path, seed_bytes: bytes
) -> None:
    run("import", str(seed_path))
    before = snapshot()
    status, _, err = run("import", str(_write(tmp_path, _changed_seed(seed_bytes))))
    assert status == 1
    assert "--replace" in err
    assert "平成29年度（2017年度）「CoCoパトロール隊による地域パトロール」【地域安全課】" in err
    assert "589回" in err and "590回" in err
    assert snapshot() == before


def test_replace_overwrites_the_stored_records(tmp_path: Path, seed_path: Path, seed_bytes: bytes) -> None:
    run("import", str(seed_path))
    changed = _changed_seed(seed_bytes)
    status, _, err = run("import", str(_write(tmp_path, changed)), "--replace")
    assert (status, err) == (0, "")
    assert export() == changed


def test_the_next_years_report_adds_a_year_and_keeps_the_last(
    tmp_path: Path, seed_path: Path, seed_bytes: bytes
) -> None:
    run("import", str(seed_path))
    later = next_year_report(seed_bytes)
    status, _, err = run("import", str(_write(tmp_path, later)))
    assert (status, err) == (0, "")
    assert export(2019) == later
    assert export(2018) == seed_bytes
    assert (
        Record.objects.filter(fiscal_year__year=2019).count() == Record.objects.filter(fiscal_year__year=2018).count()
    )


@pytest.mark.parametrize(
    ("mutate", "place", "expected"),
    [
        (lambda b: b[: b.index("\t【指導室】 ・カンガルーポケット登録件数 1,166件".encode())], ":13:", "列"),
        (lambda b: b.replace("\t全庁\t".encode(), "\t全庁\t\t".encode(), 1), ":7:", "6列あります"),
        (
            lambda b: b.replace("(2) 子どもの安全確保".encode(), "第2節 子どもの安全確保".encode()),
            ":10:1:",
            "施策の方向",
        ),
        (lambda b: b"", ":1:1:", "空です"),
        (lambda b: b"\x7fELF\x02\x01\x01\x00\x00\x00", ":1:8:", "バイナリ"),
        (lambda b: b.replace(b"\n", b"\r\n")[:-5] + b"\xff\xfe\x00", ":45:", "バイナリ"),
    ],
    ids=["truncated-row", "wrong-column-count", "unknown-section-row", "empty", "binary", "binary-tail"],
)
def test_bad_input_prints_one_line_exits_2_and_writes_nothing(
    tmp_path: Path, seed_path: Path, seed_bytes: bytes, mutate: object, place: str, expected: str
) -> None:
    run("import", str(seed_path))
    before = snapshot()
    assert callable(mutate)
    path = _write(tmp_path, mutate(seed_bytes), "bad.txt")
    status, out, err = run("import", str(path))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"{path}{place}"), err
    assert expected in err
    assert snapshot() == before


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    status, _, err = run("import", str(tmp_path / "none.txt"))
    assert status == 2 and err.startswith(f"{tmp_path / 'none.txt'}:1:1: ファイルを読めません")


def _retitled(seed_bytes: bytes, title: str) -> bytes:
    return seed_bytes.replace(SEED_TITLE.encode(), title.encode())


def test_municipality_code_overrides_the_title(tmp_path: Path, seed_path: Path) -> None:
    status, _, _ = run("import", str(seed_path), "--municipality", "132063")
    assert status == 0
    assert Plan.objects.get().municipality.name == "府中市"


def test_a_municipality_code_with_a_wrong_check_digit_is_refused(seed_path: Path) -> None:
    status, _, err = run("import", str(seed_path), "--municipality", "132102")
    assert status == 2 and "検査数字" in err
    assert not Plan.objects.exists()


def test_a_name_shared_by_two_prefectures_needs_the_code(tmp_path: Path, seed_bytes: bytes) -> None:
    path = _write(tmp_path, _retitled(seed_bytes, "府中市防犯指針に基づく平成30年度の取組み等について"))
    status, _, err = run("import", str(path))
    assert status == 2
    assert "132063（東京都府中市）" in err and "342084（広島県府中市）" in err and "--municipality" in err
    assert not Plan.objects.exists()
    status, _, _ = run("import", str(path), "--municipality", "342084")
    assert status == 0
    assert Plan.objects.get().municipality.prefecture == "広島県"


def test_a_name_not_in_the_list_is_accepted_without_a_code_with_a_warning(tmp_path: Path, seed_bytes: bytes) -> None:
    path = _write(tmp_path, _retitled(seed_bytes, "架空市防犯指針に基づく平成30年度の取組み等について"))
    status, _, err = run("import", str(path))
    assert status == 0
    assert "警告" in err and "架空市" in err
    municipality = Municipality.objects.get()
    assert (municipality.name, municipality.code) == ("架空市", None)


def test_several_municipalities_and_plans_coexist(tmp_path: Path, seed_path: Path, seed_bytes: bytes) -> None:
    other = _retitled(seed_bytes, "国分寺市防犯指針に基づく平成30年度の取組み等について")
    third = _retitled(seed_bytes, "小金井市防災指針に基づく平成30年度の取組み等について")
    for path in (seed_path, _write(tmp_path, other, "other.txt"), _write(tmp_path, third, "third.txt")):
        assert run("import", str(path))[0] == 0
    assert Plan.objects.count() == 3 and Municipality.objects.count() == 2
    status, _, err = run("export", "--year", "2018")
    assert status != 0 and "複数" in err
    assert export(2018, "--municipality", "132144") == other
    assert export(2018, "--municipality", "132101", "--plan", "小金井市防犯指針") == seed_bytes


def test_text_without_a_department_is_stored_and_written_back(tmp_path: Path, seed_bytes: bytes) -> None:
    with_dash = seed_bytes.replace("【地域安全課】 ・緊急に全市に広報すべき防犯上の情報なし".encode(), "－".encode(), 1)
    assert with_dash != seed_bytes
    status, _, err = run("import", str(_write(tmp_path, with_dash)))
    assert (status, err) == (0, "")
    record = Record.objects.get(measure__title="防災行政無線の活用", fiscal_year__year=2017)
    assert record.department is None
    assert [i.text for i in record.items.all()] == ["－"]
    assert export() == with_dash


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutated_lines())
def test_a_refused_import_leaves_the_database_as_it_was(tmp_path: Path, seed_path: Path, data: bytes) -> None:
    if not Plan.objects.exists():
        run("import", str(seed_path))
    before = snapshot()
    path = _write(tmp_path, data, "mutated.txt")
    status, _, err = run("import", str(path))
    if status != 0:
        assert err.startswith(str(path))
        assert snapshot() == before


@pytest.mark.parametrize("together", [False, True])
def test_long_names_titles_and_numbers_import_on_every_database(
    tmp_path: Path, seed_bytes: bytes, together: bool
) -> None:
    """PostgreSQL refused a 101-character department name and a 22-digit count that SQLite kept."""
    long = (
        seed_bytes.decode()
        .replace("【地域安全課】", "【" + "長" * 120 + "課】", 1)
        .replace("CoCoパトロール隊による地域パトロール", "C" * 250)
        .replace("小金井市防犯指針", "小金井市" + "防" * 300 + "指針")
        .replace("パトロール回数 472回", "パトロール回数 1234567890123456789012回")
        .encode()
    )
    folder = tmp_path / "reports"
    folder.mkdir()
    path = _write(folder, long)
    # One file alone goes through the one-by-one import; a folder's new plan is loaded together.
    status, _, err = run("import", str(folder if together else path))
    assert (status, err) == (0, "")
    assert export() == long
    patrol = Indicator.objects.filter(item__record__fiscal_year__year=2018, item__record__measure__title="C" * 250)
    assert sorted(patrol.values_list("label", flat=True)) == ["距離", "車両数"]


class _RefusedReportPages:
    """Makes the database refuse every new report page, with a trigger: the ORM, plain INSERTs and
    PostgreSQL's COPY are all stopped, whichever way an import writes. A report's pages are the last
    rows an import writes, so the failure comes after everything else was written."""

    NAME = "test_refuse_report_page"

    def install(self) -> None:
        from django.db import connection

        from shishin.plans.models import ReportPage

        table = connection.ops.quote_name(ReportPage._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE FUNCTION {self.NAME}() RETURNS trigger LANGUAGE plpgsql "
                    "AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
                )
                cursor.execute(
                    f"CREATE TRIGGER {self.NAME} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {self.NAME}()"
                )
            else:
                cursor.execute(
                    f"CREATE TRIGGER {self.NAME} BEFORE INSERT ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                )

    def remove(self) -> None:
        from django.db import connection

        from shishin.plans.models import ReportPage

        table = connection.ops.quote_name(ReportPage._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {self.NAME} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {self.NAME}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {self.NAME}")


@pytest.fixture
def refused_report_pages(request: pytest.FixtureRequest, default_units: None) -> _RefusedReportPages:
    """No test transaction around the test: a command writes as in production, committing what it
    does not hold in a transaction of its own."""
    refusal = _RefusedReportPages()
    request.addfinalizer(refusal.remove)
    return refusal


def _fails_part_way(*args: str) -> None:
    import psycopg
    from django.db import DatabaseError

    # PostgreSQL's COPY goes around Django's cursor: its errors come as psycopg's own.
    with pytest.raises((DatabaseError, psycopg.Error), match="injected failure"):
        run("import", *args)


@pytest.mark.django_db(transaction=True)
def test_an_import_that_fails_part_way_leaves_nothing_behind(
    refused_report_pages: _RefusedReportPages, seed_path: Path, seed_bytes: bytes
) -> None:
    before = snapshot()
    refused_report_pages.install()
    _fails_part_way(str(seed_path))
    assert snapshot() == before
    refused_report_pages.remove()
    assert run("import", str(seed_path))[0] == 0
    assert export() == seed_bytes


@pytest.mark.django_db(transaction=True)
def test_a_replacing_import_that_fails_part_way_keeps_the_stored_report(
    refused_report_pages: _RefusedReportPages, tmp_path: Path, seed_path: Path, seed_bytes: bytes
) -> None:
    assert run("import", str(seed_path))[0] == 0
    before = snapshot()
    refused_report_pages.install()
    _fails_part_way(str(_write(tmp_path, _changed_seed(seed_bytes))), "--replace")
    assert snapshot() == before
    assert export() == seed_bytes


@pytest.mark.django_db(transaction=True)
def test_a_new_plans_reports_loaded_together_leave_nothing_behind_when_loading_fails(
    refused_report_pages: _RefusedReportPages, tmp_path: Path, seed_bytes: bytes
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    _write(folder, seed_bytes, "2018.txt")
    _write(folder, next_year_report(seed_bytes), "2019.txt")
    before = snapshot()
    refused_report_pages.install()
    _fails_part_way(str(folder))
    assert snapshot() == before
