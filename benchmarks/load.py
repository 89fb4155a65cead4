"""Load tests on loopback, with wrk, against gunicorn (2 workers) serving the demo data.

    make load        # writes var/load-test.txt and fails if a request failed or the goal is missed

1. Rotation: 50 concurrent clients for 60 s on the public pages and search (no request may fail).
2. Mixed: the report page alone for MIXED_SECONDS (its unloaded throughput), then again while other
   clients ask for pages, search and the PDF, and others post the largest text the number reader
   takes (`/api/extract`, 10,000 characters) as fast as they can, from several addresses. The report
   page must keep at least half its throughput with no failed request; the readers are answered 200
   or, past their rate, 429 — never a server error or a timeout.

LOAD_SECONDS and LOAD_CLIENTS change the rotation's duration and clients; MIXED_SECONDS the mixed run's.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run import BIN, SEED, _env, _gunicorn, _rate

SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
MIXED_SECONDS = int(os.environ.get("MIXED_SECONDS", "20"))
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "50"))
PAGES = [
    "/",
    "/plans/1/years/2018/",
    "/plans/1/measures/1/",
    "/plans/1/departments/1/",
    "/search/?q=" + urllib.parse.quote("防犯カメラ"),
    "/api/search?q=" + urllib.parse.quote("パトロール"),
]
# wrk asks for the pages in turn, one after another on each connection.
ROTATE = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


# The readers: each connection posts the largest text /api/extract takes, as one of several addresses
# (X-Forwarded-For is not trusted: gunicorn sees loopback for all, so the rate is per server here —
# the worst case); 5xx answers are counted apart from the 429s that the rate limit gives.
EXTRACT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "%s"}'
local failed = 0
response = function(status, headers, body)
  if status >= 500 then failed = failed + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("server errors: %%d\\n", failed))
end
"""
# One sentence of report prose, repeated to the limit (shishin.api.views.MAX_EXTRACT_CHARACTERS).
MAX_EXTRACT_CHARACTERS = 10_000
PROSE = "令和5年11月12日に防犯パトロールを12回実施し、延べ340人が参加した。"
MIXED = [
    "/",
    "/plans/1/measures/1/",
    "/search/?q=" + urllib.parse.quote("防犯カメラ"),
    "/plans/1/years/2018/report.pdf",
    "/plans/1/years/2018/report.xlsx",
]
REPORT = "/plans/1/years/2018/"


def _wrk(base: str, *args: str) -> str:
    command = ["wrk", "-t1", "--timeout", "10s", *args, base]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _failed(result: str) -> int:
    return sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses:|connect|read|write|timeout) (\d+)", result))


def mixed(base: str, work: Path) -> tuple[str, bool]:
    """The report page's throughput alone and under the mixed load; the summary and whether it passed."""
    rotate, extract = work / "mixed.lua", work / "extract.lua"
    rotate.write_text(ROTATE % ", ".join(f'"{p}"' for p in MIXED))
    text = PROSE * (MAX_EXTRACT_CHARACTERS // len(PROSE))
    extract.write_text(EXTRACT % text)
    for path in [REPORT, *MIXED]:  # each edition file is written the first time it is asked for: before
        with urllib.request.urlopen(base + path, timeout=60) as answer:
            answer.read()
    alone = _wrk(base + REPORT, "-c16", f"-d{MIXED_SECONDS}s")
    with concurrent.futures.ThreadPoolExecutor() as pool:
        report = pool.submit(_wrk, base + REPORT, "-c16", f"-d{MIXED_SECONDS}s")
        others = pool.submit(_wrk, base, "-c2", f"-d{MIXED_SECONDS}s", "-s", str(rotate))
        readers = pool.submit(_wrk, base + "/api/extract", "-c2", f"-d{MIXED_SECONDS}s", "-s", str(extract))
        loaded, other, read = report.result(), others.result(), readers.result()
    ratio = _rate(loaded) / _rate(alone)
    server_errors = int(re.search(r"server errors: (\d+)", read).group(1))  # type: ignore[union-attr]
    timeouts = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", read))
    failed = _failed(alone) + _failed(loaded) + _failed(other) + server_errors + timeouts
    summary = (
        f"mixed run, {MIXED_SECONDS} s: report page alone {_rate(alone):.0f} req/s, under load {_rate(loaded):.0f} req/s, "
        f"ratio {ratio:.2f} (goal ≥ 0.5); other pages {_rate(other):.0f} req/s; "
        f"number reader {_rate(read):.0f} req/s (200 or 429), {server_errors} server errors; failed requests: {failed}"
    )
    return summary, ratio >= 0.5 and failed == 0


def main() -> int:
    output = Path("var") / "load-test.txt"
    output.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = _env(f"sqlite:///{work / 'db.sqlite3'}")
        env["SHISHIN_CACHE_DIR"] = str(work / "cache")
        env["SHISHIN_DATA_DIR"] = str(work / "var")  # the editions' files, where the server looks for them
        (work / "seed.txt").write_bytes(SEED)
        subprocess.run([str(BIN / "shishin"), "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [str(BIN / "shishin"), "import", str(work / "seed.txt")], env=env, check=True, capture_output=True
        )
        script = work / "rotate.lua"
        script.write_text(ROTATE % ", ".join(f'"{p}"' for p in PAGES))
        with _gunicorn("shishin.wsgi", env, work) as base:
            result = subprocess.run(
                ["wrk", "-t2", f"-c{CLIENTS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(script), base],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            mixed_summary, mixed_passed = mixed(base, work)
    errors = _failed(result)
    summary = (
        f"{CLIENTS} clients, {SECONDS} s, pages: {', '.join(PAGES)}\nerrors: {errors}\n\n{result}\n{mixed_summary}\n"
    )
    output.write_text(summary, encoding="utf-8")
    print(summary)
    return 0 if errors == 0 and mixed_passed else 1


if __name__ == "__main__":
    sys.exit(main())
