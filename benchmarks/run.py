"""Shishin's benchmarks. Each prints its figure as a ratio to a baseline measured in the same run.

    make bench                       # all four
    .venv/bin/python benchmarks/run.py page|import|extract|search

- page: requests per second of the public report page under gunicorn, against the same gunicorn
  serving a saved static copy of that page (goal: at least 0.9); and of the published edition's PDF,
  against the same bytes served as a static file (goal: at least 0.8).
- import: rows per second of `shishin import` of a synthetic national data set into PostgreSQL,
  against a plain COPY of the same rows into the same tables (goal: at least 0.3); see
  national.py. BENCH_MUNICIPALITIES sets the scale (1741 is the whole country, the default 100).
- extract: milliseconds the number reader takes for report prose of 1, 10 and 100 KB (the same
  sentences, repeated; with a date in each, and without a delimiter), against the 1 KB time scaled by
  the size (goal: the ratio stays near 1 — linear; the quadratic reader of before took 8.7 s at 42 KB).
- search: p50 and p95 of searching BENCH_ITEMS items (default 1,000,000), against a sequential
  LIKE scan of the same table (goal: at least 20 times faster at p95); on SQLite (FTS5 trigram)
  and on PostgreSQL (pg_trgm).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEED = resources.files("shishin.demo").joinpath("koganei-bohan-h30-torikumi.txt").read_bytes()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHISHIN_", "DATABASE_URL"))}
    return {**env, "DATABASE_URL": database_url, "SHISHIN_SECRET_KEY": "benchmark-" + "x" * 50}


@contextlib.contextmanager
def _gunicorn(app: str, env: dict[str, str], cwd: Path) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],  # as make serve-prod,
        env={**env, "PYTHONPATH": str(cwd)},
        cwd=cwd,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def _requests_per_second(url: str, seconds: int = 10) -> float:
    if shutil.which("wrk") is None:
        sys.exit("wrk が必要です（Debian: apt-get install wrk）")
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{url}: {errors.group(1)} 件のエラー応答")
    return _rate(out)


def _rate(out: str) -> float:
    """The requests per second a wrk run reports."""
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def bench_page() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # The database and the editions' files in the same folder, whichever process writes them.
        env = _env(f"sqlite:///{work / 'db.sqlite3'}") | {"SHISHIN_DATA_DIR": str(work)}
        (work / "seed.txt").write_bytes(SEED)
        subprocess.run([str(BIN / "shishin"), "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [str(BIN / "shishin"), "import", str(work / "seed.txt")], env=env, check=True, capture_output=True
        )
        with _gunicorn("shishin.wsgi", env, work) as base:
            page, pdf = f"{base}/plans/1/years/2018/", f"{base}/plans/1/years/2018/report.pdf"
            html = subprocess.run(["curl", "-sf", page], capture_output=True, check=True).stdout
            # The imported edition's PDF is written on its first download; the benchmark measures the rest.
            document = subprocess.run(["curl", "-sf", pdf], capture_output=True, check=True).stdout
            app = _requests_per_second(page)
            app_pdf = _requests_per_second(pdf)
        (work / "page.html").write_bytes(html)
        (work / "report.pdf").write_bytes(document)
        (work / "static_page.py").write_text(
            "from pathlib import Path\n"
            "FILES = {'/': ('text/html; charset=utf-8', Path(__file__).with_name('page.html').read_bytes()),\n"
            "         '/report.pdf': ('application/pdf', Path(__file__).with_name('report.pdf').read_bytes())}\n"
            "def application(environ, start_response):\n"
            "    kind, body = FILES[environ['PATH_INFO']]\n"
            "    start_response('200 OK', [('Content-Type', kind), ('Content-Length', str(len(body)))])\n"
            "    return [body]\n"
        )
        with _gunicorn("static_page:application", env, work) as static:
            baseline = _requests_per_second(f"{static}/")
            baseline_pdf = _requests_per_second(f"{static}/report.pdf")
    print(
        f"page: report page {app:.0f} req/s, static copy {baseline:.0f} req/s, ratio {app / baseline:.2f} (goal ≥ 0.9)"
    )
    print(
        f"page: the edition's PDF ({len(document):,} bytes) {app_pdf:.0f} req/s, the same bytes as a static file "
        f"{baseline_pdf:.0f} req/s, ratio {app_pdf / baseline_pdf:.2f} (goal ≥ 0.8)"
    )


def bench_import() -> None:
    command = [
        str(ROOT / "scripts" / "with-postgres"),
        "sh",
        "-c",
        f"{BIN / 'shishin'} migrate -v0 && {sys.executable} {ROOT / 'benchmarks' / 'national.py'}",
    ]
    env = {**_env(""), "DATABASE_URL": "", "DJANGO_SETTINGS_MODULE": "shishin.settings"}
    subprocess.run(command, env=env, check=True)


WORDS = ["防犯パトロール", "詐欺被害", "防犯カメラ", "安全安心メール", "通学路点検", "啓発活動", "協議会", "街路灯"]


def _search_data() -> tuple[int, Iterator[tuple[int, str]], list[str]]:
    """BENCH_ITEMS item texts, and queries that find a few of them, as a person looking for one
    activity does (the scan reads the whole table)."""
    count = int(os.environ.get("BENCH_ITEMS", "1000000"))
    rows = ((n, f"{WORDS[n % 8]}{n}件 {WORDS[(n * 7) % 8]}を実施 第{n % 97}地区") for n in range(count))
    step = max(count // 40, 1)
    return count, rows, [f"{WORDS[n % 8]}{n}件" for n in range(step // 2, count, step)][:40]


def _timings(search: Callable[[str], object], queries: list[str]) -> list[float]:
    """Seconds ``search`` takes for each query."""
    found = []
    for query in queries:
        start = time.perf_counter()
        search(query)
        found.append(time.perf_counter() - start)
    return found


def _report_search(database: str, count: int, indexed: list[float], scan: list[float]) -> None:
    def p(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    print(
        f"search ({database}): {count} items; trigram index p50 {p(indexed, 50):.2f} ms p95 {p(indexed, 95):.2f} ms; "
        f"LIKE scan p50 {p(scan, 50):.2f} ms p95 {p(scan, 95):.2f} ms; "
        f"p95 {p(scan, 95) / p(indexed, 95):.0f}× faster (goal ≥ 20×)"
    )


def bench_search() -> None:
    """FTS5 trigram (SQLite) here, then pg_trgm in a throwaway PostgreSQL (search-postgres)."""
    count, rows, queries = _search_data()
    with tempfile.TemporaryDirectory() as folder:
        database = sqlite3.connect(Path(folder) / "search.sqlite3")
        database.executescript(
            "CREATE TABLE plans_item (id INTEGER PRIMARY KEY, text TEXT);"
            "CREATE VIRTUAL TABLE plans_item_fts USING fts5(text, content='plans_item', content_rowid='id', tokenize='trigram');"
        )
        database.executemany("INSERT INTO plans_item VALUES (?, ?)", rows)
        database.execute("INSERT INTO plans_item_fts(rowid, text) SELECT id, text FROM plans_item")
        database.commit()
        fts_sql = "SELECT rowid FROM plans_item_fts WHERE plans_item_fts MATCH ? LIMIT 500"
        scan_sql = "SELECT id FROM plans_item WHERE text LIKE ? LIMIT 500"
        fts = _timings(lambda q: database.execute(fts_sql, [f'"{q}"']).fetchall(), queries)
        scan = _timings(lambda q: database.execute(scan_sql, [f"%{q}%"]).fetchall(), queries)
        _report_search("SQLite FTS5", count, fts, scan)
        # As shishin.plans.search asks: each word in each of its forms, through the index where it can.
        words = _timings(lambda q: _by_words(database.execute, q, True, "?"), queries)
        scan = _timings(lambda q: _by_words(database.execute, q, False, "?"), queries)
        _report_search("SQLite FTS5, two words in any width", count, words, scan)
    command = [str(ROOT / "scripts" / "with-postgres"), sys.executable, __file__, "search-postgres"]
    subprocess.run(command, env={**_env(""), "DATABASE_URL": ""}, check=True)


def bench_search_postgres() -> None:
    """The same items and the same LIKE query, served by migration 0007's pg_trgm index, then by a
    sequential scan (the planner told not to use the index)."""
    import psycopg

    count, rows, queries = _search_data()
    # Not prepared: a prepared plan would keep using the index after the planner is told not to.
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, prepare_threshold=None) as database:
        database.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        database.execute("CREATE TABLE plans_item (id bigint PRIMARY KEY, text text)")
        with database.cursor().copy("COPY plans_item (id, text) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        database.execute("CREATE INDEX plans_item_text_trgm ON plans_item USING gin (text gin_trgm_ops)")
        database.execute("VACUUM ANALYZE plans_item")
        sql = "SELECT id FROM plans_item WHERE text LIKE %s LIMIT 500"
        indexed = _timings(lambda q: database.execute(sql, [f"%{q}%"]).fetchall(), queries)
        words = _timings(lambda q: _by_words(database.execute, q, False, "%s"), queries)
        database.execute("SET enable_bitmapscan = off")
        database.execute("SET enable_indexscan = off")
        scan = _timings(lambda q: database.execute(sql, [f"%{q}%"]).fetchall(), queries)
        words_scan = _timings(lambda q: _by_words(database.execute, q, False, "%s"), queries)
    _report_search("PostgreSQL pg_trgm", count, indexed, scan)
    _report_search("PostgreSQL pg_trgm, two words in any width", count, words, words_scan)


def _by_words(execute: Callable[..., Any], query: str, fts: bool, mark: str) -> object:
    """Search ``query`` split in two words (「防犯カメラ123件」 → 防犯カメラ, 123件), every form of each, as
    shishin.plans.search asks: with ``fts``, the words whose forms all have three characters or more in
    one FTS5 query, the others by LIKE; without, every word by LIKE (pg_trgm serves it, or a scan)."""
    from shishin.lib.search_words import forms

    split = re.match(r"(\D+)(.+)", query)
    assert split is not None
    matched, wheres, parameters = [], [], []
    for word in split.groups():
        written = forms(word)
        if fts and all(len(form) >= 3 for form in written):
            matched.append("(" + " OR ".join(f'"{form}"' for form in written) + ")")
            continue
        wheres.append("(" + " OR ".join(["text LIKE ?"] * len(written)) + ")")
        parameters += [f"%{form}%" for form in written]
    if matched:
        wheres.append("id IN (SELECT rowid FROM plans_item_fts WHERE plans_item_fts MATCH ?)")
        parameters.append(" AND ".join(matched))
    sql = f"SELECT id FROM plans_item WHERE {' AND '.join(wheres)} LIMIT 500".replace("?", mark)
    return execute(sql, parameters).fetchall()


# Report prose as departments write it: a sentence with figures and a date; and the same words without
# a delimiter, where a reader that looks back to the last one would read the whole text for each figure.
PROSE = {
    "prose": "令和5年11月12日に防犯パトロールを12回実施し、延べ340人が参加した。",
    "no delimiters": "防犯パトロール12回実施延べ340人参加青色回転灯装着車両15台",
}


def bench_extract() -> None:
    from shishin.lib.quantities import DEFAULT_UNITS, extract

    for name, sentence in PROSE.items():
        times = {}
        for kb in (1, 10, 100):
            text = sentence * (kb * 1024 // len(sentence.encode()) + 1)
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                extract(text, DEFAULT_UNITS, fiscal_year=2023)
                runs.append(time.perf_counter() - start)
            times[kb] = min(runs) * 1000
        print(
            f"extract ({name}): 1 KB {times[1]:.1f} ms, 10 KB {times[10]:.1f} ms, 100 KB {times[100]:.1f} ms; "
            f"100 KB against 100 × 1 KB: ratio {times[100] / (100 * times[1]):.2f} (goal: near 1, linear)"
        )


BENCHMARKS = {"page": bench_page, "import": bench_import, "extract": bench_extract, "search": bench_search}

if __name__ == "__main__":
    if sys.argv[1:] == ["search-postgres"]:  # run by bench_search inside scripts/with-postgres
        bench_search_postgres()
    else:
        for name in sys.argv[1:] or list(BENCHMARKS):
            BENCHMARKS[name]()
