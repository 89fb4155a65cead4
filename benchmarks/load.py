"""Load test on loopback: 50 concurrent clients for 60 s on the public pages and search, with wrk.

    make load        # writes var/load-test.txt and fails if any request failed

LOAD_SECONDS and LOAD_CLIENTS change the duration and the number of clients.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run import BIN, SEED, _env, _gunicorn

SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
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


def main() -> int:
    output = Path("var") / "load-test.txt"
    output.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = _env(f"sqlite:///{work / 'db.sqlite3'}")
        env["SHISHIN_CACHE_DIR"] = str(work / "cache")
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
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout) (\d+)", result))
    summary = f"{CLIENTS} clients, {SECONDS} s, pages: {', '.join(PAGES)}\nerrors: {errors}\n\n{result}"
    output.write_text(summary, encoding="utf-8")
    print(summary)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
