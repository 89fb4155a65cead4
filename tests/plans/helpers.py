"""The shared helpers moved to tests/helpers.py; this name stays for the modules that still import it."""

from __future__ import annotations

from ..helpers import export, next_year_report, run, snapshot

__all__ = ["export", "next_year_report", "run", "snapshot"]
