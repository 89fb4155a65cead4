# make demo — serve the bundled report on http://127.0.0.1:8000
# make test — install what the tests need, lint, type-check and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the tests use: a real browser (with its Japanese translation, for the manual's
# screenshots), the Japanese font the PDF embeds, poppler to read the PDF, PostgreSQL for the second
# run of the suite, and LibreOffice as a real spreadsheet client.

.PHONY: demo serve-prod bench load test lint typecheck pytest pytest-sqlite pytest-postgres system-packages clean

# uv installs what pip would, fetching in parallel (half the time of pip on a fresh clone). The install
# compiles every module ahead: with PYTHONDONTWRITEBYTECODE set (as on these machines) nothing compiled
# later is kept, and each process of the tests would compile what it imports again.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 以上が必要です（$(PYTHON) は " + sys.version.split()[0] + "）")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm が必要です（Debian: apt-get install npm）"; exit 1; }
	npm ci --silent --no-audit --no-fund

system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	[ -e /usr/lib/chromium/locales/ja.pak ] || missing="$$missing chromium-l10n"; \
	fc-list 2>/dev/null | grep -q IPAexGothic || missing="$$missing fonts-ipaexfont-gothic"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian packages:$$missing"; \
			apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $$missing >/dev/null; }; \
		else \
			echo "テストには Debian パッケージ$$missing が必要です。root で次を実行してください: apt-get install -y$$missing"; \
			exit 1; \
		fi; \
	fi

demo: $(STAMP)
	SHISHIN_SECURE_COOKIES=0 $(BIN)/shishin serve --demo

# Production: gunicorn with WhiteNoise; set SHISHIN_SECRET_KEY, SHISHIN_ALLOWED_HOSTS and SHISHIN_HTTPS=1 (see README).
serve-prod: $(STAMP)
	$(BIN)/shishin migrate --no-input
	$(BIN)/gunicorn shishin.wsgi --bind $${SHISHIN_BIND:-127.0.0.1:8000} --workers $${SHISHIN_WORKERS:-2} --threads $${SHISHIN_THREADS:-4}

# Benchmarks, each against a baseline measured in the same run (needs wrk and PostgreSQL, see benchmarks/run.py).
bench: $(STAMP) system-packages
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } || { echo "wrk が必要です: apt-get install -y wrk"; exit 1; }
	$(BIN)/python benchmarks/run.py

# 50 clients for 60 s on loopback against the public pages and search; the result goes to var/load-test.txt.
load: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } || { echo "wrk が必要です: apt-get install -y wrk"; exit 1; }
	$(BIN)/python benchmarks/load.py

# The type check runs beside the tests (it takes a core for most of a minute on a fresh clone).
test: lint
	@mkdir -p var
	@$(BIN)/mypy >var/typecheck.log 2>&1 & typecheck=$$!; \
	$(MAKE) --no-print-directory pytest; tests=$$?; \
	wait $$typecheck; typed=$$?; \
	echo "──── mypy ────"; cat var/typecheck.log; \
	[ $$tests = 0 ] && [ $$typed = 0 ]

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# The project's modules are compiled first: every process the tests start reads them, and none writes
# them where PYTHONDONTWRITEBYTECODE is set (as on these machines).
# The whole suite twice, both at once (one run per core): on SQLite, printing as it goes, and on a
# real PostgreSQL server started for the run, whose output follows when both have ended (the
# fuzzers, which reach no database, run in the second: tests/conftest.py, SHARED_TO_POSTGRES). Either run
# failing fails the target. `make pytest-sqlite` or `make pytest-postgres` runs one alone.
pytest: $(STAMP) system-packages node_modules/.package-lock.json
	@mkdir -p var
	@$(BIN)/python -m compileall -q src
	@SHISHIN_TESTS_SHARED=1 scripts/with-postgres $(BIN)/pytest -p no:cacheprovider --durations=15 --basetemp=var/pytest-postgres >var/pytest-postgres.log 2>&1 & \
	postgres=$$!; \
	echo "SQLite で実行中（PostgreSQL での実行は同時に進み、結果はあとに表示します）"; \
	SHISHIN_TESTS_SHARED=1 $(BIN)/pytest --durations=15 --basetemp=var/pytest-sqlite; sqlite=$$?; \
	wait $$postgres; postgres=$$?; \
	echo "──── PostgreSQL ────"; cat var/pytest-postgres.log; \
	[ $$sqlite = 0 ] && [ $$postgres = 0 ]

pytest-sqlite: $(STAMP) system-packages node_modules/.package-lock.json
	$(BIN)/pytest

pytest-postgres: $(STAMP) system-packages node_modules/.package-lock.json
	scripts/with-postgres $(BIN)/pytest -p no:cacheprovider

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
