"""Coverage-guided fuzzing of both importers with atheris (libFuzzer), run by test_atheris.py.

    python tests/report/atheris_importers.py CORPUS_FOLDER -runs=20000 -seed=1

Each input is read as the table text, or as a workbook when it starts like a zip file. Only
the documented `FormatError` may come out; a text that reads is written back unchanged.
Any other exception ends the run with libFuzzer's crash report and a non-zero status.
"""

from __future__ import annotations

import sys

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    from shishin.report import table_text, xlsx
    from shishin.report.records import FormatError


def read(data: bytes) -> None:
    workbook = data.startswith(b"PK\x03\x04")
    try:
        document = (xlsx if workbook else table_text).parse(data, "fuzz")
    except FormatError as err:
        if not str(err).startswith("fuzz:") or "\n" in str(err):
            raise AssertionError(f"a format error without its place on one line: {err!r}") from None
        return
    if not workbook and table_text.parse(table_text.render(document)) != document:
        raise AssertionError("read, but not written back unchanged")


if __name__ == "__main__":
    atheris.Setup(sys.argv, read)
    atheris.Fuzz()
